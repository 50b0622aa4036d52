import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { buildApp } from '../app.js';
import { configFromEnv, trustProxyFrom, type ServerConfig } from '../config.js';
import { badInputFromDatabase } from '../http/errors.js';
import { logSerializers } from '../http/logging.js';
import { RedisLimitStore } from '../limits.js';
import { InProcessBus } from '../live/bus.js';
import { LiveConnection } from '../live/connection.js';
import { LiveHub, type LiveSocket } from '../live/hub.js';
import { outgoing } from '../live/outgoing.js';
import { CLOSE_CODES, PROTOCOL_VERSION, type ServerMessage } from '../../contract/protocol.js';
import { createAppWithWorkshop, openTestDatabase, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { lappFor, type WorkshopFixture } from '../testing/workshopFixture.js';

const POISON = { nul: 'Lapp\u0000med NUL', surrogate: 'Lapp \uD83D uten par', nonCharacter: 'Lapp \uFFFF' };
const { REDIS_URL } = process.env;

const lapp = lappFor;

describe.each(testDatabaseKinds)('the edge on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let fixture: WorkshopFixture;
  beforeAll(async () => {
    ({ t, planner, fixture } = await createAppWithWorkshop(kind));
  });
  afterAll(async () => t?.close());

  it.each(Object.entries(POISON))('[SAFE-1] refuses a lapp with %s over HTTP with a 400 naming the field, and stores nothing', async (_name, text) => {
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/workshops/${fixture.workshopId}/commands`,
      headers: planner.headers,
      payload: { commandId: randomUUID(), command: lapp(fixture, text) },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields[0].path).toBe('body.command.text');
    const notes = await t.database.db.selectFrom('notes').select('id').where('text', 'like', 'Lapp%').execute();
    expect(notes).toHaveLength(0);
  });

  it('[SAFE-1] refuses poisoned text in anonymous routes, queries and paths with a 400, never a 500', async () => {
    const join = await t.app.inject({ method: 'POST', url: '/api/join', payload: { code: 'AB\u0000CD', participantId: randomUUID() } });
    expect(join.statusCode).toBe(400);
    expect(join.json().error.fields[0].path).toBe('body.code');
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'a@b.no', password: 'x\uDC00xxxxxxxxx' } });
    expect(login.statusCode).toBe(400);
    const search = await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/synthesis?q=${encodeURIComponent('bolig')}%EF%BF%BF`, headers: planner.headers });
    expect(search.statusCode).toBe(400);
    const joinCode = await t.app.inject({ method: 'GET', url: '/api/join/%00abc' });
    expect(joinCode.statusCode).toBe(400);
  });

  it('[SAFE-1] answers a poisoned lapp over the live protocol with a final reject, not a closed socket', async () => {
    const hub = new LiveHub(t.database.db, new InProcessBus(), pino({ level: 'silent' }));
    const received: ServerMessage[] = [];
    let closed: number | null = null;
    const socket: LiveSocket = { send: (message) => void received.push(outgoing(message).message), close: (code) => void (closed = code) };
    const actor = fixture.groups[0]!.participants[0]!.actor;
    const connection = new LiveConnection({ db: t.database.db, hub, limiter: new WriteRateLimiter(100, 10_000), log: pino({ level: 'silent' }) }, socket, actor);
    await connection.receive(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: fixture.workshopId, subscription: { scope: 'group', groupId: fixture.groups[0]!.id }, lastSeq: null }));
    const ids = Object.values(POISON).map(() => randomUUID());
    for (const [index, text] of Object.values(POISON).entries()) {
      await connection.receive(JSON.stringify({ type: 'command', commandId: ids[index], command: lapp(fixture, text) }));
    }
    const okId = randomUUID();
    await connection.receive(JSON.stringify({ type: 'command', commandId: okId, command: lapp(fixture, 'Lapp som kommer fram') }));
    const rejects = received.filter((m) => m.type === 'reject');
    expect(rejects.map((m) => m.type === 'reject' && m.commandId)).toEqual(ids);
    expect(rejects.every((m) => m.type === 'reject' && m.error.code === 'validation_failed')).toBe(true);
    expect(received.some((m) => m.type === 'ack' && m.commandId === okId)).toBe(true);
    expect(closed).toBeNull();
    connection.disconnected();
    await hub.close();
  });

  it('[SAFE-3] refuses an anonymous import with 401 and lets a planner through to validation', async () => {
    const asPlanner = await t.app.inject({ method: 'POST', url: '/api/imports/json', headers: planner.headers, payload: { not: 'an export' } });
    expect(asPlanner.statusCode).toBe(400);
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/imports/json', payload: { not: 'an export' } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('[SAFE-7] answers 200 from /api/health after a real write', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    const row = await t.database.db.selectFrom('settings').select('value').where('key', '=', 'health_probe').executeTakeFirst();
    expect(row?.value).toBeTruthy();
  });
});

describe('the edge, database independent', () => {
  let app: FastifyInstance;
  let close: () => Promise<void>;
  let url: string;
  const webRoot = mkdtempSync(path.join(tmpdir(), 'innspill-web-'));
  writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Innspill</title>');
  const config: ServerConfig = { ...configFromEnv({}), dataDir: '', socketCaps: { perPerson: 2, perAddress: 3, perWorkshop: 100 } };
  let planner: TestUser;

  beforeAll(async () => {
    const database = await openTestDatabase('pglite');
    app = await buildApp({ database, config, webRoot });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const { createUser, startSession } = await import('../auth/auth.service.js');
    const user = await createUser(database.db, { email: 'p@example.no', name: 'P', role: 'planner', password: 'et langt passord' });
    const { session, token } = await startSession(database.db, user);
    planner = { id: user.id, headers: { cookie: `innspill_session=${token}`, 'x-csrf-token': session.csrfToken } };
    close = async () => {
      await app.close();
      await database.close();
    };
  });
  afterAll(async () => close?.());

  it('[SAFE-3] answers an anonymous 50 MB upload with 413 before a byte of the body is sent', async () => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('POST /api/imports/json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n');
    const [chunk] = (await once(socket, 'data')) as [Buffer];
    expect(chunk.toString().split('\r\n')[0]).toMatch(/^HTTP\/1.1 (401|413)/);
    socket.destroy();
    const participantSized = await fetch(`${url}/api/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 'x'.repeat(70_000), participantId: randomUUID() }) });
    expect(participantSized.status).toBe(413);
  });

  it('[SAFE-4] ignores a spoofed X-Forwarded-For: the 11th login in a minute from one address gets 429', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.0.${i}.${i}` },
        body: JSON.stringify({ email: 'nobody@example.no', password: 'feil passord' }),
      });
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses[10]).toBe(429);
  });

  it('[SAFE-4] reads INNSPILL_TRUST_PROXY as off, hops or proxy addresses', () => {
    expect(trustProxyFrom(undefined)).toBe(false);
    expect(trustProxyFrom('1')).toBe(1);
    expect(trustProxyFrom('10.0.0.1, 10.1.0.0/16')).toEqual(['10.0.0.1', '10.1.0.0/16']);
    expect(() => trustProxyFrom('everyone')).toThrow(/INNSPILL_TRUST_PROXY/);
  });

  it('[SAFE-5] closes a socket beyond the per-person cap with 4029 tooManySockets', async () => {
    const open = (headers: Record<string, string> = {}) =>
      new Promise<{ socket: WebSocket; closedWith: Promise<number> }>((resolve, reject) => {
        const socket = new WebSocket(`${url.replace('http', 'ws')}/api/live`, { headers });
        const closedWith = new Promise<number>((done) => socket.on('close', (code) => done(code)));
        socket.on('open', () => resolve({ socket, closedWith }));
        socket.on('error', reject);
      });
    const first = await open(planner.headers);
    const second = await open(planner.headers);
    const third = await open(planner.headers);
    expect(await third.closedWith).toBe(CLOSE_CODES.tooManySockets);
    // Per address: 3 in all, and the two of the planner are still open.
    const anonymousOne = await open();
    const anonymousTwo = await open();
    expect(await anonymousTwo.closedWith).toBe(CLOSE_CODES.tooManySockets);
    for (const { socket } of [first, second, anonymousOne]) socket.close();
    await Promise.all([first.closedWith, second.closedWith, anonymousOne.closedWith]);
    const again = await open(planner.headers);
    expect(again.socket.readyState).toBe(WebSocket.OPEN);
    again.socket.close();
  });

  it('[SAFE-8] sends a CSP with only its own scripts and styles, no framing, nosniff and a referrer policy on the page', async () => {
    for (const page of ['/', '/planning/plans', '/view/abc']) {
      const response = await fetch(`${url}${page}`);
      expect(response.headers.get('content-type')).toMatch(/text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("style-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('same-origin');
    }
  });

  it('[SAFE-2] maps database data exceptions to 400 and logs errors without their message or parameters', () => {
    expect(badInputFromDatabase({ code: '22021' })?.code).toBe('validation_failed');
    expect(badInputFromDatabase({ code: '22P02' })?.code).toBe('validation_failed');
    expect(badInputFromDatabase({ code: '40001' })).toBeNull();
    const error = Object.assign(new Error('invalid byte sequence for "Stein Hansen skrev: hemmelig"'), { code: '22021', params: ['hemmelig lapp'] });
    const logged = JSON.stringify(logSerializers.err(error));
    expect(logged).not.toMatch(/hemmelig|Stein/);
    expect(logged).toContain('22021');
    expect(JSON.stringify(logSerializers.req({ id: 'r1', method: 'GET', url: '/api/x?q=hemmelig' }))).not.toContain('hemmelig');
  });
});

// Each test opens its own embedded databases, which takes seconds on a busy machine.
describe('[SAFE-7] health when the database fails', { timeout: 120_000 }, () => {
  it('[SAFE-7] answers 503 from /api/health once the database refuses writes', async () => {
    const database = await openTestDatabase('pglite');
    const app = await buildApp({ database, config: { ...configFromEnv({}), dataDir: '' } });
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    await database.close();
    const response = await app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ ok: false });
    await app.close();
  });

  it('[SAFE-7] stops an embedded-database server that hits a file-descriptor fault, and health says 503', async () => {
    const database = await openTestDatabase('pglite');
    const broken: string[] = [];
    const app = await buildApp({ database, config: { ...configFromEnv({}), dataDir: '' }, onBroken: (reason) => broken.push(reason) });
    app.get('/api/test/fault', async () => {
      throw Object.assign(new Error('could not create file "base/5/16384_fsm": File exists'), { code: '58P02' });
    });
    expect((await app.inject({ method: 'GET', url: '/api/test/fault' })).statusCode).toBe(500);
    expect(broken).toHaveLength(1);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(503);
    await app.close();
    await database.close();
  });
});

describe.skipIf(!REDIS_URL)('[SAFE-6] limits shared through Redis', { timeout: 240_000 }, () => {
  it('[SAFE-6] two stores on one Redis share one write budget', async () => {
    const prefix = `innspill:test:${randomUUID()}:`;
    const a = new RedisLimitStore(REDIS_URL!, prefix);
    const b = new RedisLimitStore(REDIS_URL!, prefix);
    const waits = [];
    for (let i = 0; i < 10; i++) waits.push(await (i % 2 ? a : b).take('participant-1', 6, 10_000));
    expect(waits.filter((wait) => wait === 0)).toHaveLength(6);
    expect(waits.slice(6).every((wait) => wait > 0)).toBe(true);
    await a.close();
    await b.close();
  });

  it('[SAFE-6] two apps on one Redis share one login budget', async () => {
    const prefix = `innspill:test:${randomUUID()}:`;
    // Two apps on one database, as two processes on one PostgreSQL; only Redis is shared between their limits.
    const database = await openTestDatabase('pglite');
    const apps: FastifyInstance[] = [];
    const stores: RedisLimitStore[] = [];
    for (let i = 0; i < 2; i++) {
      const limits = new RedisLimitStore(REDIS_URL!, prefix);
      stores.push(limits);
      apps.push(await buildApp({ database, config: { ...configFromEnv({}), dataDir: '', redisUrl: REDIS_URL }, limits }));
    }
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await apps[i % 2]!.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@example.no', password: 'feil passord' } });
      statuses.push(response.statusCode);
    }
    expect(statuses.filter((status) => status === 401)).toHaveLength(10);
    expect(statuses[10]).toBe(429);
    for (const app of apps) await app.close();
    await database.close();
    for (const store of stores) await store.close();
  });
});
