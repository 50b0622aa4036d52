import { describe, expect, it } from 'vitest';
import { findNearDuplicates } from './nearDuplicates.js';
import { SearchIndex } from './search.js';
import { syntheticNotes } from './syntheticNotes.fixture.js';
import { computeThemes } from './themes.js';

// Sanity bounds only, loose enough for a busy CI machine; the real benchmark lives in bench/.
const NOTES = 100_000;
const notes = syntheticNotes(NOTES);

function timed<T>(work: () => T): { result: T; ms: number } {
  const start = performance.now();
  const result = work();
  return { result, ms: performance.now() - start };
}

describe(`text analysis of ${NOTES.toLocaleString('en')} synthetic notes`, () => {
  it('builds a search index within 20 s and answers a query within 1 s', () => {
    const build = timed(() => new SearchIndex(notes));
    expect(build.ms).toBeLessThan(20_000);
    const query = timed(() => build.result.search('boliger'));
    expect(query.ms).toBeLessThan(1_000);
    expect(query.result.length).toBeGreaterThan(1_000);
  }, 60_000);

  it('computes themes within 60 s, at most 30 besides "Øvrige", placing every note once', () => {
    const { result: themes, ms } = timed(() => computeThemes(notes));
    expect(ms).toBeLessThan(60_000);
    expect(themes.filter((t) => t.key !== 'other').length).toBeLessThanOrEqual(30);
    expect(themes.reduce((sum, t) => sum + t.noteIds.length, 0)).toBe(NOTES);
    expect(themes[0]!.label).toMatch(/bolig/);
  }, 120_000);

  it('finds copied notes among them within 30 s', () => {
    const originals = notes.slice(0, 50);
    const copies = originals.map((n) => ({ id: `copy-of-${n.id}`, text: n.text.toUpperCase().replace(/ /g, '\n') }));
    const { result: groups, ms } = timed(() => findNearDuplicates([...notes, ...copies]));
    expect(ms).toBeLessThan(30_000);
    const together = (a: string, b: string): boolean =>
      groups.some((g) => [g.keep, ...g.duplicates].includes(a) && [g.keep, ...g.duplicates].includes(b));
    originals.forEach((n, i) => expect(together(n.id, copies[i]!.id), n.id).toBe(true));
  }, 60_000);
});
