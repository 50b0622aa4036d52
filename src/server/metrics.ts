import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Command } from '../contract/protocol.js';

/** What the metrics may read from the rest of the process when Prometheus scrapes. */
export interface MetricSources {
  /** The PostgreSQL pool's counts; absent on PGlite (one connection, no pool). */
  poolStats?: () => { total: number; idle: number; waiting: number };
  /** Commands running now. */
  commandsInFlight?: () => number;
}

/**
 * [OPS-3] Prometheus metrics of one process. Labels are closed sets chosen by the code — a route
 * template (`/api/workshops/:workshopId/report.docx`), a method, a status, a command type, an
 * outcome — never a value from a request: no names, texts or ids reach a label.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly liveSockets: Gauge<'transport'>;
  readonly commands: Counter<'type' | 'outcome'>;
  readonly commandSeconds: Histogram<'type'>;
  readonly fanoutLagSeconds: Histogram;

  constructor(sources: MetricSources = {}) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: 'innspill_process_' });
    this.requests = new Counter({
      name: 'innspill_http_requests_total',
      help: 'HTTP requests answered, by route template, method and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.liveSockets = new Gauge({
      name: 'innspill_live_sockets',
      help: 'Open live connections (WebSocket, or server-sent events where WebSockets are blocked)',
      labelNames: ['transport'],
      registers,
    });
    this.commands = new Counter({
      name: 'innspill_live_commands_total',
      help: 'Live commands by type and outcome (ack, duplicate, reject, error, refused while shutting down)',
      labelNames: ['type', 'outcome'],
      registers,
    });
    this.commandSeconds = new Histogram({
      name: 'innspill_live_command_duration_seconds',
      help: 'Time from a command arriving to its answer (transaction included)',
      labelNames: ['type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.fanoutLagSeconds = new Histogram({
      name: 'innspill_event_fanout_lag_seconds',
      help: 'Time from an event being appended to its delivery to this process’s devices (over Redis when set)',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    const { poolStats, commandsInFlight } = sources;
    new Gauge({
      name: 'innspill_db_pool_waiting',
      help: 'Queries waiting for a free PostgreSQL connection (0 on PGlite)',
      registers,
      collect() {
        this.set(poolStats?.().waiting ?? 0);
      },
    });
    new Gauge({
      name: 'innspill_db_pool_connections',
      help: 'PostgreSQL connections in the pool, by state',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = poolStats?.();
        this.set({ state: 'total' }, stats?.total ?? 0);
        this.set({ state: 'idle' }, stats?.idle ?? 0);
      },
    });
    new Gauge({
      name: 'innspill_live_commands_in_flight',
      help: 'Live commands running now',
      registers,
      collect() {
        this.set(commandsInFlight?.() ?? 0);
      },
    });
  }

  /** Times one command; the type is one of the protocol's closed set. */
  observeCommand(type: Command['type'], outcome: 'ack' | 'duplicate' | 'reject' | 'error' | 'draining', seconds: number): void {
    this.commands.inc({ type, outcome });
    if (outcome !== 'draining') this.commandSeconds.observe({ type }, seconds);
  }

  observeFanout(appendedAt: string): void {
    const lag = (Date.now() - Date.parse(appendedAt)) / 1000;
    if (Number.isFinite(lag)) this.fanoutLagSeconds.observe(Math.max(0, lag));
  }
}

/**
 * Who may read /metrics: nobody by default (404); everyone that reaches the port with
 * INNSPILL_METRICS=1 (put it behind the proxy's internal network); only a bearer of the token with
 * INNSPILL_METRICS_TOKEN.
 */
export type MetricsAccess = { kind: 'off' } | { kind: 'open' } | { kind: 'token'; token: string };

export function metricsAccessFromEnv(env: NodeJS.ProcessEnv): MetricsAccess {
  if (env.INNSPILL_METRICS_TOKEN) return { kind: 'token', token: env.INNSPILL_METRICS_TOKEN };
  if (env.INNSPILL_METRICS === '1' || env.INNSPILL_METRICS === 'true') return { kind: 'open' };
  return { kind: 'off' };
}
