import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { workshopExportSchema } from '../../contract/export.schema.js';
import { exportWorkshop } from './workshopExport.service.js';

const params = z.object({ workshopId: z.uuid() });

export function exportRoutes({ db }: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/workshops/:workshopId/export.json',
      { schema: { tags: ['exports'], params, response: { 200: workshopExportSchema } } },
      async (request, reply) => {
        const data = await exportWorkshop(request.actor, request.params.workshopId, db);
        reply.header('content-disposition', `attachment; filename="innspill-${request.params.workshopId}.json"`);
        return data;
      },
    );
  };
}
