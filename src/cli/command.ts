import { mkdirSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import type { ServerConfig } from '../server/config.js';
import { openDatabase, type DatabaseHandle } from '../server/db/database.js';
import { migrateToLatest } from '../server/db/migrate.js';

export interface Command {
  summary: string;
  help: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<number>;
}

/** Opens the configured database and brings its schema up to date. */
export async function openConfiguredDatabase(config: ServerConfig): Promise<DatabaseHandle> {
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const database = await openDatabase(config);
  await migrateToLatest(database.db);
  return database;
}
