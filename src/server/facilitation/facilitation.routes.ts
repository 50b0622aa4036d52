import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { PARTICIPANT_COOKIE, participantCookieOptions } from '../workshops/participantSession.js';
import { joinBodySchema, participantParams, workshopIdParams } from '../../contract/workshops.schema.js';
import {
  createdJoinRequestSchema,
  decideJoinRequestBodySchema,
  joinRequestParams,
  joinRequestSchema,
  joinRequestStatusBodySchema,
  joinRequestStatusParams,
  joinRequestStatusSchema,
  myGroupSchema,
} from '../../contract/facilitation.schema.js';
import * as facilitation from './facilitation.service.js';

const tags = ['facilitation'];
// As for joining: a whole room may sit behind one address, and a waiting device asks every few seconds.
const joinLimit = { rateLimit: { max: 300, timeWindow: '1 minute' } };

export function facilitationRoutes(context: AppContext) {
  const deps = { db: context.db, publicUrl: context.config.publicUrl, publishEvents: context.publishEvents };
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    r.get('/api/me/groups', { schema: { tags, response: { 200: z.array(myGroupSchema) } } }, (request) => facilitation.myGroups(request.actor, context.db));

    // The personal QR code on a participant's printed card.
    r.get(
      '/api/workshops/:id/participants/:participantId/qr.svg',
      { schema: { tags, params: participantParams, response: { 200: z.string().describe('An SVG image (image/svg+xml)') } } },
      async (request, reply) =>
        reply
          .type('image/svg+xml')
          .header('cache-control', 'no-store')
          .send(await facilitation.personalQrSvg(request.actor, request.params.id, request.params.participantId, deps)),
    );

    r.get('/api/workshops/:id/join-requests', { schema: { tags, params: workshopIdParams, response: { 200: z.array(joinRequestSchema) } } }, (request) =>
      facilitation.listJoinRequests(request.actor, request.params.id, context.db),
    );
    r.post(
      '/api/workshops/:id/join-requests/:requestId',
      { schema: { tags, params: joinRequestParams, body: decideJoinRequestBodySchema, response: { 204: z.null() } } },
      async (request, reply) => {
        await facilitation.decideJoinRequest(request.actor, request.params.id, request.params.requestId, request.body, deps);
        return reply.code(204).send(null);
      },
    );

    // The device told that its name is taken: ask, then wait for the facilitator's answer.
    r.post('/api/join/requests', { config: joinLimit, schema: { tags, body: joinBodySchema, response: { 201: createdJoinRequestSchema } } }, async (request, reply) =>
      reply.code(201).send(await facilitation.requestToJoin(request.body, deps)),
    );
    r.post(
      '/api/join/requests/:requestId',
      { config: joinLimit, schema: { tags, params: joinRequestStatusParams, body: joinRequestStatusBodySchema, response: { 200: joinRequestStatusSchema } } },
      async (request, reply) => {
        const { status, started } = await facilitation.joinRequestStatus(
          request.params.requestId,
          request.body,
          { actor: request.actor, csrfToken: request.expectedCsrfToken },
          deps,
        );
        if (started) reply.setCookie(PARTICIPANT_COOKIE, started.cookieValue, participantCookieOptions(context.config.secureCookies));
        return status;
      },
    );
  };
}
