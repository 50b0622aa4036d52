/**
 * Summarises a V8 .cpuprofile (INNSPILL_BENCH_CPU_PROF windows, or cpuProfile.mjs):
 *   npx tsx bench/live/profile/summarise.ts <file.cpuprofile> [--writes N] [--top 25]
 * Prints the top functions by self and by inclusive time, and attributes every sample to one
 * stage of a live write: the first frame from the leaf up that a rule below claims (so
 * `writev` under ws is "ws framing/send", under pg "db driver"). With `--writes N` (the writes
 * sent in the window) the stages are also given in µs of sampled CPU per write. Idle is left out.
 */
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface Profile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) throw new Error('usage: summarise.ts <file.cpuprofile> [--writes N] [--top N]');
const option = (name: string): number | null => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : null;
};
const writes = option('writes');
const top = option('top') ?? 25;

const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const short = (url: string): string => {
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length);
  const src = url.indexOf('/src/');
  if (src >= 0) return url.slice(src + 1);
  const bench = url.indexOf('/bench/');
  return bench >= 0 ? url.slice(bench + 1) : url.replace(/^file:\/\//, '');
};
const label = (f: CallFrame): string => `${f.functionName || '(anonymous)'} ${f.url ? `${short(f.url)}:${f.lineNumber + 1}` : '(native)'}`;

type Rule = (frame: CallFrame, caller: CallFrame | undefined) => string | null;
const has = (f: CallFrame, ...parts: string[]) => parts.some((p) => f.url.includes(p));
const ours = (f: CallFrame | undefined) => f !== undefined && has(f, '/src/');
/** First match from the leaf up wins; order matters only within one frame. */
const rules: Rule[] = [
  (f) => (has(f, '/pino', 'sonic-boom', 'thread-stream') ? 'logging (pino)' : null),
  (f) => (has(f, 'prom-client', 'src/server/metrics') ? 'metrics' : null),
  (f) => (has(f, '/zod/') ? 'zod validation' : null),
  (f) => (has(f, 'src/domain/text/storable') ? 'storable-text check' : null),
  (f, c) => (f.functionName === 'parse' && !f.url && ours(c) ? `JSON.parse in ${c!.functionName} (${short(c!.url)})` : null),
  (f, c) => (f.functionName === 'stringify' && !f.url && ours(c) ? `JSON.stringify in ${c!.functionName} (${short(c!.url)})` : null),
  (f) => (has(f, 'permessage-deflate', 'zlib') ? 'permessage-deflate' : null),
  (f) => (has(f, 'ws/lib/sender', 'src/server/live/writeBatch') ? 'ws framing/send' : null),
  (f) => (has(f, 'ws/lib/receiver') ? 'ws receive/unmask' : null),
  (f) => (has(f, 'ws/lib/websocket') && f.functionName === 'send' ? 'ws framing/send' : null),
  (f) => (has(f, '/pg-protocol/') ? 'db driver (pg protocol)' : null),
  (f) => (has(f, '/pg/', '/pg-pool/', '/pg-types/', 'postgres-') ? 'db driver (pg client)' : null),
  (f) => (has(f, '/kysely/') ? 'query builder (kysely)' : null),
  (f) => (has(f, '@electric-sql/pglite') ? 'PGlite (database)' : null),
  (f) => (has(f, 'src/server/db/pgliteDriver') ? 'db driver (pgliteDriver)' : null),
  (f) => (has(f, 'src/server/live/hub') ? 'hub delivery (routing, filter)' : null),
  (f) => (has(f, 'src/server/live/commands.service', 'src/server/live/live.queries', 'src/domain/') ? 'command logic (commands.service, queries, rules)' : null),
  (f) => (has(f, 'src/server/live/connection') ? 'connection (receive, ack)' : null),
  (f) => (has(f, 'src/server/live/live.routes') ? 'live.routes (socket wrap)' : null),
  (f) => (has(f, 'src/server/limits') ? 'write limiter' : null),
  (f) => (has(f, 'src/server/live/board.service') ? 'audience (board.service)' : null),
  (f) => (has(f, '/fastify', '@fastify/', 'light-my-request', 'find-my-way', 'avvio') ? 'fastify' : null),
  (f) => (has(f, '/ws/lib/') ? 'ws (other)' : null),
  (f) => (has(f, 'bench/live/servers') ? 'bench instrumentation (statement counter)' : null),
  (f) => (f.functionName === '(garbage collector)' ? 'garbage collector' : null),
  (f) => (f.functionName === '(program)' ? '(program: V8/native, unattributed)' : null),
];

const stackOf = (id: number): CallFrame[] => {
  const frames: CallFrame[] = [];
  for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) frames.push(byId.get(cur)!.callFrame);
  return frames; // leaf first
};

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const stages = new Map<string, number>();
let busyUs = 0;
let idleUs = 0;
const stackCache = new Map<number, { frames: CallFrame[]; stage: string }>();
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0;
  let cached = stackCache.get(id);
  if (!cached) {
    const frames = stackOf(id);
    let stage: string | null = null;
    for (let k = 0; k < frames.length && stage === null; k++) for (const rule of rules) if ((stage = rule(frames[k]!, frames[k + 1])) !== null) break;
    if (stage === null) {
      const lib = frames.find((f) => f.url.includes('node_modules/') || f.url.includes('/src/'));
      stage = lib ? `other: ${short(lib.url).split('/').slice(0, 2).join('/')}` : `node internals (${frames.find((f) => f.url)?.url.split('/')[0] ?? 'native'})`;
    }
    cached = { frames, stage };
    stackCache.set(id, cached);
  }
  const leaf = cached.frames[0]!;
  if (leaf.functionName === '(idle)') {
    idleUs += dt;
    return;
  }
  busyUs += dt;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + dt);
  for (const name of new Set(cached.frames.map(label))) inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
  stages.set(cached.stage, (stages.get(cached.stage) ?? 0) + dt);
});

const pct = (us: number) => `${((100 * us) / busyUs).toFixed(1).padStart(5)} %`;
const perWrite = (us: number) => (writes ? `${(us / writes).toFixed(0).padStart(6)} µs/w` : '');
const table = (title: string, m: Map<string, number>, n: number) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${pct(us)} ${perWrite(us)}  ${name}`);
};
const seconds = (profile.endTime - profile.startTime) / 1e6;
console.log(`${file}: ${seconds.toFixed(1)} s, busy ${(busyUs / 1e6).toFixed(2)} s (${((100 * busyUs) / (busyUs + idleUs)).toFixed(0)} % of samples), idle ${(idleUs / 1e6).toFixed(2)} s${writes ? `; ${writes} writes → ${(busyUs / writes).toFixed(0)} µs sampled per write` : ''}`);
table('Stages (first claiming frame from the leaf up)', stages, 40);
table(`Top ${top} by self time`, self, top);
table(`Top ${top} by inclusive time`, inclusive, top);
