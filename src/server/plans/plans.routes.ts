import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import {
  createItemBodySchema,
  createPerspectiveBodySchema,
  createPlanBodySchema,
  editItemBodySchema,
  idParams,
  moveBodySchema,
  planSchema,
  planSummarySchema,
  renamePerspectiveBodySchema,
  revisionSchema,
  updatePlanBodySchema,
} from '../../contract/plans.schema.js';
import * as plans from './plans.service.js';

const tags = ['plans'];
const planReply = { 200: planSchema };

export function planRoutes({ db, publishEvents }: AppContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/api/plans', { schema: { tags, response: { 200: z.array(planSummarySchema) } } }, (request) =>
      plans.listPlans(request.actor, db),
    );
    r.post('/api/plans', { schema: { tags, body: createPlanBodySchema, response: { 201: planSchema } } }, async (request, reply) =>
      reply.code(201).send(await plans.createPlan(request.actor, request.body, db)),
    );
    r.get('/api/plans/:id', { schema: { tags, params: idParams, response: planReply } }, (request) =>
      plans.getPlan(request.actor, request.params.id, db),
    );
    r.patch('/api/plans/:id', { schema: { tags, params: idParams, body: updatePlanBodySchema, response: planReply } }, (request) =>
      plans.updatePlan(request.actor, request.params.id, request.body, db),
    );
    r.get('/api/plans/:id/revisions', { schema: { tags, params: idParams, response: { 200: z.array(revisionSchema) } } }, (request) =>
      plans.listRevisions(request.actor, { planId: request.params.id }, db),
    );

    r.post(
      '/api/plans/:id/perspectives',
      { schema: { tags, params: idParams, body: createPerspectiveBodySchema, response: planReply } },
      (request) => plans.addPerspective(request.actor, request.params.id, request.body, db, publishEvents),
    );
    r.patch(
      '/api/perspectives/:id',
      { schema: { tags, params: idParams, body: renamePerspectiveBodySchema, response: planReply } },
      (request) => plans.renamePerspective(request.actor, request.params.id, request.body, db, publishEvents),
    );
    r.post('/api/perspectives/:id/move', { schema: { tags, params: idParams, body: moveBodySchema, response: planReply } }, (request) =>
      plans.movePerspective(request.actor, request.params.id, request.body, db, publishEvents),
    );
    r.delete('/api/perspectives/:id', { schema: { tags, params: idParams, response: planReply } }, (request) =>
      plans.removePerspective(request.actor, request.params.id, db, publishEvents),
    );

    r.post(
      '/api/perspectives/:id/items',
      { schema: { tags, params: idParams, body: createItemBodySchema, response: planReply } },
      (request) => plans.addItem(request.actor, request.params.id, request.body, db, publishEvents),
    );
    r.patch('/api/items/:id', { schema: { tags, params: idParams, body: editItemBodySchema, response: planReply } }, (request) =>
      plans.editItem(request.actor, request.params.id, request.body, db, publishEvents),
    );
    r.post('/api/items/:id/move', { schema: { tags, params: idParams, body: moveBodySchema, response: planReply } }, (request) =>
      plans.moveItem(request.actor, request.params.id, request.body, db, publishEvents),
    );
    r.post('/api/items/:id/archive', { schema: { tags, params: idParams, response: planReply } }, (request) =>
      plans.setItemArchived(request.actor, request.params.id, true, db, publishEvents),
    );
    r.post('/api/items/:id/restore', { schema: { tags, params: idParams, response: planReply } }, (request) =>
      plans.setItemArchived(request.actor, request.params.id, false, db, publishEvents),
    );
    r.delete('/api/items/:id', { schema: { tags, params: idParams, response: planReply } }, (request) =>
      plans.removeItem(request.actor, request.params.id, db, publishEvents),
    );
    r.get('/api/items/:id/revisions', { schema: { tags, params: idParams, response: { 200: z.array(revisionSchema) } } }, (request) =>
      plans.listRevisions(request.actor, { itemId: request.params.id }, db),
    );
  };
}
