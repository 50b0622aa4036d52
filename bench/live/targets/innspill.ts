/**
 * The product: `innspill serve` on PostgreSQL, driven through its real live protocol
 * (src/server/live/protocol.ts) on WebSocket `/api/live`.
 *
 * start(plan) creates a fresh database `innspill_bench_<random>` on the local PostgreSQL server
 * (admin URL INNSPILL_BENCH_ADMIN_URL, default postgres://postgres@127.0.0.1:5432/test), migrates
 * it, seeds the workshops and starts the server as a child process (servers/innspillServer.ts =
 * the CLI's `serve`). stop() stops the server, checks the database against what was acknowledged,
 * and drops the database (INNSPILL_BENCH_KEEP_DB=1 keeps it).
 *
 * Mapping of the harness's rooms: one room = one group. Groups are spread over workshops,
 * INNSPILL_BENCH_GROUPS_PER_WORKSHOP per workshop (default 10: 100 rooms = 10 workshops × 10
 * groups, the realistic case; 100 puts every group in one workshop, so one workshop's sequence
 * lock serialises every write). Each workshop: one plan perspective with a hovedmål, 3 delmål and
 * 5 strategier, the two posters (Del 1 goals, Del 2 strategies with stars), an open state, star
 * budget 5, one star per item; each group has `perRoom` participants and 3 seeded lapper written
 * by a facilitator (the ones writers agree with).
 *
 * Writers are participants: each connects with its own signed `innspill_participant` cookie
 * (signed directly with the server's cookie secret from the `settings` table, so the per-IP limit
 * of the join endpoint is not involved), subscribes to its group and sends commands. The mix
 * (INNSPILL_BENCH_MIX = "notes,agree,star" in percent, default 80,10,10):
 *  - note.create on Del 1 attached to a delmål, text = the harness payload (`wid:<writeId>` inside);
 *  - agreement.set toggling "Enig" on one of the group's seeded lapper;
 *  - star.give / star.take toggling a star on a strategy of Del 2 (budget never exceeded).
 * Every kind is measured: a note's event carries `wid:<id>` in its text; agreement and star
 * events carry ids the sender chose before sending (the star's id; note + participant + agreed),
 * which the sender registers against the writeId in a map shared by the clients of this process.
 *
 * Observers are plenary screens: `viewerToken` + scope workshop, one socket per workshop (so an
 * observer of 10 workshops holds 10 sockets and each write reaches it once).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { openDatabase, poolMaxFromEnv, type Db } from '../../../src/server/db/database.js';
import type { Database } from '../../../src/server/db/tables.js';
import { migrateToLatest } from '../../../src/server/db/migrate.js';
import { PROTOCOL_VERSION } from '../../../src/contract/protocol.js';
import { PARTICIPANT_COOKIE, signParticipantCookie } from '../../../src/server/workshops/participantSession.js';
import { freePort, PostgresCpu, spawnServer } from '../proc.js';
import { asBuffer, forEachWriteId, notePayload } from '../payload.js';
import type { ClientEvents, LivePlan, LiveTarget, ObserverClient, RunningServer, TargetCounters, WriterClient } from '../types.js';
import type { WsSocket } from '../ws.js';
import { CONNECT_TIMEOUT_MS, openSocket, sendOrReport, watchSocket } from './common.js';

/** The bench's own write limit per participant per 10 s (the product default is 30). */
const BENCH_WRITES_PER_10S = 100_000;
/** The bench's own open-socket cap per address (the product default is 500; every bench client is on loopback). */
const BENCH_SOCKETS_PER_ADDRESS = 100_000;
const STAR_BUDGET = 5;
const SUB_GOALS = 3;
/** Equal to the budget with one star per item: toggling stars never exceeds the budget. */
const STRATEGIES = STAR_BUDGET;
const SEEDED_NOTES_PER_GROUP = 3;

interface Settings {
  adminUrl: string;
  groupsPerWorkshop: number;
  mix: { notes: number; agree: number; star: number };
  keepDb: boolean;
}

function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const groupsPerWorkshop = Number.parseInt(env.INNSPILL_BENCH_GROUPS_PER_WORKSHOP ?? '10', 10);
  if (!Number.isInteger(groupsPerWorkshop) || groupsPerWorkshop < 1) throw new Error('INNSPILL_BENCH_GROUPS_PER_WORKSHOP must be a positive whole number');
  const parts = (env.INNSPILL_BENCH_MIX ?? '80,10,10').split(',').map((s) => Number.parseInt(s.trim(), 10));
  const [notes = NaN, agree = NaN, star = NaN] = parts;
  if (parts.length !== 3 || ![notes, agree, star].every((n) => Number.isInteger(n) && n >= 0) || notes + agree + star !== 100) {
    throw new Error('INNSPILL_BENCH_MIX must be "notes,agree,star" in whole percent adding up to 100, e.g. 80,10,10');
  }
  return {
    adminUrl: env.INNSPILL_BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    groupsPerWorkshop,
    mix: { notes, agree, star },
    keepDb: env.INNSPILL_BENCH_KEEP_DB === '1',
  };
}

interface SeededGroup {
  workshopId: string;
  groupId: string;
  goalsPosterId: string;
  strategiesPosterId: string;
  subGoalIds: string[];
  strategyIds: string[];
  seededNoteIds: string[];
  participants: Array<{ id: string; cookie: string }>;
}

interface SeededWorkshop {
  id: string;
  viewerToken: string;
}

/** What the target counts itself, checked against the database in stop(). */
interface Tally {
  sent: { notes: number; agree: number; star: number };
  acked: { notes: number; agree: number; star: number };
  duplicateAcks: number;
  rejects: number;
  ackedNoteIds: string[];
  agreeState: Map<string, boolean>;
  starsHeld: number;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(adminUrl: string, run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  // Other test runs share this server and may terminate connections to its databases: never crash on that.
  client.on('error', (err) => process.stderr.write(`[innspill] admin connection: ${err.message}\n`));
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

async function seed(db: Db, plan: LivePlan, groupsPerWorkshop: number): Promise<{ workshops: SeededWorkshop[]; groups: SeededGroup[] }> {
  const facilitatorId = randomUUID();
  await db.insertInto('users').values({ id: facilitatorId, email: 'fasilitator@bench.invalid', name: 'Fasilitator', role: 'facilitator', password_hash: 'x' }).execute();
  const workshops: SeededWorkshop[] = [];
  const groups: SeededGroup[] = [];
  const workshopCount = Math.ceil(plan.rooms.length / groupsPerWorkshop);
  for (let w = 0; w < workshopCount; w += 1) {
    const planId = randomUUID();
    const perspectiveId = randomUUID();
    const workshopId = randomUUID();
    const viewerToken = randomBytes(18).toString('base64url');
    const subGoalIds = Array.from({ length: SUB_GOALS }, () => randomUUID());
    const strategyIds = Array.from({ length: STRATEGIES }, () => randomUUID());
    const goalsPosterId = randomUUID();
    const strategiesPosterId = randomUUID();
    await db.insertInto('plans').values({ id: planId, title: `Samfunnsdelen ${w + 1}`, municipality: 'Bærum', horizon_year: 2040 }).execute();
    await db.insertInto('perspectives').values({ id: perspectiveId, plan_id: planId, position: 0, title: 'Sosial bærekraft', archived_at: null }).execute();
    await db
      .insertInto('items')
      .values([
        { id: randomUUID(), perspective_id: perspectiveId, kind: 'main_goal', position: 0, text: 'Alle har et godt liv', archived_at: null },
        ...subGoalIds.map((id, position) => ({ id, perspective_id: perspectiveId, kind: 'sub_goal' as const, position, text: `Delmål ${position + 1}`, archived_at: null })),
        ...strategyIds.map((id, position) => ({ id, perspective_id: perspectiveId, kind: 'strategy' as const, position, text: `Strategi ${position + 1}`, archived_at: null })),
      ])
      .execute();
    await db
      .insertInto('workshops')
      .values({
        id: workshopId,
        plan_id: planId,
        title: `Politisk verksted ${w + 1}`,
        state: 'open',
        star_budget: STAR_BUDGET,
        stars_per_item: 1,
        stars_hidden: false,
        join_code: randomBytes(6).toString('hex'),
        viewer_token: viewerToken,
        opened_at: new Date(),
      })
      .execute();
    await db
      .insertInto('posters')
      .values([
        { id: goalsPosterId, workshop_id: workshopId, perspective_id: perspectiveId, part: 'goals', position: 0, stars_enabled: false },
        { id: strategiesPosterId, workshop_id: workshopId, perspective_id: perspectiveId, part: 'strategies', position: 1, stars_enabled: true },
      ])
      .execute();
    workshops.push({ id: workshopId, viewerToken });

    const first = w * groupsPerWorkshop;
    const rooms = plan.rooms.slice(first, first + groupsPerWorkshop);
    for (const [position, room] of rooms.entries()) {
      const groupId = randomUUID();
      await db
        .insertInto('groups')
        .values({ id: groupId, workshop_id: workshopId, name: `Gruppe ${position + 1} (${room})`, position, facilitator_user_id: facilitatorId, timer_ends_at: null })
        .execute();
      const participants = Array.from({ length: plan.perRoom }, (_, i) => ({ id: randomUUID(), name: `Deltaker ${i + 1}` }));
      await db
        .insertInto('participants')
        .values(
          participants.map((p) => ({
            id: p.id,
            workshop_id: workshopId,
            group_id: groupId,
            name: p.name,
            party: null,
            committee: null,
            access_token: randomUUID(),
            anonymised_at: null,
          })),
        )
        .execute();
      const seededNoteIds = Array.from({ length: SEEDED_NOTES_PER_GROUP }, () => randomUUID());
      await db
        .insertInto('notes')
        .values(
          seededNoteIds.map((id, i) => ({
            id,
            workshop_id: workshopId,
            poster_id: goalsPosterId,
            group_id: groupId,
            author_participant_id: null,
            author_user_id: facilitatorId,
            author_name: null,
            written_by_user_id: facilitatorId,
            kind: 'facilitator_note' as const,
            text: `Notat ${i + 1} fra fasilitator`,
            proposed_item_kind: null,
            reply_to_note_id: null,
            withdrawn_at: null,
          })),
        )
        .execute();
      const cookies = await Promise.all(participants.map((p) => signParticipantCookie(db, { participantId: p.id, workshopId })));
      groups.push({
        workshopId,
        groupId,
        goalsPosterId,
        strategiesPosterId,
        subGoalIds,
        strategyIds,
        seededNoteIds,
        participants: participants.map((p, i) => ({ id: p.id, cookie: cookies[i] as string })),
      });
    }
  }
  return { workshops, groups };
}

const EVENT_PREFIX = Buffer.from('{"type":"event"', 'latin1');
const ACK_PREFIX = Buffer.from('{"type":"ack"', 'latin1');
const REJECT_PREFIX = Buffer.from('{"type":"reject"', 'latin1');
const ERROR_PREFIX = Buffer.from('{"type":"error"', 'latin1');
const SNAPSHOT_PREFIX = Buffer.from('{"type":"snapshot"', 'latin1');
const WELCOME_PREFIX = Buffer.from('{"type":"welcome"', 'latin1');

/** A byte loop: for prefixes this short it takes a quarter of the time of a native compare (25 vs 87 ns). */
const startsWith = (frame: Buffer, prefix: Buffer): boolean => {
  if (frame.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i += 1) if (frame[i] !== prefix[i]) return false;
  return true;
};

type AgreementEvent = { type: 'agreement.changed'; noteId: string; participantId: string; agreed: boolean };
type StarGivenEvent = { type: 'star.given'; star: { id: string } };
type StarTakenEvent = { type: 'star.taken'; starId: string };

const agreeKey = (noteId: string, participantId: string, agreed: boolean): string => `a:${noteId}:${participantId}:${agreed ? 1 : 0}`;


/** Where the server under test keeps its data: PostgreSQL on this machine, or the embedded PGlite default. */
export type InnspillDatabase = 'postgres' | 'pglite';

export function createInnspillTarget(database: InnspillDatabase = 'postgres'): LiveTarget {
  const settings = readSettings();
  const name = database === 'pglite' ? 'innspill-pglite' : 'innspill';
  let server: RunningServer | undefined;
  let askStats: (() => Promise<Record<string, number> | null>) | undefined;
  let pgCpu: PostgresCpu | undefined;
  /** The PGlite target's data folder (seeded here, then served by the child). */
  let dataDir = '';
  let groupsByRoom = new Map<string, SeededGroup>();
  let workshops: SeededWorkshop[] = [];
  /** Agreement and star events carry no writeId: the sender registers the ids it chose here first. */
  const writeIdOf = new Map<string, number>();
  const tally: Tally = {
    sent: { notes: 0, agree: 0, star: 0 },
    acked: { notes: 0, agree: 0, star: 0 },
    duplicateAcks: 0,
    rejects: 0,
    ackedNoteIds: [],
    agreeState: new Map(),
    starsHeld: 0,
  };

  const base = (): string => {
    if (server === undefined) throw new Error(`${name}: start() first`);
    return `${server.url}/api/live`;
  };

  /** Reports every write found in an `event` frame; returns false for a frame that is no event. */
  const reportEvent = (frame: Buffer, at: number, events: ClientEvents): boolean => {
    if (!startsWith(frame, EVENT_PREFIX)) return false;
    if (forEachWriteId(frame, (id) => events.onDelivery(id, at)) > 0) return true;
    const { event } = JSON.parse(frame.toString('utf8')) as { event: AgreementEvent | StarGivenEvent | StarTakenEvent | { type: string } };
    let key: string | null = null;
    if (event.type === 'agreement.changed') {
      const e = event as AgreementEvent;
      key = agreeKey(e.noteId, e.participantId, e.agreed);
    } else if (event.type === 'star.given') key = `g:${(event as StarGivenEvent).star.id}`;
    else if (event.type === 'star.taken') key = `t:${(event as StarTakenEvent).starId}`;
    const writeId = key === null ? undefined : writeIdOf.get(key);
    if (writeId === undefined) events.onError('event-without-writeId', event.type);
    else events.onDelivery(writeId, at);
    return true;
  };

  /** Sends `connect` and resolves once the welcome and the first snapshot have arrived. */
  const subscribe = (socket: WsSocket, connect: object, label: string): Promise<void> =>
    new Promise<void>((res, rej) => {
      let welcomed = false;
      const timer = setTimeout(() => {
        cleanup();
        rej(new Error(`${label}: no snapshot within ${CONNECT_TIMEOUT_MS} ms`));
      }, CONNECT_TIMEOUT_MS);
      const onMessage = (data: Buffer | ArrayBuffer | Buffer[]): void => {
        const frame = asBuffer(data);
        if (startsWith(frame, WELCOME_PREFIX)) welcomed = true;
        else if (startsWith(frame, SNAPSHOT_PREFIX) && welcomed) {
          cleanup();
          res();
        } else if (startsWith(frame, ERROR_PREFIX)) {
          cleanup();
          rej(new Error(`${label}: ${frame.toString('utf8').slice(0, 200)}`));
        }
      };
      const onClose = (code: number, reason: Buffer): void => {
        cleanup();
        rej(new Error(`${label}: closed ${code} ${reason.toString('utf8')}`));
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        socket.off('message', onMessage);
        socket.off('close', onClose);
      };
      socket.on('message', onMessage);
      socket.on('close', onClose);
      socket.send(JSON.stringify(connect));
    });

  let sampler: NodeJS.Timeout | undefined;
  let dbName = '';
  /** The generator's own small pool on the bench database: seeding, cookie signing, the final check. */
  let seedDb: { db: Db; close(): Promise<void> } | undefined;

  const describe =
    `innspill serve (Fastify + @fastify/websocket, ws@8) on ${
      database === 'pglite'
        ? 'embedded PGlite in the server process (fresh data folder per session; its CPU is the server\'s)'
        : `PostgreSQL (fresh database per session, pg pool ${poolMaxFromEnv()} (INNSPILL_DB_POOL_MAX))`
    }, ` +
    `in-process bus; one room = one group, ${settings.groupsPerWorkshop} groups per workshop; every write is one transaction (state + event, ` +
    `workshop sequence row locked) committed before the ack and the broadcast; mix ${settings.mix.notes} % note.create / ${settings.mix.agree} % agreement.set / ` +
    `${settings.mix.star} % star give/take, all measured (agree/star events matched by client-made ids); participants use signed cookies made in seeding ` +
    `(join endpoint and its per-IP limit not involved); INNSPILL_WRITES_PER_10S raised from 30 to ${BENCH_WRITES_PER_10S} and ` +
    `INNSPILL_SOCKETS_PER_ADDRESS from 500 to ${BENCH_SOCKETS_PER_ADDRESS} for the bench; ` +
    `plenary screens: viewerToken, one socket per workshop; the server echoes each event to its sender and acks after commit`;

  const stopAll = async (child: RunningServer): Promise<void> => {
    if (sampler !== undefined) clearInterval(sampler);
    await child.stop();
    const log = (line: string): void => void process.stderr.write(`[${name}] ${line}\n`);
    try {
      if (database === 'pglite') seedDb = await openDatabase({ dataDir });
      if (seedDb !== undefined) {
        const db = seedDb.db;
        const count = async (table: 'notes' | 'agreements' | 'stars' | 'processed_commands' | 'events'): Promise<number> =>
          Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
        const seededNotes = groupsByRoom.size * SEEDED_NOTES_PER_GROUP;
        const [notes, agreements, stars, processed, eventRows] = await Promise.all([count('notes'), count('agreements'), count('stars'), count('processed_commands'), count('events')]);
        const stored = new Set((await db.selectFrom('notes').select('id').execute()).map((r) => r.id));
        const missing = tally.ackedNoteIds.filter((id) => !stored.has(id)).length;
        const ackedTotal = tally.acked.notes + tally.acked.agree + tally.acked.star;
        const sentTotal = tally.sent.notes + tally.sent.agree + tally.sent.star;
        const agreedNow = [...tally.agreeState.values()].filter(Boolean).length;
        // Commands in flight when the server stopped may have committed without their ack arriving:
        // the database may hold more than was acked, never less, and never more than was sent.
        const within = (n: number, acked: number, sent: number): boolean => n >= acked && n <= sent;
        const allAcked = ackedTotal + tally.rejects === sentTotal;
        const ok =
          missing === 0 &&
          within(notes - seededNotes, tally.acked.notes, tally.sent.notes) &&
          within(processed, ackedTotal, sentTotal) &&
          eventRows === processed &&
          (!allAcked || (notes - seededNotes === tally.acked.notes && agreements === agreedNow && stars === tally.starsHeld));
        log(
          `DB check ${ok ? 'OK' : 'MISMATCH'}: sent ${sentTotal} commands (${tally.sent.notes} notes, ${tally.sent.agree} agree, ${tally.sent.star} star), ` +
            `acked ${ackedTotal} (${tally.acked.notes}/${tally.acked.agree}/${tally.acked.star}), rejected ${tally.rejects}, duplicate acks ${tally.duplicateAcks}` +
            `${allAcked ? '' : `, ${sentTotal - ackedTotal - tally.rejects} unanswered when the server stopped`}; ` +
            `database: ${notes - seededNotes} bench notes (+${seededNotes} seeded), acked notes missing ${missing}, ${processed} processed commands, ` +
            `${eventRows} events, ${agreements} agreements (clients expect ${agreedNow}), ${stars} stars (clients expect ${tally.starsHeld})`,
        );
      }
    } catch (err) {
      log(`DB check failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      await seedDb?.close().catch(() => undefined);
      seedDb = undefined;
      if (database === 'pglite') {
        if (settings.keepDb) log(`kept data folder ${dataDir}`);
        else rmSync(dataDir, { recursive: true, force: true });
      } else if (settings.keepDb) log(`kept database ${dbName}`);
      else {
        await admin(settings.adminUrl, (c) => c.query(`drop database if exists "${dbName}" with (force)`)).catch((err: unknown) =>
          log(`could not drop ${dbName}: ${err instanceof Error ? err.message : String(err)}`),
        );
      }
    }
  };

  const seedAndReport = async (db: Db, plan: LivePlan, where: string): Promise<void> => {
    await migrateToLatest(db);
    const seeded = await seed(db, plan, settings.groupsPerWorkshop);
    workshops = seeded.workshops;
    groupsByRoom = new Map(plan.rooms.map((room, i) => [room, seeded.groups[i] as SeededGroup]));
    process.stderr.write(`[${name}] ${where}: ${workshops.length} workshops × ≤${settings.groupsPerWorkshop} groups × ${plan.perRoom} participants seeded\n`);
  };

  const serverEnv = (port: number): Record<string, string | undefined> => ({
    PORT: String(port),
    HOST: '127.0.0.1',
    REDIS_URL: undefined,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    INNSPILL_WRITES_PER_10S: String(BENCH_WRITES_PER_10S),
    // Every bench device comes from 127.0.0.1: the per-address socket cap (500) would turn most away.
    INNSPILL_SOCKETS_PER_ADDRESS: String(BENCH_SOCKETS_PER_ADDRESS),
    INNSPILL_PUBLIC_URL: `http://127.0.0.1:${port}`,
    // For profiling the server only, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" or "--import ./probe.mjs".
    NODE_OPTIONS: process.env.INNSPILL_BENCH_SERVER_NODE_OPTIONS ?? process.env.NODE_OPTIONS,
  });

  /** Logs acked writes/s every 10 s (and, on PostgreSQL, its CPU, which the harness counts as "other"). */
  const startSampler = (): void => {
    let last = { at: performance.now(), acked: 0 };
    sampler = setInterval(() => {
      const now = { at: performance.now(), acked: tally.acked.notes + tally.acked.agree + tally.acked.star };
      const s = (now.at - last.at) / 1000;
      const used = pgCpu?.sample();
      process.stderr.write(
        `[${name}] last ${s.toFixed(0)} s: ${((now.acked - last.acked) / s).toFixed(0)} acked writes/s` +
          (used === undefined
            ? '\n'
            : `; PostgreSQL CPU (% of one core, part of "other CPU %"): backends of ${dbName} ${((used.bench / s) * 100).toFixed(0)} %, all postgres processes ${((used.all / s) * 100).toFixed(0)} %\n`),
      );
      last = now;
    }, 10_000);
    sampler.unref();
  };

  const startPglite = async (plan: LivePlan): Promise<RunningServer> => {
    dataDir = mkdtempSync(join(tmpdir(), 'innspill-bench-pglite-'));
    const handle = await openDatabase({ dataDir });
    try {
      await seedAndReport(handle.db, plan, `PGlite in ${dataDir}`);
    } finally {
      await handle.close();
    }
    const port = await freePort();
    const child = await spawnServer({
      script: 'bench/live/servers/innspillServer.ts',
      label: name,
      env: { ...serverEnv(port), DATABASE_URL: '', INNSPILL_DATA_DIR: dataDir },
      readyTimeoutMs: 60_000,
    });
    askStats = child.askStats;
    startSampler();
    server = { ...child, stop: () => stopAll(child) };
    return server;
  };

  return {
    name,
    describe,
    acknowledges: true,

    async counters(): Promise<TargetCounters> {
      const stats = (await askStats?.()) ?? null;
      if (pgCpu !== undefined) pgCpu.sample();
      return { dbCpuSeconds: pgCpu?.benchTotal ?? null, statements: stats?.statements ?? null, transactions: stats?.transactions ?? null };
    },

    async start(plan) {
      if (database === 'pglite') return startPglite(plan);
      dbName = `innspill_bench_${randomBytes(5).toString('hex')}`;
      await admin(settings.adminUrl, (c) => c.query(`create database "${dbName}"`));
      const databaseUrl = withDatabase(settings.adminUrl, dbName);
      try {
        const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
        pool.on('error', (err) => process.stderr.write(`[innspill] seed pool: ${err.message}\n`));
        const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
        seedDb = { db, close: () => db.destroy() };
        await seedAndReport(seedDb.db, plan, `database ${dbName}`);
        const port = await freePort();
        const child = await spawnServer({
          script: 'bench/live/servers/innspillServer.ts',
          label: name,
          env: { ...serverEnv(port), DATABASE_URL: databaseUrl },
          readyTimeoutMs: 60_000,
        });
        askStats = child.askStats;
        // PostgreSQL runs on this machine too: its CPU shows up in the harness's "other CPU %".
        pgCpu = new PostgresCpu(dbName);
        pgCpu.sample();
        startSampler();
        server = { ...child, stop: () => stopAll(child) };
        return server;
      } catch (err) {
        await seedDb?.close().catch(() => undefined);
        seedDb = undefined;
        await admin(settings.adminUrl, (c) => c.query(`drop database if exists "${dbName}" with (force)`)).catch(() => undefined);
        throw err;
      }
    },

    async connectWriter(room: string, clientIndex: number, events: ClientEvents): Promise<WriterClient> {
      const group = groupsByRoom.get(room);
      const participant = group?.participants[clientIndex];
      if (group === undefined || participant === undefined) throw new Error(`innspill: no seeded participant ${room}/${clientIndex}`);
      const label = `innspill ${room}/${clientIndex}`;
      const socket = await openSocket(base(), { cookie: `${PARTICIPANT_COOKIE}=${participant.cookie}` });

      const pending = new Map<string, { writeId: number; kind: 'notes' | 'agree' | 'star'; noteId?: string }>();
      socket.on('message', (data) => {
        const at = performance.now();
        const frame = asBuffer(data);
        if (reportEvent(frame, at, events)) return;
        if (startsWith(frame, ACK_PREFIX)) {
          const ack = JSON.parse(frame.toString('utf8')) as { commandId: string; duplicate: boolean };
          const sent = pending.get(ack.commandId);
          if (sent === undefined) return events.onError('ack-for-unknown-command');
          pending.delete(ack.commandId);
          tally.acked[sent.kind] += 1;
          if (ack.duplicate) tally.duplicateAcks += 1;
          if (sent.noteId !== undefined) tally.ackedNoteIds.push(sent.noteId);
          events.onAck(sent.writeId, at);
        } else if (startsWith(frame, REJECT_PREFIX)) {
          const reject = JSON.parse(frame.toString('utf8')) as { commandId: string; error: { code: string; message: string } };
          pending.delete(reject.commandId);
          tally.rejects += 1;
          events.onError(`reject:${reject.error.code}`, reject.error.message);
        } else if (startsWith(frame, ERROR_PREFIX)) {
          events.onError('server-error', frame.toString('utf8').slice(0, 200));
        }
      });
      await subscribe(socket, { type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: group.workshopId, subscription: { scope: 'group', groupId: group.groupId }, lastSeq: null }, label);
      const close = watchSocket(socket, events, label);

      // Which kind each write is: a per-writer counter stepped by 37 (coprime to 100) walks every
      // percentile once per 100 writes, with a different phase per writer.
      let n = 0;
      const phase = (clientIndex * 13 + Number.parseInt(room.replace(/\D/g, ''), 10)) % 100;
      let agrees = 0;
      let starToggles = 0;
      const myStars = new Map<string, string>();
      const { mix } = settings;
      const sendCommand = (command: object, writeId: number, kind: 'notes' | 'agree' | 'star', noteId?: string): void => {
        const commandId = randomUUID();
        pending.set(commandId, { writeId, kind, noteId });
        tally.sent[kind] += 1;
        sendOrReport(socket, JSON.stringify({ type: 'command', commandId, command }), events, false);
      };

      return {
        sockets: 1,
        send(writeId: number) {
          const slot = (n * 37 + phase) % 100;
          n += 1;
          if (slot < mix.notes) {
            const noteId = randomUUID();
            const itemId = group.subGoalIds[writeId % group.subGoalIds.length] as string;
            sendCommand(
              { type: 'note.create', noteId, posterId: group.goalsPosterId, itemIds: [itemId], kind: 'comment', text: notePayload(writeId, room, clientIndex) },
              writeId,
              'notes',
              noteId,
            );
          } else if (slot < mix.notes + mix.agree) {
            const noteId = group.seededNoteIds[agrees % group.seededNoteIds.length] as string;
            agrees += 1;
            const stateKey = `${noteId}:${participant.id}`;
            const agreed = !(tally.agreeState.get(stateKey) ?? false);
            tally.agreeState.set(stateKey, agreed);
            writeIdOf.set(agreeKey(noteId, participant.id, agreed), writeId);
            sendCommand({ type: 'agreement.set', noteId, agreed }, writeId, 'agree');
          } else {
            const itemId = group.strategyIds[(starToggles + clientIndex) % group.strategyIds.length] as string;
            starToggles += 1;
            const held = myStars.get(itemId);
            if (held === undefined) {
              const starId = randomUUID();
              myStars.set(itemId, starId);
              tally.starsHeld += 1;
              writeIdOf.set(`g:${starId}`, writeId);
              sendCommand({ type: 'star.give', starId, posterId: group.strategiesPosterId, itemId }, writeId, 'star');
            } else {
              myStars.delete(itemId);
              tally.starsHeld -= 1;
              writeIdOf.set(`t:${held}`, writeId);
              sendCommand({ type: 'star.take', posterId: group.strategiesPosterId, itemId }, writeId, 'star');
            }
          }
        },
        close,
      };
    },

    async connectObserver(rooms: string[] | 'all', observerIndex: number, events: ClientEvents): Promise<ObserverClient> {
      if (rooms !== 'all') throw new Error('innspill: observers are plenary screens of every workshop (all rooms) only');
      const closers = await Promise.all(
        workshops.map(async (workshop, i) => {
          const label = `innspill observer ${observerIndex} workshop ${i}`;
          const socket = await openSocket(base(), {});
          socket.on('message', (data) => {
            const at = performance.now();
            const frame = asBuffer(data);
            if (!reportEvent(frame, at, events) && startsWith(frame, ERROR_PREFIX)) events.onError('server-error', frame.toString('utf8').slice(0, 200));
          });
          await subscribe(
            socket,
            { type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: workshop.id, subscription: { scope: 'workshop' }, lastSeq: null, viewerToken: workshop.viewerToken },
            label,
          );
          return watchSocket(socket, events, label);
        }),
      );
      return {
        sockets: closers.length,
        async close() {
          await Promise.all(closers.map((c) => c()));
        },
      };
    },
  };
}
