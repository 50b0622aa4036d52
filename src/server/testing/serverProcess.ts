import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import WebSocket from 'ws';
import { createUser, startSession } from '../auth/auth.service.js';
import { openDatabase, type Db, type DatabaseHandle } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { PROTOCOL_VERSION, type ServerMessage } from '../../contract/protocol.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
}

/** Runs an `innspill` command from the sources in its own process (as an operator would). */
export function runCli(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/cli/innspill.ts', ...args], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs an `innspill` command to its end; resolves its exit code and output. */
export async function runCliToEnd(args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = runCli(args, env);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
  return { code, output };
}

/** Starts `innspill serve` from the sources in its own process and waits for its URL. */
export function startServerProcess(env: Record<string, string>, args: string[] = [], timeoutMs = 60_000): Promise<ServerProcess> {
  const child = runCli(['serve', ...args], { PORT: '0', HOST: '127.0.0.1', ...env });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!.replace('localhost', '127.0.0.1'), child, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${output}`));
    });
  });
}

/** A database of its own on the PostgreSQL of DATABASE_URL, for tests with several processes; `drop` removes it. */
export async function createProcessDatabase(prefix: string): Promise<{ url: string; database: DatabaseHandle; drop(): Promise<void> }> {
  const adminUrl = process.env.DATABASE_URL!;
  const name = `${prefix}_${randomUUID().replaceAll('-', '')}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  await admin(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  await migrateToLatest(database.db);
  return {
    url: url.toString(),
    database,
    async drop() {
      await database.close();
      await admin(`drop database if exists ${name} with (force)`);
    },
  };
}

/** A planner account with a session: the cookie and CSRF token a browser would send. */
export async function plannerSession(db: Db, email = `${randomUUID()}@example.no`): Promise<{ cookie: string; csrfToken: string }> {
  const planner = await createUser(db, { email, name: 'Planlegger', role: 'planner', password: 'et langt passord' });
  const { session, token } = await startSession(db, planner);
  return { cookie: `innspill_session=${token}`, csrfToken: session.csrfToken };
}

/** A device on a server process following a whole workshop: what it received, and a wait for a message. */
export async function watchWorkshop(serverUrl: string, cookie: string, workshopId: string) {
  const socket = new WebSocket(`${serverUrl.replace('http', 'ws')}/api/live`, { headers: { cookie } });
  const received: ServerMessage[] = [];
  socket.on('message', (data) => received.push(JSON.parse(data.toString()) as ServerMessage));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId, subscription: { scope: 'workshop' }, lastSeq: null }));
  const waitFor = async (check: () => boolean, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > end) throw new Error(`timed out; received ${JSON.stringify(received).slice(0, 500)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await waitFor(() => received.some((m) => m.type === 'snapshot'));
  return { socket, received, waitFor };
}
