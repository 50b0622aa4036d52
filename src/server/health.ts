import { sql } from 'kysely';
import type { Db } from './db/database.js';
import type { LimitStore } from './limits.js';

const PROBE_TIMEOUT_MS = 5000;

export interface HealthReport {
  ok: boolean;
  database: 'pglite' | 'postgres';
  /** What failed, without details that could hold data. */
  problem?: string;
}

/**
 * Errors that say the database itself is broken, not the request: insufficient resources (53…:
 * out of descriptors, memory, disk), system errors (58…: "could not create file"), internal errors.
 */
export function isDatabaseFault(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && /^(53|58|XX)/.test(code)) return true;
  return typeof message === 'string' && /could not (create|open|write|extend) file|too many open files|EMFILE|ENFILE/i.test(message);
}

/**
 * The truth about whether a write would succeed now ([SAFE-7]): `probe` writes a row and pings
 * the limit store; a database fault seen on any request marks the process broken. On embedded
 * PGlite a broken process cannot heal itself (its file handles are gone), so `onBroken` runs once
 * and the server exits for its supervisor to restart it.
 */
export class HealthWatch {
  private broken: string | null = null;

  constructor(
    private readonly db: Db,
    private readonly kind: 'pglite' | 'postgres',
    private readonly limits: LimitStore,
    private readonly onBroken: (reason: string) => void,
  ) {}

  /** Hears every server-side error; database faults make health fail (and PGlite exit). */
  notice(error: unknown): void {
    if (!isDatabaseFault(error)) return;
    const reason = `database fault${(error as { code?: unknown }).code ? ` (SQLSTATE ${(error as { code: string }).code})` : ''}`;
    // PostgreSQL recovers by itself (a new pooled connection); the next probe tells.
    if (this.kind === 'postgres') return;
    if (this.broken) return;
    this.broken = reason;
    this.onBroken(reason);
  }

  /**
   * [OPS-2] Whether this process can serve: the database answers a query and the limit store
   * (Redis, when REDIS_URL is set) a ping, each within 5 s. Reads only, so a load balancer may ask often.
   */
  async ready(): Promise<HealthReport> {
    if (this.broken) return { ok: false, database: this.kind, problem: this.broken };
    try {
      await withinTime(sql`select 1`.execute(this.db));
    } catch (error) {
      this.notice(error);
      return { ok: false, database: this.kind, problem: 'the database does not answer' };
    }
    try {
      await withinTime(this.limits.ping());
    } catch {
      return { ok: false, database: this.kind, problem: 'Redis does not answer' };
    }
    return { ok: true, database: this.kind };
  }

  async probe(): Promise<HealthReport> {
    if (this.broken) return { ok: false, database: this.kind, problem: this.broken };
    try {
      const at = new Date().toISOString();
      await withinTime(
        this.db
          .insertInto('settings')
          .values({ key: 'health_probe', value: at })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: at }))
          .execute(),
      );
    } catch (error) {
      this.notice(error);
      return { ok: false, database: this.kind, problem: 'the database refuses writes' };
    }
    try {
      await withinTime(this.limits.ping());
    } catch {
      return { ok: false, database: this.kind, problem: 'Redis does not answer' };
    }
    return { ok: true, database: this.kind };
  }
}

/** A check that hangs is a failed check: a load balancer must hear 503, not wait. */
async function withinTime<T>(work: Promise<T>, ms = PROBE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
