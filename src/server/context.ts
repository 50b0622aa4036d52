import type { FastifyBaseLogger } from 'fastify';
import type { ServerConfig } from './config.js';
import type { Db } from './db/database.js';
import type { LiveEvent } from '../contract/protocol.js';

/** What every module's routes and services get from the app: no globals. */
export interface AppContext {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  config: ServerConfig;
  log: FastifyBaseLogger;
  /** Sends committed events to every device following the workshop, in every server process. */
  publishEvents(workshopId: string, events: LiveEvent[]): Promise<void>;
}
