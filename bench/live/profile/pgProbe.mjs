// Preload for the innspill server child, for diagnosis only:
//   INNSPILL_BENCH_SERVER_NODE_OPTIONS="--import ./bench/live/profile/pgProbe.mjs" npm run bench:live -- --target innspill
// Times pg queries (by statement and table),
// pool waits, transactions and the workshop-row lock hold; prints a summary every 10 s on stderr.
import { createRequire } from 'node:module';
const pg = createRequire(import.meta.url)('pg');
import { monitorEventLoopDelay } from 'node:perf_hooks';

const stats = new Map();
const add = (key, ms) => {
  let s = stats.get(key);
  if (!s) stats.set(key, (s = []));
  s.push(ms);
};
const pct = (arr, p) => {
  if (arr.length === 0) return 0;
  const sorted = Float64Array.from(arr).sort();
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const keyOf = (text) => {
  const t = text.trim().toLowerCase();
  if (t.startsWith('begin') || t.startsWith('commit') || t.startsWith('rollback')) return t.split(/\s/)[0];
  const m = /^(select|insert into|update|delete from)\s+"?([a-z_]+)"?/.exec(t);
  return m ? `${m[1]} ${m[2]}` : t.slice(0, 30);
};

const origQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (config, values, callback) {
  const text = typeof config === 'string' ? config : config?.text ?? '';
  const key = keyOf(text);
  const t0 = performance.now();
  if (key === 'begin') this.__txStart = t0;
  if (key === 'update workshops') this.__lockStart = t0;
  const done = () => {
    const t1 = performance.now();
    add(`q ${key}`, t1 - t0);
    if (key === 'commit' && this.__txStart !== undefined) {
      add('tx total (begin→commit done)', t1 - this.__txStart);
      if (this.__lockStart !== undefined) add('workshop row: update start→commit done (wait+hold)', t1 - this.__lockStart);
      this.__txStart = undefined;
      this.__lockStart = undefined;
    }
  };
  if (typeof values === 'function' || typeof callback === 'function') return origQuery.call(this, config, values, callback);
  const p = origQuery.call(this, config, values);
  if (p && typeof p.then === 'function') p.then(done, done);
  return p;
};

const origConnect = pg.Pool.prototype.connect;
pg.Pool.prototype.connect = function (cb) {
  const t0 = performance.now();
  if (typeof cb === 'function') {
    return origConnect.call(this, (err, client, release) => {
      add('pool wait', performance.now() - t0);
      cb(err, client, release);
    });
  }
  return origConnect.call(this).then((client) => {
    add('pool wait', performance.now() - t0);
    return client;
  });
};

const eld = monitorEventLoopDelay({ resolution: 10 });
eld.enable();
setInterval(() => {
  const lines = [];
  for (const [key, arr] of [...stats.entries()].sort()) {
    if (arr.length === 0) continue;
    const sum = arr.reduce((a, b) => a + b, 0);
    lines.push(`  ${key.padEnd(42)} n=${String(arr.length).padStart(6)} mean=${(sum / arr.length).toFixed(2).padStart(7)} p50=${pct(arr, 50).toFixed(2).padStart(7)} p99=${pct(arr, 99).toFixed(2).padStart(8)} max=${pct(arr, 100).toFixed(1).padStart(8)}`);
  }
  stats.clear();
  process.stderr.write(`probe (last 10 s), server ELD p99 ${(eld.percentile(99) / 1e6 - 10).toFixed(1)} ms max ${(eld.max / 1e6 - 10).toFixed(1)} ms\n${lines.join('\n')}\n`);
  eld.reset();
}, 10_000).unref();
