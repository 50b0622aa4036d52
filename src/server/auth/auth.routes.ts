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

export function authRoutes(context: AppContext) {
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
      return { needsSetup: await auth.needsSetup(context.db), session };
    });

    r.post(
      '/api/auth/setup',
      { config: loginLimit, schema: { tags: ['auth'], body: acceptInvitationBodySchema, response: { 200: sessionSchema } } },
      async (request, reply) => {
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
        const { session, token } = await auth.login(context.db, request.body);
        setCookie(reply, token);
        return session;
      },
    );

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

export const invitationUrl = (publicUrl: string, token: string) => `${publicUrl}/setup?token=${encodeURIComponent(token)}`;
