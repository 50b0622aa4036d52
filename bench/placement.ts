/**
 * `npm run bench:placement` — placement suggestions for a workshop of 100,000 lapper on the Bærum
 * plan (pure domain code, no database): lapper made by mixing the words of the seed's own lapper on
 * the same poster, a tenth of them placed (neighbours), the rest to suggest for.
 *
 *   npx tsx bench/placement.ts [--notes 100000] [--runs 2]
 *
 * Prints a table on stdout and, as the LAST line, one JSON object. Target: ≤ 5 s for 100,000.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { placementInput, seedBoard } from '../src/domain/placement/placementQuality.fixture.js';
import { suggestPlacements, type PlacementNote } from '../src/domain/placement/suggestions.js';

const TARGET_MS = 5_000;
const { values } = parseArgs({ options: { notes: { type: 'string', default: '100000' }, runs: { type: 'string', default: '2' } } });
const count = Number(values.notes);
const runs = Number(values.runs);

// A fixed linear congruential generator: the same lapper on every run and machine.
let state = 42;
const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

const seed = placementInput(seedBoard());
const byPoster = new Map<string, PlacementNote[]>();
for (const note of seed.notes) byPoster.set(note.posterId, [...(byPoster.get(note.posterId) ?? []), note]);
const posterIds = [...byPoster.keys()];
const notes: PlacementNote[] = [];
for (let i = 0; i < count; i++) {
  const posterId = pick(posterIds);
  const source = byPoster.get(posterId)!;
  const words = [...pick(source).text.split(/\s+/), ...pick(source).text.split(/\s+/).slice(0, 4)];
  const text = words.filter(() => random() > 0.2).join(' ') || 'Enig';
  const placed = random() < 0.1;
  const items = seed.posterItems.get(posterId)!;
  notes.push({ id: `n${String(i).padStart(6, '0')}`, text, posterId, groupId: `g${i % 40}`, authorName: null, placed, itemIds: placed ? [pick(items).id] : [] });
}

const times: number[] = [];
// CPU time too: on a shared machine the wall clock mostly measures the other processes.
const cpuTimes: number[] = [];
let suggested = 0;
let high = 0;
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const result = suggestPlacements({ posterItems: seed.posterItems, notes });
  times.push(Math.round(performance.now() - start));
  const used = process.cpuUsage(cpu);
  cpuTimes.push(Math.round((used.user + used.system) / 1000));
  suggested = result.length;
  high = result.filter((s) => s.confidence === 'high').length;
}
const best = Math.min(...times);
console.log('| run | wall ms | CPU ms |\n|---|---:|---:|');
times.forEach((ms, i) => console.log(`| ${i + 1} | ${ms.toLocaleString('en')} | ${cpuTimes[i]!.toLocaleString('en')} |`));
console.log(`\n${count.toLocaleString('en')} lapper, ${suggested.toLocaleString('en')} unplaced, ${high.toLocaleString('en')} high; best ${best} ms (target ≤ ${TARGET_MS} ms)`);
console.log(
  JSON.stringify({
    notes: count,
    unplaced: suggested,
    high,
    runsMs: times,
    cpuMs: cpuTimes,
    bestMs: best,
    targetMs: TARGET_MS,
    targetMet: best <= TARGET_MS,
    loadAverage1m: os.loadavg()[0],
    machine: { nproc: os.cpus().length, node: process.version },
  }),
);
