import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createUser, startSession } from '../auth/auth.service.js';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { startServerProcess, type ServerProcess } from '../testing/serverProcess.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { RedisBus } from './redisBus.js';
import { PROTOCOL_VERSION, type ServerMessage } from '../../contract/protocol.js';

const { DATABASE_URL, REDIS_URL } = process.env;
const canRun = Boolean(DATABASE_URL && REDIS_URL);
if (!canRun && process.env.CI === 'true') throw new Error('CI must set DATABASE_URL and REDIS_URL for the multi-process test');

describe.skipIf(!canRun)('two server processes on one PostgreSQL with Redis', () => {
  let databaseUrl: string;
  let database: DatabaseHandle;
  let servers: ServerProcess[] = [];
  let fixture: WorkshopFixture;
  let plannerCookie: string;
  let csrfToken: string;
  const dbName = `innspill_multi_${randomUUID().replaceAll('-', '')}`;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(DATABASE_URL!);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
    database = await openDatabase({ databaseUrl, dataDir: '' });
    await migrateToLatest(database.db);
    fixture = await createWorkshopFixture(database.db);
    const planner = await createUser(database.db, { email: 'multi@example.no', name: 'Planlegger', role: 'planner', password: 'et langt passord' });
    const { session, token } = await startSession(database.db, planner);
    plannerCookie = `innspill_session=${token}`;
    csrfToken = session.csrfToken;
    servers = await Promise.all([1, 2].map(() => startServerProcess({ DATABASE_URL: databaseUrl, REDIS_URL: REDIS_URL! })));
  }, 90_000);

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGTERM');
    await database?.close();
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  it('[LIVE-13] delivers a lapp written through process A to a device on process B', async () => {
    const [a, b] = servers;
    const socket = new WebSocket(`${b!.url.replace('http', 'ws')}/api/live`, { headers: { cookie: plannerCookie } });
    const received: ServerMessage[] = [];
    socket.on('message', (data) => received.push(JSON.parse(data.toString()) as ServerMessage));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: fixture.workshopId, subscription: { scope: 'workshop' }, lastSeq: null }));
    const waitFor = async (check: () => boolean) => {
      const end = Date.now() + 10_000;
      while (!check()) {
        if (Date.now() > end) throw new Error(`timed out; received ${JSON.stringify(received).slice(0, 500)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    await waitFor(() => received.some((m) => m.type === 'snapshot'));

    const noteId = randomUUID();
    const response = await fetch(`${a!.url}/api/workshops/${fixture.workshopId}/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: plannerCookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        commandId: randomUUID(),
        command: { type: 'note.create', noteId, posterId: fixture.goalsPosterId, groupId: fixture.groups[0]!.id, itemIds: [], kind: 'facilitator_note', text: 'Via prosess A' },
      }),
    });
    expect(response.status).toBe(200);
    await waitFor(() => received.some((m) => m.type === 'event' && m.event.type === 'note.created' && m.event.note.id === noteId));
    socket.close();
  });

  it('passes events between two Redis buses', async () => {
    const first = new RedisBus(REDIS_URL!);
    const second = new RedisBus(REDIS_URL!);
    const workshopId = randomUUID();
    const got: number[] = [];
    const stop = await second.subscribe(workshopId, (events) => got.push(...events.map((e) => e.seq)));
    await first.publish(workshopId, [{ type: 'workshop.changed', state: 'open', seq: 7, workshopId, groupId: null, at: new Date().toISOString() }]);
    const end = Date.now() + 5000;
    while (got.length === 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(got).toEqual([7]);
    await stop();
    await first.close();
    await second.close();
  });
});
