/**
 * `npm run bench:pglite` — where one statement of the live write path spends its time on embedded
 * PGlite (issue 12, PGlite target). Each path opens its own PGlite on a fresh temp data folder the
 * way the server does (src/server/db/database.ts: migrated, a seeded workshop) and runs the same
 * writes: one transaction of BEGIN; the batch context select (`readBatchContext`, with the lapp's
 * place); the append that also stores the lapp (`appendBatch`); COMMIT — timed statement by
 * statement. (A batch of only lapper runs the two statements without BEGIN and COMMIT: its append
 * then carries what COMMIT does here, the flush included.)
 *
 *   npx tsx bench/pglite-statements.ts [--writes 300] [--rounds 5] [--paths driver,library,…]
 *
 * Paths (same SQL text and parameters; a statement's text comes from the product's query functions):
 *  - library: Kysely + kysely-pglite-dialect (what the server ran before decision 015);
 *  - query:   PGlite's `query` directly, BEGIN/COMMIT included (what that dialect calls);
 *  - exec:    PGlite's `exec` (simple protocol), parameters written into the text as literals;
 *  - driver:  Kysely + src/server/db/pgliteDriver.ts, without flushing to disk (as durable as the paths above: not);
 *  - raw:     the same driver's connection without Kysely (compiled beforehand: Kysely's own share);
 *  - durable: the server now: the driver, and each COMMIT waits for its WAL on disk (`durable` in pgliteDriver.ts);
 *  - tuned:   driver (no flush) plus the PostgreSQL settings of `--settings` (a lever to try; compare with driver).
 * Paths run interleaved, `--writes` per path per round; the first round warms up and is not counted.
 * Figures: median wall µs per statement, CPU µs per write (process.cpuUsage: robust to neighbours),
 * each as a ratio to the same path's `select 1` round trip and to the library path. Prints a table,
 * then as the LAST line one JSON object.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CompiledQuery, Kysely, PostgresIntrospector, PostgresQueryCompiler, sql, type DatabaseConnection, type QueryResult } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { EmbeddedAdapter, type Db } from '../src/server/db/database.js';
import type { Database } from '../src/server/db/tables.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { openPgliteClient, PgliteConnection, PgliteDialect } from '../src/server/db/pgliteDriver.js';
import * as q from '../src/server/live/live.queries.js';
import { createWorkshopFixture, type WorkshopFixture } from '../src/server/testing/workshopFixture.js';
import { notePayload } from './live/payload.js';

const STATEMENTS = ['begin', 'context', 'append', 'commit'] as const;
type Statement = (typeof STATEMENTS)[number];
const PATHS = ['library', 'query', 'exec', 'driver', 'raw', 'durable', 'tuned'] as const;
type PathName = (typeof PATHS)[number];

const { values } = parseArgs({
  options: {
    writes: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '5' },
    paths: { type: 'string', default: 'library,query,exec,driver,raw,durable' },
    /** PostgreSQL settings for the `tuned` path (the driver without flush, plus these), e.g. track_counts=off,track_activities=off. */
    settings: { type: 'string', default: 'track_counts=off,track_activities=off' },
  },
});
const writesPerRound = Number(values.writes);
const rounds = Number(values.rounds);
const pathNames = values.paths.split(',').map((p) => p.trim()) as PathName[];
for (const name of pathNames) if (!PATHS.includes(name)) throw new Error(`--paths: unknown path ${name} (${PATHS.join(', ')})`);

/** One write's three parameterised statements, compiled by the product's own query functions. */
interface Compiled {
  context: CompiledQuery;
  append: CompiledQuery;
}

interface Opened {
  client: PGlite;
  /** Kysely on this path's client (the library's dialect or ours), for seeding and the Kysely paths. */
  db: Db;
  fixture: WorkshopFixture;
  dir: string;
}

interface Path {
  name: PathName;
  opened: Opened;
  /** One write; calls `mark(statement)` as each statement completes ('ready' after compiling, before the first). */
  write(i: number, mark: (statement: Statement | 'ready') => void): Promise<void>;
  select1(): Promise<void>;
  samples: Record<Statement | 'select1', number[]>;
  cpuUs: number;
  writes: number;
}

async function open(name: PathName): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), `innspill-bench-pglite-${name}-`));
  const settings = name === 'tuned' ? Object.fromEntries(values.settings.split(',').map((pair) => pair.split('=').map((part) => part.trim()) as [string, string])) : {};
  const client = await openPgliteClient(dir, { durable: name === 'durable', settings });
  const db =
    name === 'library'
      ? new Kysely<Database>({ dialect: new (class extends PGliteDialect { override createAdapter = () => new EmbeddedAdapter(); })(client) })
      : new Kysely<Database>({ dialect: new PgliteDialect(client, () => new EmbeddedAdapter()) });
  await migrateToLatest(db);
  const fixture = await createWorkshopFixture(db);
  return { client, db, fixture, dir };
}

/** What a lapp command writes, as the write path builds it (commands.service.ts createNote). */
function noteOf(fixture: WorkshopFixture, i: number): q.NewNoteRow {
  const group = fixture.groups[0]!;
  return {
    id: randomUUID(),
    workshopId: fixture.workshopId,
    posterId: fixture.goalsPosterId,
    groupId: group.id,
    authorParticipantId: group.participants[0]!.id,
    authorUserId: null,
    writtenByUserId: null,
    kind: 'comment',
    text: notePayload(i, 'room-1', 0),
    proposedItemKind: null,
    replyToNoteId: null,
    at: new Date(),
    itemIds: [fixture.subGoalIds[i % fixture.subGoalIds.length]!],
  };
}

function noteEvent(note: q.NewNoteRow) {
  return {
    type: 'note.created' as const,
    groupId: note.groupId,
    note: {
      id: note.id,
      posterId: note.posterId,
      groupId: note.groupId,
      itemIds: note.itemIds,
      kind: 'comment' as const,
      text: note.text,
      proposedItemKind: null,
      replyToNoteId: null,
      author: { participantId: note.authorParticipantId, userId: null, name: 'Stein' },
      placed: false,
      withdrawn: false,
      agreedBy: [],
      createdAt: note.at.toISOString(),
      updatedAt: note.at.toISOString(),
    },
  };
}

/** The two statements of one lapp's write, run through `db` (a transaction, or the recording Kysely). */
async function writeStatements(db: Db, fixture: WorkshopFixture, i: number, mark: (s: Statement) => void): Promise<void> {
  const participant = fixture.groups[0]!.participants[0]!;
  const commandId = randomUUID();
  const wants = { places: [{ posterId: fixture.goalsPosterId, groupId: fixture.groups[0]!.id }], noteIds: [], agreements: [], lockParticipantIds: [] };
  await q.readBatchContext(db, [{ workshopId: fixture.workshopId, commandId }], [participant.id], wants);
  mark('context');
  const note = noteOf(fixture, i);
  await q.appendBatch(db, [{ workshopId: fixture.workshopId, commandId, events: [noteEvent(note) as never] }], { notes: [note], agreements: [], stars: [] });
  mark('append');
}

/** Compiles one write's statements without running them: a Kysely whose connection records and answers with a plausible row. */
async function compileWrite(fixture: WorkshopFixture, i: number): Promise<Compiled> {
  const recorded: CompiledQuery[] = [];
  const connection: DatabaseConnection = {
    async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
      recorded.push(query);
      return { rows: [{ id: fixture.workshopId, last_seq: 1 }] as R[] };
    },
    // eslint-disable-next-line require-yield
    async *streamQuery() {
      throw new Error('not used');
    },
  };
  const recorder = new Kysely<Database>({
    dialect: {
      createAdapter: () => new EmbeddedAdapter(),
      createDriver: () => ({
        init: async () => {},
        acquireConnection: async () => connection,
        beginTransaction: async () => {},
        commitTransaction: async () => {},
        rollbackTransaction: async () => {},
        releaseConnection: async () => {},
        destroy: async () => {},
      }),
      createQueryCompiler: () => new PostgresQueryCompiler(),
      createIntrospector: (db) => new PostgresIntrospector(db),
    },
  });
  await writeStatements(recorder, fixture, i, () => undefined);
  const [context, append] = recorded;
  return { context: context!, append: append! };
}

/** A parameter as an SQL literal (the exec path): the statements cast where the type matters. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return `'${value.toISOString()}'`;
  if (Array.isArray(value)) return `'{${value.map((v) => `"${String(v).replace(/(["\\])/g, '\\$1')}"`).join(',')}}'`;
  return `'${String(value).replace(/'/g, "''")}'`;
}
const inline = (query: CompiledQuery) => query.sql.replace(/\$(\d+)/g, (_, n: string) => literal(query.parameters[Number(n) - 1]));

function makePath(name: PathName, opened: Opened): Path {
  const { client, db, fixture } = opened;
  const samples = Object.fromEntries([...STATEMENTS, 'select1'].map((s) => [s, [] as number[]])) as Path['samples'];
  const base = { name, opened, samples, cpuUs: 0, writes: 0 };
  if (name === 'library' || name === 'driver' || name === 'durable' || name === 'tuned') {
    return {
      ...base,
      async write(i, mark) {
        await db.transaction().execute(async (tx) => {
          mark('begin');
          await writeStatements(tx, fixture, i, mark);
        });
        mark('commit');
      },
      select1: async () => void (await sql`select 1`.execute(db)),
    };
  }
  if (name === 'raw') {
    const connection = new PgliteConnection(client);
    const run = (query: CompiledQuery) => connection.executeQuery(query);
    return {
      ...base,
      async write(i, mark) {
        const compiled = await compileWrite(fixture, i);
        mark('ready');
        await run(CompiledQuery.raw('begin'));
        mark('begin');
        for (const statement of ['context', 'append'] as const) {
          await run(compiled[statement]);
          mark(statement);
        }
        await run(CompiledQuery.raw('commit'));
        mark('commit');
      },
      select1: async () => void (await run(CompiledQuery.raw('select 1'))),
    };
  }
  const viaQuery = name === 'query';
  return {
    ...base,
    async write(i, mark) {
      const compiled = await compileWrite(fixture, i);
      mark('ready');
      if (viaQuery) await client.query('begin');
      else await client.exec('begin');
      mark('begin');
      for (const statement of ['context', 'append'] as const) {
        const query = compiled[statement];
        if (viaQuery) await client.query(query.sql, [...query.parameters]);
        else await client.exec(inline(query));
        mark(statement);
      }
      if (viaQuery) await client.query('commit');
      else await client.exec('commit');
      mark('commit');
    },
    select1: async () => void (viaQuery ? await client.query('select 1') : await client.exec('select 1')),
  };
}

async function runRound(path: Path, count: number, record: boolean): Promise<void> {
  let writeNo = path.writes;
  const times: Partial<Record<Statement, number>> = {};
  // Precompiled texts (query, exec, raw) are compiled inside `write` before 'ready': only the
  // statements themselves are timed, the CPU figure includes the compile.
  const cpuBefore = process.cpuUsage();
  for (let n = 0; n < count; n += 1) {
    let last = performance.now();
    await path.write(writeNo++, (statement) => {
      const now = performance.now();
      if (statement !== 'ready') times[statement] = now - last;
      last = now;
    });
    if (record) for (const statement of STATEMENTS) path.samples[statement].push(times[statement]! * 1000);
  }
  const cpu = process.cpuUsage(cpuBefore);
  for (let n = 0; n < Math.min(count, 200); n += 1) {
    const start = performance.now();
    await path.select1();
    if (record) path.samples.select1.push((performance.now() - start) * 1000);
  }
  if (record) {
    path.cpuUs += cpu.user + cpu.system;
    path.writes += count;
  }
}

const median = (list: number[]) => {
  const sorted = [...list].sort((a, b) => a - b);
  return sorted.length === 0 ? NaN : sorted[Math.floor(sorted.length / 2)]!;
};

const paths: Path[] = [];
for (const name of pathNames) paths.push(makePath(name, await open(name)));
try {
  for (let round = 0; round < rounds; round += 1) {
    for (const path of paths) await runRound(path, writesPerRound, round > 0);
  }
  // Whether PostgreSQL kept planning the named statements per run (custom plans) or reused one plan (generic).
  for (const path of paths.filter((p) => ['driver', 'durable', 'tuned'].includes(p.name))) {
    const { rows } = await path.opened.client.query<{ generic: number; custom: number }>('select sum(generic_plans)::int as generic, sum(custom_plans)::int as custom from pg_prepared_statements');
    process.stderr.write(`[${path.name}] named statements ran with a generic plan ${rows[0]?.generic} times, with a custom plan ${rows[0]?.custom} times\n`);
  }
} finally {
  for (const { opened } of paths) {
    await opened.db.destroy().catch(() => undefined);
    if (!opened.client.closed) await opened.client.close();
    rmSync(opened.dir, { recursive: true, force: true });
  }
}

const figures = paths.map((path) => {
  const perStatement = Object.fromEntries([...STATEMENTS, 'select1'].map((s) => [s, Math.round(median(path.samples[s as Statement]))])) as Record<Statement | 'select1', number>;
  const writeUs = STATEMENTS.reduce((sum, s) => sum + perStatement[s], 0);
  return { path: path.name, perStatement, writeUs, cpuUsPerWrite: Math.round(path.cpuUs / path.writes), writes: path.writes };
});
const library = figures.find((f) => f.path === 'library');
const ratio = (a: number, b: number | undefined) => (b ? (a / b).toFixed(2) : '–');

console.log(`PGlite write-path statements, ${writesPerRound} writes × ${rounds - 1} counted rounds per path; median wall µs per statement; load ${loadavg()[0]!.toFixed(2)}`);
console.log(`| path | ${STATEMENTS.join(' | ')} | select 1 | write µs (sum) | ÷ select 1 | CPU µs/write | CPU ÷ library |`);
console.log(`|---|${STATEMENTS.map(() => '---:').join('|')}|---:|---:|---:|---:|---:|`);
for (const f of figures) {
  console.log(
    `| ${f.path} | ${STATEMENTS.map((s) => f.perStatement[s]).join(' | ')} | ${f.perStatement.select1} | ${f.writeUs} | ${ratio(f.writeUs, f.perStatement.select1)} | ${f.cpuUsPerWrite} | ${ratio(f.cpuUsPerWrite, library?.cpuUsPerWrite)} |`,
  );
}
console.log(
  JSON.stringify({
    bench: 'pglite-statements',
    writesPerRound,
    countedRounds: rounds - 1,
    load1: Number(loadavg()[0]!.toFixed(2)),
    paths: Object.fromEntries(figures.map((f) => [f.path, { ...f.perStatement, writeUs: f.writeUs, cpuUsPerWrite: f.cpuUsPerWrite, writeVsSelect1: Number(ratio(f.writeUs, f.perStatement.select1)) }])),
    driverCpuVsLibrary: library ? Number(ratio(figures.find((f) => f.path === 'driver')?.cpuUsPerWrite ?? NaN, library.cpuUsPerWrite)) : null,
  }),
);
