import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertPlanner } from '../../domain/permissions.js';
import { DomainError } from '../../domain/errors.js';
import { UNSTORABLE_MESSAGE, findUnstorableText } from '../../domain/text/storable.js';

/** The most a request without a session or participant cookie may send ([SAFE-3]). */
export const ANONYMOUS_BODY_LIMIT = 64 * 1024;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A larger limit for strangers on this one route: the public consultation form, whose files
     * are streamed to disk and checked one by one ([CONS-8]).
     */
    anonymousBodyLimit?: number;
  }
}

/**
 * Checks every request once at the edge: strangers' bodies are refused by their declared size
 * before they are read, and no text that cannot be stored gets past validation ([SAFE-1], [SAFE-3]).
 * Register after the actor resolution, whose `onRequest` hook must run first.
 */
export function registerEdgeChecks(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.actor || !BODY_METHODS.has(request.method)) return;
    const declared = request.headers['content-length'];
    if (declared === undefined) {
      // A streamed body has no size to check before reading it; strangers must declare one.
      if (request.headers['transfer-encoding']) throw new DomainError('payload_too_large', 'Send a Content-Length with the body');
      return;
    }
    const limit = request.routeOptions.config?.anonymousBodyLimit ?? ANONYMOUS_BODY_LIMIT;
    if (Number(declared) > limit) {
      throw new DomainError('payload_too_large', `Log in or join first: a body without a session may have at most ${limit} bytes`);
    }
  });

  app.addHook('preValidation', async (request) => {
    for (const part of ['params', 'querystring', 'body'] as const) {
      const value = part === 'querystring' ? request.query : request[part];
      const path = findUnstorableText(value, part);
      if (path !== null) throw new DomainError('validation_failed', `${path}: ${UNSTORABLE_MESSAGE}`, { fields: [{ path, message: UNSTORABLE_MESSAGE }] });
    }
  });
}

/** A route hook that refuses everyone but planners before the body is read (large uploads). */
export async function plannerBeforeBody(request: FastifyRequest): Promise<void> {
  assertPlanner(request.actor);
}
