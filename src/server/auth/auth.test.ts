import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp } from '../testing/testApp.js';
import { setupTokenIfEmpty } from './auth.service.js';

describe.each(testDatabaseKinds)('accounts and sessions on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(() => t?.close());

  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url, payload, headers });

  it('creates the first planner from the setup link once, then ends the link', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/status' })).json()).toMatchObject({ needsSetup: true, session: null });
    const token = (await setupTokenIfEmpty(t.database.db))!;
    const body = { token, email: 'kari@baerum.kommune.no', name: 'Kari', password: 'et langt passord' };

    const created = await post('/api/auth/setup', body);
    const session = expectStatus<{ user: { role: string }; csrfToken: string }>(created, 200);
    expect(session.user.role).toBe('planner');
    const cookie = created.cookies.find((c) => c.name === 'innspill_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    const again = await post('/api/auth/setup', { ...body, email: 'ola@baerum.kommune.no' });
    expect(again.statusCode).toBe(403);
    expect(again.json().error.code).toBe('invitation_invalid');
    expect(await setupTokenIfEmpty(t.database.db)).toBeNull();

    const status = await t.app.inject({ method: 'GET', url: '/api/auth/status', cookies: { innspill_session: cookie.value } });
    expect(status.json()).toMatchObject({ needsSetup: false, session: { user: { email: 'kari@baerum.kommune.no' } } });
  });

  it('logs in with the right password and refuses a wrong one with the same message as an unknown e-mail', async () => {
    const ok = await post('/api/auth/login', { email: 'KARI@baerum.kommune.no', password: 'et langt passord' });
    expect(ok.statusCode).toBe(200);
    const wrong = await post('/api/auth/login', { email: 'kari@baerum.kommune.no', password: 'feil passord' });
    const unknown = await post('/api/auth/login', { email: 'ingen@baerum.kommune.no', password: 'feil passord' });
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
  });

  it('ends the session on logout', async () => {
    const login = await post('/api/auth/login', { email: 'kari@baerum.kommune.no', password: 'et langt passord' });
    const { csrfToken } = login.json();
    const cookie = login.cookies.find((c) => c.name === 'innspill_session')!.value;
    const headers = { cookie: `innspill_session=${cookie}`, 'x-csrf-token': csrfToken };
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/api/plans', headers })).statusCode).toBe(401);
  });

  it('lets a planner invite a facilitator, and refuses invitations from a facilitator', async () => {
    const planner = await t.user('planner');
    const invitation = expectStatus<{ url: string }>(await post('/api/auth/invitations', { role: 'facilitator' }, planner.headers), 200);
    const token = new URL(invitation.url).searchParams.get('token')!;
    const created = await post('/api/auth/setup', { token, email: 'fasilitator@example.no', name: 'Fasi', password: 'et langt passord' });
    expect(expectStatus<{ user: { role: string } }>(created, 200).user.role).toBe('facilitator');

    const facilitator = await t.user('facilitator');
    expect((await post('/api/auth/invitations', { role: 'planner' }, facilitator.headers)).statusCode).toBe(403);
    expect((await post('/api/auth/invitations', { role: 'planner' })).statusCode).toBe(401);
  });

  it('refuses a short password and a malformed e-mail with the fields named', async () => {
    const token = 'x'.repeat(20);
    const response = await post('/api/auth/setup', { token, email: 'ikke-epost', name: 'A', password: 'kort' });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.fields.map((f: { path: string }) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['body.email', 'body.password']));
  });

  it('limits login attempts with 429 and a retry time', async () => {
    const attempts = [];
    for (let i = 0; i < 12; i++) attempts.push(await post('/api/auth/login', { email: 'kari@baerum.kommune.no', password: 'feil passord' }));
    const limited = attempts.find((response) => response.statusCode === 429);
    expect(limited).toBeDefined();
    expect(limited!.json().error.code).toBe('rate_limited');
    expect(Number(limited!.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('OpenAPI', () => {
  it('serves a document generated from the route schemas', async () => {
    const t = await createTestApp('pglite');
    try {
      const doc = expectStatus<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> }>(
        await t.app.inject({ method: 'GET', url: '/api/openapi.json' }),
        200,
      );
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.paths['/api/plans/{id}']).toHaveProperty('patch');
      expect(doc.paths['/api/items/{id}']?.patch?.requestBody).toBeDefined();
    } finally {
      await t.close();
    }
  });
});
