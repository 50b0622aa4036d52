import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import helmet from 'helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { auditRoutes } from './audit/audit.routes.js';
import type { OidcOptions } from './auth/oidc.service.js';
import { authRoutes, userSessionResolver } from './auth/auth.routes.js';
import type { ServerConfig } from './config.js';
import type { AppContext } from './context.js';
import type { DatabaseHandle } from './db/database.js';
import { registerActorResolution } from './http/actor.js';
import { registerEdgeChecks } from './http/edge.js';
import { errorBody, registerErrorHandler } from './http/errors.js';
import { logSerializers } from './http/logging.js';
import { HealthWatch } from './health.js';
import { Metrics } from './metrics.js';
import { operationsRoutes } from './operations.routes.js';
import { Drain } from './shutdown.js';
import { RedisLimitStore, openLimitStore, writeLimiter, type LimitStore } from './limits.js';
import { SocketCaps } from './live/socketCaps.js';
import { DomainError } from '../domain/errors.js';
import { CLOSE_CODES } from '../contract/protocol.js';
import { AttachmentStore, sweepWhileRunning } from './consultations/attachmentStore.js';
import { sweepAttachmentStore } from './consultations/attachmentSweep.js';
import { consultationRoutes } from './consultations/consultations.routes.js';
import { mailerFrom } from './consultations/mailer.js';
import { facilitationRoutes } from './facilitation/facilitation.routes.js';
import { planRoutes } from './plans/plans.routes.js';
import { exportRoutes } from './exports/exports.routes.js';
import { importRoutes } from './imports/imports.routes.js';
import { synthesisRoutes } from './synthesis/synthesis.routes.js';
import { reportRoutes } from './reports/reports.routes.js';
import { placementRoutes } from './placement/placement.routes.js';
import { InProcessBus, type LiveBus } from './live/bus.js';
import { LiveHub } from './live/hub.js';
import { listenForAppends } from './live/logListener.js';
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
  /** Where write, login and join limits are counted; defaults to Redis when REDIS_URL is configured, else memory. */
  limits?: LimitStore;
  /** Called once when the embedded database is broken beyond repair; `serve` exits so a supervisor restarts it. */
  onBroken?: (reason: string) => void;
  /** Graceful shutdown's gate ([OPS-4]); `serve` keeps it to drain before closing. */
  drain?: Drain;
  /** Tests stand between the app and the identity provider ([AUTH-3]). */
  oidc?: OidcOptions;
}

/** Slow or stalled requests are closed: headers within 15 s, the whole request within 30 s ([SAFE-4]). */
export const HEADERS_TIMEOUT_MS = 15_000;
export const REQUEST_TIMEOUT_MS = 30_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const defaultWebRoot = path.resolve(here, '../../dist/web');

/** Builds the whole app without listening, so tests can use `inject` or listen on a free port. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const logger = options.logger ?? false;
  const app = Fastify({
    logger: typeof logger === 'object' ? { serializers: logSerializers, ...logger } : logger,
    bodyLimit: 1_048_576,
    trustProxy: trustProxyOption(options.config.trustProxy),
    requestTimeout: REQUEST_TIMEOUT_MS,
    // Checked every second, so a stalled body is closed within the limit, not up to 30 s later.
    http: { connectionsCheckingInterval: 1000, headersTimeout: HEADERS_TIMEOUT_MS },
  });
  const bus = options.bus ?? (options.config.redisUrl ? new RedisBus(options.config.redisUrl) : new InProcessBus());
  const limits = options.limits ?? openLimitStore(options.config.redisUrl);
  const drain = options.drain ?? new Drain();
  const database = options.database;
  const metrics = options.config.metrics.kind === 'off' ? undefined : new Metrics({ poolStats: database.poolStats, commandsInFlight: () => drain.inFlight });
  const hub = new LiveHub(options.database.db, bus, app.log, metrics && ((event) => metrics.observeFanout(event.at)));
  // [LIVE-22] Writes of other processes on this PostgreSQL (the CLI) reach this process's devices.
  const stopListening = options.database.url ? await listenForAppends(options.database.url, hub, app.log) : null;
  const health = new HealthWatch(options.database.db, options.database.kind, limits, (reason) => {
    app.log.fatal({ reason }, 'the embedded database is broken; stopping so the supervisor restarts the server');
    options.onBroken?.(reason);
  });
  const mailer = mailerFrom(options.config.smtpUrl, options.config.mailFrom);
  app.addHook('onClose', async () => {
    await stopListening?.();
    mailer?.close();
    await hub.close();
    await bus.close();
    if (!options.limits) await limits.close();
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
  registerErrorHandler(app, (error) => health.notice(error));
  const headers = securityHeaderValues(options.config.secureCookies);
  app.addHook('onRequest', (_request, reply, done) => {
    for (const [name, value] of headers) reply.raw.setHeader(name, value);
    done();
  });
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, {
    global: false,
    // Login and join budgets are shared by every process on one Redis ([SAFE-6]).
    ...(limits instanceof RedisLimitStore ? { redis: limits.client, nameSpace: `${limits.prefix}http:` } : {}),
  });
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Innspill API', version: '1', description: 'Participation workshops for the municipal master plan' },
    },
    transform: jsonSchemaTransform,
  });
  // Before everything else: a draining process answers new requests 503 at once, and every answer is counted.
  await operationsRoutes({ health, drain, metrics, access: options.config.metrics })(app);
  registerActorResolution(app, [userSessionResolver(context), participantSessionResolver(context)]);
  registerEdgeChecks(app);

  await app.register(fastifyWebsocket, {
    // No permessage-deflate (ws's default, stated here): a live frame is ~0.3–1 kB of JSON sent to
    // many devices; compressing it per socket (ws keeps a zlib context per socket) would cost more
    // CPU per delivery than the bytes it saves on a LAN ([LIVE-24]).
    options: { maxPayload: 64 * 1024, perMessageDeflate: false },
    // Every socket hears 1001 "going away": reconnect with the last sequence number, to another
    // process behind the load balancer ([OPS-4]); the default would close without a code.
    preClose(done) {
      for (const client of this.websocketServer.clients) client.close(CLOSE_CODES.goingAway, 'server shutting down; reconnect');
      this.websocketServer.close(() => done());
    },
  });

  await app.register(authRoutes(context, options.oidc));
  await app.register(planRoutes(context));
  await app.register(exportRoutes(context));
  await app.register(importRoutes(context));
  await app.register(synthesisRoutes(context));
  await app.register(reportRoutes(context));
  await app.register(placementRoutes(context));
  await app.register(
    liveRoutes(context, {
      db: context.db,
      hub,
      limiter: writeLimiter(limits, options.config.writesPer10Seconds),
      log: app.log,
      sockets: new SocketCaps(options.config.socketCaps),
      onServerFault: (error) => health.notice(error),
      drain,
      metrics,
    }),
  );
  await app.register(workshopRoutes(context));
  await app.register(facilitationRoutes(context));
  await app.register(auditRoutes(context));
  const attachments = new AttachmentStore(options.config.attachmentsDir);
  const stopSweeping = sweepWhileRunning(() => sweepAttachmentStore(attachments, database.db), app.log);
  app.addHook('onClose', async () => stopSweeping());
  await app.register(consultationRoutes(context, { store: attachments, limits, mail: mailer?.send }));

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  app.get('/api/health', { schema: { hide: true } }, async (_request, reply) => {
    const report = await health.probe();
    return reply.code(report.ok ? 200 : 503).send(report);
  });

  await serveWebApp(app, options.webRoot ?? defaultWebRoot);
  return app;
}

/** A number of hops means: believe that many proxies next to us (proxy-addr's meaning of a number). */
function trustProxyOption(trust: ServerConfig['trustProxy']) {
  return typeof trust === 'number' ? (_address: string, hop: number) => hop < trust : trust;
}

/**
 * Security headers on every answer ([SAFE-8]): the app runs only its own scripts and styles, is
 * never framed, and tells browsers not to guess types or leak paths in Referer.
 */
function securityHeaderOptions(secure: boolean) {
  return {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        // Only behind HTTPS: on a plain-HTTP laptop or LAN address it would break every asset.
        ...(secure ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    frameguard: { action: 'deny' as const },
    referrerPolicy: { policy: 'same-origin' as const },
    hsts: secure,
  };
}

/**
 * The security headers as name/value pairs, computed once: helmet's headers do not depend on the
 * request (no nonces), and building its middleware per request (what @fastify/helmet does) cost
 * about 0.1 ms of CPU per answer. Set on the raw response, as helmet does, so hijacked answers
 * (the live event stream) carry them too.
 */
function securityHeaderValues(secure: boolean): [string, string][] {
  const headers = new Map<string, string>();
  const response = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.set(name, String(value)),
    removeHeader: (name: string) => headers.delete(name),
  };
  let failed: unknown;
  helmet(securityHeaderOptions(secure))({} as never, response as never, (error?: unknown) => (failed = error));
  if (failed) throw failed;
  return [...headers];
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
