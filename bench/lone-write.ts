/**
 * `npm run bench:lone-write` — where one lone live write spends its time on PostgreSQL at a low rate
 * (issue 12, the p99 ratio at 100 writes/s). On a fresh database (created from DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/test, dropped at the end), one connection, each step
 * run `--runs` times paced every `--pace-ms` (10: 100 writes/s, so both processes idle between
 * runs, as in the live bench) and, for the round trip, back to back too:
 *  - a round trip of `select $1::int`;
 *  - the context read of a lone lapp (`readBatchContext`: single values, its plan kept) and of
 *    two commands (arrays, planned every run);
 *  - the append alone (`appendEvents`: the sequence and the command record in one statement that commits, WAL flushed);
 *  - `executeCommand` of a lone lapp (the lane, both statements, the handler).
 * Prints a table of p50/p99 ms, then as the LAST line one JSON object.
 *
 *   npx tsx bench/lone-write.ts [--runs 300] [--pace-ms 10]
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { WriteRateLimiter } from '../src/domain/rateLimit.js';
import type { Command } from '../src/contract/protocol.js';
import { openTestDatabase } from '../src/server/testing/testApp.js';
import { createWorkshopFixture } from '../src/server/testing/workshopFixture.js';
import { executeCommand } from '../src/server/live/commands.service.js';
import * as q from '../src/server/live/live.queries.js';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '300' }, 'pace-ms': { type: 'string', default: '10' } } });
const runs = Number(values.runs);
const paceMs = Number(values['pace-ms']);
process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test';

const database = await openTestDatabase('postgres');
const db = database.db;
const fixture = await createWorkshopFixture(db);
const stein = fixture.groups[0]!.participants[0]!;
const place = { posterId: fixture.goalsPosterId, groupId: fixture.groups[0]!.id };
const other = { posterId: fixture.goalsPosterId, groupId: fixture.groups[1]!.id };
const limiter = new WriteRateLimiter(1e9, 10_000);
const lapp = (): Command => ({ type: 'note.create', noteId: randomUUID(), posterId: fixture.goalsPosterId, itemIds: [], kind: 'comment', text: 'wid:bench' });
const command = () => ({ workshopId: fixture.workshopId, commandId: randomUUID() });
const noWants = { noteIds: [], agreements: [], lockParticipantIds: [] };

const steps: Array<[string, () => Promise<unknown>, number]> = [
  ['round trip, paced', () => sql`select ${1}::int`.execute(db), paceMs],
  ['round trip, back to back', () => sql`select ${1}::int`.execute(db), 0],
  ['context read, lone command (single values)', () => q.readBatchContext(db, [command()], [stein.id], { ...noWants, places: [place] }), paceMs],
  ['context read, two commands (arrays)', () => q.readBatchContext(db, [command(), command()], [stein.id], { ...noWants, places: [place, other] }), paceMs],
  ['append alone (sequence and command record; commits)', () => q.appendEvents(db, fixture.workshopId, [], randomUUID()), paceMs],
  ['executeCommand, lone lapp', () => executeCommand(db, limiter, stein.actor, fixture.workshopId, randomUUID(), lapp()), paceMs],
];

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const at = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const figures: Record<string, { p50Ms: number; p99Ms: number }> = {};
try {
  for (const [name, run, pace] of steps) {
    const ms: number[] = [];
    // The first runs warm the connection's plan cache (PostgreSQL keeps a generic plan after five).
    for (let i = 0; i < runs + 20; i += 1) {
      const start = performance.now();
      await run();
      if (i >= 20) ms.push(performance.now() - start);
      if (pace > 0) await pause(pace);
    }
    ms.sort((a, b) => a - b);
    figures[name] = { p50Ms: Math.round(at(ms, 50) * 1000) / 1000, p99Ms: Math.round(at(ms, 99) * 1000) / 1000 };
  }
} finally {
  await database.close();
}

const width = Math.max(...Object.keys(figures).map((name) => name.length));
process.stdout.write(`${runs} runs per step, paced every ${paceMs} ms unless "back to back"; load ${loadavg()[0]!.toFixed(2)}\n`);
process.stdout.write(`| ${'step'.padEnd(width)} | p50 ms | p99 ms |\n| ${'-'.repeat(width)} | ------ | ------ |\n`);
for (const [name, f] of Object.entries(figures)) process.stdout.write(`| ${name.padEnd(width)} | ${f.p50Ms.toFixed(3).padStart(6)} | ${f.p99Ms.toFixed(3).padStart(6)} |\n`);
process.stdout.write(`${JSON.stringify({ runs, paceMs, load1: loadavg()[0], steps: figures })}\n`);
