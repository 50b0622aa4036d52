/**
 * `npm run bench:live` — live-path load test (see bench/live/README.md and /work/shared/BENCHMARKING.md).
 *
 *   npx tsx bench/live/run.ts [--target relay|yjs|innspill|all] [--rate 100] [--rooms 100]
 *     [--per-room 10] [--observers 10] [--seconds 30] [--warmup 5] [--ramp 15] [--drain 5]
 *     [--max] [--max-rates 250,500,1000,1500,2000,3000] [--max-seconds 10] [--max-warmup 3]
 *
 * Prints progress on stderr, a table on stdout, and as the LAST stdout line one JSON object.
 * Every run is bounded: paced writes stop after warm-up + window, drains are bounded, connects
 * time out, and a watchdog ends the process if the whole run overruns its budget. Servers run as
 * child processes on 127.0.0.1 and are killed on exit, SIGINT/SIGTERM and errors.
 */
import { parseArgs } from 'node:util';
import { GENERATOR_ELD_LIMIT_MS, OTHER_CPU_LIMIT_PCT, openSession, type RunResult } from './loadGenerator.js';
import { installProcessGuards } from './proc.js';
import { PGLITE_TARGET, PRODUCT_TARGET, targets } from './targets/index.js';
import { TARGET_PAYLOAD_BYTES } from './payload.js';
import { wsVersion } from './ws.js';

const P99_LIMIT_MS = 100;
/**
 * The physical reference on this machine (issue 12): pgbench, single-row INSERT of a 200-byte row
 * with a uuid key, fsync on: 2,280 transactions/s from one client, ~6,500/s from 8–32 clients.
 */
const PGBENCH_ONE_CLIENT_TPS = 2280;
const PGBENCH_MANY_CLIENTS_TPS = 6500;

interface Options {
  target: string;
  rate: number;
  rooms: number;
  perRoom: number;
  observers: number;
  seconds: number;
  warmup: number;
  ramp: number;
  drain: number;
  max: boolean;
  maxRates: number[];
  maxSeconds: number;
  maxWarmup: number;
  /** Rounds of the whole target list; the JSON then holds each round's medians (run-to-run scatter is large here). */
  repeat: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      target: { type: 'string', default: 'all' },
      rate: { type: 'string', default: '100' },
      rooms: { type: 'string', default: '100' },
      'per-room': { type: 'string', default: '10' },
      observers: { type: 'string', default: '10' },
      seconds: { type: 'string', default: '30' },
      warmup: { type: 'string', default: '5' },
      ramp: { type: 'string', default: '15' },
      drain: { type: 'string', default: '5' },
      max: { type: 'boolean', default: false },
      'max-rates': { type: 'string', default: '250,500,1000,1500,2000,3000' },
      'max-seconds': { type: 'string', default: '10' },
      'max-warmup': { type: 'string', default: '3' },
      repeat: { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(
      'usage: tsx bench/live/run.ts [--target relay|yjs|innspill|all] [--rate N] [--rooms N] [--per-room N]\n' +
        '  [--observers N] [--seconds N] [--warmup N] [--ramp N] [--drain N]\n' +
        '  [--max] [--max-rates a,b,c] [--max-seconds N] [--max-warmup N] [--repeat N]\n' +
        `targets: ${Object.keys(targets).join(', ')}\n`,
    );
    process.exit(0);
  }
  const num = (name: string, raw: string, min: number, maxValue: number): number => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > maxValue) throw new Error(`--${name} must be a number in [${min}, ${maxValue}], got ${raw}`);
    return n;
  };
  const maxRates = values['max-rates'].split(',').map((s) => num('max-rates', s.trim(), 1, 100000));
  return {
    target: values.target,
    rate: num('rate', values.rate, 0.1, 100000),
    rooms: Math.floor(num('rooms', values.rooms, 1, 10000)),
    perRoom: Math.floor(num('per-room', values['per-room'], 1, 1000)),
    observers: Math.floor(num('observers', values.observers, 0, 1000)),
    seconds: num('seconds', values.seconds, 1, 3600),
    warmup: num('warmup', values.warmup, 0, 600),
    ramp: num('ramp', values.ramp, 0, 600),
    drain: num('drain', values.drain, 0.1, 120),
    max: values.max,
    maxRates,
    maxSeconds: num('max-seconds', values['max-seconds'], 1, 600),
    maxWarmup: num('max-warmup', values['max-warmup'], 0, 120),
    repeat: Math.floor(num('repeat', values.repeat, 1, 20)),
  };
}

interface Outcome {
  target: string;
  describe: string;
  clients: number;
  sockets: number;
  fixed: RunResult | null;
  steps: RunResult[];
  /** Highest rate of the --max search that passed; null if not searched or none passed. */
  maxRate: number | null;
  maxLimitedBy: string | null;
  failure: string | null;
}

/** A --max step passes with p99 < 100 ms, nothing lost, no errors, all acked, an unlagged generator, ≥ 95 % of the rate achieved. */
function stepVerdict(r: RunResult): string | null {
  const why = failureOf(r);
  if (why === null || !r.machineBusy) return why;
  return `${why} — on a BUSY MACHINE (other processes used ${r.otherCpuPct?.toFixed(0) ?? '?'} % of a core): rerun when it is quiet`;
}

function failureOf(r: RunResult): string | null {
  if (r.generatorLagged) return `generator event-loop delay p99 ${r.generatorEldP99Ms.toFixed(1)} ms > ${GENERATOR_ELD_LIMIT_MS} ms (not a server result)`;
  if (r.latencyMs === null || r.latencyMs.p99 >= P99_LIMIT_MS) return `p99 ${r.latencyMs?.p99.toFixed(1) ?? 'n/a'} ms ≥ ${P99_LIMIT_MS} ms`;
  if (r.lost > 0) return `${r.lost} deliveries lost`;
  if (r.errors > 0) return `${r.errors} errors`;
  if (r.unacked !== null && r.unacked > 0) return `${r.unacked} writes not acknowledged`;
  if (r.achievedWritesPerSec < 0.95 * r.rate) return `achieved only ${r.achievedWritesPerSec.toFixed(0)} writes/s`;
  return null;
}

async function runTarget(name: string, o: Options): Promise<Outcome> {
  const factory = targets[name];
  if (factory === undefined) throw new Error(`unknown target ${name}`);
  const target = factory();
  const outcome: Outcome = {
    target: name,
    describe: target.describe,
    clients: o.rooms * o.perRoom + o.observers,
    sockets: 0,
    fixed: null,
    steps: [],
    maxRate: null,
    maxLimitedBy: null,
    failure: null,
  };
  let session;
  try {
    session = await openSession(target, { rooms: o.rooms, perRoom: o.perRoom, observers: o.observers, rampSeconds: o.ramp });
  } catch (err) {
    outcome.failure = err instanceof Error ? err.message : String(err);
    process.stderr.write(`[${name}] FAILED: ${outcome.failure}\n`);
    return outcome;
  }
  outcome.sockets = session.sockets;
  try {
    outcome.fixed = await session.measure({ rate: o.rate, warmupSeconds: o.warmup, seconds: o.seconds, drainSeconds: o.drain });
    process.stderr.write(`${formatTable([outcome.fixed])}\n`);
    if (o.max) {
      for (const rate of o.maxRates) {
        const r = await session.measure({ rate, warmupSeconds: o.maxWarmup, seconds: o.maxSeconds, drainSeconds: o.drain });
        outcome.steps.push(r);
        process.stderr.write(`${formatTable([r])}\n`);
        const why = stepVerdict(r);
        if (why !== null) {
          outcome.maxLimitedBy = `${rate} writes/s failed: ${why}`;
          break;
        }
        outcome.maxRate = rate;
      }
      if (outcome.maxLimitedBy === null) outcome.maxLimitedBy = `every rate up to ${o.maxRates.at(-1) ?? '?'} passed (raise --max-rates)`;
    }
  } catch (err) {
    outcome.failure = err instanceof Error ? err.message : String(err);
    process.stderr.write(`[${name}] FAILED: ${outcome.failure}\n`);
  } finally {
    await session.close();
  }
  return outcome;
}

const fmt = (n: number | null | undefined, digits = 1): string => (n === null || n === undefined || !Number.isFinite(n) ? '-' : n.toFixed(digits));

function formatTable(rows: RunResult[]): string {
  const header = [
    'target', 'rate', 'writes/s', 'expected', 'received', 'lost', 'deliv/write', 'echo/write',
    'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'srv CPU %', 'srv µs/w', 'db µs/w', 'stmt/w', 'tx/s', 'srv RSS MB', 'gen CPU %', 'gen ELD p99', 'other CPU %', 'errors', 'note',
  ];
  const lines = rows.map((r) => {
    const notes: string[] = [];
    if (r.generatorLagged) notes.push(`GENERATOR LAGGED (ELD p99 > ${GENERATOR_ELD_LIMIT_MS} ms): not a server result`);
    if (r.machineBusy) notes.push(`BUSY MACHINE (other processes > ${OTHER_CPU_LIMIT_PCT} % of a core)`);
    if (r.ackMs !== null || r.unacked !== null) notes.push(`ack p50/p99 ${fmt(r.ackMs?.p50, 2)}/${fmt(r.ackMs?.p99, 2)} ms, unacked ${r.unacked ?? '-'}`);
    const kinds = Object.entries(r.errorKinds).map(([k, n]) => `${k}×${n}`);
    if (kinds.length > 0) notes.push(kinds.join(' '));
    return [
      r.target,
      String(r.rate),
      fmt(r.achievedWritesPerSec, 1),
      String(r.expected),
      String(r.received),
      String(r.lost),
      fmt(r.writes > 0 ? r.received / r.writes : null, 2),
      fmt(r.writes > 0 ? r.echoes / r.writes : null, 2),
      fmt(r.latencyMs?.p50, 2),
      fmt(r.latencyMs?.p95, 2),
      fmt(r.latencyMs?.p99, 2),
      fmt(r.latencyMs?.max, 1),
      fmt(r.serverCpuPct, 1),
      fmt(r.serverCpuUsPerWrite, 0),
      fmt(r.dbCpuUsPerWrite, 0),
      fmt(r.statementsPerWrite, 2),
      fmt(r.transactionsPerSec, 0),
      fmt(r.serverRssMb, 1),
      fmt(r.generatorCpuPct, 1),
      fmt(r.generatorEldP99Ms, 2),
      fmt(r.otherCpuPct, 1),
      String(r.errors),
      notes.join('; '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: string[]): string => `| ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join(' | ')} |`;
  return [row(header), row(widths.map((w) => '-'.repeat(Math.max(3, w)))), ...lines.map(row)].join('\n');
}

const round2 = (n: number | null | undefined): number | null => (n === null || n === undefined || !Number.isFinite(n) ? null : Math.round(n * 100) / 100);
const round0 = (n: number | null | undefined): number | null => (n === null || n === undefined || !Number.isFinite(n) ? null : Math.round(n));

/**
 * The last line. Baselines are prefixed (relay…, yjs…); the product (target `innspill`) fills the
 * unprefixed keys, which stay null until targets/index.ts registers it and it runs.
 */
function assembleJson(o: Options, outcomes: Outcome[]): Record<string, unknown> {
  const get = (name: string): Outcome | undefined => outcomes.find((x) => x.target === name);
  const relay = get('relay');
  const yjs = get('yjs');
  const product = get(PRODUCT_TARGET);
  const pglite = get(PGLITE_TARGET);
  const pf = product?.fixed ?? null;
  const json: Record<string, unknown> = {
    clients: o.rooms * o.perRoom + o.observers,
    writesPerSec: o.rate,
    relayP99Ms: round2(relay?.fixed?.latencyMs?.p99),
    yjsP99Ms: round2(yjs?.fixed?.latencyMs?.p99),
    p50Ms: round2(pf?.latencyMs?.p50),
    p95Ms: round2(pf?.latencyMs?.p95),
    p99Ms: round2(pf?.latencyMs?.p99),
    errors: pf === null ? null : pf.errors,
    lost: pf === null ? null : pf.lost,
    maxDurableWritesPerSec: product !== undefined && o.max && product.fixed !== null ? product.maxRate : null,
    serverCpuUsPerWrite: round0(pf?.serverCpuUsPerWrite),
    dbCpuUsPerWrite: round0(pf?.dbCpuUsPerWrite),
    statementsPerWrite: round2(pf?.statementsPerWrite),
    transactionsPerSec: round0(pf?.transactionsPerSec),
    seconds: o.seconds,
    rooms: o.rooms,
    perRoom: o.perRoom,
    observers: o.observers,
    payloadBytes: TARGET_PAYLOAD_BYTES,
    ws: wsVersion,
  };
  if (product !== undefined && o.max) {
    // The highest passing --max step against what PostgreSQL and the disk commit here (pgbench).
    const best = product.steps.find((r) => r.rate === product.maxRate);
    json.maxStepServerCpuUsPerWrite = round0(best?.serverCpuUsPerWrite);
    json.maxStepDbCpuUsPerWrite = round0(best?.dbCpuUsPerWrite);
    json.maxStepStatementsPerWrite = round2(best?.statementsPerWrite);
    json.maxStepTransactionsPerSec = round0(best?.transactionsPerSec);
    json.pgbenchSharePct = product.maxRate === null ? null : round2((product.maxRate / PGBENCH_MANY_CLIENTS_TPS) * 100);
    json.pgbenchOneClientSharePct = product.maxRate === null ? null : round2((product.maxRate / PGBENCH_ONE_CLIENT_TPS) * 100);
  }
  for (const [prefix, x] of [['relay', relay], ['yjs', yjs], [PRODUCT_TARGET, product], ['innspillPglite', pglite]] as const) {
    if (x === undefined) continue;
    const f = x.fixed;
    json[`${prefix}Sockets`] = x.sockets;
    const isProduct = prefix === PRODUCT_TARGET || prefix === 'innspillPglite';
    if (!isProduct) {
      json[`${prefix}P50Ms`] = round2(f?.latencyMs?.p50);
      json[`${prefix}P95Ms`] = round2(f?.latencyMs?.p95);
      json[`${prefix}Lost`] = f === null ? null : f.lost;
      json[`${prefix}Errors`] = f === null ? null : f.errors;
    } else {
      json[`${prefix}AckP99Ms`] = round2(f?.ackMs?.p99);
    }
    if (prefix === 'innspillPglite') {
      json.pgliteP50Ms = round2(f?.latencyMs?.p50);
      json.pgliteP99Ms = round2(f?.latencyMs?.p99);
      json.pgliteLost = f === null ? null : f.lost;
      json.pgliteErrors = f === null ? null : f.errors;
      json.pgliteServerCpuUsPerWrite = round0(f?.serverCpuUsPerWrite);
      json.pgliteStatementsPerWrite = round2(f?.statementsPerWrite);
      if (o.max) json.pgliteMaxDurableWritesPerSec = f === null ? null : x.maxRate;
    }
    json[`${prefix}DeliveriesPerWrite`] = f === null || f.writes === 0 ? null : round2(f.received / f.writes);
    json[`${prefix}EchoPerWrite`] = f === null || f.writes === 0 ? null : round2(f.echoes / f.writes);
    json[`${prefix}ServerCpuPct`] = round2(f?.serverCpuPct);
    json[`${prefix}GeneratorEldP99Ms`] = round2(f?.generatorEldP99Ms);
    json[`${prefix}OtherCpuPct`] = round2(f?.otherCpuPct);
    if (o.max) json[`${prefix}MaxWritesPerSec`] = x.maxRate;
    if (x.failure !== null) json[`${prefix}Failure`] = x.failure;
  }
  // The issue's ratio target: the product's p99 over y-websocket's, measured in the same run.
  const yjsP99 = yjs?.fixed?.latencyMs?.p99;
  const ratio = (p99: number | undefined) => (p99 === undefined || yjsP99 === undefined ? null : round2(p99 / yjsP99));
  json.p99RatioToYjs = ratio(pf?.latencyMs?.p99);
  json.pgliteP99RatioToYjs = ratio(pglite?.fixed?.latencyMs?.p99);
  json.machineBusy = outcomes.some((x) => [x.fixed, ...x.steps].some((r) => r?.machineBusy === true));
  json.generatorLagged = outcomes.some((x) => [x.fixed, ...x.steps].some((r) => r?.generatorLagged === true));
  return json;
}

/** What each round's last line says about the ratio target, one row per round and the medians. */
function formatRounds(perRound: Array<Record<string, unknown>>): string {
  const keys = ['relayP99Ms', 'yjsP99Ms', 'p50Ms', 'p99Ms', 'p99RatioToYjs', 'dbCpuUsPerWrite', 'pgliteP50Ms', 'pgliteP99Ms', 'pgliteP99RatioToYjs'];
  const cell = (value: unknown) => (typeof value === 'number' ? String(value) : '-');
  const medians = mediansOf(perRound);
  const lines = [
    `| round | ${keys.join(' | ')} |`,
    `| --- | ${keys.map(() => '---').join(' | ')} |`,
    ...perRound.map((json, i) => `| ${i + 1} | ${keys.map((key) => cell(json[key])).join(' | ')} |`),
    `| median | ${keys.map((key) => cell(medians[key])).join(' | ')} |`,
  ];
  return lines.join('\n');
}

/** Keys of a --max search: the rate every round passed is the lowest, not the median. */
const isMaxRate = (key: string) => /Max(Durable)?WritesPerSec$/i.test(key);

/**
 * The rounds' last lines as one: each figure the median of the rounds (the lowest for a --max
 * rate), flags set if any round set them, and the figures of the ratio target per round.
 */
function mediansOf(perRound: Array<Record<string, unknown>>): Record<string, unknown> {
  const first = perRound[0] ?? {};
  const json: Record<string, unknown> = {};
  for (const key of Object.keys(first)) {
    const values = perRound.map((round) => round[key]);
    const numbers = values.filter((value): value is number => typeof value === 'number');
    if (typeof first[key] === 'boolean') json[key] = values.some((value) => value === true);
    else if (numbers.length !== values.length || numbers.length === 0) json[key] = first[key];
    else json[key] = isMaxRate(key) ? Math.min(...numbers) : round2(median(numbers));
  }
  json.rounds = perRound.length;
  json.perRound = perRound.map((round) => ({ p50Ms: round.p50Ms, p99Ms: round.p99Ms, yjsP99Ms: round.yjsP99Ms, p99RatioToYjs: round.p99RatioToYjs, pgliteP99Ms: round.pgliteP99Ms }));
  return json;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  installProcessGuards();
  const o = parseOptions(process.argv.slice(2));
  const names = o.target === 'all' ? Object.keys(targets) : [o.target];
  for (const n of names) {
    if (targets[n] === undefined) {
      throw new Error(
        n === PRODUCT_TARGET
          ? `target ${n} is not registered yet: add it to bench/live/targets/index.ts`
          : `unknown target ${n} (known: ${Object.keys(targets).join(', ')})`,
      );
    }
  }

  // Watchdog: generous budget per target; the run ends by itself whatever happens.
  const perTarget =
    o.ramp + 20 + (o.warmup + o.seconds + o.drain) * 1.5 + (o.max ? o.maxRates.length * (o.maxWarmup + o.maxSeconds + o.drain) * 1.5 : 0) + 60;
  const budgetMs = names.length * perTarget * o.repeat * 1000;
  setTimeout(() => {
    process.stderr.write(`[bench] watchdog: run exceeded ${(budgetMs / 1000).toFixed(0)} s, aborting\n`);
    process.exit(2);
  }, budgetMs).unref();

  process.stderr.write(
    `[bench] ${o.rooms} rooms × ${o.perRoom} writers + ${o.observers} observers (all rooms) = ${o.rooms * o.perRoom + o.observers} clients; ` +
      `${o.rate} writes/s of ~${TARGET_PAYLOAD_BYTES} B; ramp ${o.ramp} s, warm-up ${o.warmup} s, window ${o.seconds} s; ws ${wsVersion}; Node ${process.version}` +
      `${o.repeat > 1 ? `; ${o.repeat} rounds` : ''}\n`,
  );
  // Rounds run the targets in turn, so a slow spell of the machine falls on every target alike.
  const rounds: Outcome[][] = [];
  for (let round = 1; round <= o.repeat; round += 1) {
    if (o.repeat > 1) process.stderr.write(`[bench] round ${round} of ${o.repeat}\n`);
    const outcomes: Outcome[] = [];
    for (const name of names) outcomes.push(await runTarget(name, o));
    rounds.push(outcomes);
  }
  const outcomes = rounds.flat();

  const out: string[] = [];
  out.push('');
  out.push(`Live path: ${o.rooms} rooms × ${o.perRoom} writers + ${o.observers} observers of every room = ${o.rooms * o.perRoom + o.observers} clients, ` +
    `writes of ~${TARGET_PAYLOAD_BYTES} B paced evenly over all writers, warm-up ${o.warmup} s, window ${o.seconds} s (max-search steps: warm-up ${o.maxWarmup} s, window ${o.maxSeconds} s).`);
  out.push('Latency = arrival − send, both performance.now() in the load generator, at every other subscriber (room peers + every observer); echoes to the sender are counted apart.');
  out.push(`CPU % = share of one core over the measured window (server: /proc/<pid>/stat of the child; generator: process.cpuUsage). Generator ELD = event-loop delay p99 beyond the ${10} ms sampling interval; > ${GENERATOR_ELD_LIMIT_MS} ms is flagged.`);
  out.push(`Other CPU % = whole machine busy (/proc/stat) − server − generator: neighbours on a shared machine; > ${OTHER_CPU_LIMIT_PCT} % is flagged BUSY MACHINE (tails then say little about the server).`);
  out.push(
    `srv µs/w = server CPU per write; db µs/w = CPU of the PostgreSQL backends serving the bench database per write (/proc; "-" for PGlite, whose CPU is the server's); ` +
      `stmt/w = statements the server sent per write (BEGIN, COMMIT and SAVEPOINTs included); tx/s = committed transactions per second. ` +
      `Reference (pgbench, one-row INSERT, fsync on, this machine): ${PGBENCH_ONE_CLIENT_TPS} tx/s from one client, ~${PGBENCH_MANY_CLIENTS_TPS} from 8–32.`,
  );
  out.push('No rate limits are involved: the bench servers have none (the product target must give the bench its own limits or distinct identities; say so).');
  for (const x of rounds[0]!) {
    out.push(`- ${x.target}: ${x.describe}; ${x.clients} clients on ${x.sockets} sockets${x.failure === null ? '' : `; FAILED: ${x.failure}`}`);
  }
  const rows = outcomes.flatMap((x) => [x.fixed, ...x.steps].filter((r): r is RunResult => r !== null));
  out.push('');
  out.push(rows.length > 0 ? formatTable(rows) : '(no results)');
  if (o.max) {
    out.push('');
    for (const x of outcomes) {
      out.push(`max (${x.target}): ${x.maxRate === null ? 'none passed' : `${x.maxRate} writes/s`} with p99 < ${P99_LIMIT_MS} ms, 0 lost, 0 errors — ${x.maxLimitedBy ?? x.failure ?? ''}`);
    }
  }
  const perRound = rounds.map((round) => assembleJson(o, round));
  if (o.repeat > 1) {
    out.push('');
    out.push(formatRounds(perRound));
  }
  out.push('');
  out.push(JSON.stringify(o.repeat > 1 ? mediansOf(perRound) : perRound[0]));
  process.stdout.write(`${out.join('\n')}\n`);
  const anyFailed = outcomes.some((x) => x.failure !== null);
  process.exit(anyFailed ? 1 : 0);
}

main().catch((err: unknown) => {
  const detail = err instanceof Error ? (process.env.BENCH_DEBUG === '1' ? (err.stack ?? err.message) : err.message) : String(err);
  process.stderr.write(`[bench] ${detail}\n`);
  process.exit(1);
});
