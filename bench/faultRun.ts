/**
 * Fault runs against real `innspill serve` processes ([SAFE-10]), shared by the fault suite
 * (test/faults, a few rounds) and `npm run bench:faults` (the long version).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { createUser, startSession } from '../src/server/auth/auth.service.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { startServerProcess, type ServerProcess } from '../src/server/testing/serverProcess.js';
import { createWorkshopFixture, lappFor, type WorkshopFixture } from '../src/server/testing/workshopFixture.js';

export interface FaultTarget {
  kind: 'pglite' | 'postgres';
  env: Record<string, string>;
  dataDir?: string;
  fixture: WorkshopFixture;
  /** A planner's cookie and CSRF token, as JSON request headers. */
  headers: Record<string, string>;
  /** Opens the database from outside, once the servers are gone. */
  open(): Promise<DatabaseHandle>;
  /** Removes the folder or drops the database. */
  remove(): Promise<void>;
}

/** A fresh database (a temporary folder, or a new PostgreSQL database) with a workshop and a planner session. */
export async function prepareTarget(kind: 'pglite' | 'postgres', adminUrl = process.env.DATABASE_URL): Promise<FaultTarget> {
  let env: Record<string, string>;
  let dataDir: string | undefined;
  let open: () => Promise<DatabaseHandle>;
  let remove: () => Promise<void>;
  if (kind === 'pglite') {
    const folder = mkdtempSync(path.join(tmpdir(), 'innspill-faults-'));
    dataDir = folder;
    env = { INNSPILL_DATA_DIR: folder, DATABASE_URL: '' };
    open = () => openDatabase({ dataDir: folder });
    remove = async () => rmSync(folder, { recursive: true, force: true });
  } else {
    if (!adminUrl) throw new Error('DATABASE_URL is not set');
    const name = `innspill_faults_${randomUUID().replaceAll('-', '')}`;
    await adminQuery(adminUrl, `create database ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString() };
    open = () => openDatabase({ databaseUrl: url.toString(), dataDir: '' });
    remove = () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`);
  }
  const database = await open();
  await migrateToLatest(database.db);
  const fixture = await createWorkshopFixture(database.db);
  const user = await createUser(database.db, { email: `${randomUUID()}@example.no`, name: 'Planlegger', role: 'planner', password: 'et langt passord' });
  const { session, token } = await startSession(database.db, user);
  await database.close();
  const headers = { cookie: `innspill_session=${token}`, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' };
  return { kind, env: { ...env, INNSPILL_WRITES_PER_10S: '100000' }, dataDir, fixture, headers, open, remove };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

/** Starts a server on the target; a restart after kill -9 replays the WAL, slow on a busy machine. */
export const startTarget = (target: FaultTarget): Promise<ServerProcess> => startServerProcess(target.env, ['--no-demo'], 240_000);

export interface KillRunResult {
  kills: number;
  acknowledged: number;
  lost: number;
  duplicated: number;
  sequenceGaps: number;
  serverErrors: number;
  restartSeconds: number[];
}

/**
 * Writes lapper over HTTP as a client with an outbox would: a command stays pending until it is
 * acknowledged and is resent with the same id after a failure. The server is killed with SIGKILL
 * `kills` times with writes in flight, after `perRound` acknowledgements each time.
 */
export async function killDuringWrites(target: FaultTarget, kills: number, perRound: number, onServer: (server: ServerProcess) => void = () => {}): Promise<KillRunResult> {
  const pending = new Map<string, ReturnType<typeof lappFor>>();
  const acknowledged = new Set<string>();
  const restartSeconds: number[] = [];
  let serverErrors = 0;
  let written = 0;
  let server = await startTarget(target);
  onServer(server);
  const writer = async (done: () => boolean) => {
    while (!done()) {
      if (pending.size < 4) pending.set(randomUUID(), lappFor(target.fixture, `Lapp ${(written += 1)}`));
      for (const [commandId, command] of [...pending]) {
        if (done()) return;
        try {
          const response = await fetch(`${server.url}/api/workshops/${target.fixture.workshopId}/commands`, {
            method: 'POST',
            headers: target.headers,
            body: JSON.stringify({ commandId, command }),
          });
          if (response.status === 200) {
            acknowledged.add(command.noteId);
            pending.delete(commandId);
          } else if (response.status >= 500) serverErrors += 1;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    }
  };
  for (let round = 0; round < kills; round += 1) {
    const goal = acknowledged.size + perRound;
    await writer(() => acknowledged.size >= goal);
    // The process dies with writes in flight; what it did not acknowledge stays pending.
    let dead = false;
    const inFlight = writer(() => dead);
    await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 100));
    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));
    dead = true;
    await inFlight;
    const restartAt = performance.now();
    server = await startTarget(target);
    restartSeconds.push((performance.now() - restartAt) / 1000);
    onServer(server);
  }
  const finalGoal = acknowledged.size + 5;
  await writer(() => pending.size === 0 && acknowledged.size >= finalGoal);
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));

  const database = await target.open();
  try {
    const notes = await database.db.selectFrom('notes').select(['id', 'text']).where('text', 'like', 'Lapp %').execute();
    const events = await database.db.selectFrom('events').select(['seq', 'type']).where('workshop_id', '=', target.fixture.workshopId).orderBy('seq').execute();
    const stored = new Set(notes.map((note) => note.id));
    const created = events.filter((event) => event.type === 'note.created').length;
    const seqs = events.map((event) => Number(event.seq));
    return {
      kills,
      acknowledged: acknowledged.size,
      lost: [...acknowledged].filter((id) => !stored.has(id)).length,
      // A lapp stored twice would show as a second note.created event or a second note with the same text.
      duplicated: created - notes.length + (notes.length - new Set(notes.map((note) => note.text)).size),
      sequenceGaps: seqs.filter((seq, index) => index > 0 && seq !== seqs[index - 1]! + 1).length,
      serverErrors,
      restartSeconds,
    };
  } finally {
    await database.close();
  }
}
