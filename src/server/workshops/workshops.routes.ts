import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { idParams } from '../../contract/plans.schema.js';
import { releaseClaim } from '../facilitation/facilitation.service.js';
import { PARTICIPANT_COOKIE, participantCookieOptions } from './participantSession.js';
import {
  changeStateBodySchema,
  createGroupBodySchema,
  createParticipantBodySchema,
  createWorkshopBodySchema,
  groupParams,
  joinBodySchema,
  joinByLinkBodySchema,
  joinCodeParams,
  joinInfoSchema,
  participantParams,
  participantSessionSchema,
  pasteParticipantsBodySchema,
  pasteResultSchema,
  posterParams,
  updateGroupBodySchema,
  updateParticipantBodySchema,
  updatePosterBodySchema,
  updateWorkshopBodySchema,
  userOptionSchema,
  viewerInfoSchema,
  viewerParams,
  workshopIdParams,
  workshopSchema,
  workshopSummarySchema,
} from '../../contract/workshops.schema.js';
import * as workshops from './workshops.service.js';

const tags = ['workshops'];
const joinTags = ['joining'];
const workshopReply = { 200: workshopSchema };
const svgReply = { 200: z.string().describe('An SVG image (image/svg+xml)') };
// Generous: a whole room may join from behind one municipal network address.
const joinLimit = { rateLimit: { max: 300, timeWindow: '1 minute' } };
const current = (request: FastifyRequest) => ({ actor: request.actor, csrfToken: request.expectedCsrfToken });

export function workshopRoutes(context: AppContext) {
  const deps: workshops.WorkshopDeps = { db: context.db, publicUrl: context.config.publicUrl, publishEvents: context.publishEvents };
  const sendSvg = (reply: FastifyReply, svg: string) => reply.type('image/svg+xml').header('cache-control', 'no-store').send(svg);
  const setParticipantCookie = (reply: FastifyReply, value: string) =>
    reply.setCookie(PARTICIPANT_COOKIE, value, participantCookieOptions(context.config.secureCookies));

  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();

    // ---- setup (planners; facilitators read their groups) ----
    r.get('/api/plans/:id/workshops', { schema: { tags, params: idParams, response: { 200: z.array(workshopSummarySchema) } } }, (request) =>
      workshops.listWorkshopsOfPlan(request.actor, request.params.id, deps),
    );
    r.post('/api/workshops', { schema: { tags, body: createWorkshopBodySchema, response: { 201: workshopSchema } } }, async (request, reply) =>
      reply.code(201).send(await workshops.createWorkshop(request.actor, request.body, deps)),
    );
    r.get('/api/workshops/:id', { schema: { tags, params: workshopIdParams, response: workshopReply } }, (request) =>
      workshops.getWorkshop(request.actor, request.params.id, deps),
    );
    r.patch(
      '/api/workshops/:id',
      { schema: { tags, params: workshopIdParams, body: updateWorkshopBodySchema, response: workshopReply } },
      (request) => workshops.updateWorkshop(request.actor, request.params.id, request.body, deps),
    );
    r.post(
      '/api/workshops/:id/state',
      { schema: { tags, params: workshopIdParams, body: changeStateBodySchema, response: workshopReply } },
      (request) => workshops.changeState(request.actor, request.params.id, request.body, deps),
    );
    r.post('/api/workshops/:id/join-code', { schema: { tags, params: workshopIdParams, response: workshopReply } }, (request) =>
      workshops.regenerateJoinCode(request.actor, request.params.id, deps),
    );
    r.post('/api/workshops/:id/viewer-token', { schema: { tags, params: workshopIdParams, response: workshopReply } }, (request) =>
      workshops.regenerateViewerToken(request.actor, request.params.id, deps),
    );
    r.get('/api/workshops/:id/join-qr.svg', { schema: { tags, params: workshopIdParams, response: svgReply } }, async (request, reply) =>
      sendSvg(reply, await workshops.joinQrSvg(request.actor, request.params.id, deps)),
    );

    r.patch(
      '/api/workshops/:id/posters/:posterId',
      { schema: { tags, params: posterParams, body: updatePosterBodySchema, response: workshopReply } },
      (request) => workshops.updatePoster(request.actor, request.params.id, request.params.posterId, request.body, deps),
    );
    r.post('/api/workshops/:id/posters', { schema: { tags, params: workshopIdParams, response: workshopReply } }, (request) =>
      workshops.addMissingPosters(request.actor, request.params.id, deps),
    );

    r.post(
      '/api/workshops/:id/groups',
      { schema: { tags, params: workshopIdParams, body: createGroupBodySchema, response: workshopReply } },
      (request) => workshops.addGroup(request.actor, request.params.id, request.body, deps),
    );
    r.patch(
      '/api/workshops/:id/groups/:groupId',
      { schema: { tags, params: groupParams, body: updateGroupBodySchema, response: workshopReply } },
      (request) => workshops.updateGroup(request.actor, request.params.id, request.params.groupId, request.body, deps),
    );
    r.delete('/api/workshops/:id/groups/:groupId', { schema: { tags, params: groupParams, response: workshopReply } }, (request) =>
      workshops.removeGroup(request.actor, request.params.id, request.params.groupId, deps),
    );

    r.post(
      '/api/workshops/:id/groups/:groupId/participants',
      { schema: { tags, params: groupParams, body: createParticipantBodySchema, response: workshopReply } },
      (request) => workshops.addParticipant(request.actor, request.params.id, request.params.groupId, request.body, deps),
    );
    r.post(
      '/api/workshops/:id/groups/:groupId/participants/paste',
      { schema: { tags, params: groupParams, body: pasteParticipantsBodySchema, response: { 200: pasteResultSchema } } },
      (request) => workshops.pasteParticipants(request.actor, request.params.id, request.params.groupId, request.body, deps),
    );
    r.patch(
      '/api/workshops/:id/participants/:participantId',
      { schema: { tags, params: participantParams, body: updateParticipantBodySchema, response: workshopReply } },
      (request) => workshops.updateParticipant(request.actor, request.params.id, request.params.participantId, request.body, deps),
    );
    r.delete('/api/workshops/:id/participants/:participantId', { schema: { tags, params: participantParams, response: workshopReply } }, (request) =>
      workshops.removeParticipant(request.actor, request.params.id, request.params.participantId, deps),
    );

    // The accounts a planner can pick as facilitator.
    r.get('/api/users', { schema: { tags, response: { 200: z.array(userOptionSchema) } } }, (request) =>
      workshops.listUsers(request.actor, context.db),
    );

    // ---- joining without an account ----
    r.get('/api/join/:code', { config: joinLimit, schema: { tags: joinTags, params: joinCodeParams, response: { 200: joinInfoSchema } } }, (request) =>
      workshops.lookupJoinCode(request.params.code, deps),
    );
    r.post('/api/join', { config: joinLimit, schema: { tags: joinTags, body: joinBodySchema, response: { 200: participantSessionSchema } } }, async (request, reply) => {
      const { session, cookieValue } = await workshops.join(request.body, current(request), deps);
      setParticipantCookie(reply, cookieValue);
      return session;
    });
    r.post(
      '/api/join/personal',
      { config: joinLimit, schema: { tags: joinTags, body: joinByLinkBodySchema, response: { 200: participantSessionSchema } } },
      async (request, reply) => {
        const { session, cookieValue } = await workshops.joinByLink(request.body, current(request), deps);
        setParticipantCookie(reply, cookieValue);
        return session;
      },
    );
    r.get('/api/participant/session', { schema: { tags: joinTags, response: { 200: participantSessionSchema } } }, (request) =>
      workshops.participantSession(request.cookies[PARTICIPANT_COOKIE], current(request), deps),
    );
    r.post('/api/participant/leave', { schema: { tags: joinTags, response: { 204: z.null() } } }, async (request, reply) => {
      await releaseClaim(context.db, request.actor); // [JOIN-5] the name is free for another device
      reply.clearCookie(PARTICIPANT_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    });

    // ---- the plenary link (read-only) ----
    r.get('/api/view/:viewerToken', { config: joinLimit, schema: { tags: joinTags, params: viewerParams, response: { 200: viewerInfoSchema } } }, (request) =>
      workshops.viewerInfo(request.params.viewerToken, deps),
    );
    r.get(
      '/api/view/:viewerToken/join-qr.svg',
      { config: joinLimit, schema: { tags: joinTags, params: viewerParams, response: svgReply } },
      async (request, reply) => sendSvg(reply, await workshops.viewerQrSvg(request.params.viewerToken, deps)),
    );
  };
}
