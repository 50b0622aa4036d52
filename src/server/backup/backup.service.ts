import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import type { ServerConfig } from '../config.js';
import { LOCK_FILE, lockDataDir } from '../db/dataDirLock.js';

const run = promisify(execFile);

/** What a backup file holds, told by its first bytes: pg_dump's custom format, or PGlite's gzipped tar. */
export type BackupKind = 'postgres' | 'pglite';

export async function backupKindOf(file: string): Promise<BackupKind | null> {
  const handle = await open(file, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(5), 0, 5, 0);
    if (buffer.toString('latin1') === 'PGDMP') return 'postgres';
    if (buffer[0] === 0x1f && buffer[1] === 0x8b) return 'pglite';
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * [OPS-5] A consistent copy of the whole database in one file. PostgreSQL: `pg_dump` in its custom
 * format, which reads in one snapshot while the servers keep running. PGlite: its data folder as a
 * gzipped tar (`dumpDataDir`), taken as the folder's one owner, so the server must be stopped.
 */
export async function backup(config: ServerConfig, out: string): Promise<string> {
  if (config.databaseUrl) {
    await pgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${out}`, `--dbname=${config.databaseUrl}`]);
    return `Wrote a pg_dump of the PostgreSQL database to ${out}`;
  }
  const release = lockDataDir(config.dataDir, 'command');
  try {
    // Opened as the server opens it (its shutdown checkpoint flushed to disk, decision 015).
    const { openPgliteClient } = await import('../db/pgliteDriver.js');
    const client = await openPgliteClient(config.dataDir);
    try {
      const dump = await client.dumpDataDir('gzip');
      await writeFile(out, Buffer.from(await dump.arrayBuffer()));
    } finally {
      await client.close();
    }
  } finally {
    release();
  }
  return `Wrote the embedded database in ${config.dataDir} to ${out}`;
}

/**
 * [OPS-6] Puts a backup back. Into a database that holds anything (PostgreSQL: a plan, a workshop
 * or an account; PGlite: a data folder with files) only with `force`, which replaces it: PostgreSQL
 * is restored in one transaction (`pg_restore --clean --single-transaction`), and PGlite's old
 * folder is kept beside the new one.
 */
export async function restore(config: ServerConfig, file: string, force: boolean): Promise<string> {
  const kind = await backupKindOf(file);
  const target: BackupKind = config.databaseUrl ? 'postgres' : 'pglite';
  if (!kind) throw new Error(`${file} is not an Innspill backup (neither a pg_dump custom-format file nor a PGlite dump)`);
  if (kind !== target) {
    throw new Error(
      `${file} is a ${kind === 'postgres' ? 'PostgreSQL' : 'PGlite'} backup, but the configured database is ${target === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite (${config.dataDir})`}. To move between them, use "innspill export json" and "innspill import json" per workshop.`,
    );
  }
  if (config.databaseUrl) {
    const held = await postgresContents(config.databaseUrl);
    if (held && !force) throw new Error(`The database is not empty (${held}); restoring would replace it. Add --force to replace it.`);
    await pgTool('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', `--dbname=${config.databaseUrl}`, file]);
    return `Restored ${file} into the PostgreSQL database`;
  }
  const dir = config.dataDir;
  const present = existsSync(dir) ? readdirSync(dir).filter((name) => name !== LOCK_FILE) : [];
  let keptAt: string | null = null;
  if (present.length > 0) {
    if (!force) throw new Error(`${dir} already holds a database; restoring would replace it. Add --force to replace it (the old folder is kept beside it).`);
    // Taking the lock first: a running server on it makes this exit with its name ([SAFE-9]).
    lockDataDir(dir, 'command')();
    keptAt = `${dir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    renameSync(dir, keptAt);
  }
  mkdirSync(dir, { recursive: true });
  const release = lockDataDir(dir, 'command');
  try {
    const { flushFolder, openPgliteClient } = await import('../db/pgliteDriver.js');
    const client = await openPgliteClient(dir, { loadDataDir: new Blob([await readFile(file)]) });
    await client.close();
    // "Restored" is said only once the unpacked folder is on disk (decision 015).
    flushFolder(dir);
  } finally {
    release();
  }
  return `Restored ${file} into ${dir}${keptAt ? ` (the old database is kept in ${keptAt})` : ''}`;
}

/** What a PostgreSQL database holds, in words, or null when it holds no plan, workshop or account. */
async function postgresContents(databaseUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const counts: string[] = [];
    for (const [table, word] of [['plans', 'plans'], ['workshops', 'workshops'], ['users', 'accounts']] as const) {
      const exists = await client.query('select to_regclass($1) as name', [`public.${table}`]);
      if (!exists.rows[0]?.name) continue;
      const { rows } = await client.query(`select count(*)::int as n from ${table}`);
      if (rows[0].n > 0) counts.push(`${rows[0].n} ${word}`);
    }
    return counts.length > 0 ? counts.join(', ') : null;
  } finally {
    await client.end();
  }
}

async function pgTool(tool: 'pg_dump' | 'pg_restore', args: string[]): Promise<void> {
  try {
    await run(tool, args, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { code, stderr } = error as { code?: string; stderr?: string };
    if (code === 'ENOENT') throw new Error(`${tool} was not found; install the PostgreSQL client tools (same major version as the server or newer)`);
    throw new Error(`${tool} failed: ${(stderr ?? String(error)).trim().split('\n').slice(-3).join(' ')}`);
  }
}
