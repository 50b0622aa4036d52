import type { FastifyInstance } from 'fastify';
import { DomainError } from '../domain/errors.js';
import type { HealthWatch } from './health.js';
import { errorBody } from './http/errors.js';
import type { Metrics, MetricsAccess } from './metrics.js';
import type { Drain } from './shutdown.js';

interface Operations {
  health: HealthWatch;
  drain: Drain;
  metrics?: Metrics;
  access: MetricsAccess;
}

const OPERATIONS_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * What a load balancer and Prometheus ask ([OPS-1]…[OPS-4]). Registered on the root instance (not
 * as an encapsulated plugin), so the hooks see every request.
 */
export function operationsRoutes({ health, drain, metrics, access }: Operations) {
  return async (app: FastifyInstance) => {
    // Draining: new work goes elsewhere; running requests finish (Fastify waits for them on close).
    app.addHook('onRequest', async (request, reply) => {
      if (!drain.isDraining || OPERATIONS_PATHS.has(request.url.split('?')[0]!)) return;
      reply.header('retry-after', '1').header('connection', 'close');
      return reply.code(503).send(errorBody(new DomainError('server_busy', 'This server is shutting down; try again')));
    });
    if (metrics) {
      app.addHook('onResponse', async (request, reply) => {
        // The route template, never the URL: ids and query strings stay out of the labels.
        metrics.requests.inc({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
      });
    }

    // [OPS-1] The process is up and answering: a supervisor's liveness probe.
    app.get('/healthz', { schema: { hide: true } }, async () => ({ ok: true }));

    // [OPS-2] Ready for traffic: the database answers and, with REDIS_URL, Redis too; 503 while draining.
    app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
      if (drain.isDraining) return reply.code(503).send({ ok: false, problem: 'shutting down' });
      const report = await health.ready();
      return reply.code(report.ok ? 200 : 503).send(report);
    });

    // [OPS-3] Off unless INNSPILL_METRICS=1 or a token is configured; 404 then, as for any unknown path.
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!metrics || access.kind === 'off') {
        return reply.code(404).send(errorBody(new DomainError('not_found', 'No route GET /metrics')));
      }
      if (access.kind === 'token' && request.headers.authorization !== `Bearer ${access.token}`) {
        return reply.code(401).header('www-authenticate', 'Bearer').send(errorBody(new DomainError('unauthenticated', 'Send the metrics token as a Bearer token')));
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  };
}
