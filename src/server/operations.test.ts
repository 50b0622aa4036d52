import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import { configFromEnv } from './config.js';
import type { DatabaseHandle } from './db/database.js';
import { openLimitStore } from './limits.js';
import { Drain } from './shutdown.js';
import { openTestDatabase, testDatabaseKinds } from './testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from './testing/workshopFixture.js';
import { PARTICIPANT_COOKIE, participantCsrfToken, signParticipantCookie } from './workshops/participantSession.js';

const configWith = (env: Record<string, string> = {}) => ({ ...configFromEnv({ HOST: '127.0.0.1', ...env }), dataDir: '' });

describe.each(testDatabaseKinds)('operations on %s', (kind) => {
  let database: DatabaseHandle;
  let fixture: WorkshopFixture;
  const apps: FastifyInstance[] = [];
  const app = async (env: Record<string, string> = {}, extra: Partial<Parameters<typeof buildApp>[0]> = {}) => {
    const built = await buildApp({ database, config: configWith(env), ...extra });
    apps.push(built);
    return built;
  };

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    fixture = await createWorkshopFixture(database.db);
  });
  afterAll(async () => {
    for (const built of apps) await built.close();
    await database?.close();
  });

  it('[OPS-1] /healthz answers while the process is up', async () => {
    const answer = await (await app()).inject('/healthz');
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ ok: true });
  });

  it('[OPS-2] /readyz is 200 when the database answers, 503 when Redis does not, 503 while draining', async () => {
    const ready = await (await app()).inject('/readyz');
    expect(ready.statusCode, ready.body).toBe(200);
    const deadRedis = openLimitStore('redis://127.0.0.1:1');
    const noRedis = await (await app({}, { limits: deadRedis })).inject('/readyz');
    await deadRedis.close();
    expect(noRedis.statusCode).toBe(503);
    expect(noRedis.json()).toMatchObject({ ok: false, problem: 'Redis does not answer' });
    const drain = new Drain();
    const draining = await app({}, { drain });
    await drain.start(0);
    expect((await draining.inject('/readyz')).statusCode).toBe(503);
    expect((await draining.inject('/healthz')).statusCode).toBe(200);
    const refused = await draining.inject('/api/auth/status');
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.json().error.code).toBe('server_busy');
  }, 20_000);

  it('[OPS-3] /metrics is off by default, open with INNSPILL_METRICS=1, and needs the token when one is set', async () => {
    expect((await (await app()).inject('/metrics')).statusCode).toBe(404);
    const open = await (await app({ INNSPILL_METRICS: '1' })).inject('/metrics');
    expect(open.statusCode).toBe(200);
    expect(open.body).toContain('innspill_http_requests_total');
    const guarded = await app({ INNSPILL_METRICS_TOKEN: 's3cret-token' });
    expect((await guarded.inject('/metrics')).statusCode).toBe(401);
    expect((await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer s3cret-token' } })).statusCode).toBe(200);
  });

  it('[OPS-3] counts requests and commands by route template and type, with no personal data in any label', async () => {
    const served = await app({ INNSPILL_METRICS: '1' });
    const kari = fixture.groups[0]!.participants[0]!;
    const cookie = await signParticipantCookie(database.db, { participantId: kari.id, workshopId: fixture.workshopId });
    const headers = { cookie: `${PARTICIPANT_COOKIE}=${cookie}`, 'x-csrf-token': await participantCsrfToken(database.db, cookie) };
    const text = 'Hemmelig innspill om Storgata 5';
    const command = (commandId: string) =>
      served.inject({
        method: 'POST',
        url: `/api/workshops/${fixture.workshopId}/commands?name=${encodeURIComponent(kari.name)}`,
        headers,
        payload: { commandId, command: { type: 'note.create', noteId: randomUUID(), posterId: fixture.goalsPosterId, itemIds: [], kind: 'comment', text } },
      });
    const first = await command(randomUUID());
    expect(first.statusCode, first.body).toBe(200);
    expect((await served.inject(`/api/workshops/${fixture.workshopId}/board?groupId=${fixture.groups[0]!.id}`)).statusCode).toBeLessThan(500);
    expect((await served.inject(`/api/no/such/${kari.name}`)).statusCode).toBe(404);
    const body = (await served.inject('/metrics')).body;
    expect(body).toMatch(/innspill_live_commands_total\{type="note.create",outcome="ack"\} 1/);
    expect(body).toMatch(/innspill_live_command_duration_seconds_count\{type="note.create"\} 1/);
    expect(body).toContain('route="/api/workshops/:workshopId/commands"');
    expect(body).toContain('route="unmatched"');
    expect(body).toContain('innspill_event_fanout_lag_seconds_count');
    expect(body).toContain('innspill_db_pool_waiting');
    expect(body).toContain('innspill_live_sockets');
    for (const personal of [kari.name, text, 'Storgata', fixture.workshopId, kari.id]) expect(body).not.toContain(personal);
    expect(body).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });
});
