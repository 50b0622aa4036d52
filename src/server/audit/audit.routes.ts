import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.js';
import { auditCsvQuerySchema, auditPageSchema, auditQuerySchema } from '../../contract/audit.schema.js';
import { assertPlanner } from '../../domain/permissions.js';
import { auditCsv, listAudit } from './audit.service.js';

const tags = ['audit'];

/** [AUDIT-2] Read-only: no route updates or deletes an entry; the trail grows only beside the actions. */
export function auditRoutes({ db }: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/audit',
      { schema: { tags, summary: 'The audit trail, newest first, filtered (planners only)', querystring: auditQuerySchema, response: { 200: auditPageSchema } } },
      (request) => listAudit(request.actor, request.query, db),
    );
    r.get(
      '/api/audit.csv',
      {
        schema: { tags, summary: 'The filtered audit trail as CSV (planners only)', querystring: auditCsvQuerySchema },
        exposeHeadRoute: false,
      },
      async (request, reply) => {
        // Refused before the stream starts, so a 401/403 is an answer, not a broken download.
        assertPlanner(request.actor);
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="revisjonslogg.csv"')
          .header('cache-control', 'no-store')
          .send(Readable.from(auditCsv(request.actor, request.query, db)));
      },
    );
  };
}
