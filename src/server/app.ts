import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { authRoutes, userSessionResolver } from './auth/auth.routes.js';
import type { ServerConfig } from './config.js';
import type { AppContext } from './context.js';
import type { DatabaseHandle } from './db/database.js';
import { registerActorResolution } from './http/actor.js';
import { errorBody, registerErrorHandler } from './http/errors.js';
import { DomainError } from '../domain/errors.js';
import { facilitationRoutes } from './facilitation/facilitation.routes.js';
import { planRoutes } from './plans/plans.routes.js';
import { exportRoutes } from './exports/exports.routes.js';
import { importRoutes } from './imports/imports.routes.js';
import { synthesisRoutes } from './synthesis/synthesis.routes.js';
import { reportRoutes } from './reports/reports.routes.js';
import { placementRoutes } from './placement/placement.routes.js';
import { InProcessBus, type LiveBus } from './live/bus.js';
import { writeLimiter } from './live/commands.service.js';
import { LiveHub } from './live/hub.js';
import { liveRoutes } from './live/live.routes.js';
import { RedisBus } from './live/redisBus.js';
import { participantSessionResolver } from './workshops/participantSession.js';
import { workshopRoutes } from './workshops/workshops.routes.js';

export interface AppOptions {
  database: DatabaseHandle;
  config: ServerConfig;
  logger?: FastifyServerOptions['logger'];
  /** Folder of the built web app; defaults to dist/web next to the code. */
  webRoot?: string;
  /** Fan-out between processes; defaults to Redis when REDIS_URL is configured, else in-process. */
  bus?: LiveBus;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultWebRoot = path.resolve(here, '../../dist/web');

/** Builds the whole app without listening, so tests can use `inject` or listen on a free port. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1_048_576,
    trustProxy: true,
  });
  const bus = options.bus ?? (options.config.redisUrl ? new RedisBus(options.config.redisUrl) : new InProcessBus());
  const hub = new LiveHub(options.database.db, bus, app.log);
  app.addHook('onClose', async () => {
    await hub.close();
    await bus.close();
  });
  const context: AppContext = {
    db: options.database.db,
    dbKind: options.database.kind,
    config: options.config,
    log: app.log,
    publishEvents: (workshopId, events) => hub.publish(workshopId, events),
  };

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Innspill API', version: '1', description: 'Participation workshops for the municipal master plan' },
    },
    transform: jsonSchemaTransform,
  });
  registerActorResolution(app, [userSessionResolver(context), participantSessionResolver(context)]);

  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  await app.register(authRoutes(context));
  await app.register(planRoutes(context));
  await app.register(exportRoutes(context));
  await app.register(importRoutes(context));
  await app.register(synthesisRoutes(context));
  await app.register(reportRoutes(context));
  await app.register(placementRoutes(context));
  await app.register(liveRoutes(context, { db: context.db, hub, limiter: writeLimiter(options.config.writesPer10Seconds), log: app.log }));
  await app.register(workshopRoutes(context));
  await app.register(facilitationRoutes(context));

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { schema: { hide: true } }, async () => ({ ok: true, database: context.dbKind }));

  await serveWebApp(app, options.webRoot ?? defaultWebRoot);
  return app;
}

/** Serves the built React app, answering unknown non-API paths with index.html for client routing. */
async function serveWebApp(app: FastifyInstance, webRoot: string): Promise<void> {
  const hasWebApp = existsSync(path.join(webRoot, 'index.html'));
  if (hasWebApp) await app.register(fastifyStatic, { root: webRoot, wildcard: false });
  else app.log.warn(`No built web app in ${webRoot}; run "npm run build"`);
  app.setNotFoundHandler((request, reply) => {
    if (hasWebApp && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
    const path = request.url.split('?')[0];
    return reply.code(404).send(errorBody(new DomainError('not_found', `No route ${request.method} ${path}`)));
  });
}
