/**
 * Child-process servers and /proc sampling (Linux only; no extra package).
 *
 * Every child is registered here and killed when this process exits, on SIGINT/SIGTERM/SIGHUP and
 * on an uncaught error. Children also exit by themselves when their stdin closes (see
 * servers/childGuard.ts), so a SIGKILLed generator leaves nothing behind.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import type { RunningServer } from './types.js';

/** The repository root (bench/live/../..): children run with it as cwd so `--import tsx` resolves. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const children = new Set<ChildProcess>();

function killAll(signal: NodeJS.Signals): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    }
  }
}

let guardsInstalled = false;
/** Kill children on exit, signals and uncaught errors. Idempotent. */
export function installProcessGuards(): void {
  if (guardsInstalled) return;
  guardsInstalled = true;
  process.on('exit', () => killAll('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`\n[bench] ${signal}: stopping servers\n`);
      killAll('SIGKILL');
      process.exit(130);
    });
  }
  process.on('uncaughtException', (err) => {
    process.stderr.write(`[bench] uncaught: ${err.stack ?? String(err)}\n`);
    killAll('SIGKILL');
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    process.stderr.write(`[bench] unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    killAll('SIGKILL');
    process.exit(1);
  });
}

export interface SpawnOptions {
  /** Path of the server script, relative to the project root. */
  script: string;
  args?: string[];
  env?: Record<string, string | undefined>;
  readyTimeoutMs?: number;
  /** Prefix for the child's stderr lines echoed to ours. */
  label: string;
  /** Extra options for node itself, before the script (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
  /** A compiled JavaScript script: run without the TypeScript loader. */
  compiled?: boolean;
}

/** A running child server that also answers `stats` requests on its stdin (servers/statementCounter.ts). */
export interface SpawnedServer extends RunningServer {
  pid: number;
  /** Sends `stats` and resolves with the child's next `{"stats":…}` line (null if it does not answer within 10 s: PGlite can hold the event loop for seconds). */
  askStats(): Promise<Record<string, number> | null>;
}

/**
 * Runs `node --import tsx <script>` (one process, so its pid is the server's — `npx tsx` would put
 * a wrapper in between) and waits for its first stdout line `{"ready":true,"port":N}`.
 * The child must listen on 127.0.0.1.
 */
export async function spawnServer(options: SpawnOptions): Promise<SpawnedServer> {
  installProcessGuards();
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  const loader = options.compiled ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, options.script, ...(options.args ?? [])], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      res({ code, signal });
    });
  });
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line.trim() !== '') process.stderr.write(`[${options.label}] ${line}\n`);
  });

  const statsWaiters: Array<(stats: Record<string, number> | null) => void> = [];
  const port = await new Promise<number>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`${options.label}: not ready after ${options.readyTimeoutMs ?? 20000} ms`)), options.readyTimeoutMs ?? 20000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as { ready?: boolean; port?: number; stats?: Record<string, number> };
        if (msg.ready === true && typeof msg.port === 'number') {
          clearTimeout(timer);
          res(msg.port);
          return;
        }
        if (msg.stats !== undefined) {
          statsWaiters.shift()?.(msg.stats);
          return;
        }
      } catch {
        // not our line
      }
      process.stderr.write(`[${options.label}] ${line}\n`);
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      rej(new Error(`${options.label}: exited before ready (code ${code}, signal ${signal})`));
    });
  }).catch(async (err: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw err;
  });

  const pid = child.pid;
  if (pid === undefined) throw new Error(`${options.label}: no pid`);
  return {
    url: `ws://127.0.0.1:${port}`,
    pid,
    exited,
    askStats() {
      return new Promise((res) => {
        if (child.exitCode !== null || child.stdin === null || child.stdin.destroyed) return res(null);
        let settled = false;
        const answer = (stats: Record<string, number> | null): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          res(stats);
        };
        const timer = setTimeout(() => {
          const index = statsWaiters.indexOf(answer);
          if (index >= 0) statsWaiters.splice(index, 1);
          answer(null);
        }, 10_000);
        statsWaiters.push(answer);
        child.stdin.write('stats\n');
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

let clockTicks: number | undefined;
/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on practically every Linux). */
export function clockTicksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number.parseInt(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim(), 10) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** utime + stime of a process in seconds, from /proc/<pid>/stat (fields 14 and 15). */
export function readCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm (field 2) is in parentheses and may contain spaces: split after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    if (!Number.isFinite(utime) || !Number.isFinite(stime)) return null;
    return (utime + stime) / clockTicksPerSecond();
  } catch {
    return null;
  }
}

/** Resident set size in bytes, from VmRSS in /proc/<pid>/status. */
export function readRssBytes(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match?.[1] === undefined ? null : Number(match[1]) * 1024;
  } catch {
    return null;
  }
}

/**
 * CPU seconds the whole machine spent busy (all cores: everything but idle and iowait), from the
 * first line of /proc/stat. Used to show how much CPU *other* processes took during a window:
 * on a shared 2-vCPU machine a neighbour's test run is enough to wreck the tails.
 */
export function readMachineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest fields are already in user/nice)
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = f;
    return (user + nice + system + irq + softirq + steal) / clockTicksPerSecond();
  } catch {
    return null;
  }
}

/** A free TCP port on 127.0.0.1 (for a child server's PORT). */
export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const probe = createServer();
    probe.once('error', rej);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? res(port) : rej(new Error('no free port'))));
    });
  });
}

/**
 * PostgreSQL runs on this machine too, so its CPU lands in the harness's "other CPU %". This
 * tracks it per process: the backends serving the bench database (their process title names it)
 * and every postgres process (walwriter, checkpointer, other databases' backends).
 */
export class PostgresCpu {
  private readonly last = new Map<number, number>();
  private readonly ticks = clockTicksPerSecond();
  /** CPU seconds of the bench database's backends since the first sample. */
  benchTotal = 0;
  constructor(private readonly database: string) {}

  /** CPU seconds used since the previous call (a process first seen counts from its start). */
  sample(): { bench: number; all: number } {
    let bench = 0;
    let all = 0;
    const alive = new Set<number>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== 'postgres') continue;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const seconds = (Number(fields[11]) + Number(fields[12])) / this.ticks;
        const pid = Number(entry);
        alive.add(pid);
        const used = seconds - (this.last.get(pid) ?? 0);
        this.last.set(pid, seconds);
        all += used;
        if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(` ${this.database} `)) bench += used;
      } catch {
        // the process ended while we looked
      }
    }
    for (const pid of this.last.keys()) if (!alive.has(pid)) this.last.delete(pid);
    this.benchTotal += bench;
    return { bench, all };
  }
}
