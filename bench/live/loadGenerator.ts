/**
 * The load generator: one process that opens every client, paces writes, and measures.
 *
 * A session = one server (child process) + all clients, ramped in over `rampSeconds`.
 * On a session, `measure()` runs one round at a given rate: warm-up writes (not counted), then the
 * measured window, then a bounded drain. Several rounds may run on one session (`--max`).
 *
 * Latency = arrival (`performance.now()` in the receiving client's 'message' handler) minus send
 * time (`performance.now()` just before the client's send), both in this process, measured at
 * EVERY other subscriber: the room's other writers and every observer. A write delivered back to
 * its own sender is an echo, counted apart. Each (write, receiver) pair counts once; a second
 * arrival is a duplicate, a writer receiving another room's write is misrouted.
 *
 * Server CPU and RSS come from /proc/<pid>/stat and /proc/<pid>/status of the child; the
 * generator's own CPU from process.cpuUsage() and its event-loop delay from
 * perf_hooks.monitorEventLoopDelay (BENCHMARKING.md trap 1). All over the measured window only.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { readCpuSeconds, readMachineBusySeconds, readRssBytes } from './proc.js';
import type { ClientEvents, LiveClient, LivePlan, LiveTarget, RunningServer, TargetCounters, WriterClient } from './types.js';

/** A generator whose event-loop delay p99 exceeds this is flagged: the result is not about the server. */
export const GENERATOR_ELD_LIMIT_MS = 20;
/** Other processes using more than this share of one core during a window get the run flagged. */
export const OTHER_CPU_LIMIT_PCT = 25;
const ELD_RESOLUTION_MS = 10;

export interface SessionOptions {
  rooms: number;
  perRoom: number;
  observers: number;
  rampSeconds: number;
  log?: (line: string) => void;
}

export interface MeasureOptions {
  /** Writes per second over all writers. */
  rate: number;
  warmupSeconds: number;
  seconds: number;
  /** Upper bound on the wait for late deliveries after the last write. */
  drainSeconds: number;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface RunResult {
  target: string;
  rate: number;
  seconds: number;
  clients: number;
  sockets: number;
  writes: number;
  achievedWritesPerSec: number;
  /** Per measured write: the room's other writers + every observer. */
  receiversPerWrite: number;
  expected: number;
  received: number;
  lost: number;
  /** Deliveries back to the sender (y-websocket echoes; the relay does not). */
  echoes: number;
  duplicates: number;
  misrouted: number;
  latencyMs: Percentiles | null;
  /** Only for targets that acknowledge writes: sender's send → ack. */
  ackMs: Percentiles | null;
  unacked: number | null;
  serverCpuPct: number | null;
  /** Server CPU (its own process) per measured write, in µs. */
  serverCpuUsPerWrite: number | null;
  /** CPU of the database's own processes per write, in µs (PostgreSQL backends; null for PGlite, whose CPU is the server's). */
  dbCpuUsPerWrite: number | null;
  /** Statements the server sent its database per write (BEGIN/COMMIT/SAVEPOINT included). */
  statementsPerWrite: number | null;
  /** Committed transactions per second during the window. */
  transactionsPerSec: number | null;
  serverRssMb: number | null;
  generatorCpuPct: number;
  generatorEldP99Ms: number;
  generatorEldMaxMs: number;
  generatorLagged: boolean;
  /** CPU the rest of the machine used during the window (% of one core): machine busy − server − generator. */
  otherCpuPct: number | null;
  machineBusy: boolean;
  errors: number;
  errorKinds: Record<string, number>;
  drainMs: number;
}

export interface LiveSession {
  readonly target: LiveTarget;
  readonly clients: number;
  readonly sockets: number;
  measure(options: MeasureOptions): Promise<RunResult>;
  close(): Promise<void>;
}

interface Round {
  base: number;
  total: number;
  warmup: number;
  sentCount: number;
  sentAt: Float64Array;
  roomOf: Int32Array;
  senderSlot: Int16Array;
  seen: Uint8Array;
  latencies: Float64Array;
  nLatencies: number;
  ackLatencies: Float64Array;
  acked: Uint8Array;
  nAcks: number;
  echoes: number;
  duplicates: number;
  misrouted: number;
  open: boolean;
}

interface Writer {
  room: number;
  slot: number;
  client: WriterClient;
}

const sleep = (ms: number): Promise<void> => new Promise((res) => setTimeout(res, ms));

export function percentiles(values: Float64Array, n: number): Percentiles | null {
  if (n === 0) return null;
  const sorted = values.slice(0, n).sort();
  const at = (p: number): number => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))] as number;
  return { p50: at(50), p95: at(95), p99: at(99), max: sorted[n - 1] as number };
}

export function roomName(index: number): string {
  return `r${String(index).padStart(3, '0')}`;
}

export async function openSession(target: LiveTarget, options: SessionOptions): Promise<LiveSession> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { rooms, perRoom, observers } = options;
  if (rooms < 1 || perRoom < 1 || observers < 0) throw new Error('need at least 1 room and 1 writer per room');
  if (perRoom > 32000) throw new Error('per-room too large');
  const roomNames = Array.from({ length: rooms }, (_, i) => roomName(i));
  const plan: LivePlan = { rooms: roomNames, perRoom, observers };
  /** Receiver slots per write: writers of the room are 0..perRoom-1, observers perRoom.. */
  const slotsPerWrite = perRoom + observers;

  let round: Round | null = null;
  let writeIdBase = 1;
  let errors = 0;
  const errorKinds = new Map<string, number>();
  let strayDeliveries = 0;
  let serverDead = false;
  let stopping = false;

  const countError = (kind: string, detail?: string): void => {
    errors += 1;
    const n = (errorKinds.get(kind) ?? 0) + 1;
    errorKinds.set(kind, n);
    if (n <= 3) log(`  [${target.name}] error ${kind}${detail === undefined ? '' : `: ${detail}`}`);
  };

  const eventsFor = (room: number, slot: number): ClientEvents => ({
    onDelivery(writeId, arrivedAt) {
      const r = round;
      if (r === null || !r.open) {
        strayDeliveries += 1;
        return;
      }
      const idx = writeId - r.base;
      if (idx < 0 || idx >= r.sentCount) {
        strayDeliveries += 1;
        return;
      }
      const measured = idx >= r.warmup;
      if (room >= 0) {
        if (r.roomOf[idx] !== room) {
          r.misrouted += 1;
          return;
        }
        if (r.senderSlot[idx] === slot) {
          if (measured) r.echoes += 1;
          return;
        }
      }
      const bit = idx * slotsPerWrite + slot;
      if (r.seen[bit] === 1) {
        if (measured) r.duplicates += 1;
        return;
      }
      r.seen[bit] = 1;
      if (measured) {
        r.latencies[r.nLatencies] = arrivedAt - (r.sentAt[idx] as number);
        r.nLatencies += 1;
      }
    },
    onAck(writeId, ackedAt) {
      const r = round;
      if (r === null || !r.open) return;
      const idx = writeId - r.base;
      if (idx < r.warmup || idx >= r.sentCount || r.acked[idx] === 1) return;
      if (r.senderSlot[idx] !== slot || r.roomOf[idx] !== room) {
        countError('ack-to-wrong-client');
        return;
      }
      r.acked[idx] = 1;
      r.ackLatencies[r.nAcks] = ackedAt - (r.sentAt[idx] as number);
      r.nAcks += 1;
    },
    onError: countError,
  });

  // ---- start the server -------------------------------------------------------------------
  log(`[${target.name}] starting server: ${target.describe}`);
  const server: RunningServer = await target.start(plan);
  const host = new URL(server.url).hostname;
  if (host !== '127.0.0.1') {
    await server.stop();
    throw new Error(`${target.name}: server URL ${server.url} is not loopback 127.0.0.1`);
  }
  void server.exited?.then(({ code, signal }) => {
    serverDead = true;
    if (!stopping) countError('server-exited', `code ${code} signal ${signal}`);
  });

  // ---- ramp the clients in ----------------------------------------------------------------
  // Writers interleaved by room (w0 of every room, then w1 …); observers spread evenly among them.
  type Job = { kind: 'writer'; room: number; slot: number } | { kind: 'observer'; slot: number };
  const writerJobs: Job[] = [];
  for (let slot = 0; slot < perRoom; slot += 1) for (let room = 0; room < rooms; room += 1) writerJobs.push({ kind: 'writer', room, slot });
  const jobs: Job[] = [];
  const totalClients = writerJobs.length + observers;
  let nextObserver = 0;
  for (let j = 0, w = 0; j < totalClients; j += 1) {
    const observerDue = nextObserver < observers && j >= Math.floor((nextObserver * totalClients) / Math.max(1, observers));
    if (observerDue || w >= writerJobs.length) {
      jobs.push({ kind: 'observer', slot: perRoom + nextObserver });
      nextObserver += 1;
    } else {
      jobs.push(writerJobs[w] as Job);
      w += 1;
    }
  }

  const writers: Writer[] = [];
  const allClients: LiveClient[] = [];
  const rampMs = options.rampSeconds * 1000;
  const t0 = performance.now();
  log(`[${target.name}] ramping ${totalClients} clients over ${options.rampSeconds} s`);
  const pending: Promise<void>[] = [];
  let failed = 0;
  let firstFailure: unknown;
  for (let j = 0; j < jobs.length; j += 1) {
    const due = t0 + (rampMs * j) / jobs.length;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    if (serverDead) break;
    const job = jobs[j] as Job;
    const p =
      job.kind === 'writer'
        ? target.connectWriter(roomNames[job.room] as string, job.slot, eventsFor(job.room, job.slot)).then((client) => {
            writers.push({ room: job.room, slot: job.slot, client });
            allClients.push(client);
          })
        : target.connectObserver('all', job.slot - perRoom, eventsFor(-1, job.slot)).then((client) => {
            allClients.push(client);
          });
    pending.push(
      p.catch((err: unknown) => {
        failed += 1;
        firstFailure ??= err;
      }),
    );
  }
  await Promise.all(pending);
  const sockets = allClients.reduce((sum, c) => sum + c.sockets, 0);

  const closeAll = async (): Promise<void> => {
    const closing = Promise.all(allClients.map((c) => c.close().catch(() => undefined)));
    await Promise.race([closing, sleep(10000)]);
    stopping = true;
    await server.stop();
  };

  if (failed > 0 || serverDead) {
    await closeAll();
    const why = firstFailure instanceof Error ? firstFailure.message : String(firstFailure);
    throw new Error(`${target.name}: ${failed} of ${totalClients} clients failed to connect (first: ${why})${serverDead ? '; server died' : ''}`);
  }
  log(`[${target.name}] ${totalClients} clients on ${sockets} sockets connected in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Round-robin order over writers, interleaved by room, so consecutive writes hit different rooms.
  writers.sort((a, b) => a.slot - b.slot || a.room - b.room);
  let cursor = 0;

  const eld = monitorEventLoopDelay({ resolution: ELD_RESOLUTION_MS });
  eld.enable();

  const measure = async (m: MeasureOptions): Promise<RunResult> => {
    if (serverDead) throw new Error(`${target.name}: server is not running`);
    if (!(m.rate > 0) || !(m.seconds > 0) || m.warmupSeconds < 0) throw new Error('bad rate/seconds/warmup');
    const warmup = Math.round(m.rate * m.warmupSeconds);
    const measuredCount = Math.max(1, Math.round(m.rate * m.seconds));
    const total = warmup + measuredCount;
    const receiversPerWrite = perRoom - 1 + observers;
    const r: Round = {
      base: writeIdBase,
      total,
      warmup,
      sentCount: 0,
      sentAt: new Float64Array(total),
      roomOf: new Int32Array(total),
      senderSlot: new Int16Array(total),
      seen: new Uint8Array(total * slotsPerWrite),
      latencies: new Float64Array(measuredCount * receiversPerWrite),
      nLatencies: 0,
      ackLatencies: new Float64Array(measuredCount),
      acked: new Uint8Array(total),
      nAcks: 0,
      echoes: 0,
      duplicates: 0,
      misrouted: 0,
      open: true,
    };
    writeIdBase += total;
    round = r;
    const errorsBefore = errors;
    const kindsBefore = new Map(errorKinds);
    log(`[${target.name}] ${m.rate} writes/s: ${m.warmupSeconds} s warm-up + ${m.seconds} s measured (${total} writes)`);

    // ---- pace the writes --------------------------------------------------------------------
    const interval = 1000 / m.rate;
    let cpuStart = 0;
    let srvCpuStart: number | null = null;
    let machineStart: number | null = null;
    // Set inside the pacing closure, so held in an object (TypeScript would narrow a plain let to null).
    const counters: { start: Promise<TargetCounters> | null } = { start: null };
    let genCpuStart = process.cpuUsage();
    let windowStart = 0;
    let lastSend = 0;
    let rssMax = 0;
    let rssTimer: NodeJS.Timeout | undefined;
    const sampleRss = (): void => {
      if (server.pid === undefined) return;
      const rss = readRssBytes(server.pid);
      if (rss !== null && rss > rssMax) rssMax = rss;
    };

    await new Promise<void>((resolve) => {
      const start = performance.now() + 5;
      let i = 0;
      const tick = (): void => {
        const now = performance.now();
        while (i < total && start + i * interval <= now && !serverDead) {
          if (i === warmup) {
            // start of the measured window
            windowStart = performance.now();
            cpuStart = windowStart;
            srvCpuStart = server.pid === undefined ? null : readCpuSeconds(server.pid);
            genCpuStart = process.cpuUsage();
            machineStart = readMachineBusySeconds();
            counters.start = target.counters?.() ?? null;
            eld.reset();
            sampleRss();
            rssTimer = setInterval(sampleRss, 500);
          }
          const w = writers[cursor % writers.length] as Writer;
          cursor += 1;
          r.roomOf[i] = w.room;
          r.senderSlot[i] = w.slot;
          r.sentCount = i + 1;
          const sentAt = performance.now();
          r.sentAt[i] = sentAt;
          try {
            w.client.send(r.base + i, sentAt);
          } catch (err) {
            countError('send-threw', err instanceof Error ? err.message : String(err));
          }
          lastSend = sentAt;
          i += 1;
        }
        if (i >= total || serverDead) {
          resolve();
          return;
        }
        setTimeout(tick, Math.max(0, start + i * interval - performance.now()));
      };
      tick();
    });

    // ---- end of the measured window -----------------------------------------------------------
    const windowEnd = performance.now();
    const genCpu = process.cpuUsage(genCpuStart);
    const srvCpuEnd = server.pid === undefined ? null : readCpuSeconds(server.pid);
    const machineEnd = readMachineBusySeconds();
    const countersEnd = counters.start === null ? null : await target.counters?.();
    const eldP99 = Math.max(0, eld.percentile(99) / 1e6 - ELD_RESOLUTION_MS);
    const eldMax = Math.max(0, eld.max / 1e6 - ELD_RESOLUTION_MS);
    sampleRss();
    if (rssTimer !== undefined) clearInterval(rssTimer);
    const windowMs = Math.max(1, windowEnd - cpuStart);
    const measuredSent = Math.max(0, r.sentCount - warmup);
    const expected = measuredCount * receiversPerWrite;

    // ---- drain: wait (bounded) for late deliveries and acks -------------------------------------
    const drainStart = performance.now();
    const drainDeadline = drainStart + m.drainSeconds * 1000;
    const done = (): boolean => r.nLatencies >= expected && (!target.acknowledges || r.nAcks >= measuredSent);
    while (!done() && performance.now() < drainDeadline && !serverDead) await sleep(20);
    const drainMs = performance.now() - drainStart;
    r.open = false;
    round = null;

    const kinds: Record<string, number> = {};
    for (const [kind, n] of errorKinds) {
      const d = n - (kindsBefore.get(kind) ?? 0);
      if (d > 0) kinds[kind] = d;
    }
    const roundErrors = errors - errorsBefore + r.misrouted + r.duplicates;
    if (r.misrouted > 0) kinds.misrouted = r.misrouted;
    if (r.duplicates > 0) kinds.duplicate = r.duplicates;
    const eldFlag = eldP99 > GENERATOR_ELD_LIMIT_MS;
    const windowS = windowMs / 1000;
    const serverCpuPct = srvCpuStart === null || srvCpuEnd === null ? null : ((srvCpuEnd - srvCpuStart) / windowS) * 100;
    const generatorCpuPct = ((genCpu.user + genCpu.system) / 1000 / windowMs) * 100;
    const otherCpuPct =
      machineStart === null || machineEnd === null
        ? null
        : Math.max(0, ((machineEnd - machineStart) / windowS) * 100 - (serverCpuPct ?? 0) - generatorCpuPct);
    const achieved = measuredSent <= 1 ? measuredSent : (measuredSent / (lastSend - windowStart + interval)) * 1000;
    const before = counters.start === null ? null : await counters.start;
    const perWrite = (start: number | null | undefined, end: number | null | undefined, scale: number): number | null =>
      start === null || start === undefined || end === null || end === undefined || measuredSent === 0 ? null : ((end - start) * scale) / measuredSent;
    const transactions = before?.transactions ?? null;
    const transactionsEnd = countersEnd?.transactions ?? null;

    return {
      target: target.name,
      rate: m.rate,
      seconds: m.seconds,
      clients: totalClients,
      sockets,
      writes: measuredSent,
      achievedWritesPerSec: achieved,
      receiversPerWrite,
      expected,
      received: r.nLatencies,
      lost: expected - r.nLatencies,
      echoes: r.echoes,
      duplicates: r.duplicates,
      misrouted: r.misrouted,
      latencyMs: percentiles(r.latencies, r.nLatencies),
      ackMs: target.acknowledges ? percentiles(r.ackLatencies, r.nAcks) : null,
      unacked: target.acknowledges ? measuredSent - r.nAcks : null,
      serverCpuPct,
      serverCpuUsPerWrite: perWrite(srvCpuStart, srvCpuEnd, 1e6),
      dbCpuUsPerWrite: perWrite(before?.dbCpuSeconds, countersEnd?.dbCpuSeconds, 1e6),
      statementsPerWrite: perWrite(before?.statements, countersEnd?.statements, 1),
      transactionsPerSec: transactions === null || transactionsEnd === null ? null : (transactionsEnd - transactions) / windowS,
      serverRssMb: rssMax > 0 ? rssMax / (1024 * 1024) : null,
      generatorCpuPct,
      generatorEldP99Ms: eldP99,
      generatorEldMaxMs: eldMax,
      generatorLagged: eldFlag,
      otherCpuPct,
      machineBusy: otherCpuPct !== null && otherCpuPct > OTHER_CPU_LIMIT_PCT,
      errors: roundErrors,
      errorKinds: kinds,
      drainMs,
    };
  };

  return {
    target,
    clients: totalClients,
    sockets,
    measure,
    async close() {
      eld.disable();
      log(`[${target.name}] closing ${sockets} sockets and stopping the server`);
      if (strayDeliveries > 0) log(`[${target.name}] ${strayDeliveries} deliveries arrived outside a round (after a drain) and were not counted`);
      await closeAll();
    },
  };
}
