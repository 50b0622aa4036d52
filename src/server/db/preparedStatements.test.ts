import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from './database.js';
import { openTestDatabase } from '../testing/testApp.js';

const prepared = sql<{ statement: string }>`select statement from pg_prepared_statements`;

describe.skipIf(!process.env.DATABASE_URL)('repeated statements on PostgreSQL', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });
  afterAll(async () => {
    await database?.close();
  });

  it('prepares a parameterised statement on its second run, once per connection, and gives the same rows', async () => {
    const find = (tx: typeof database.db, id: string) => sql<{ id: string }>`select ${id}::text as id where ${id}::text <> 'prepared-probe'`.execute(tx);
    // One transaction holds one connection, so the connection's prepared statements are visible.
    await database.db.transaction().execute(async (tx) => {
      expect((await find(tx, 'a')).rows).toEqual([{ id: 'a' }]);
      const before = (await prepared.execute(tx)).rows.filter((row) => row.statement.includes('prepared-probe'));
      expect(before).toHaveLength(0);
      expect((await find(tx, 'b')).rows).toEqual([{ id: 'b' }]);
      expect((await find(tx, 'c')).rows).toEqual([{ id: 'c' }]);
      const after = (await prepared.execute(tx)).rows.filter((row) => row.statement.includes('prepared-probe'));
      expect(after).toHaveLength(1);
    });
  });

  it('keeps statements without parameters on the simple protocol (several in one string still run)', async () => {
    await database.db.transaction().execute(async (tx) => {
      await sql.raw('savepoint probe; release savepoint probe').execute(tx);
      await sql.raw('savepoint probe; release savepoint probe').execute(tx);
      const named = (await prepared.execute(tx)).rows.filter((row) => row.statement.includes('savepoint probe'));
      expect(named).toHaveLength(0);
    });
  });
});
