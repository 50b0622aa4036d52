import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertPlanner } from '../../domain/permissions.js';
import type { AppContext } from '../context.js';
import type { ActorResolver } from '../http/actor.js';
import {
  acceptInvitationBodySchema,
  authStatusSchema,
  invitationBodySchema,
  invitationSchema,
  loginBodySchema,
  sessionSchema,
} from '../../contract/auth.schema.js';
import * as auth from './auth.service.js';
import { OidcLogin, type OidcOptions } from './oidc.service.js';
import { DomainError, httpStatusOf } from '../../domain/errors.js';

/** Binds a sign-in at the identity provider to the browser that started it ([AUTH-3]). */
const OIDC_STATE_COOKIE = 'innspill_oidc';

export const SESSION_COOKIE = 'innspill_session';
const loginLimit = { rateLimit: { max: 10, timeWindow: '1 minute' } };

export const userSessionResolver =
  (context: AppContext): ActorResolver =>
  async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return null;
    const session = await auth.sessionFromToken(context.db, token);
    if (!session) return null;
    const { user } = session;
    return { actor: { kind: 'user', userId: user.id, role: user.role, name: user.name }, csrfToken: session.csrfToken };
  };

export function authRoutes(context: AppContext, oidcOptions: OidcOptions = {}) {
  const oidc = context.config.oidc ? new OidcLogin(context.config.oidc, oidcOptions) : null;
  const assertLocalLogin = () => {
    if (!context.config.localLogin) {
      throw new DomainError('local_login_off', `Password sign-in is switched off here; sign in with ${oidc?.config.providerName ?? 'the identity provider'}`);
    }
  };
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const setCookie = (reply: FastifyReply, token: string) =>
      reply.setCookie(SESSION_COOKIE, token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: context.config.secureCookies,
        maxAge: 14 * 86_400,
      });

    r.get('/api/auth/status', { schema: { tags: ['auth'], response: { 200: authStatusSchema } } }, async (request) => {
      const token = request.cookies[SESSION_COOKIE];
      const session = token ? await auth.sessionFromToken(context.db, token) : null;
      return {
        needsSetup: context.config.localLogin && (await auth.needsSetup(context.db)),
        session,
        login: { local: context.config.localLogin, provider: oidc?.config.providerName ?? null },
      };
    });

    r.post(
      '/api/auth/setup',
      { config: loginLimit, schema: { tags: ['auth'], body: acceptInvitationBodySchema, response: { 200: sessionSchema } } },
      async (request, reply) => {
        assertLocalLogin();
        const user = await auth.acceptInvitation(context.db, request.body);
        const { session, token } = await auth.startSession(context.db, user);
        setCookie(reply, token);
        return session;
      },
    );

    r.post(
      '/api/auth/login',
      { config: loginLimit, schema: { tags: ['auth'], body: loginBodySchema, response: { 200: sessionSchema } } },
      async (request, reply) => {
        assertLocalLogin();
        const { session, token } = await auth.login(context.db, request.body);
        setCookie(reply, token);
        return session;
      },
    );

    // [AUTH-1] Sign-in through the identity provider: a plain link from the login page.
    r.get('/api/auth/oidc/start', { config: loginLimit, schema: { tags: ['auth'], summary: 'Starts sign-in at the identity provider (a redirect)' } }, async (_request, reply) => {
      if (!oidc) throw new DomainError('not_found', 'No identity provider is configured');
      const { url, state } = await oidc.start(context.db);
      // Lax, not strict: the provider sends the browser back with a cross-site top-level GET.
      reply.setCookie(OIDC_STATE_COOKIE, state, { path: '/api/auth/oidc', httpOnly: true, sameSite: 'lax', secure: context.config.secureCookies, maxAge: 600 });
      return reply.redirect(url, 302);
    });

    r.get('/api/auth/oidc/callback', { config: loginLimit, schema: { tags: ['auth'], summary: 'Where the identity provider sends the browser back' } }, async (request, reply) => {
      if (!oidc) throw new DomainError('not_found', 'No identity provider is configured');
      reply.clearCookie(OIDC_STATE_COOKIE, { path: '/api/auth/oidc' });
      // The URL as the provider called it: openid-client compares it with the registered redirect URI.
      const callbackUrl = new URL(request.url, oidc.config.redirectUri);
      try {
        const user = await oidc.finish(context.db, callbackUrl, request.cookies[OIDC_STATE_COOKIE]);
        const { token } = await auth.startSession(context.db, user);
        setCookie(reply, token);
        return reply.redirect('/', 302);
      } catch (error) {
        // A person lands here in a browser: a page in plain words with the way back, still a 401/403.
        if (error instanceof DomainError && (request.headers.accept ?? '').includes('text/html')) {
          return reply.code(httpStatusOf(error.code)).type('text/html; charset=utf-8').send(refusalPage(error.message));
        }
        throw error;
      }
    });

    r.post('/api/auth/logout', { schema: { tags: ['auth'], response: { 204: z.null() } } }, async (request: FastifyRequest, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await auth.logout(context.db, token);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    });

    r.post(
      '/api/auth/invitations',
      { schema: { tags: ['auth'], body: invitationBodySchema, response: { 200: invitationSchema } } },
      async (request) => {
        assertPlanner(request.actor);
        const { token, expiresAt } = await auth.createInvitation(context.db, request.body, request.actor);
        return { url: invitationUrl(context.config.publicUrl, token), expiresAt: expiresAt.toISOString() };
      },
    );
  };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function refusalPage(message: string): string {
  return `<!doctype html><html lang="nb"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Innlogging avvist – Innspill</title></head>
<body><main><h1>Innloggingen ble avvist</h1><p lang="en">${escapeHtml(message)}</p><p><a href="/login">Tilbake til innlogging</a></p></main></body></html>`;
}

export const invitationUrl = (publicUrl: string, token: string) => `${publicUrl}/setup?token=${encodeURIComponent(token)}`;
