/**
 * `npm run bench:synthesis` — the after-work at scale: a workshop of 100,000 lapper on 1,000 items
 * in 40 groups, in a fresh PostgreSQL database that is dropped afterwards.
 *
 *   npx tsx bench/synthesis.ts [--notes 100000] [--admin-url postgres://postgres@127.0.0.1:5432/test] [--keep]
 *
 * Measures with performance.now(): the overview's first page (first and warm call), a search for
 * "boliger" (first call builds the index; then a warm query), themes, DOCX, XLSX (and CSV). RSS is
 * sampled every 50 ms by a worker thread, so a phase that blocks the main thread is still sampled;
 * the peak is per phase and overall. Prints progress on stderr, a table on stdout and, as the LAST
 * line, one JSON object.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { sql } from 'kysely';
import type { Actor } from '../src/domain/actors.js';
import { openDatabase, type DatabaseHandle } from '../src/server/db/database.js';
import { migrateToLatest } from '../src/server/db/migrate.js';
import { openReport } from '../src/server/reports/reports.service.js';
import { SearchCache } from '../src/server/synthesis/searchCache.js';
import { overviewQuerySchema } from '../src/contract/synthesis.schema.js';
import { overview } from '../src/server/synthesis/synthesis.service.js';
import { recomputeThemes } from '../src/server/synthesis/themes.service.js';
import { defaultShape, generateWorkshop } from './synthesisData.js';

const targets = { overviewMs: 300, searchMs: 300, themesMs: 10_000, docxMs: 15_000, peakRssMb: 1024 } as const;

const { values } = parseArgs({
  options: {
    notes: { type: 'string', default: String(defaultShape.notes) },
    'admin-url': { type: 'string', default: process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/test' },
    keep: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log('Usage: npx tsx bench/synthesis.ts [--notes 100000] [--admin-url URL] [--keep]');
  process.exit(0);
}
const log = (message: string) => process.stderr.write(`${message}\n`);

/** Samples the process's RSS every 50 ms from another thread; `take()` returns the peak since the last take. */
function startSampler() {
  const worker = new Worker(
    `const { parentPort } = require('node:worker_threads');
     let peak = process.memoryUsage.rss();
     setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 50);
     parentPort.on('message', () => { const now = process.memoryUsage.rss(); parentPort.postMessage(Math.max(peak, now)); peak = now; });`,
    { eval: true },
  );
  return {
    take: () =>
      new Promise<number>((resolve) => {
        worker.once('message', (bytes: number) => resolve(bytes));
        worker.postMessage('take');
      }),
    stop: () => worker.terminate(),
  };
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

async function drain(body: Readable): Promise<number> {
  let bytes = 0;
  await pipeline(
    body,
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        done();
      },
    }),
  );
  return bytes;
}

async function createDatabase(adminUrl: string): Promise<{ url: string; name: string }> {
  const name = `innspill_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), name };
}

async function dropDatabase(adminUrl: string, name: string) {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

function cpuModel(): string {
  const model = os.cpus()[0]?.model;
  if (model) return model;
  try {
    return /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

async function main() {
  const adminUrl = values['admin-url']!;
  const shape = { ...defaultShape, notes: Number.parseInt(values.notes!, 10) };
  const sampler = startSampler();
  const loadAtStart = os.loadavg()[0]!;
  const { url, name } = await createDatabase(adminUrl);
  let database: DatabaseHandle | null = null;
  const rows: Array<{ phase: string; ms: number; peakMb: number; detail: string }> = [];
  try {
    database = await openDatabase({ databaseUrl: url, dataDir: '' });
    const db = database.db;
    await migrateToLatest(db);
    const postgres = (await sql<{ server_version: string }>`show server_version`.execute(db)).rows[0]!.server_version;

    log(`Generating ${shape.notes.toLocaleString('en')} lapper in ${name} (bulk inserts) …`);
    const started = performance.now();
    const workshop = await generateWorkshop(db, shape);
    await sql`analyze`.execute(db);
    const generateMs = performance.now() - started;
    log(`  done in ${(generateMs / 1000).toFixed(1)} s: ${JSON.stringify(workshop.counts)}`);
    await sampler.take();

    const planner: Actor = { kind: 'user', userId: workshop.plannerId, role: 'planner', name: 'Planlegger' };
    const search = new SearchCache();
    const phase = async <T>(label: string, run: () => Promise<T>, detail: (result: T) => string = () => '') => {
      log(`${label} …`);
      await sampler.take();
      const t0 = performance.now();
      const result = await run();
      const ms = performance.now() - t0;
      const peakMb = mb(await sampler.take());
      rows.push({ phase: label, ms, peakMb, detail: detail(result) });
      log(`  ${ms.toFixed(0)} ms, peak RSS ${peakMb} MB`);
      return { ms, result };
    };

    const firstPage = overviewQuerySchema.parse({});
    const overviewCold = await phase('overview, first page (first call)', () => overview(planner, workshop.workshopId, firstPage, db, search), (r) => `${r.items.length} items, ${r.matchingNotes} lapper match`);
    const overviewWarm = await phase('overview, first page (warm)', () => overview(planner, workshop.workshopId, firstPage, db, search));
    const boliger = overviewQuerySchema.parse({ q: 'boliger' });
    const searchCold = await phase('search "boliger" (first call, builds index)', () => overview(planner, workshop.workshopId, boliger, db, search), (r) => `${r.matchingNotes} lapper match`);
    const searchWarm = await phase('search "boliger" (warm)', () => overview(planner, workshop.workshopId, boliger, db, search), (r) => `${r.matchingNotes} lapper match`);
    const themes = await phase('themes (recomputeThemes)', () => recomputeThemes(planner, workshop.workshopId, db), (r) => `${r.themes.length} themes`);
    const report = async (format: 'docx' | 'xlsx' | 'csv') => drain((await openReport(planner, workshop.workshopId, format, db)).body);
    const docx = await phase('DOCX report', () => report('docx'), (bytes) => `${(bytes / 1e6).toFixed(1)} MB`);
    const xlsx = await phase('XLSX report', () => report('xlsx'), (bytes) => `${(bytes / 1e6).toFixed(1)} MB`);
    const csv = await phase('CSV report', () => report('csv'), (bytes) => `${(bytes / 1e6).toFixed(1)} MB`);

    const peakRssMb = Math.max(...rows.map((r) => r.peakMb));
    const result = {
      notes: workshop.counts.notes,
      items: workshop.counts.items,
      groups: shape.groups,
      overviewMs: Math.round(overviewCold.ms),
      overviewWarmMs: Math.round(overviewWarm.ms),
      searchMs: Math.round(searchWarm.ms),
      searchColdMs: Math.round(searchCold.ms),
      themesMs: Math.round(themes.ms),
      docxMs: Math.round(docx.ms),
      xlsxMs: Math.round(xlsx.ms),
      csvMs: Math.round(csv.ms),
      docxBytes: docx.result,
      xlsxBytes: xlsx.result,
      peakRssMb,
      // The kernel's high-water mark for the whole run, data generation included.
      processPeakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      generateMs: Math.round(generateMs),
      loadAverage1m: { start: Number(loadAtStart.toFixed(2)), end: Number(os.loadavg()[0]!.toFixed(2)) },
      machine: { nproc: os.availableParallelism(), cpu: cpuModel(), ramGb: Math.round(os.totalmem() / 1024 ** 3), node: process.version, postgres },
      targetsMet: {
        overview: overviewCold.ms <= targets.overviewMs,
        search: searchWarm.ms <= targets.searchMs,
        themes: themes.ms <= targets.themesMs,
        docx: docx.ms <= targets.docxMs,
        peakRss: peakRssMb <= targets.peakRssMb,
      },
    };

    const table = [
      '| phase | ms | peak RSS MB | detail |',
      '|---|---:|---:|---|',
      ...rows.map((r) => `| ${r.phase} | ${Math.round(r.ms).toLocaleString('en')} | ${r.peakMb} | ${r.detail} |`),
    ];
    console.log(`\n${shape.notes.toLocaleString('en')} lapper, ${workshop.counts.items} items, ${shape.groups} groups — ${result.machine.nproc} × ${result.machine.cpu}, ${result.machine.ramGb} GB, Node ${process.version}, PostgreSQL ${postgres}`);
    console.log(table.join('\n'));
    const busiest = Math.max(loadAtStart, os.loadavg()[0]!);
    if (busiest > result.machine.nproc) {
      console.log(`\nBUSY MACHINE: 1-minute load average reached ${busiest.toFixed(1)} on ${result.machine.nproc} CPUs; other processes competed for the CPU. Rerun when it is quiet.`);
    }
    console.log(
      `\ntargets: overview ≤ ${targets.overviewMs} ms ${result.targetsMet.overview ? 'met' : 'MISSED'}; search ≤ ${targets.searchMs} ms ${result.targetsMet.search ? 'met' : 'MISSED'} (warm; first call ${result.searchColdMs} ms); ` +
        `themes ≤ 10 s ${result.targetsMet.themes ? 'met' : 'MISSED'}; DOCX ≤ 15 s ${result.targetsMet.docx ? 'met' : 'MISSED'}; peak ≤ 1 GB ${result.targetsMet.peakRss ? 'met' : 'MISSED'}\n`,
    );
    console.log(JSON.stringify(result));
  } finally {
    await database?.close();
    if (!values.keep) await dropDatabase(adminUrl, name);
    else log(`Kept database ${name}`);
    await sampler.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
