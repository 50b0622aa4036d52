import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { readWorkshopExport } from '../exports/workshopExport.service.js';
import { runCliToEnd } from '../testing/serverProcess.js';
import { testDatabaseKinds } from '../testing/testApp.js';
import { createWorkshopFixture } from '../testing/workshopFixture.js';

/** [OPS-5][OPS-6] `innspill backup` and `innspill restore` as an operator runs them, on each database. */
const folder = mkdtempSync(path.join(tmpdir(), 'innspill-backup-'));
const createdDatabases: string[] = [];
afterAll(async () => {
  rmSync(folder, { recursive: true, force: true });
  if (!process.env.DATABASE_URL) return;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  for (const name of createdDatabases) await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

/** Where a test database lives, as the environment the CLI reads. */
async function newTarget(kind: 'pglite' | 'postgres'): Promise<Record<string, string>> {
  if (kind === 'pglite') return { INNSPILL_DATA_DIR: path.join(folder, randomUUID()), DATABASE_URL: '' };
  const name = `innspill_backup_${randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  createdDatabases.push(name);
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = `/${name}`;
  return { DATABASE_URL: url.toString() };
}

async function withDatabase<T>(env: Record<string, string>, work: (handle: DatabaseHandle) => Promise<T>): Promise<T> {
  const handle = await openDatabase({ databaseUrl: env.DATABASE_URL || undefined, dataDir: env.INNSPILL_DATA_DIR ?? '' });
  try {
    return await work(handle);
  } finally {
    await handle.close();
  }
}

const exportOf = (env: Record<string, string>, workshopId: string) =>
  withDatabase(env, async ({ db }) => {
    const { exportedAt: _, ...document } = await readWorkshopExport(db, workshopId);
    return document;
  });

describe.each(testDatabaseKinds)('backup and restore on %s', (kind) => {
  it('[OPS-5][OPS-6] a round trip gives the same workshop export; a non-empty database is refused without --force', async () => {
    const source = await newTarget(kind);
    const workshopId = await withDatabase(source, async ({ db }) => {
      await migrateToLatest(db);
      const fixture = await createWorkshopFixture(db);
      await db.insertInto('audit_log').values({ actor_user_id: null, actor_name: 'test', actor_role: 'system', action: 'moderation', workshop_id: null, target_type: null, target_id: null, detail: '{}' }).execute();
      return fixture.workshopId;
    });
    const before = await exportOf(source, workshopId);
    const file = path.join(folder, `${randomUUID()}.backup`);

    const made = await runCliToEnd(['backup', '--out', file], source);
    expect(made.code, made.output).toBe(0);

    const target = await newTarget(kind);
    const restored = await runCliToEnd(['restore', file], target);
    expect(restored.code, restored.output).toBe(0);
    expect(await exportOf(target, workshopId)).toEqual(before);
    // The audit trail came along, and is still append-only.
    await withDatabase(target, async ({ db }) => {
      expect(await db.selectFrom('audit_log').select('actor_name').execute()).toEqual([{ actor_name: 'test' }]);
      await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    });

    const refused = await runCliToEnd(['restore', file], target);
    expect(refused.code).toBe(1);
    expect(refused.output).toMatch(/--force/);
    const forced = await runCliToEnd(['restore', file, '--force'], target);
    expect(forced.code, forced.output).toBe(0);
    expect(await exportOf(target, workshopId)).toEqual(before);
    if (kind === 'pglite') expect(readdirSync(folder).some((name) => name.includes('.before-restore-'))).toBe(true);

    const notABackup = path.join(folder, 'notes.txt');
    await import('node:fs/promises').then((fs) => fs.writeFile(notABackup, 'hello'));
    const wrong = await runCliToEnd(['restore', notABackup], await newTarget(kind));
    expect(wrong.code).toBe(1);
    expect(wrong.output).toContain('not an Innspill backup');
  }, 180_000);
});
