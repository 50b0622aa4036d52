/**
 * `npm run bench:text` — the pure text analysis and the whiteboard parser, timed (moved out of the
 * unit suite: a timing bound there fails on a busy machine and proves nothing on a fast one).
 *
 *   npx tsx bench/textScale.ts [--notes 100000]
 *
 * Times with performance.now(): parsing the Bærum seed, building the search index over N synthetic
 * lapper and one query, computing the themes, and finding 50 copied lapper among them. Checks the
 * results are sane (themes place every lapp once, every copy is found) and prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseBoardText } from '../src/domain/boardImport/boardImport.js';
import { findNearDuplicates } from '../src/domain/text/nearDuplicates.js';
import { SearchIndex } from '../src/domain/text/search.js';
import { syntheticNotes } from '../src/domain/text/syntheticNotes.fixture.js';
import { computeThemes } from '../src/domain/text/themes.js';

const { values } = parseArgs({ options: { notes: { type: 'string', default: '100000' } } });
const count = Number(values.notes);

function timed<T>(name: string, work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  const ms = performance.now() - start;
  process.stderr.write(`${name}: ${ms.toFixed(0)} ms\n`);
  return { result, ms };
}

const seed = timed('parse the Bærum seed', () => parseBoardText(readFileSync('demo/baerum-2040.txt', 'utf8')));
const notes = syntheticNotes(count);
const index = timed(`search index over ${count} lapper`, () => new SearchIndex(notes));
const query = timed('search "boliger"', () => index.result.search('boliger'));
const themes = timed('themes', () => computeThemes(notes));
const originals = notes.slice(0, 50);
const copies = originals.map((n) => ({ id: `copy-of-${n.id}`, text: n.text.toUpperCase().replace(/ /g, '\n') }));
const duplicates = timed('near-duplicates', () => findNearDuplicates([...notes, ...copies]));

const placed = themes.result.reduce((sum, t) => sum + t.noteIds.length, 0);
const together = (a: string, b: string) => duplicates.result.some((g) => [g.keep, ...g.duplicates].includes(a) && [g.keep, ...g.duplicates].includes(b));
const copiesFound = originals.filter((n, i) => together(n.id, copies[i]!.id)).length;
if (placed !== count) throw new Error(`themes placed ${placed} of ${count} lapper`);
if (copiesFound !== originals.length) throw new Error(`found ${copiesFound} of ${originals.length} copies`);

console.log(
  JSON.stringify({
    notes: count,
    seedParseMs: Math.round(seed.ms),
    seedPosters: seed.result.posters.length,
    indexMs: Math.round(index.ms),
    queryMs: Math.round(query.ms),
    queryHits: query.result.length,
    themesMs: Math.round(themes.ms),
    themes: themes.result.filter((t) => t.key !== 'other').length,
    nearDuplicatesMs: Math.round(duplicates.ms),
    copiesFound,
  }),
);
