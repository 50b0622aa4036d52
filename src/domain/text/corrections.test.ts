import { describe, expect, it } from 'vitest';
import { applyThemeCorrections, correctThemes, namedThemeKeys, themeCorrectionSchema, type ThemeCorrection } from './corrections.js';
import type { Theme } from './theme.js';
import { computeThemes } from './themes.js';
import { workshopNotes } from './workshopNotes.fixture.js';

const computed: Theme[] = [
  { key: 'bol-ung', label: 'boliger · unge', terms: ['boliger', 'unge'], noteIds: ['b1', 'b2', 'b3'] },
  { key: 'kollektivtilbud', label: 'kollektivtilbud', terms: ['kollektivtilbud'], noteIds: ['k1', 'k2'] },
  { key: 'natur', label: 'natur', terms: ['natur'], noteIds: ['n1', 'n2', 'n3'] },
  { key: 'other', label: 'Øvrige', terms: [], noteIds: ['o1'] },
];

describe('applyThemeCorrections', () => {
  it('renames a theme', () => {
    const themes = applyThemeCorrections(computed, [{ type: 'rename', themeKey: 'natur', label: 'Natur og naturmangfold' }]);
    expect(themes.find((t) => t.key === 'natur')!.label).toBe('Natur og naturmangfold');
  });

  it('merges themes into one under the target key, in the place of the first', () => {
    const themes = applyThemeCorrections(computed, [{ type: 'merge', themeKeys: ['kollektivtilbud', 'bol-ung'], intoKey: 'bol-ung' }]);
    expect(themes.map((t) => t.key)).toEqual(['bol-ung', 'natur', 'other']);
    expect(themes[0]).toMatchObject({ label: 'boliger · unge', noteIds: ['b1', 'b2', 'b3', 'k1', 'k2'] });
  });

  it('splits notes into a new theme placed after the one split from', () => {
    const themes = applyThemeCorrections(computed, [
      { type: 'split', themeKey: 'bol-ung', noteIds: ['b2', 'b3'], newKey: 'studentboliger', label: 'Studentboliger' },
    ]);
    expect(themes.map((t) => [t.key, t.noteIds])).toEqual([
      ['bol-ung', ['b1']],
      ['studentboliger', ['b2', 'b3']],
      ['kollektivtilbud', ['k1', 'k2']],
      ['natur', ['n1', 'n2', 'n3']],
      ['other', ['o1']],
    ]);
  });

  it('moves a note, drops a theme left empty and keeps "Øvrige" last', () => {
    const themes = applyThemeCorrections(computed, [
      { type: 'moveNote', noteId: 'o1', toThemeKey: 'natur' },
      { type: 'moveNote', noteId: 'b1', toThemeKey: 'other' },
    ]);
    expect(themes.map((t) => [t.key, t.noteIds])).toEqual([
      ['bol-ung', ['b2', 'b3']],
      ['kollektivtilbud', ['k1', 'k2']],
      ['natur', ['n1', 'n2', 'n3', 'o1']],
      ['other', ['b1']],
    ]);
  });

  it('applies corrections in order, so a rename can follow a merge into a new key', () => {
    const themes = applyThemeCorrections(computed, [
      { type: 'merge', themeKeys: ['kollektivtilbud', 'natur'], intoKey: 'mobilitet-natur' },
      { type: 'rename', themeKey: 'mobilitet-natur', label: 'Mobilitet og natur' },
    ]);
    expect(themes[1]).toMatchObject({ key: 'mobilitet-natur', label: 'Mobilitet og natur', noteIds: ['k1', 'k2', 'n1', 'n2', 'n3'] });
  });

  it('skips corrections that refer to missing themes or notes and reports them', () => {
    const stale: ThemeCorrection[] = [
      { type: 'rename', themeKey: 'gone', label: 'X' },
      { type: 'merge', themeKeys: ['gone', 'also-gone'], intoKey: 'gone' },
      { type: 'split', themeKey: 'gone', noteIds: ['b1'], newKey: 'new', label: 'Ny' },
      { type: 'split', themeKey: 'natur', noteIds: ['missing'], newKey: 'new', label: 'Ny' },
      { type: 'moveNote', noteId: 'missing', toThemeKey: 'natur' },
      { type: 'moveNote', noteId: 'b1', toThemeKey: 'gone' },
    ];
    const { themes, skipped } = correctThemes(computed, stale);
    expect(themes).toEqual(computed);
    expect(skipped).toEqual(stale);
  });

  it('does not modify the computed themes', () => {
    const copy = structuredClone(computed);
    applyThemeCorrections(computed, [{ type: 'moveNote', noteId: 'b1', toThemeKey: 'natur' }]);
    expect(computed).toEqual(copy);
  });

  it('keeps corrections in force after a recomputation with one more note', () => {
    const notes = workshopNotes();
    const before = computeThemes(notes);
    const farmland = before.find((t) => t.label.includes('jordvern'))!;
    const natureKey = before.find((t) => t.label.includes('natur'))!.key;
    const housing = before.find((t) => t.label.includes('bolig'))!;
    const corrections: ThemeCorrection[] = [
      { type: 'rename', themeKey: farmland.key, label: 'Jordvern og matproduksjon' },
      { type: 'merge', themeKeys: [natureKey], intoKey: farmland.key },
      { type: 'split', themeKey: housing.key, noteIds: ['housing-01', 'housing-04'], newKey: 'unge', label: 'Boliger for unge' },
      { type: 'moveNote', noteId: 'other-03', toThemeKey: 'unge' },
    ];
    const corrected = applyThemeCorrections(before, corrections);

    const after = computeThemes([...notes, { id: 'housing-08', text: 'Flere rimelige boliger i sentrum' }]);
    const { themes: recorrected, skipped } = correctThemes(after, corrections);
    expect(skipped).toEqual([]);
    for (const theme of corrected) {
      const again = recorrected.find((t) => t.key === theme.key)!;
      expect(again.label).toBe(theme.label);
      expect(again.noteIds).toEqual(expect.arrayContaining(theme.noteIds));
    }
    expect(recorrected.find((t) => t.key === 'unge')!.noteIds).toEqual(['housing-01', 'housing-04', 'other-03']);
  });
});

describe('namedThemeKeys', () => {
  it('[REPORT-9] names a theme a planner renamed (or confirmed by renaming to the same label), split off, or merged from named themes', () => {
    const named = namedThemeKeys([
      { type: 'rename', themeKey: 'natur', label: 'Natur' },
      { type: 'split', themeKey: 'bol-ung', noteIds: ['b1'], newKey: 'unge', label: 'Unge' },
      { type: 'merge', themeKeys: ['natur', 'unge'], intoKey: 'natur-unge' },
      { type: 'merge', themeKeys: ['natur', 'kollektivtilbud'], intoKey: 'blandet' },
      { type: 'moveNote', noteId: 'b2', toThemeKey: 'kollektivtilbud' },
    ]);
    expect([...named].sort()).toEqual(['natur', 'natur-unge', 'unge']);
    expect(namedThemeKeys([])).toEqual(new Set());
  });
});

describe('themeCorrectionSchema', () => {
  it('accepts each kind of correction and rejects an unknown type or an empty label', () => {
    expect(themeCorrectionSchema.parse({ type: 'rename', themeKey: 'natur', label: '  Natur  ' })).toEqual({ type: 'rename', themeKey: 'natur', label: 'Natur' });
    expect(themeCorrectionSchema.safeParse({ type: 'merge', themeKeys: ['a'], intoKey: 'b' }).success).toBe(true);
    expect(themeCorrectionSchema.safeParse({ type: 'split', themeKey: 'a', noteIds: ['n'], newKey: 'b', label: 'B' }).success).toBe(true);
    expect(themeCorrectionSchema.safeParse({ type: 'moveNote', noteId: 'n', toThemeKey: 'other' }).success).toBe(true);
    expect(themeCorrectionSchema.safeParse({ type: 'delete', themeKey: 'a' }).success).toBe(false);
    expect(themeCorrectionSchema.safeParse({ type: 'rename', themeKey: 'a', label: '   ' }).success).toBe(false);
  });
});
