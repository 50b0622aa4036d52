import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, sql } from 'kysely';
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddedAdapter, isEmbedded } from './database.js';
import { FlushingNodeFS, openPgliteClient, PgliteDialect } from './pgliteDriver.js';

interface Tables {
  t: { id: number; label: string; at: Date | null; day: string | null; tags: string[] | null; doc: unknown };
}

/** How often PostgreSQL ran each statement it holds prepared (protocol-level ones included). */
async function executions(client: PGlite): Promise<Map<string, number>> {
  const { rows } = await client.query<{ statement: string; runs: number }>('select statement, generic_plans + custom_plans as runs from pg_prepared_statements');
  return new Map(rows.map((row) => [row.statement, Number(row.runs)]));
}

const selectById = (db: Kysely<Tables>, id: number) => db.selectFrom('t').selectAll().where('id', '=', id).execute();

/** Runs `test` with a fresh data folder on disk, removed afterwards. */
async function withDataDir(name: string, test: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `innspill-pglite-${name}-`));
  try {
    await test(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const keptTable = (client: PGlite) => new Kysely<{ kept: { id: number } }>({ dialect: new PgliteDialect(client, () => new EmbeddedAdapter()) });

describe('PGlite driver (decision 015)', () => {
  let client: PGlite;
  let db: Kysely<Tables>;

  beforeEach(async () => {
    client = await openPgliteClient('memory://');
    db = new Kysely<Tables>({ dialect: new PgliteDialect(client, () => new EmbeddedAdapter()) });
    await db.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('label', 'text').addColumn('at', 'timestamptz').addColumn('day', 'date').addColumn('tags', sql`text[]`).addColumn('doc', 'jsonb').execute();
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('marks the database as embedded and returns values as PGlite did (date as text, timestamptz as Date, arrays, json, affected rows)', async () => {
    expect(isEmbedded(db as never)).toBe(true);
    const at = new Date('2026-12-07T10:00:00.000Z');
    const inserted = await db.insertInto('t').values({ id: 1, label: 'a', at, day: '2026-12-07', tags: ['x', 'y'], doc: JSON.stringify({ k: [1] }) }).executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(1n);
    expect(await selectById(db, 1)).toEqual([{ id: 1, label: 'a', at, day: '2026-12-07', tags: ['x', 'y'], doc: { k: [1] } }]);
    const updated = await db.updateTable('t').set({ label: 'b' }).where('id', '>', 5).executeTakeFirst();
    expect(updated.numUpdatedRows).toBe(0n);
    const deleted = await db.deleteFrom('t').where('id', '=', 1).executeTakeFirst();
    expect(deleted.numDeletedRows).toBe(1n);
  });

  it('parses and plans a statement seen twice once, and runs it again from then on', async () => {
    await db.insertInto('t').values({ id: 1, label: 'a' }).execute();
    for (let run = 0; run < 5; run += 1) expect((await selectById(db, 1))[0]?.label).toBe('a');
    const text = db.selectFrom('t').selectAll().where('id', '=', 1).compile().sql;
    // The first run parses unnamed; the second names it; runs 2–5 execute the named statement.
    expect((await executions(client)).get(text)).toBe(4);
  });

  it('keeps answering inside a migration that changes the columns a named statement returns', async () => {
    await db.insertInto('t').values({ id: 1, label: 'a' }).execute();
    await selectById(db, 1);
    await selectById(db, 1);
    // In one transaction, as the migrator runs: a failure here could not simply be retried.
    const rows = await db.transaction().execute(async (tx) => {
      await tx.schema.alterTable('t').addColumn('extra', 'text', (c) => c.defaultTo('new')).execute();
      return selectById(tx, 1);
    });
    expect(rows).toEqual([expect.objectContaining({ id: 1, extra: 'new' })]);
  });

  it('keeps answering after a schema change made behind its back (outside a transaction)', async () => {
    await db.insertInto('t').values({ id: 1, label: 'a' }).execute();
    await selectById(db, 1);
    await selectById(db, 1);
    await client.exec("alter table t add column behind text default 'b'");
    expect(await selectById(db, 1)).toEqual([expect.objectContaining({ id: 1, behind: 'b' })]);
  });

  it('keeps a named statement usable after it failed and after the transaction it was named in rolled back', async () => {
    const insert = (id: number) => db.insertInto('t').values({ id, label: `n${id}` }).execute();
    await insert(1);
    await expect(insert(1)).rejects.toMatchObject({ code: '23505' });
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.insertInto('t').values({ id: 2, label: 'n2' }).execute();
        await tx.insertInto('t').values({ id: 2, label: 'n2' }).execute();
      }),
    ).rejects.toMatchObject({ code: '23505' });
    await insert(3);
    const text = db.insertInto('t').values({ id: 0, label: '' }).compile().sql;
    // Named at its second run (the duplicate, which failed), then run three more times.
    expect((await executions(client)).get(text)).toBe(4);
    expect((await db.selectFrom('t').select('id').orderBy('id').execute()).map((row) => row.id)).toEqual([1, 3]);
  });

  it('runs several statements of one text without parameters, answering with the last', async () => {
    const { rows } = await sql<{ n: number }>`select 1 as n; select 2 as n`.execute(db);
    expect(rows).toEqual([{ n: 2 }]);
  });
});

describe('durable PGlite (decision 015)', () => {
  it('runs PostgreSQL with fsync on, flushes the WAL of a commit before answering (not within the transaction), and keeps it across a reopen', async () => {
    await withDataDir('durable', async (dir) => {
      let client = await openPgliteClient(dir);
      const show = async (name: string) => (await client.query<Record<string, string>>(`show ${name}`)).rows[0]?.[name];
      expect([await show('fsync'), await show('synchronous_commit'), await show('full_page_writes')]).toEqual(['on', 'on', 'on']);
      const fs = client.fs as FlushingNodeFS;
      expect(fs).toBeInstanceOf(FlushingNodeFS);
      const db = keptTable(client);
      await db.schema.createTable('kept').addColumn('id', 'integer').execute();
      let flushes = fs.walFlushes;
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('kept').values({ id: 7 }).execute();
        await tx.insertInto('kept').values({ id: 8 }).execute();
        expect(fs.walFlushes).toBe(flushes);
      });
      expect(fs.walFlushes).toBe(flushes + 1);
      flushes = fs.walFlushes;
      await db.insertInto('kept').values({ id: 9 }).execute();
      expect(fs.walFlushes).toBe(flushes + 1);
      await db.destroy();
      client = await openPgliteClient(dir);
      expect((await client.query<{ id: number }>('select id from kept order by id')).rows).toEqual([{ id: 7 }, { id: 8 }, { id: 9 }]);
      await client.close();
    });
  });

  it('lends the session to the next transaction while a commit waits for its flush, and answers them in commit order', async () => {
    await withDataDir('handover', async (dir) => {
      const client = await openPgliteClient(dir);
      const db = keptTable(client);
      await db.schema.createTable('kept').addColumn('id', 'integer').execute();
      const seen: string[] = [];
      const write = (id: number) =>
        db
          .transaction()
          .execute(async (tx) => {
            seen.push(`${id} runs`);
            await tx.insertInto('kept').values({ id }).execute();
          })
          .then(() => seen.push(`${id} answered`));
      // Two writes on their own in one connection() block (as a batch of only lapper runs), between transactions.
      const block = db.connection().execute(async (connection) => {
        await connection.insertInto('kept').values({ id: 4 }).execute();
        await connection.insertInto('kept').values({ id: 5 }).execute();
      });
      await Promise.all([write(1), block, write(2), write(3)]);
      // The second ran while the first's WAL was being flushed; nobody was answered out of order.
      expect(seen.indexOf('2 runs')).toBeLessThan(seen.indexOf('1 answered'));
      expect(seen.filter((step) => step.endsWith('answered'))).toEqual(['1 answered', '2 answered', '3 answered']);
      expect((await db.selectFrom('kept').select('id').orderBy('id').execute()).map((row) => row.id)).toEqual([1, 2, 3, 4, 5]);
      await db.destroy();
    });
  });

  it('makes a new database in a folder that already holds a file (the data folder lock)', async () => {
    await withDataDir('locked', async (dir) => {
      writeFileSync(join(dir, 'innspill.lock'), '{}');
      const client = await openPgliteClient(dir);
      expect((await client.query<{ fsync: string }>('show fsync')).rows[0]?.fsync).toBe('on');
      await client.close();
    });
  });

  it('keeps PGlite’s defaults (no flush at all) when asked not to be durable, and in memory', async () => {
    await withDataDir('volatile', async (dir) => {
      for (const client of [await openPgliteClient(dir, { durable: false }), await openPgliteClient('memory://')]) {
        expect((await client.query<{ fsync: string }>('show fsync')).rows[0]?.fsync).toBe('off');
        expect(client.fs).not.toBeInstanceOf(FlushingNodeFS);
        await client.close();
      }
    });
  });
});
