import { describe, expect, it } from 'vitest';
import { BAERUM_PLACEMENT_LABELS } from './baerumLabels.fixture.js';
import { measureQuality, placementInput, seedBoard } from './placementQuality.fixture.js';
import { agreedNames, bareNumbers, suggestPlacements, type PlacementInput } from './suggestions.js';

const board = seedBoard();
const input = placementInput(board);
const suggestions = suggestPlacements(input);

describe('placement suggestions on the Bærum seed', () => {
  it('the labelled set covers at least 60 lapper on all four perspectives and both Dels', () => {
    expect(BAERUM_PLACEMENT_LABELS.length).toBeGreaterThanOrEqual(60);
    const posters = new Set(BAERUM_PLACEMENT_LABELS.map((l) => `${board.posters[l.poster]!.perspectiveIndex}:${board.posters[l.poster]!.part}`));
    expect(posters.size).toBe(8);
  });

  // The figures in docs/benchmarks.md; a change that makes any of them worse fails here.
  it('[PLACE-1] pins top-1, top-3, the share with high and the precision of high', () => {
    const quality = measureQuality(board, suggestions);
    expect(quality.top1).toBeGreaterThanOrEqual(0.698);
    expect(quality.top3).toBeGreaterThanOrEqual(0.801);
    expect(quality.highShare).toBeGreaterThanOrEqual(0.4);
    expect(quality.highPrecision).toBeGreaterThanOrEqual(0.9);
  });

  it('[PLACE-1] is deterministic whatever the order of the lapper', () => {
    const reversed = suggestPlacements({ ...input, notes: [...input.notes].reverse() });
    const byId = new Map(reversed.map((s) => [s.noteId, s]));
    for (const s of suggestions) expect(byId.get(s.noteId)).toEqual(s);
  });

  it('[PLACE-1] never suggests for a placed lapp, and `none` invents nothing', () => {
    const placed = new Set(input.notes.filter((n) => n.placed).map((n) => n.id));
    expect(suggestions.some((s) => placed.has(s.noteId))).toBe(false);
    for (const s of suggestions.filter((s) => s.confidence === 'none')) expect([s.items, s.accept]).toEqual([[], []]);
    expect(suggestions.filter((s) => s.confidence === 'none').length).toBeGreaterThan(50);
  });
});

const poster = (items: Array<[string, string]>) =>
  new Map([['p', items.map(([id, text], i) => ({ id, kind: 'strategy' as const, number: i + 1, text }))]]);
const note = (id: string, text: string, extra: Partial<PlacementInput['notes'][number]> = {}) => ({
  id,
  text,
  posterId: 'p',
  groupId: 'g',
  authorName: null,
  placed: false,
  itemIds: [],
  ...extra,
});

describe('placement rules', () => {
  const items = poster([
    ['s1', 'Sikre god tilgang til grøntområder fra fjorden til marka'],
    ['s2', 'Sikre ren luft, rent vann og hindre forurensning'],
    ['s3', 'Ta i bruk fornybare energikilder'],
  ]);

  it('[PLACE-1] ranks by shared words, compounds included, and names the words', () => {
    const [s] = suggestPlacements({ posterItems: items, notes: [note('n', 'Kamp mot plastforurensning og fornybare løsninger for vann')] });
    expect(s!.items[0]).toMatchObject({ itemId: 's2' });
    expect(s!.items[0]!.matched).toEqual(expect.arrayContaining(['plastforurensning', 'vann']));
  });

  it('[PLACE-2] a lapp placed on another copy of the poster pulls a similar one to its item', () => {
    const text = 'Solceller på alle kommunale tak';
    const alone = suggestPlacements({ posterItems: items, notes: [note('n', text)] })[0]!;
    expect(alone.confidence).toBe('none');
    const examples = ['Solceller på skolene', 'Solceller på sykehjemmene', 'Flere solceller i Sandvika'].map((t) => ({ text: t, itemIds: ['s3'] }));
    const taught = suggestPlacements({ posterItems: items, notes: [note('n', text), note('m', 'Bedre busser')], examples })[0]!;
    expect(taught.items[0]!.itemId).toBe('s3');
    expect(taught.items[0]!.matched).toContain('solceller');
  });

  it('[PLACE-3] a lapp that names several items is linked to all of them', () => {
    const [s] = suggestPlacements({ posterItems: items, notes: [note('n', 'Dette gjelder strategi 1 og 3, egentlig')] });
    expect(s).toMatchObject({ confidence: 'high', accept: ['s1', 's3'] });
    expect(s!.items[0]!.matched).toEqual(['strategi 1']);
  });

  it('[PLACE-4] "Enig med Dina" takes the placement of Dina’s lapp on the same poster copy', () => {
    const notes = [
      note('dina', 'Billig kollektivtilbud for alle', { authorName: 'Dina', placed: true, itemIds: ['s2'] }),
      note('other', 'Noe annet', { authorName: 'Dina', groupId: 'another', placed: true, itemIds: ['s3'] }),
      note('n', 'Helt enig med Dina.'),
    ];
    const [s] = suggestPlacements({ posterItems: items, notes });
    expect(s).toMatchObject({ noteId: 'n', confidence: 'high', accept: ['s2'] });
    expect(s!.items[0]!.matched).toEqual(['enig med Dina']);
    expect(agreedNames('enig med Siw og Sigrid')).toEqual(['siw', 'sigrid']);
  });

  it('[PLACE-1] reads bare item numbers at the start or after "nr"', () => {
    expect(bareNumbers('5 og 7 handler mye om samarbeid')).toEqual([5, 7]);
    expect(bareNumbers('enig i nr 5, slapp opp for stjerner')).toEqual([5]);
    expect(bareNumbers('1-3 fremstår veldig like')).toEqual([1, 2, 3]);
    expect(bareNumbers('Vi trenger 80 prosent')).toEqual([]);
  });
});
