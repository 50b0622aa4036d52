import { describe, expect, it } from 'vitest';
import { seededRandom } from './syntheticNotes.fixture.js';
import { OTHER_THEME_KEY } from './theme.js';
import { computeThemes } from './themes.js';
import { lapper, workshopNotes } from './workshopNotes.fixture.js';

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = seededRandom(seed);
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

const notes = workshopNotes();
const idOf = (text: string): string => notes.find((n) => n.text === text)!.id;

describe('computeThemes', () => {
  const themes = computeThemes(notes);

  it('gives the same themes for the same notes in any order', () => {
    for (const seed of [1, 2, 3]) expect(computeThemes(shuffled(notes, seed))).toEqual(themes);
  });

  it('puts every note in exactly one theme', () => {
    const placed = themes.flatMap((t) => t.noteIds);
    expect([...placed].sort()).toEqual(notes.map((n) => n.id).sort());
  });

  it('puts the jordvern, matproduksjon and dyrket mark notes in one theme, labelled with at least two of those terms', () => {
    const farmland = lapper.farmland.map(idOf);
    const theme = themes.find((t) => t.noteIds.includes(idOf('Jordvern må inn som eget delmål')))!;
    expect(theme.noteIds).toEqual(expect.arrayContaining(farmland));
    const named = ['jordvern', 'matproduksjon', 'dyrket mark'].filter((term) => theme.label.includes(term));
    expect(named.length).toBeGreaterThanOrEqual(2);
  });

  it('labels a theme with up to three terms joined by " · ", and shows a recurring pair as a phrase', () => {
    for (const theme of themes.filter((t) => t.key !== OTHER_THEME_KEY)) {
      expect(theme.label.split(' · ').length).toBeLessThanOrEqual(3);
    }
    expect(themes.some((t) => t.label.includes('dyrket mark'))).toBe(true);
  });

  it('gives each theme a distinct key built from its top stems', () => {
    const keys = themes.map((t) => t.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(themes.find((t) => t.label.includes('jordvern'))!.key).toMatch(/jordvern/);
  });

  it('collects notes that fit no theme in "Øvrige" with key "other", listed last', () => {
    const other = themes.at(-1)!;
    expect(other).toMatchObject({ key: 'other', label: 'Øvrige' });
    expect(other.noteIds).toContain(idOf('Helt enig med Dina.'));
  });

  it('finds a sensible number of themes for a workshop', () => {
    expect(themes.length).toBeGreaterThanOrEqual(4);
    expect(themes.length).toBeLessThanOrEqual(12);
  });

  it('leaves out words passed as ignoreWords, such as the municipality name', () => {
    const withName = computeThemes(notes, { ignoreWords: ['Bærum'] });
    expect(withName.flatMap((t) => t.terms)).not.toContain('bærum');
  });

  it('returns no themes for no notes, and only "Øvrige" for notes without content words', () => {
    expect(computeThemes([])).toEqual([]);
    expect(computeThemes([{ id: 'x', text: 'Helt enig!' }])).toEqual([{ key: 'other', label: 'Øvrige', terms: [], noteIds: ['x'] }]);
  });
});
