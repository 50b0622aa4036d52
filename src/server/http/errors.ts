import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DomainError, errorCodes, type ErrorCode, type FieldProblem } from '../../domain/errors.js';

const statusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_an_export: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  forbidden: 403,
  invitation_invalid: 403,
  not_found: 404,
  version_conflict: 409,
  item_has_input: 409,
  last_main_goal: 409,
  setup_done: 409,
  email_taken: 409,
  workshop_closed: 409,
  workshop_not_open: 409,
  star_budget_exhausted: 409,
  star_limit_per_item: 409,
  stars_disabled: 409,
  already_imported: 409,
  payload_too_large: 413,
  rate_limited: 429,
  // workshops
  invalid_transition: 409,
  group_not_empty: 409,
  participant_has_input: 409,
  name_claimed: 409,
};

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

export function httpStatusOf(code: ErrorCode): number {
  return statusByCode[code];
}

/** Turns every thrown error into a clear JSON answer; only real bugs become 500. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const domainError = toDomainError(error);
    if (domainError) {
      if (domainError.details.retryAfterSeconds) reply.header('retry-after', domainError.details.retryAfterSeconds);
      return reply.code(httpStatusOf(domainError.code)).send(errorBody(domainError));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.code(500).send({ error: { code: 'internal', message: 'Something went wrong on the server' } });
  });
}

function toDomainError(error: FastifyError): DomainError | null {
  if (error instanceof DomainError) return error;
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
