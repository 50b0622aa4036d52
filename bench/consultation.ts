/**
 * `npm run bench:consultation` — a consultation's closing day: 10,000 submissions, 10 % with a 1 MB
 * PDF, from 200 concurrent clients, to a real `innspill serve` process on PostgreSQL (a fresh
 * database, dropped afterwards).
 *
 *   npx tsx bench/consultation.ts [--submissions 10000] [--concurrency 200] [--pdf-share 0.1]
 *                                 [--admin-url postgres://postgres@127.0.0.1:5432/test]
 *
 *                                 [--cpu-prof DIR] [--built]
 *
 * Latency is per request, from sending to the 201 (performance.now()). "Lost" counts every
 * submission without a 201 plus every 201 whose row or attachment file is missing afterwards. The
 * server's RSS is sampled from /proc every 100 ms.
 *
 * The server is `innspill serve` as bench:live runs it (bench/live/servers/innspillServer.ts: the
 * CLI's serve command in the child's own pid, plus a statement counter), so the figures that do not
 * depend on how loaded the machine is can be read: the server's CPU per submission and that of the
 * PostgreSQL backends serving the bench database (/proc, bench/live/proc.ts), the statements and
 * transactions the server sent per submission, and the generator's own CPU per submission. Latency
 * and throughput do depend on the load: on a shared machine compare the CPU figures.
 * `--cpu-prof DIR` writes a V8 CPU profile of the server there (read its top self time).
 * `--built` runs the compiled server as `npm start` does (bench/live/servers/builtServer.mjs, after
 * `npm run build`): its memory without the TypeScript loader, which the default run carries; it
 * has no statement counter.
 *
 * Prints progress on stderr, a table on stdout and, as the LAST line, `{submissions, concurrency,
 * p50Ms, p99Ms, lost, peakRssMb, startRssMb, serverCpuUsPerSubmission, dbCpuUsPerSubmission,
 * statementsPerSubmission, transactionsPerSubmission, generatorCpuUsPerSubmission, load1}`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createConsultation } from '../src/server/consultations/consultations.service.js';
import { multipartBody, pdfFile } from '../src/server/consultations/consultationFixture.js';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { createWorkshopFixture } from '../src/server/testing/workshopFixture.js';
import { freePort, PostgresCpu, readCpuSeconds, readRssBytes, spawnServer, type SpawnedServer } from './live/proc.js';

const { values } = parseArgs({
  options: {
    submissions: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '200' },
    'pdf-share': { type: 'string', default: '0.1' },
    'admin-url': { type: 'string', default: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test' },
    'cpu-prof': { type: 'string' },
    built: { type: 'boolean', default: false },
  },
});
const total = Number(values.submissions);
const concurrency = Number(values.concurrency);
const pdfShare = Number(values['pdf-share']);
const adminUrl = values['admin-url']!;

const log = (line: string) => process.stderr.write(`${line}\n`);
const name = `innspill_bench_${randomUUID().replaceAll('-', '')}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`create database ${name}`);
const url = new URL(adminUrl);
url.pathname = `/${name}`;
const attachmentsDir = mkdtempSync(path.join(os.tmpdir(), 'innspill-bench-attachments-'));

let server: SpawnedServer | undefined;
try {
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  await migrateToLatest(database.db);
  const fixture = await createWorkshopFixture(database.db);
  const consultation = await createConsultation(fixture.planId, { title: 'Benchmark-høring' }, null, database.db, { publicUrl: 'http://127.0.0.1' });
  await database.close();

  const port = await freePort();
  const cpuProf = values['cpu-prof'] ? path.resolve(values['cpu-prof']) : undefined;
  if (values.built && !existsSync('dist/cli/commands.js')) throw new Error('--built runs dist/: run `npm run build` first');
  server = await spawnServer({
    script: values.built ? 'bench/live/servers/builtServer.mjs' : 'bench/live/servers/innspillServer.ts',
    compiled: values.built,
    label: 'server',
    nodeArgs: cpuProf ? ['--cpu-prof', '--cpu-prof-dir', cpuProf] : [],
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: url.toString(),
      INNSPILL_ATTACHMENTS_DIR: attachmentsDir,
      INNSPILL_SUBMISSIONS_PER_HOUR: String(total * 10),
      INNSPILL_DB_POOL_MAX: '20',
    },
    readyTimeoutMs: 60_000,
  });
  const pid = server.pid;
  const rssKb = () => (readRssBytes(pid) ?? 0) / 1024;
  // Settle the startup garbage before reading the RSS the server idles at.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const startRssKb = rssKb();
  let peakRssKb = startRssKb;
  const sampler = setInterval(() => (peakRssKb = Math.max(peakRssKb, rssKb())), 100);
  const postgresCpu = new PostgresCpu(name);
  postgresCpu.sample();
  const statsBefore = await server.askStats();
  const serverCpuBefore = readCpuSeconds(pid);
  const generatorCpuBefore = process.cpuUsage();

  const pdf = pdfFile(1024 * 1024);
  const endpoint = `http://127.0.0.1:${port}/api/consultations/${consultation.id}/submissions`;
  // node:http with kept-alive sockets, one per client: the generator shares the two cores with the
  // server, and costs less this way than with fetch.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (body: Buffer, headers: Record<string, string>) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = http.request(endpoint, { method: 'POST', agent, headers: { ...headers, 'content-length': String(body.length) } }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      });
      request.on('error', reject);
      request.end(body);
    });
  const latencies: number[] = [];
  const acknowledged: { id: string; withPdf: boolean }[] = [];
  const failures = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  async function client() {
    for (;;) {
      const n = next++;
      if (n >= total) return;
      const withPdf = n % Math.round(1 / pdfShare) === 0;
      const { payload, headers } = multipartBody(
        { name: `Innbygger ${n}`, role: 'private', itemIds: fixture.strategyIds[n % fixture.strategyIds.length]!, text: `Innspill nummer ${n}: flere møteplasser og bedre kollektivtilbud.` },
        withPdf ? [{ name: `brev-${n}.pdf`, content: pdf }] : [],
      );
      const sent = performance.now();
      try {
        const response = await post(payload, headers);
        latencies.push(performance.now() - sent);
        const body = response.status === 201 ? (JSON.parse(response.body) as { id?: string }) : {};
        if (response.status === 201 && body.id) acknowledged.push({ id: body.id, withPdf });
        else failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
      } catch {
        failures.set(0, (failures.get(0) ?? 0) + 1);
      }
      if ((n + 1) % 1000 === 0) log(`${n + 1} sent, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  agent.destroy();
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const serverCpuAfter = readCpuSeconds(pid);
  const generatorCpu = process.cpuUsage(generatorCpuBefore);
  postgresCpu.sample();
  const statsAfter = await server.askStats();

  // Every acknowledged submission must be stored with its file.
  const check = new pg.Client({ connectionString: url.toString() });
  await check.connect();
  const rows = await check.query<{ id: string; storage_key: string | null }>(
    'select s.id, a.storage_key from submissions s left join submission_attachments a on a.submission_id = s.id',
  );
  await check.end();
  const stored = new Map(rows.rows.map((row) => [row.id, row.storage_key]));
  const missing = acknowledged.filter((a) => !stored.has(a.id) || (a.withPdf && !(stored.get(a.id) && existsSync(path.join(attachmentsDir, stored.get(a.id)!))))).length;
  const notAcknowledged = total - acknowledged.length;
  const lost = missing + notAcknowledged;

  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
  /** `amount` per submission, times `scale`, with `digits` decimals. */
  const perSubmission = (amount: number | null | undefined, scale = 1, digits = 0) =>
    amount === null || amount === undefined || !Number.isFinite(amount) ? null : Number(((amount * scale) / total).toFixed(digits));
  const [load1, load5] = os.loadavg();
  const result = {
    submissions: total,
    concurrency,
    p50Ms: Math.round(pct(50)),
    p99Ms: Math.round(pct(99)),
    lost,
    peakRssMb: Math.round(peakRssKb / 1024),
    startRssMb: Math.round(startRssKb / 1024),
    serverCpuUsPerSubmission: perSubmission(serverCpuAfter === null || serverCpuBefore === null ? null : serverCpuAfter - serverCpuBefore, 1e6),
    dbCpuUsPerSubmission: perSubmission(postgresCpu.benchTotal, 1e6),
    statementsPerSubmission: perSubmission(statsAfter && statsBefore ? statsAfter.statements! - statsBefore.statements! : null, 1, 2),
    transactionsPerSubmission: perSubmission(statsAfter && statsBefore ? statsAfter.transactions! - statsBefore.transactions! : null, 1, 3),
    generatorCpuUsPerSubmission: perSubmission(generatorCpu.user + generatorCpu.system),
    submissionsPerSecond: Math.round(total / seconds),
    load1: Math.round(load1! * 100) / 100,
    built: values.built ?? false,
  };
  const fmt = (value: number | null) => (value === null ? '-' : String(value));
  console.log(`| measure | value |\n|---|---|`);
  console.log(`| submissions (with a 1 MB PDF) | ${total} (${acknowledged.filter((a) => a.withPdf).length}) |`);
  console.log(`| concurrent clients | ${concurrency} |`);
  console.log(`| wall time | ${seconds.toFixed(1)} s (${Math.round(total / seconds)} submissions/s) |`);
  console.log(`| p50 / p90 / p99 / max | ${Math.round(pct(50))} / ${Math.round(pct(90))} / ${Math.round(pct(99))} / ${Math.round(sorted.at(-1) ?? 0)} ms |`);
  console.log(`| not acknowledged (status: count) | ${notAcknowledged} ${JSON.stringify(Object.fromEntries(failures))} |`);
  console.log(`| acknowledged but missing | ${missing} |`);
  console.log(`| server RSS at start / peak | ${result.startRssMb} / ${result.peakRssMb} MB |`);
  console.log(`| server CPU per submission | ${fmt(result.serverCpuUsPerSubmission)} µs |`);
  console.log(`| PostgreSQL backend CPU per submission | ${fmt(result.dbCpuUsPerSubmission)} µs |`);
  console.log(`| statements / transactions per submission | ${fmt(result.statementsPerSubmission)} / ${fmt(result.transactionsPerSubmission)} |`);
  console.log(`| load generator CPU per submission | ${fmt(result.generatorCpuUsPerSubmission)} µs |`);
  console.log(`| load average (1/5 min) at the end | ${load1!.toFixed(2)} / ${load5!.toFixed(2)} on ${os.cpus().length} cores |`);
  console.log(JSON.stringify(result));
} finally {
  // stop() lets the CLI close the app and the pool (and write the CPU profile when asked).
  await server?.stop();
  await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.end();
  rmSync(attachmentsDir, { recursive: true, force: true });
}
