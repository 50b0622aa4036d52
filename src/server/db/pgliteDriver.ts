import {
  CompiledQuery,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { closeSync, constants, existsSync, fdatasync, fdatasyncSync, fsyncSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite, protocol, types, type PGliteOptions } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

type BackendMessage = Awaited<ReturnType<PGlite['execProtocolStream']>>[number];
interface Field {
  name: string;
  dataTypeID: number;
}

/** Statements named per PGlite instance (as src/server/db/preparedStatements.ts on PostgreSQL). */
const MAX_NAMED = 500;
/** Texts counted before naming; the count starts over when full (the hot statements come back first). */
const MAX_COUNTED = 5000;

/** What PostgreSQL told us about a statement when it parsed it: the parameter types and the row shape. */
interface Statement {
  /** '' for the unnamed statement (parsed again for every run). */
  name: string;
  paramTypes: number[];
  fields: Field[];
}

/** Statements worth naming: they read or write rows and come again with other parameters. */
const DATA_STATEMENT = /^\s*(select|insert|update|delete|with|values)\b/i;
/** Statements that may change what a named statement returns (a migration's DDL). */
const SCHEMA_CHANGE = /^\s*(create|alter|drop|comment|truncate|do|grant|revoke|reindex|cluster|import)\b/i;
/** PostgreSQL refuses to run a named statement whose result columns a schema change altered. */
const CACHED_PLAN_CHANGED = '0A000';

const { serialize } = protocol;
const SYNC = serialize.sync();
const EXECUTE = serialize.execute({});
const DESCRIBE_STATEMENT_UNNAMED = serialize.describe({ type: 'S', name: '' });

function concat(parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/**
 * The one connection to an embedded PGlite, speaking PostgreSQL's extended protocol to it directly
 * (docs/decisions/015-pglite-driver.md). PGlite's own `query` sends parse, describe, bind,
 * describe, execute and sync as six calls into the database and parses and plans the text every
 * time; here a statement seen before runs as one call (bind, execute, sync) of a statement
 * PostgreSQL parsed and planned once, and BEGIN, COMMIT and other statements without parameters
 * as one simple query. Parameters are serialised by the types PostgreSQL inferred, exactly as
 * PGlite's `query` does, and rows parsed with the client's parsers.
 */
export class PgliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, Statement>();
  private readonly counted = new Map<string, number>();
  private nextName = 0;

  constructor(private readonly client: PGlite) {}

  /**
   * Runs one statement. Nothing is answered before it is on disk: a statement that ends outside a
   * transaction (a COMMIT, or a statement on its own) and wrote WAL waits for its flush
   * (FlushingNodeFS) — or, given `onFlush`, hands that wait to the caller (the driver, which lends
   * the session to the next waiter first).
   */
  async executeQuery<R>(compiledQuery: CompiledQuery, onFlush?: (flushed: Promise<void>) => void): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    const messages = parameters.length === 0 ? await this.simple(sql) : await this.extended(sql, parameters);
    if (SCHEMA_CHANGE.test(sql)) await this.forgetStatements();
    if (!this.client.isInTransaction()) {
      const fs = this.client.fs;
      // The file system's own flush: PGlite's `syncToFs` returns at once, without waiting, when another is queued.
      const flushed = fs instanceof FlushingNodeFS ? fs.flushWal() : fs?.syncToFs();
      if (flushed && onFlush) onFlush(flushed);
      else await flushed;
    }
    return toResult<R>(messages, this.client.parsers);
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }

  /** How many statements PostgreSQL holds parsed and planned for this connection (tests). */
  get preparedCount(): number {
    return this.statements.size;
  }

  private simple(sql: string): Promise<BackendMessage[]> {
    return this.run(serialize.query(sql), sql);
  }

  private async extended(sql: string, parameters: readonly unknown[]): Promise<BackendMessage[]> {
    const statement = this.statements.get(sql) ?? (await this.parse(sql));
    const values = parameters.map((value, i) => serializeValue(value, statement.paramTypes[i]!, this.client.serializers));
    const bind = serialize.bind({ statement: statement.name, values });
    try {
      return withFields(await this.run(concat([bind, EXECUTE, SYNC]), sql, parameters), statement.fields);
    } catch (error) {
      // A schema change this connection did not see (so never forgot the statement): parse it again.
      // Inside a transaction the statement cannot simply run again: the caller's transaction failed
      // and is retried or answered as a whole.
      if ((error as { code?: string }).code !== CACHED_PLAN_CHANGED || statement.name === '') throw error;
      await this.forget(sql, statement.name);
      if (this.client.isInTransaction()) throw error;
      return this.extended(sql, parameters);
    }
  }

  /** Parses `sql` (named once it is seen a second time) and learns its parameter and row types. */
  private async parse(sql: string): Promise<Statement> {
    const name = this.nameFor(sql);
    const messages = await this.run(
      concat([serialize.parse({ name, text: sql }), name === '' ? DESCRIBE_STATEMENT_UNNAMED : serialize.describe({ type: 'S', name }), SYNC]),
      sql,
    );
    const statement: Statement = { name, paramTypes: [], fields: [] };
    for (const message of messages) {
      if (message.name === 'parameterDescription') statement.paramTypes = (message as unknown as { dataTypeIDs: number[] }).dataTypeIDs;
      else if (message.name === 'rowDescription') statement.fields = (message as unknown as { fields: Field[] }).fields.map(({ name: n, dataTypeID }) => ({ name: n, dataTypeID }));
    }
    if (name !== '') this.statements.set(sql, statement);
    return statement;
  }

  private nameFor(sql: string): string {
    if (this.statements.size >= MAX_NAMED || !DATA_STATEMENT.test(sql)) return '';
    const seen = (this.counted.get(sql) ?? 0) + 1;
    if (seen < 2) {
      if (this.counted.size >= MAX_COUNTED) this.counted.clear();
      this.counted.set(sql, seen);
      return '';
    }
    this.counted.delete(sql);
    return `innspill_${(this.nextName++).toString(36)}`;
  }

  private async forget(sql: string, name: string): Promise<void> {
    this.statements.delete(sql);
    await this.close([name]);
  }

  /**
   * After DDL every named statement is parsed again: a statement that reads a table whose columns
   * changed would otherwise fail ("cached plan must not change result type").
   */
  private async forgetStatements(): Promise<void> {
    if (this.statements.size === 0) return;
    const names = [...this.statements.values()].map(({ name }) => name);
    this.statements.clear();
    await this.close(names);
  }

  /** Closing a statement never fails the query that asked for it: at worst one stays parsed, unused. */
  private async close(names: string[]): Promise<void> {
    await this.run(concat([...names.map((name) => serialize.close({ type: 'S', name })), SYNC]), 'close').catch(() => undefined);
  }

  private async run(message: Uint8Array, sql: string, parameters?: readonly unknown[]): Promise<BackendMessage[]> {
    try {
      return await this.client.execProtocolStream(message, { syncToFs: false });
    } catch (error) {
      // As PGlite's `query` does: the failing text and parameters travel with the error.
      if (error && typeof error === 'object' && 'code' in error) Object.assign(error, { query: sql, params: parameters });
      throw error;
    }
  }
}

/** Serialised as PGlite's `query` does: by the type PostgreSQL inferred for the parameter. */
function serializeValue(value: unknown, oid: number, serializers: PGlite['serializers']): string | null {
  if (value === null || value === undefined) return null;
  const serializer = serializers[oid];
  return serializer ? serializer(value) : String(value);
}

/** Describe-free runs carry no row description: the one learnt at parse time goes in front. */
function withFields(messages: BackendMessage[], fields: Field[]): BackendMessage[] {
  return fields.length === 0 ? messages : [{ name: 'rowDescription', fields } as unknown as BackendMessage, ...messages];
}

function toResult<R>(messages: BackendMessage[], parsers: PGlite['parsers']): QueryResult<R> {
  let fields: Field[] = [];
  let rows: R[] = [];
  let lastRows: R[] = [];
  let affected: bigint | undefined;
  for (const message of messages) {
    switch (message.name) {
      case 'rowDescription':
        fields = (message as unknown as { fields: Field[] }).fields;
        rows = [];
        break;
      case 'dataRow': {
        const values = (message as unknown as { fields: Array<string | null> }).fields;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < values.length; i += 1) {
          const field = fields[i]!;
          row[field.name] = types.parseType(values[i]!, field.dataTypeID, parsers);
        }
        rows.push(row as R);
        break;
      }
      case 'commandComplete': {
        // As Kysely's own PostgreSQL driver: affected rows for the statements that write rows.
        const [command, a, b] = (message as unknown as { text: string }).text.split(' ');
        affected = command === 'INSERT' ? BigInt(b ?? 0) : command === 'UPDATE' || command === 'DELETE' || command === 'MERGE' ? BigInt(a ?? 0) : undefined;
        lastRows = rows;
        rows = [];
        break;
      }
    }
  }
  return affected === undefined ? { rows: lastRows } : { rows: lastRows, numAffectedRows: affected };
}

// A calendar date stays the `YYYY-MM-DD` text it is (tables.ts types it so; database.ts does the same for pg).
const DATE_OID = 1082;
const parsers = { [DATE_OID]: (value: string) => value };

export interface PgliteClientOptions {
  /**
   * Nothing answered before it is on disk (decision 015): a commit waits for its WAL to be flushed
   * (fdatasync), and checkpoints flush the data files. PGlite's defaults never flush: its PostgreSQL
   * runs with `-F` (fsync=off) and Emscripten's Node file system ignores fsync, so a commit would be
   * in the OS page cache only — safe from a crash of this process, not from a crash of the machine
   * or a power cut. Always on for a data folder in the product; `false` only to measure the difference.
   */
  durable?: boolean;
  /** PostgreSQL settings given at start (`-c name=value`), for measuring (bench/pglite-statements.ts). */
  settings?: Record<string, string>;
  /** A dump (`dumpDataDir`) to unpack into an empty `dataDir` (restore); flush it with `flushFolder` after closing. */
  loadDataDir?: Blob;
}

/** Opens (creating when empty) the PGlite database in `dataDir` (`memory://…` keeps it in memory) and waits until it is ready. */
export async function openPgliteClient(dataDir: string, options: PgliteClientOptions = {}): Promise<PGlite> {
  const inMemory = dataDir.startsWith('memory://');
  const settings: PGliteOptions = { parsers, loadDataDir: options.loadDataDir };
  let startParams = [...PGlite.defaultStartParams];
  if ((options.durable ?? true) && !inMemory) {
    // PGlite creates a new database with a second instance on a copy of these options, our file
    // system included, i.e. in this folder, which initdb refuses when it holds anything (the data
    // folder's lock). A new database is therefore made with PGlite's own file system, then flushed.
    if (!options.loadDataDir && !existsSync(join(dataDir, 'PG_VERSION'))) {
      await (await openPgliteClient(dataDir, { ...options, durable: false })).close();
      flushFolder(dataDir);
    }
    settings.fs = new FlushingNodeFS(dataDir);
    // fsync on: checkpoints and new files are flushed (through the hook below). The WAL's own flush
    // at COMMIT is fdatasync, which Emscripten answers without doing anything: FlushingNodeFS does it
    // after the COMMIT instead, without holding the event loop (see syncToFs).
    startParams = [...startParams.filter((param) => param !== '-F'), '-c', 'wal_sync_method=fdatasync'];
  }
  const wanted = { ...PGLITE_SETTINGS, ...options.settings };
  settings.startParams = [...startParams, ...Object.entries(wanted).flatMap(([name, value]) => ['-c', `${name}=${value}`])];
  const client = inMemory ? new PGlite(settings) : new PGlite(dataDir, settings);
  await client.waitReady;
  return client;
}

/**
 * A named statement runs with the plan made once, never planned again per run. PostgreSQL's default
 * (auto) kept planning the write path's context read every time because its generic plan looked
 * dearer; planning that statement costs PGlite about 1 ms, half the write's CPU (bench:pglite,
 * decision 015). Only named statements are affected (texts run a second time); the embedded
 * database's tables are a workshop's or a few, where a plan that ignores the values loses little.
 */
const PGLITE_SETTINGS: Record<string, string> = { plan_cache_mode: 'force_generic_plan' };

/**
 * Flushes every file and folder under `dir` to disk: what PGlite unpacked from a dump is written
 * without a flush (PostgreSQL flushes only what it writes itself).
 */
export function flushFolder(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) flushFolder(path);
    else if (entry.isFile()) flushPath(path);
  }
  flushPath(dir);
}

function flushPath(path: string): void {
  const fd = openSync(path, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

interface EmscriptenStream {
  nfd?: number;
  path: string;
  node: unknown;
}
type StreamOp = (stream: EmscriptenStream, ...rest: unknown[]) => unknown;
interface EmscriptenModule {
  FS: {
    filesystems: { NODEFS: { stream_ops: Record<string, StreamOp | undefined>; realPath(node: unknown): string } };
    ErrnoError: new (errno: number) => Error;
  };
}
const EIO = 29;
const WAL_DIR = '/pg_wal/';
const fdatasyncAsync = promisify(fdatasync);

/**
 * PGlite's Node file system with flushes that reach the disk (decision 015). Emscripten's NODEFS has
 * no fsync (the call succeeds and does nothing); here it flushes, so PostgreSQL's own fsync of data
 * files at a checkpoint and of a directory after creating a file are real. The WAL is flushed by
 * `syncToFs`, which the driver awaits after every statement that ends outside a transaction (a
 * COMMIT, or a statement on its own) before it answers: every WAL file written since is
 * fdatasync'ed on libuv's thread pool, so the server keeps reading sockets meanwhile. A WAL file
 * PostgreSQL closes (a finished segment) is flushed first, synchronously. A failed flush is an I/O
 * error: PostgreSQL stops (PANIC) on its own; the driver refuses every later statement.
 */
export class FlushingNodeFS extends NodeFS {
  /** WAL files written since the last flush (Node's fd: the file stays open while PostgreSQL uses it). */
  private readonly unflushed = new Set<number>();
  /** WAL files a flush on the thread pool is working on, by how many flushes. */
  private readonly inFlight = new Map<number, number>();
  /** The last flush asked for: each resolves after the ones before it, so commits are answered in order. */
  private previous: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  /** How many times written WAL was flushed by syncToFs (tests). */
  walFlushes = 0;

  override async init(pg: PGlite, opts: Parameters<NodeFS['init']>[1]) {
    const result = await super.init(pg, opts);
    const preRun = (result.emscriptenOpts.preRun ?? []) as Array<(mod: EmscriptenModule) => void>;
    result.emscriptenOpts.preRun = [...preRun, (mod: EmscriptenModule) => this.hook(mod)] as never;
    return result;
  }

  private hook(mod: EmscriptenModule): void {
    const nodefs = mod.FS.filesystems.NODEFS;
    const ops = nodefs.stream_ops;
    const write = ops.write!;
    const close = ops.close!;
    const flushed = <T>(run: () => T): T => {
      try {
        return run();
      } catch {
        throw new mod.FS.ErrnoError(EIO);
      }
    };
    ops.write = (stream, ...rest) => {
      const written = write(stream, ...rest);
      if (stream.nfd !== undefined && stream.path.includes(WAL_DIR)) this.unflushed.add(stream.nfd);
      return written;
    };
    ops.close = (stream, ...rest) => {
      const fd = stream.nfd;
      // Flushed now: a flush still running on the thread pool may find the fd closed (and ignores that).
      if (fd !== undefined && (this.unflushed.delete(fd) || this.inFlight.has(fd))) flushed(() => fdatasyncSync(fd));
      return close(stream, ...rest);
    };
    ops.fsync = (stream) =>
      flushed(() => {
        if (stream.nfd !== undefined) {
          fdatasyncSync(stream.nfd);
          this.unflushed.delete(stream.nfd);
        } else {
          flushPath(nodefs.realPath(stream.node));
        }
        return 0;
      });
  }

  override syncToFs(): Promise<void> {
    return this.flushWal() ?? Promise.resolve();
  }

  /**
   * Flushes the WAL written since the last call, or answers undefined when nothing was written (a
   * read). The promise resolves once that WAL is on disk and every flush asked for before it has
   * resolved, so writes are answered in the order they committed.
   */
  flushWal(): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure);
    if (this.unflushed.size === 0) return undefined;
    const fds = [...this.unflushed];
    this.unflushed.clear();
    this.walFlushes += 1;
    const own = Promise.all(fds.map((fd) => this.flush(fd)));
    const ordered = Promise.all([this.previous, own]).then(() => {
      if (this.failure) throw this.failure;
    });
    this.previous = ordered.catch(() => undefined);
    return ordered;
  }

  private async flush(fd: number): Promise<void> {
    this.inFlight.set(fd, (this.inFlight.get(fd) ?? 0) + 1);
    try {
      await fdatasyncAsync(fd);
    } catch (error) {
      // Closed meanwhile: the close flushed it. Anything else means the disk did not take it.
      if ((error as NodeJS.ErrnoException).code !== 'EBADF') {
        this.failure ??= new Error(`PGlite: flushing the write-ahead log to disk failed (${(error as Error).message}); nothing more is written: restart the server`);
      }
    } finally {
      const left = (this.inFlight.get(fd) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(fd);
      else this.inFlight.set(fd, left);
    }
  }
}

/**
 * One lending of the session (a query, a transaction or a `connection()` block). When one of its
 * statements commits (a COMMIT, or a write on its own) the driver lends the session to the next
 * waiter before this lease waits for the flush; a later statement of this lease waits its turn again.
 */
class Lease implements DatabaseConnection {
  constructor(
    readonly connection: PgliteConnection,
    private readonly driver: PgliteDriver,
  ) {}

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    await this.driver.holdFor(this);
    let flushed: Promise<void> | undefined;
    const result = await this.connection.executeQuery<R>(compiledQuery, (flush) => (flushed = flush));
    if (flushed) {
      this.driver.takeBack(this);
      await flushed;
    }
    return result;
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize = 100): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiledQuery);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

/**
 * One session (PGlite is one), lent to one lease at a time. A committed write gives the session to
 * the next lease before waiting for its WAL flush, so the next transaction's statements run while
 * the disk flushes (its own commit then waits for a flush that covers both, answered in commit order).
 */
class PgliteDriver implements Driver {
  private readonly connection: PgliteConnection;
  private holder: Lease | undefined;
  private readonly waiting: Array<{ lease: Lease; resume: () => void }> = [];

  constructor(private readonly client: PGlite) {
    this.connection = new PgliteConnection(client);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const lease = new Lease(this.connection, this);
    await this.holdFor(lease);
    return lease;
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    this.takeBack(connection as Lease);
  }

  /** Resolves once `lease` holds the session (at once when it does, or nobody does). */
  holdFor(lease: Lease): Promise<void> | void {
    if (this.holder === lease) return;
    if (!this.holder) {
      this.holder = lease;
      return;
    }
    return new Promise<void>((resume) => this.waiting.push({ lease, resume }));
  }

  /** The next waiter gets the session without it ever looking free; a lease that does not hold it is ignored. */
  takeBack(lease: Lease): void {
    if (lease !== this.holder) return;
    const next = this.waiting.shift();
    this.holder = next?.lease;
    next?.resume();
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    const access = settings.accessMode ? ` ${settings.accessMode}` : '';
    await connection.executeQuery(CompiledQuery.raw(isolation || access ? `start transaction${isolation}${access}` : 'begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint "${name}"`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint "${name}"`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint "${name}"`));
  }

  async destroy(): Promise<void> {
    if (!this.client.closed) await this.client.close();
  }
}

/** Kysely over an embedded PGlite through PgliteConnection; `adapter` marks the database as embedded. */
export class PgliteDialect implements Dialect {
  constructor(
    private readonly client: PGlite,
    private readonly adapter: () => DialectAdapter,
  ) {}

  createAdapter(): DialectAdapter {
    return this.adapter();
  }

  createDriver(): Driver {
    return new PgliteDriver(this.client);
  }

  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}
