import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import type { DatabaseHandle } from '../db/database.js';
import { domainErrorFromDatabase } from '../http/errors.js';
import { openTestDatabase } from '../testing/testApp.js';
import { createWorkshopFixture } from '../testing/workshopFixture.js';
import { executeCommand } from './commands.service.js';

describe('a command that loses a race', () => {
  it('[LIVE-21] turns a deadlock or serialization failure into a transient "server_busy" with a wait, never a 500', () => {
    for (const code of ['40P01', '40001', '55P03']) {
      const error = domainErrorFromDatabase(Object.assign(new Error('x'), { code }));
      expect(error?.code, code).toBe('server_busy');
      expect(error?.details.retryAfterSeconds, code).toBeGreaterThan(0);
    }
    expect(domainErrorFromDatabase(Object.assign(new Error('x'), { code: '23503' }))).toBeNull();
  });
});

// Needs real row locks held by two sessions at once: only PostgreSQL has them (PGlite runs one at a time).
describe.skipIf(!process.env.DATABASE_URL)('a command that deadlocks with a setup writer (PostgreSQL)', () => {
  let database: DatabaseHandle;
  let other: pg.Client;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
    other = new pg.Client({ connectionString: await databaseUrlOf(database) });
    await other.connect();
  });
  afterAll(async () => {
    await other?.end();
    await database?.close();
  });

  it('[LIVE-21] runs a star again after PostgreSQL chose it as the deadlock victim, and stores it once', async () => {
    const fixture = await createWorkshopFixture(database.db, { starBudget: 5 });
    const stein = fixture.groups[0]!.participants[0]!;
    // The setup writer's order: the workshop row first, then the participant.
    await other.query('begin');
    await other.query('select id from workshops where id = $1 for update', [fixture.workshopId]);
    // The star's order: the participant first, then the workshop (its sequence number) — it waits.
    const starId = randomUUID();
    const star = executeCommand(database.db, new WriteRateLimiter(1000, 10_000), stein.actor, fixture.workshopId, randomUUID(), {
      type: 'star.give',
      starId,
      posterId: fixture.strategiesPosterId,
      itemId: fixture.strategyIds[0]!,
    });
    await waitForLockWait(other);
    // Closes the cycle; PostgreSQL aborts one side after deadlock_timeout (1 s).
    const writer = other.query('update participants set name = name where id = $1', [stein.id]).then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? 'error',
    );
    const writerOutcome = await writer;
    await other.query(writerOutcome === 'ok' ? 'commit' : 'rollback');
    const result = await star;
    expect(result.duplicate).toBe(false);
    const stored = await database.db.selectFrom('stars').select('id').where('id', '=', starId).execute();
    expect(stored).toHaveLength(1);
  });
});

async function databaseUrlOf(database: DatabaseHandle): Promise<string> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(database.db);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${rows[0]!.name}`;
  return url.toString();
}

/** Waits until some session of this database waits on a row lock (the star behind the writer). */
async function waitForLockWait(client: pg.Client): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    const { rows } = await client.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the star never waited for the workshop row');
}
