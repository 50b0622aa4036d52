/**
 * `npm run bench:consultation` — a consultation's closing day: 10,000 submissions, 10 % with a 1 MB
 * PDF, from 200 concurrent clients, to a real `innspill serve` process on PostgreSQL (a fresh
 * database, dropped afterwards).
 *
 *   npx tsx bench/consultation.ts [--submissions 10000] [--concurrency 200] [--pdf-share 0.1]
 *                                 [--admin-url postgres://postgres@127.0.0.1:5432/test]
 *
 * Latency is per request, from sending to the 201 (performance.now()). "Lost" counts every
 * submission without a 201 plus every 201 whose row or attachment file is missing afterwards. The
 * server's RSS is sampled from /proc every 100 ms. Prints progress on stderr, a table on stdout and,
 * as the LAST line, `{submissions, concurrency, p50Ms, p99Ms, lost, peakRssMb}`.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createConsultation } from '../src/server/consultations/consultations.service.js';
import { multipartBody, pdfFile } from '../src/server/consultations/consultationFixture.js';
import { openDatabase } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { startServerProcess } from '../src/server/testing/serverProcess.js';
import { createWorkshopFixture } from '../src/server/testing/workshopFixture.js';

const { values } = parseArgs({
  options: {
    submissions: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '200' },
    'pdf-share': { type: 'string', default: '0.1' },
    'admin-url': { type: 'string', default: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test' },
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

let server: Awaited<ReturnType<typeof startServerProcess>> | undefined;
try {
  const database = await openDatabase({ databaseUrl: url.toString(), dataDir: '' });
  await migrateToLatest(database.db);
  const fixture = await createWorkshopFixture(database.db);
  const consultation = await createConsultation(fixture.planId, { title: 'Benchmark-høring' }, null, database.db, { publicUrl: 'http://127.0.0.1' });
  await database.close();

  server = await startServerProcess(
    { DATABASE_URL: url.toString(), INNSPILL_ATTACHMENTS_DIR: attachmentsDir, INNSPILL_SUBMISSIONS_PER_HOUR: String(total * 10), INNSPILL_DB_POOL_MAX: '20' },
    ['--no-demo'],
  );
  const pid = server.child.pid!;
  const rssKb = () => {
    try {
      return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0; // the process is gone
    }
  };
  const startRssKb = rssKb();
  let peakRssKb = startRssKb;
  const sampler = setInterval(() => (peakRssKb = Math.max(peakRssKb, rssKb())), 100);

  const pdf = pdfFile(1024 * 1024);
  const endpoint = `${server.url}/api/consultations/${consultation.id}/submissions`;
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
        const response = await fetch(endpoint, { method: 'POST', headers, body: payload });
        const body = (await response.json()) as { id?: string };
        latencies.push(performance.now() - sent);
        if (response.status === 201 && body.id) acknowledged.push({ id: body.id, withPdf });
        else failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
      } catch {
        failures.set(0, (failures.get(0) ?? 0) + 1);
      }
      if ((n + 1) % 1000 === 0) log(`${n + 1} sent, ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, client));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);

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
  const result = {
    submissions: total,
    concurrency,
    p50Ms: Math.round(pct(50)),
    p99Ms: Math.round(pct(99)),
    lost,
    peakRssMb: Math.round(peakRssKb / 1024),
  };
  const [load1, load5] = os.loadavg();
  console.log(`| measure | value |\n|---|---|`);
  console.log(`| submissions (with a 1 MB PDF) | ${total} (${acknowledged.filter((a) => a.withPdf).length}) |`);
  console.log(`| concurrent clients | ${concurrency} |`);
  console.log(`| wall time | ${seconds.toFixed(1)} s (${Math.round(total / seconds)} submissions/s) |`);
  console.log(`| p50 / p90 / p99 / max | ${Math.round(pct(50))} / ${Math.round(pct(90))} / ${Math.round(pct(99))} / ${Math.round(sorted.at(-1) ?? 0)} ms |`);
  console.log(`| not acknowledged (status: count) | ${notAcknowledged} ${JSON.stringify(Object.fromEntries(failures))} |`);
  console.log(`| acknowledged but missing | ${missing} |`);
  console.log(`| server RSS at start / peak | ${Math.round(startRssKb / 1024)} / ${result.peakRssMb} MB |`);
  console.log(`| load average (1/5 min) at the end | ${load1!.toFixed(2)} / ${load5!.toFixed(2)} on ${os.cpus().length} cores |`);
  console.log(JSON.stringify(result));
} finally {
  server?.child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
  await admin.end();
  rmSync(attachmentsDir, { recursive: true, force: true });
}
