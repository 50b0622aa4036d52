import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { themeCorrectionSchema } from '../../domain/text/index.js';
import type { AppContext } from '../context.js';
import * as assessments from './assessments.service.js';
import * as privacy from './privacy.service.js';
import { SearchCache } from './searchCache.js';
import {
  anonymisedSchema,
  assessManyResultSchema,
  assessBodySchema,
  assessManyBodySchema,
  assessmentSchema,
  consensusSchema,
  nearDuplicatesSchema,
  outcomeSchema,
  overviewQuerySchema,
  overviewSchema,
  participantDataSchema,
  themeSummarySchema,
} from '../../contract/synthesis.schema.js';
import * as synthesis from './synthesis.service.js';
import * as themes from './themes.service.js';

const tags = ['synthesis'];
const workshopParams = z.object({ workshopId: z.uuid() });
const noteParams = z.object({ noteId: z.uuid() });
const participantParams = z.object({ participantId: z.uuid() });

export function synthesisRoutes({ db, publishEvents }: AppContext) {
  const search = new SearchCache();
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/api/workshops/:workshopId/synthesis', { schema: { tags, params: workshopParams, querystring: overviewQuerySchema, response: { 200: overviewSchema } } }, (request) =>
      synthesis.overview(request.actor, request.params.workshopId, request.query, db, search),
    );
    r.get('/api/workshops/:workshopId/synthesis/consensus', { schema: { tags, params: workshopParams, response: { 200: consensusSchema } } }, (request) =>
      synthesis.consensus(request.actor, request.params.workshopId, db),
    );

    r.put('/api/notes/:noteId/assessment', { schema: { tags, params: noteParams, body: assessBodySchema, response: { 200: assessmentSchema } } }, (request) =>
      assessments.assessNote(request.actor, request.params.noteId, request.body, db),
    );
    r.delete('/api/notes/:noteId/assessment', { schema: { tags, params: noteParams, response: { 204: z.null() } } }, async (request, reply) => {
      await assessments.clearAssessment(request.actor, request.params.noteId, db);
      return reply.code(204).send(null);
    });
    r.post(
      '/api/workshops/:workshopId/assessments',
      { schema: { tags, params: workshopParams, body: assessManyBodySchema, response: { 200: assessManyResultSchema } } },
      (request) => assessments.assessNotes(request.actor, request.params.workshopId, request.body, db),
    );
    r.post(
      '/api/notes/:noteId/duplicate-of',
      { schema: { tags, params: noteParams, body: z.object({ keepNoteId: z.uuid() }), response: { 204: z.null() } } },
      async (request, reply) => {
        await assessments.mergeDuplicate(request.actor, request.params.noteId, request.body.keepNoteId, db);
        return reply.code(204).send(null);
      },
    );
    r.delete('/api/notes/:noteId/duplicate-of', { schema: { tags, params: noteParams, response: { 204: z.null() } } }, async (request, reply) => {
      await assessments.unmergeDuplicate(request.actor, request.params.noteId, db);
      return reply.code(204).send(null);
    });

    r.post('/api/workshops/:workshopId/themes/recompute', { schema: { tags, params: workshopParams, response: { 200: themeSummarySchema } } }, (request) =>
      themes.recomputeThemes(request.actor, request.params.workshopId, db),
    );
    r.post(
      '/api/workshops/:workshopId/themes/corrections',
      { schema: { tags, params: workshopParams, body: themeCorrectionSchema, response: { 200: themeSummarySchema } } },
      (request) => themes.correctTheme(request.actor, request.params.workshopId, request.body, db),
    );
    r.get('/api/workshops/:workshopId/near-duplicates', { schema: { tags, params: workshopParams, response: { 200: nearDuplicatesSchema } } }, (request) =>
      themes.nearDuplicates(request.actor, request.params.workshopId, db),
    );

    r.get('/api/participants/:participantId/data', { schema: { tags, params: participantParams, response: { 200: participantDataSchema } } }, async (request, reply) => {
      reply.header('content-disposition', `attachment; filename="innspill-deltaker-${request.params.participantId}.json"`);
      return privacy.participantData(request.actor, request.params.participantId, db);
    });
    r.post(
      '/api/participants/:participantId/anonymise',
      { schema: { tags, params: participantParams, response: { 200: anonymisedSchema } } },
      (request) => privacy.anonymiseParticipant(request.actor, request.params.participantId, db, publishEvents),
    );
    r.get('/api/participant/outcome', { schema: { tags, response: { 200: outcomeSchema } } }, (request) => privacy.myOutcome(request.actor, db));
  };
}
