import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, startSession } from '../../src/server/auth/auth.service.js';
import { openDatabase, type DatabaseHandle } from '../../src/server/db/database.js';
import { LOCK_FILE } from '../../src/server/db/dataDirLock.js';
import { migrateToLatest } from '../../src/server/db/migrate.js';
import { CLOSE_CODES, PROTOCOL_VERSION, type ServerMessage } from '../../src/server/live/protocol.js';
import { runCliToEnd, startServerProcess, type ServerProcess } from '../../src/server/testing/serverProcess.js';
import { createWorkshopFixture, type WorkshopFixture } from '../../src/server/testing/workshopFixture.js';

/**
 * The fault suite against real `innspill serve` processes ([SAFE-9], [SAFE-10]): small and bounded,
 * the long versions are `npm run bench:faults`.
 */
const KILLS = 2;
const { DATABASE_URL } = process.env;
const kinds = DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

interface Target {
  env: Record<string, string>;
  dataDir?: string;
  fixture: WorkshopFixture;
  headers: Record<string, string>;
  /** Opens the database from the test, after the servers are gone. */
  open(): Promise<DatabaseHandle>;
}

async function prepare(kind: 'pglite' | 'postgres'): Promise<Target> {
  let env: Record<string, string>;
  let dataDir: string | undefined;
  let open: () => Promise<DatabaseHandle>;
  if (kind === 'pglite') {
    dataDir = mkdtempSync(path.join(tmpdir(), 'innspill-faults-'));
    env = { INNSPILL_DATA_DIR: dataDir, DATABASE_URL: '' };
    open = () => openDatabase({ dataDir: dataDir! });
    cleanups.push(async () => rmSync(dataDir!, { recursive: true, force: true }));
  } else {
    const name = `innspill_faults_${randomUUID().replaceAll('-', '')}`;
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString() };
    open = () => openDatabase({ databaseUrl: url.toString(), dataDir: '' });
    cleanups.push(async () => {
      const drop = new pg.Client({ connectionString: DATABASE_URL });
      await drop.connect();
      await drop.query(`drop database if exists ${name} with (force)`);
      await drop.end();
    });
  }
  const database = await open();
  await migrateToLatest(database.db);
  const fixture = await createWorkshopFixture(database.db);
  const user = await createUser(database.db, { email: `${randomUUID()}@example.no`, name: 'Planlegger', role: 'planner', password: 'et langt passord' });
  const { session, token } = await startSession(database.db, user);
  await database.close();
  const headers = { cookie: `innspill_session=${token}`, 'x-csrf-token': session.csrfToken, 'content-type': 'application/json' };
  return { env: { ...env, INNSPILL_WRITES_PER_10S: '100000' }, dataDir, fixture, headers, open };
}

async function start(target: Target): Promise<ServerProcess> {
  // A restart after kill -9 replays the WAL; on a busy machine that takes long.
  const server = await startServerProcess(target.env, ['--no-demo'], 240_000);
  cleanups.push(async () => void server.child.kill('SIGKILL'));
  return server;
}

const lapp = (fixture: WorkshopFixture, text: string) => ({
  type: 'note.create' as const,
  noteId: randomUUID(),
  posterId: fixture.goalsPosterId,
  groupId: fixture.groups[0]!.id,
  itemIds: [fixture.subGoalIds[0]!],
  kind: 'comment' as const,
  text,
});

describe.each(kinds)('kill -9 of a real server on %s', { timeout: 600_000 }, (kind) => {
  it(`[SAFE-10] loses no acknowledged lapp and stores none twice over ${KILLS} kill -9 restarts with resends`, async () => {
    const target = await prepare(kind);
    const pending = new Map<string, ReturnType<typeof lapp>>();
    const acknowledged = new Set<string>();
    let server = await start(target);
    let written = 0;
    // Writes (and resends everything unacknowledged) until `stop` says so; network errors keep the command pending.
    const writer = async (until: () => boolean) => {
      while (!until()) {
        if (pending.size < 4) pending.set(randomUUID(), lapp(target.fixture, `Lapp ${(written += 1)}`));
        for (const [commandId, command] of [...pending]) {
          if (until()) return;
          try {
            const response = await fetch(`${server.url}/api/workshops/${target.fixture.workshopId}/commands`, {
              method: 'POST',
              headers: target.headers,
              body: JSON.stringify({ commandId, command }),
            });
            if (response.status === 200) {
              acknowledged.add(command.noteId);
              pending.delete(commandId);
            } else expect(response.status).toBeLessThan(500);
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
      }
    };
    for (let round = 0; round < KILLS; round += 1) {
      const goal = acknowledged.size + 15;
      await writer(() => acknowledged.size >= goal);
      // The process dies with writes in flight; what it did not acknowledge stays pending.
      let dead = false;
      const inFlight = writer(() => dead);
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 100));
      server.child.kill('SIGKILL');
      await new Promise((resolve) => server.child.once('exit', resolve));
      dead = true;
      await inFlight;
      server = await start(target);
    }
    await writer(() => pending.size === 0 && acknowledged.size >= KILLS * 15 + 5);
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));

    const database = await target.open();
    const notes = await database.db.selectFrom('notes').select(['id', 'text']).where('text', 'like', 'Lapp %').execute();
    const events = await database.db.selectFrom('events').select(['seq', 'type']).where('workshop_id', '=', target.fixture.workshopId).orderBy('seq').execute();
    const seqs = events.map((row) => Number(row.seq));
    await database.close();
    const stored = new Set(notes.map((note) => note.id));
    expect([...acknowledged].filter((id) => !stored.has(id))).toEqual([]);
    expect(events.filter((event) => event.type === 'note.created')).toHaveLength(notes.length);
    expect(new Set(notes.map((note) => note.text)).size).toBe(notes.length);
    expect(seqs).toEqual(seqs.map((_, index) => seqs[0]! + index));
  });
});

describe('one owner of an embedded data folder', { timeout: 600_000 }, () => {
  it('[SAFE-9] refuses a second serve, CLI commands and a busy port with a message and a non-zero exit; takes over a stale lock after kill -9', async () => {
    const target = await prepare('pglite');
    const server = await start(target);
    const holder = JSON.parse(readFileSync(path.join(target.dataDir!, LOCK_FILE), 'utf8')) as { pid: number; role: string };
    expect(holder).toMatchObject({ pid: server.child.pid, role: 'server' });

    const second = await runCliToEnd(['serve', '--no-demo'], { ...target.env, PORT: '0' });
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/in use by a running Innspill server/);
    for (const args of [['user', 'add', '--email', 'ny@example.no', '--name', 'Ny'], ['migrate'], ['export', 'json', target.fixture.workshopId]]) {
      const result = await runCliToEnd(args, target.env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.output).toMatch(/in use by a running Innspill server/);
    }

    const otherDir = mkdtempSync(path.join(tmpdir(), 'innspill-faults-'));
    cleanups.push(async () => rmSync(otherDir, { recursive: true, force: true }));
    const busy = await runCliToEnd(['serve', '--no-demo'], { INNSPILL_DATA_DIR: otherDir, DATABASE_URL: '', PORT: new URL(server.url).port, HOST: '127.0.0.1' });
    expect(busy.code).toBe(1);
    expect(busy.output).toMatch(/already in use/);
    expect(existsSync(path.join(otherDir, LOCK_FILE))).toBe(false);

    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));
    expect(existsSync(path.join(target.dataDir!, LOCK_FILE))).toBe(true);
    const after = await runCliToEnd(['migrate'], target.env);
    expect(after.output).toMatch(/up to date/);
    expect(after.code).toBe(0);
    expect(existsSync(path.join(target.dataDir!, LOCK_FILE))).toBe(false);
  });

  it('[SAFE-1] answers a poisoned lapp on a real socket with a reject and keeps the socket open for the next one', async () => {
    const target = await prepare('pglite');
    const server = await start(target);
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/live`, { headers: target.headers });
    const received: ServerMessage[] = [];
    let closedWith: number | null = null;
    socket.on('message', (data) => received.push(JSON.parse(data.toString()) as ServerMessage));
    socket.on('close', (code) => (closedWith = code));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: target.fixture.workshopId, subscription: { scope: 'workshop' }, lastSeq: null }));
    const poisoned = ['NUL\u0000', 'halv \uD800', 'ikke-tegn \uFFFF'].map((text) => ({ type: 'command', commandId: randomUUID(), command: lapp(target.fixture, text) }));
    const good = { type: 'command', commandId: randomUUID(), command: lapp(target.fixture, 'Lapp etter giften') };
    for (const message of [...poisoned, good]) socket.send(JSON.stringify(message));
    const deadline = Date.now() + 20_000;
    while (!received.some((m) => m.type === 'ack' && m.commandId === good.commandId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const rejected = received.filter((m) => m.type === 'reject').map((m) => m.type === 'reject' && m.commandId);
    expect(rejected).toEqual(poisoned.map((m) => m.commandId));
    expect(received.some((m) => m.type === 'ack' && m.commandId === good.commandId)).toBe(true);
    expect(closedWith).toBeNull();
    expect(closedWith).not.toBe(CLOSE_CODES.malformed);
    socket.close();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  });
});
