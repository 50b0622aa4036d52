import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { acceptPlacementsResultSchema, acceptPlacementsSchema, identitySuggestionsSchema, placementSuggestionsSchema } from '../../contract/placement.schema.js';
import { acceptReviewed, identitySuggestions, placementSuggestions } from './placement.service.js';

const tags = ['placement'];
const workshopParams = z.object({ workshopId: z.uuid() });

/**
 * Suggestions only read; accepting one is a normal `note.move` command (POST /api/workshops/:id/commands
 * or the socket), accepting a reviewed list is one request whose rows are such commands ([PLACE-13]).
 */
export function placementRoutes({ db }: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/api/workshops/:workshopId/placement-suggestions',
      { schema: { tags, params: workshopParams, response: { 200: placementSuggestionsSchema } } },
      (request) => placementSuggestions(request.actor, request.params.workshopId, db),
    );
    r.get(
      '/api/workshops/:workshopId/identity-suggestions',
      { schema: { tags, params: workshopParams, response: { 200: identitySuggestionsSchema } } },
      (request) => identitySuggestions(request.actor, request.params.workshopId, db),
    );
    r.post(
      '/api/workshops/:workshopId/placement-suggestions/accept',
      { schema: { tags, params: workshopParams, body: acceptPlacementsSchema, response: { 200: acceptPlacementsResultSchema } } },
      (request) => acceptReviewed(request.actor, request.params.workshopId, request.body, db),
    );
  };
}
