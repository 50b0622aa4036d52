import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SignJWT, decodeJwt, exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { buildApp } from '../app.js';
import { configFromEnv } from '../config.js';
import type { DatabaseHandle } from '../db/database.js';
import { openTestDatabase } from '../testing/testApp.js';
import { SESSION_COOKIE } from './auth.routes.js';

/**
 * [AUTH-1][AUTH-3] Sign-in against a real OpenID provider (oidc-provider) on 127.0.0.1: the happy
 * path, and every forged answer refused with 401, a message and no session.
 */
const REDIRECT = 'http://127.0.0.1:3999/api/auth/oidc/callback';
const account = { sub: 'ola-123', email: 'ola.nordmann@baerum.kommune.no', name: 'Ola Nordmann', roles: ['innspill-planlegger'] };
type Tamper = (idToken: string) => Promise<string>;

describe('sign-in through the identity provider (PGlite)', () => {
  let database: DatabaseHandle;
  let provider: Server;
  let issuer: string;
  let app: FastifyInstance;
  let signingKey: CryptoKey;
  let kid: string;
  let tamper: Tamper | null = null;

  const reSign = (change: (claims: Record<string, unknown>) => Record<string, unknown>): Tamper => async (idToken) =>
    new SignJWT(change(decodeJwt(idToken) as Record<string, unknown>)).setProtectedHeader({ alg: 'RS256', kid }).sign(signingKey);

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    signingKey = privateKey as CryptoKey;
    kid = 'test-key';
    const jwk = { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };

    provider = createServer();
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    const oidc = new Provider(issuer, {
      clients: [{ client_id: 'innspill', client_secret: 'hemmelig-klient', redirect_uris: [REDIRECT], grant_types: ['authorization_code'], response_types: ['code'] }],
      jwks: { keys: [jwk] },
      pkce: { required: () => true },
      scopes: ['openid', 'email', 'profile', 'roles'],
      claims: { openid: ['sub'], email: ['email'], profile: ['name'], roles: ['roles'] },
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: false } },
      findAccount: async (_ctx, sub) => ({ accountId: sub, claims: async () => ({ ...account, sub }) }),
      // No consent screen in a test: the municipality's provider has granted Innspill what it asks.
      loadExistingGrant: async (ctx) => {
        const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId });
        grant.addOIDCScope('openid email profile roles');
        await grant.save();
        return grant;
      },
    });
    const handle = oidc.callback();
    provider.on('request', (request, response) => {
      // The person "logs in" at once as `account`.
      if (request.url?.startsWith('/interaction/')) {
        void oidc.interactionFinished(request, response, { login: { accountId: account.sub } }, { mergeWithLastSubmission: false });
        return;
      }
      void handle(request, response);
    });

    const config = {
      ...configFromEnv({
        HOST: '127.0.0.1',
        OIDC_ISSUER: issuer,
        OIDC_CLIENT_ID: 'innspill',
        OIDC_CLIENT_SECRET: 'hemmelig-klient',
        OIDC_REDIRECT_URI: REDIRECT,
        OIDC_PROVIDER_NAME: 'Bærum kommune',
        OIDC_SCOPES: 'openid email profile roles',
        OIDC_ROLE_CLAIM: 'roles',
        OIDC_PLANNER_VALUES: 'innspill-planlegger',
        OIDC_FACILITATOR_VALUES: 'innspill-fasilitator',
      }),
      dataDir: '',
    };
    const customFetch = async (url: string, options: RequestInit) => {
      const answer = await fetch(url, options);
      if (!tamper || !url.endsWith('/token')) return answer;
      const body = (await answer.json()) as { id_token: string };
      body.id_token = await tamper(body.id_token);
      return new Response(JSON.stringify(body), { status: answer.status, headers: { 'content-type': 'application/json' } });
    };
    app = await buildApp({ database, config, oidc: { customFetch: customFetch as never } });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    provider?.close();
    await database?.close();
  });

  /** Goes from the login page's link through the provider, as a browser would; returns where it comes back. */
  async function throughProvider(): Promise<{ callback: string; stateCookie: string }> {
    const start = await app.inject('/api/auth/oidc/start');
    expect(start.statusCode).toBe(302);
    const stateCookie = String(start.headers['set-cookie']).split(';')[0]!;
    const jar = new Map<string, string>();
    let url = new URL(String(start.headers.location));
    expect(url.origin).toBe(issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    for (let hop = 0; hop < 10; hop += 1) {
      const answer = await fetch(url, { redirect: 'manual', headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') } });
      for (const cookie of answer.headers.getSetCookie()) {
        const [pair] = cookie.split(';');
        const [name, ...value] = pair!.split('=');
        jar.set(name!, value.join('='));
      }
      const location = answer.headers.get('location');
      if (!location) throw new Error(`the provider stopped at ${url} with ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
      if (location.startsWith(REDIRECT)) return { callback: location, stateCookie };
      url = new URL(location, url);
    }
    throw new Error('too many redirects');
  }

  const callback = (url: string, cookie: string, accept = 'application/json') =>
    app.inject({ method: 'GET', url: url.replace('http://127.0.0.1:3999', ''), headers: { cookie, accept } });
  const sessions = async () => Number((await database.db.selectFrom('user_sessions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  async function expectRefused(answer: Awaited<ReturnType<typeof callback>>, message: RegExp, before: number) {
    expect(answer.statusCode, answer.body).toBe(401);
    expect(answer.json().error).toMatchObject({ code: 'oidc_refused' });
    expect(answer.json().error.message).toMatch(message);
    expect(String(answer.headers['set-cookie'] ?? '')).not.toContain(`${SESSION_COOKIE}=`);
    expect(await sessions()).toBe(before);
  }

  it('[AUTH-1] the login page is told the provider\'s name; a planner signs in with code + PKCE and gets a session', async () => {
    const status = (await app.inject('/api/auth/status')).json();
    expect(status.login).toEqual({ local: true, provider: 'Bærum kommune' });
    const { callback: url, stateCookie } = await throughProvider();
    const answer = await callback(url, stateCookie);
    expect(answer.statusCode, answer.body).toBe(302);
    expect(answer.headers.location).toBe('/');
    const session = String(answer.headers['set-cookie']).match(new RegExp(`${SESSION_COOKIE}=([^;]+)`))![1];
    const me = (await app.inject({ url: '/api/auth/status', headers: { cookie: `${SESSION_COOKIE}=${session}` } })).json();
    expect(me.session.user).toMatchObject({ email: account.email, name: 'Ola Nordmann', role: 'planner' });
    const user = await database.db.selectFrom('users').selectAll().where('email', '=', account.email).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ oidc_issuer: issuer, oidc_subject: 'ola-123' });
    // No password: the local login never lets this account in.
    expect((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: '!oidc' } })).statusCode).toBe(401);

    // [AUTH-3] The same answer again (a replayed state) is refused.
    await expectRefused(await callback(url, stateCookie), /already used/, await sessions());
  });

  it('[AUTH-3] an answer whose state is not this browser\'s is refused', async () => {
    const { callback: url } = await throughProvider();
    await expectRefused(await callback(url, 'innspill_oidc=someone-elses'), /not started in this browser/, await sessions());
  });

  it('[AUTH-3] a wrong issuer is refused: in the answer (RFC 9207 iss) and in the ID token', async () => {
    const { callback: url, stateCookie } = await throughProvider();
    const forged = new URL(url);
    forged.searchParams.set('iss', 'http://127.0.0.1:1/evil');
    await expectRefused(await callback(forged.href, stateCookie), /another issuer/, await sessions());

    tamper = reSign((claims) => ({ ...claims, iss: 'http://127.0.0.1:1/evil' }));
    try {
      const second = await throughProvider();
      await expectRefused(await callback(second.callback, second.stateCookie), /another issuer/, await sessions());
    } finally {
      tamper = null;
    }
  });

  it('[AUTH-3] a tampered ID token (a role added without the provider\'s signature) is refused', async () => {
    tamper = async (idToken) => {
      const [header, payload, signature] = idToken.split('.');
      const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
      const changed = Buffer.from(JSON.stringify({ ...claims, roles: ['innspill-planlegger', 'admin'] })).toString('base64url');
      return [header, changed, signature].join('.');
    };
    try {
      const { callback: url, stateCookie } = await throughProvider();
      await expectRefused(await callback(url, stateCookie), /signature/, await sessions());
    } finally {
      tamper = null;
    }
  });

  it('[AUTH-3] an expired ID token is refused, and a person in a browser gets a page that says so', async () => {
    const now = Math.floor(Date.now() / 1000);
    tamper = reSign((claims) => ({ ...claims, iat: now - 7200, exp: now - 3600 }));
    try {
      const { callback: url, stateCookie } = await throughProvider();
      const before = await sessions();
      const page = await callback(url, stateCookie, 'text/html');
      expect(page.statusCode).toBe(401);
      expect(page.body).toContain('Innloggingen ble avvist');
      expect(page.body).toContain('expired');
      expect(await sessions()).toBe(before);
    } finally {
      tamper = null;
    }
  });

  it('[AUTH-2] the provider\'s groups decide the role; a change is recorded in the audit trail; no matching group is 403', async () => {
    account.roles = ['innspill-fasilitator'];
    const { callback: url, stateCookie } = await throughProvider();
    expect((await callback(url, stateCookie)).statusCode).toBe(302);
    const user = await database.db.selectFrom('users').select(['id', 'role']).where('oidc_subject', '=', account.sub).executeTakeFirstOrThrow();
    expect(user.role).toBe('facilitator');
    const entry = await database.db.selectFrom('audit_log').selectAll().where('action', '=', 'user.roleChanged').executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_name: 'Bærum kommune', target_id: user.id, detail: { from: 'planner', to: 'facilitator', via: 'oidc' } });

    account.roles = ['ansatt'];
    const other = await throughProvider();
    const refused = await callback(other.callback, other.stateCookie);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('gives no role');
    account.roles = ['innspill-planlegger'];
  });

  it('[AUTH-4] with INNSPILL_LOCAL_LOGIN=off the password login and setup links are refused; the login page offers only the provider', async () => {
    const config = { ...configFromEnv({ HOST: '127.0.0.1', INNSPILL_LOCAL_LOGIN: 'off', OIDC_ISSUER: issuer, OIDC_CLIENT_ID: 'innspill', OIDC_PLANNER_VALUES: 'x', OIDC_PROVIDER_NAME: 'Bærum kommune' }), dataDir: '' };
    const closed = await buildApp({ database, config });
    try {
      expect((await closed.inject('/api/auth/status')).json().login).toEqual({ local: false, provider: 'Bærum kommune' });
      const login = await closed.inject({ method: 'POST', url: '/api/auth/login', payload: { email: account.email, password: 'whatever-long' } });
      expect(login.statusCode).toBe(403);
      expect(login.json().error.code).toBe('local_login_off');
      const setup = await closed.inject({ method: 'POST', url: '/api/auth/setup', payload: { token: 'x'.repeat(20), email: 'a@b.no', name: 'A', password: 'long-enough-password' } });
      expect(setup.json().error.code).toBe('local_login_off');
    } finally {
      await closed.close();
    }
  });
});
