import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assertPlanner } from '../../domain/permissions.js';
import { plannerBeforeBody } from '../http/edge.js';
import type { AppContext } from '../context.js';
import { importBoardTextAs, importReportOf } from './boardImport.service.js';
import { importLapperCsv } from './csvImport.service.js';
import {
  boardImportBodySchema,
  importReportSchema,
  importResultSchema,
  jsonImportResultSchema,
  lapperCsvBodySchema,
  lapperCsvResultSchema,
  mergeGroupBodySchema,
} from '../../contract/imports.schema.js';
import { importWorkshopExport, parseWorkshopExport } from './jsonImport.service.js';
import { mergeGroup } from './mergeGroups.service.js';

const tags = ['imports'];
const workshopParams = z.object({ workshopId: z.uuid() });

export function importRoutes({ db, publishEvents }: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.post(
      '/api/imports/board-text',
      { bodyLimit: 6_000_000, onRequest: plannerBeforeBody, schema: { tags, body: boardImportBodySchema, response: { 201: importResultSchema } } },
      async (request, reply) => reply.code(201).send(await importBoardTextAs(request.actor, request.body, db, publishEvents)),
    );

    r.post(
      '/api/imports/json',
      { bodyLimit: 60_000_000, onRequest: plannerBeforeBody, schema: { tags, body: z.unknown(), response: { 201: jsonImportResultSchema } } },
      async (request, reply) => {
        assertPlanner(request.actor);
        return reply.code(201).send(await importWorkshopExport(parseWorkshopExport(request.body), db));
      },
    );

    r.post(
      '/api/workshops/:workshopId/imports/lapper-csv',
      {
        bodyLimit: 10_000_000,
        onRequest: plannerBeforeBody,
        schema: { tags, params: workshopParams, body: lapperCsvBodySchema, response: { 200: lapperCsvResultSchema } },
      },
      (request) => importLapperCsv(request.actor, request.params.workshopId, request.body.text, db, publishEvents),
    );

    r.get('/api/workshops/:workshopId/import-report', { schema: { tags, params: workshopParams, response: { 200: importReportSchema } } }, async (request) => {
      return importReportOf(request.actor, request.params.workshopId, db);
    });

    r.post(
      '/api/workshops/:workshopId/groups/:groupId/merge',
      { schema: { tags, params: workshopParams.extend({ groupId: z.uuid() }), body: mergeGroupBodySchema, response: { 204: z.null() } } },
      async (request, reply) => {
        await mergeGroup(request.actor, request.params.workshopId, request.params.groupId, request.body.intoGroupId, db, publishEvents);
        return reply.code(204).send(null);
      },
    );
  };
}
