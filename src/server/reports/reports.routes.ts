import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { reportFormatSchema, reportQuerySchema } from '../../contract/reports.schema.js';
import { openReport } from './reports.service.js';

const params = z.object({ workshopId: z.uuid() });
// A report of 100,000 lapper takes seconds of CPU; a few a minute is plenty for a person.
const reportLimit = { rateLimit: { max: 20, timeWindow: '1 minute' } };

const summaries = {
  docx: 'The report for the political case as a Word document (planners only)',
  xlsx: 'Every lapp as a spreadsheet row, and stars per item and group (planners only)',
  csv: 'Every lapp as a CSV row: UTF-8 with BOM, ";" between fields (planners only)',
} as const;

export function reportRoutes({ db }: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    for (const format of reportFormatSchema.options) {
      r.get(
        `/api/workshops/:workshopId/report.${format}`,
        // No automatic HEAD: it would start a report only to throw it away.
        { schema: { tags: ['reports'], summary: summaries[format], params, querystring: reportQuerySchema }, config: reportLimit, exposeHeadRoute: false },
        async (request, reply) => {
          const report = await openReport(request.actor, request.params.workshopId, format, db, request.query.lang);
          return reply
            .type(report.contentType)
            .header('content-disposition', `attachment; filename="${report.fileName}"`)
            .header('cache-control', 'no-store')
            .send(report.body);
        },
      );
    }
  };
}
