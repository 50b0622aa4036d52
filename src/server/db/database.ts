import { CompiledQuery, Kysely, PostgresAdapter, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { prepareRepeatedStatements } from './preparedStatements.js';
import type { Database } from './tables.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** A query runner: the database itself or an open transaction. */
export type Queryable = Db | Tx;

/**
 * Runs a fixed SQL text with positional parameters (`$1`…), past Kysely's query compiler: for the
 * few statements every live write sends, where compiling cost more than the database's own work
 * (docs/benchmarks.md, issue 12). Everything else goes through the query builder.
 */
export async function runText<Row>(db: Queryable, text: string, parameters: readonly unknown[]): Promise<Row[]> {
  return (await db.executeQuery<Row>(CompiledQuery.raw(text, [...parameters]))).rows;
}

export interface DatabaseConfig {
  /** postgres://… switches to PostgreSQL; otherwise embedded PGlite. */
  databaseUrl?: string;
  /** Folder for PGlite's files; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  /** Connections in the PostgreSQL pool; default INNSPILL_DB_POOL_MAX from the environment, else 20. */
  poolMax?: number;
  /** The live group commit's lanes on PostgreSQL; default INNSPILL_WRITE_LANES, else 4 (PGlite: always 2). */
  writeLanes?: number;
}

/**
 * Every live command holds one pooled connection for its whole transaction, including any wait for
 * its workshop's sequence row; with many workshops in one process a larger pool keeps one busy
 * workshop from queueing the others (see docs/benchmarks.md). Mind PostgreSQL's max_connections
 * (100 by default) times the number of server processes.
 */
export const poolMaxFromEnv = (env: NodeJS.ProcessEnv = process.env): number => countFromEnv(env, 'INNSPILL_DB_POOL_MAX', 20, 1000);

/**
 * Lanes of the live write path on PostgreSQL ([LIVE-23]): each lane commits one transaction at a
 * time, carrying every command of its workshops that waited. Chosen by measurement
 * (docs/benchmarks.md, issue 12): more lanes cost more transactions per write, fewer queue longer.
 */
export const writeLanesFromEnv = (env: NodeJS.ProcessEnv = process.env): number => countFromEnv(env, 'INNSPILL_WRITE_LANES', 4, 64);

function countFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got "${raw}"`);
  return parsed;
}

export interface DatabaseHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** PostgreSQL's connection string, for a dedicated connection (LISTEN, [LIVE-22]); none for PGlite. */
  url?: string;
  close(): Promise<void>;
  /** The PostgreSQL pool's connection counts (metrics); absent on PGlite. */
  poolStats?: () => { total: number; idle: number; waiting: number };
}

// Postgres returns bigint (int8) as string by default; our sequence numbers fit in a JS number.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
// A calendar date stays the `YYYY-MM-DD` text it is (tables.ts types it so): both drivers would
// otherwise make it a Date at local midnight, which the zod schemas refuse (a 500 on export).
const DATE_OID = 1082;
pg.types.setTypeParser(DATE_OID, (value) => value);

const writeLanes = new WeakMap<Db, number>();
/** One transaction runs its statements while the other waits for its WAL flush; a third would only wait. */
const PGLITE_WRITE_LANES = 2;

/**
 * Transactions the live group commit runs side by side on a Kysely instance opened here; a database
 * opened elsewhere gets one lane. PGlite runs one statement at a time, but its second lane runs its
 * transaction while the first one's commit waits for the disk (decision 015).
 */
export const writeLanesOf = (db: Db): number => writeLanes.get(db) ?? 1;

export async function openDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  const handle = config.databaseUrl ? await openPostgres(config.databaseUrl, config.poolMax ?? poolMaxFromEnv()) : await openPglite(config.dataDir);
  writeLanes.set(handle.db, handle.kind === 'pglite' ? PGLITE_WRITE_LANES : (config.writeLanes ?? writeLanesFromEnv()));
  return handle;
}

async function openPostgres(connectionString: string, max: number): Promise<DatabaseHandle> {
  // JIT compilation costs more than it saves on our short queries (measured: docs/benchmarks.md).
  // `plan_cache_mode` stays `auto`: forcing generic plans cut the context read of a one-command batch
  // but cost PostgreSQL more CPU per write at 1,000 writes/s (decision 008).
  const pool = new pg.Pool({ connectionString, max, options: '-c jit=off' });
  // An idle connection the server closes (a restart, a failover, a dropped test database) is an
  // error event on the pool; the pool replaces the connection, so it must not crash the process.
  pool.on('error', (error) => console.warn(`PostgreSQL closed an idle connection: ${error.message}`));
  prepareRepeatedStatements(pool);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const poolStats = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  return { db, kind: 'postgres', url: connectionString, close: () => db.destroy(), poolStats };
}

/** PGlite speaks PostgreSQL's SQL; its adapter only marks the database as embedded (see `isEmbedded`). */
export class EmbeddedAdapter extends PostgresAdapter {
  readonly embedded = true;
}

/**
 * Whether a query runner (the database or one of its transactions) is embedded PGlite: one owning
 * process, so nothing written there needs telling other processes ([LIVE-22]).
 */
export const isEmbedded = (db: Queryable): boolean => db.getExecutor().adapter instanceof EmbeddedAdapter;

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  // Loaded only here: a PostgreSQL server never pays PGlite's memory (docs/benchmarks.md).
  const { openPgliteClient, PgliteDialect } = await import('./pgliteDriver.js');
  const client = await openPgliteClient(dataDir);
  // Our own driver: statements run as one call each and are parsed and planned once (docs/decisions/015-pglite-driver.md).
  const db = new Kysely<Database>({ dialect: new PgliteDialect(client, () => new EmbeddedAdapter()) });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      if (!client.closed) await client.close();
    },
  };
}
