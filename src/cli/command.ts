import type { ParseArgsConfig } from 'node:util';
import type { ServerConfig } from '../server/config.js';
import { openDatabase, type DatabaseHandle } from '../server/db/database.js';
import { lockDataDir, type LockHolder } from '../server/db/dataDirLock.js';
import { migrateToLatest } from '../server/db/migrate.js';

export interface Command {
  summary: string;
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

/**
 * Opens the configured database as its one owner: an embedded data folder is locked until the
 * handle is closed or the process exits, so a command never writes behind a running server ([SAFE-9]).
 */
export async function openOwnedDatabase(config: ServerConfig, role: LockHolder['role'] = 'command'): Promise<DatabaseHandle> {
  if (config.databaseUrl) return openDatabase(config);
  const release = lockDataDir(config.dataDir, role);
  try {
    const database = await openDatabase(config);
    return {
      ...database,
      close: async () => {
        try {
          await database.close();
        } finally {
          release();
        }
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

/** Opens the configured database (as its owner) and brings its schema up to date. */
export async function openConfiguredDatabase(config: ServerConfig, role: LockHolder['role'] = 'command'): Promise<DatabaseHandle> {
  const database = await openOwnedDatabase(config, role);
  try {
    await migrateToLatest(database.db);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}
