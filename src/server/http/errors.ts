import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, errorCodes, httpStatusOf, type FieldProblem } from '../../domain/errors.js';
import { isRetryableDatabaseError } from '../db/databaseErrors.js';


/** The one shape of every error answer, so clients can translate `code` and mark `fields`. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.enum(errorCodes),
    message: z.string(),
    fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    current: z.unknown().optional(),
    retryAfterSeconds: z.number().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorBody(error: DomainError): ErrorBody {
  return { error: { code: error.code, message: error.message, ...error.details } };
}

/**
 * Turns every thrown error into a clear JSON answer; only real bugs become 500. `onServerFault`
 * hears every error that is not the request's fault (the database health watches them).
 */
export function registerErrorHandler(app: FastifyInstance, onServerFault: (error: unknown) => void = () => {}): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const domainError = toDomainError(error);
    if (domainError) {
      if (domainError.details.retryAfterSeconds) reply.header('retry-after', domainError.details.retryAfterSeconds);
      return reply.code(httpStatusOf(domainError.code)).send(errorBody(domainError));
    }
    request.log.error({ err: error, route: request.routeOptions.url }, 'unhandled error');
    onServerFault(error);
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on the server' } });
  });
}

/**
 * A database refusal caused by the value sent, not by the server ([SAFE-2]): data exceptions
 * (class 22: bad encoding, out-of-range number, invalid text representation) and program limits
 * (54000: a text too long for an index or a search vector).
 */
export function badInputFromDatabase(error: unknown): DomainError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !/^(22[0-9A-Z]{3}|54000)$/.test(code)) return null;
  // The database's message may quote the value; the answer names the class only.
  return new DomainError('validation_failed', `The database could not store a value sent (SQLSTATE ${code})`, {
    fields: [{ path: 'body', message: `cannot be stored (SQLSTATE ${code})` }],
  });
}

/**
 * A database refusal that is neither the request's fault nor a bug: the transaction lost a race
 * (two writers locking the same rows in another order). The answer is transient, so a device's
 * outbox keeps the command and sends it again after the wait ([LIVE-18]).
 */
export function busyFromDatabase(error: unknown): DomainError | null {
  if (!isRetryableDatabaseError(error)) return null;
  return new DomainError('server_busy', 'The server was busy with a conflicting change; try again', { retryAfterSeconds: 1 });
}

/** A database error turned into the answer it deserves, or null for a real fault. */
export const domainErrorFromDatabase = (error: unknown): DomainError | null => badInputFromDatabase(error) ?? busyFromDatabase(error);

function toDomainError(error: FastifyError): DomainError | null {
  if (error instanceof DomainError) return error;
  const fromDatabase = domainErrorFromDatabase(error);
  if (fromDatabase) return fromDatabase;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields: FieldProblem[] = error.validation.map((issue) => ({
      path: [error.validationContext, ...(issue.instancePath.split('/').filter(Boolean))].filter(Boolean).join('.'),
      message: issue.message ?? 'is invalid',
    }));
    return new DomainError('validation_failed', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new DomainError('payload_too_large', 'The request body is too large');
  if (error.statusCode === 429) {
    return new DomainError('rate_limited', 'Too many requests; wait a little and try again', {
      retryAfterSeconds: Number((error as { retryAfter?: number }).retryAfter) || 10,
    });
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    // Fastify's own 4xx errors: bad JSON, wrong content type, empty body.
    return new DomainError('validation_failed', error.message, { fields: [{ path: 'body', message: error.message }] });
  }
  return null;
}
