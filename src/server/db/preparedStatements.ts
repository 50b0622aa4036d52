import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Statements named per process; each connection prepares at most these. */
const MAX_NAMED = 500;
/** Texts counted before naming; the count starts over when full (the hot statements come back first). */
const MAX_COUNTED = 5000;

/**
 * Names the parameterised statements the server sends again and again, so each PostgreSQL
 * connection parses and plans them once instead of every time: on the live write path that was a
 * large share of the database's CPU per write (docs/benchmarks.md, issue 12). A text is named the
 * second time it is seen and only while fewer than MAX_NAMED are; statements without parameters
 * (BEGIN, savepoints, several statements in one string) keep the simple protocol.
 */
export function prepareRepeatedStatements(pool: pg.Pool): void {
  const names = new Map<string, string>();
  const counted = new Map<string, number>();

  const nameOf = (text: string): string | undefined => {
    const name = names.get(text);
    if (name || names.size >= MAX_NAMED) return name;
    const seen = (counted.get(text) ?? 0) + 1;
    if (seen < 2) {
      if (counted.size >= MAX_COUNTED) counted.clear();
      counted.set(text, seen);
      return undefined;
    }
    counted.delete(text);
    const named = `innspill_${createHash('sha1').update(text).digest('base64url')}`;
    names.set(text, named);
    return named;
  };

  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const [text, values] = args;
      if (typeof text !== 'string' || !Array.isArray(values) || values.length === 0 || args.length > 2) return query(...args);
      const name = nameOf(text);
      return name ? query({ name, text, values }) : query(text, values);
    };
  });
}
