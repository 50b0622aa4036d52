import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/actors.js';
import { DomainError } from '../../domain/errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is making the request, resolved from a cookie; null when nobody is logged in. */
    actor: Actor | null;
    /** The CSRF token bound to the cookie session that resolved the actor. */
    expectedCsrfToken: string | null;
  }
}

/** Turns a request's cookies into an actor; the first resolver that knows the request wins. */
export type ActorResolver = (request: FastifyRequest) => Promise<{ actor: Actor; csrfToken: string | null } | null>;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Resolves the actor on `onRequest`, before any body is read, so that routes can refuse strangers
 * without buffering what they send ([SAFE-3]).
 */
export function registerActorResolution(app: FastifyInstance, resolvers: ActorResolver[]): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('expectedCsrfToken', null);
  app.addHook('onRequest', async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.url.startsWith('/api/')) return;
    for (const resolve of resolvers) {
      const found = await resolve(request);
      if (!found) continue;
      request.actor = found.actor;
      request.expectedCsrfToken = found.csrfToken;
      break;
    }
    if (SAFE_METHODS.has(request.method) || !request.expectedCsrfToken) return;
    // Cookie sessions must prove the request comes from our own page.
    if (request.headers[CSRF_HEADER] !== request.expectedCsrfToken) {
      throw new DomainError('csrf_failed', 'Missing or wrong CSRF token; reload the page');
    }
  });
}
