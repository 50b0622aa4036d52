/**
 * Counts what the server sends its database, for `bench:live`'s statements per write and
 * transactions per second: every query on a node-postgres client and through the product's PGlite
 * driver (and PGlite's own query/exec, should anything call them). A `commit` counts one transaction. The harness asks with a `stats` line on the
 * child's stdin; the answer is one stdout line `{"stats":{"statements":N,"transactions":M}}`.
 * Bench only: the product does not load this.
 */
import { createRequire } from 'node:module';

const counts = { statements: 0, transactions: 0 };

function count(text: unknown): void {
  if (typeof text !== 'string') return;
  // A simple-protocol string may hold several statements ("release savepoint a; savepoint b").
  const parts = text.split(';').filter((part) => part.trim() !== '');
  counts.statements += Math.max(1, parts.length);
  for (const part of parts) if (/^\s*commit\b/i.test(part)) counts.transactions += 1;
}

type QueryFn = (this: unknown, ...args: unknown[]) => unknown;

function wrap(proto: Record<string, unknown>, name: string): void {
  const original = proto[name] as QueryFn;
  proto[name] = function (this: unknown, ...args: unknown[]) {
    const first = args[0];
    const query = first as { text?: unknown; sql?: unknown } | null;
    count(typeof first === 'string' ? first : (query?.text ?? query?.sql));
    return original.apply(this, args);
  };
}

// The product's pg (the one Kysely's PostgresDialect gets its pool from), resolved like the product does.
const pg = createRequire(import.meta.url)('pg') as { Client: { prototype: Record<string, unknown> } };
wrap(pg.Client.prototype, 'query');
// PGlite only when the server runs on it: loading it costs a PostgreSQL server ~50 MB of RSS.
if (!process.env.DATABASE_URL) {
  const { PGlite } = await import('@electric-sql/pglite');
  wrap(PGlite.prototype as unknown as Record<string, unknown>, 'query');
  wrap(PGlite.prototype as unknown as Record<string, unknown>, 'exec');
  // The product's own PGlite driver (src/server/db/pgliteDriver.ts) speaks the protocol to PGlite directly.
  const { PgliteConnection } = await import('../../../src/server/db/pgliteDriver.js');
  wrap(PgliteConnection.prototype as unknown as Record<string, unknown>, 'executeQuery');
}

/** Answers `stats` lines on stdin (the harness's pipe; its end still stops the child); `onStats` hears each (windowProfile.ts). */
export function answerStatsRequests(onStats?: () => void): void {
  let buffered = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    buffered += chunk;
    let newline = buffered.indexOf('\n');
    while (newline >= 0) {
      const line = buffered.slice(0, newline).trim();
      buffered = buffered.slice(newline + 1);
      if (line === 'stats') {
        process.stdout.write(`${JSON.stringify({ stats: counts })}\n`);
        onStats?.();
      }
      newline = buffered.indexOf('\n');
    }
  });
}
