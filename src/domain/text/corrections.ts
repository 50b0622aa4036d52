import { z } from 'zod';
import { OTHER_THEME_KEY, OTHER_THEME_LABEL, type Theme } from './theme.js';

const key = z.string().min(1).max(200);
const label = z.string().trim().min(1).max(200);

/** A planner's correction to computed themes, stored and re-applied after every recomputation. */
export const themeCorrectionSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('rename'),
    themeKey: key,
    /** The new label. */
    label,
  }),
  z.object({
    type: z.literal('merge'),
    /** Themes to combine. */
    themeKeys: z.array(key).min(1),
    /** Key of the combined theme: one of `themeKeys`, another existing theme, or a new key. */
    intoKey: key,
  }),
  z.object({
    type: z.literal('split'),
    /** The theme split from. */
    themeKey: key,
    /** Notes that form the new theme. */
    noteIds: z.array(z.string().min(1)).min(1),
    newKey: key,
    label,
  }),
  z.object({
    type: z.literal('moveNote'),
    noteId: z.string().min(1),
    toThemeKey: key,
  }),
]);

export type ThemeCorrection = z.infer<typeof themeCorrectionSchema>;

type Apply<T extends ThemeCorrection['type']> = (themes: Theme[], correction: Extract<ThemeCorrection, { type: T }>) => boolean;

function removeNotes(themes: Theme[], noteIds: ReadonlySet<string>): string[] {
  const removed: string[] = [];
  for (const theme of themes) {
    if (!theme.noteIds.some((id) => noteIds.has(id))) continue;
    removed.push(...theme.noteIds.filter((id) => noteIds.has(id)));
    theme.noteIds = theme.noteIds.filter((id) => !noteIds.has(id));
  }
  return removed;
}

const rename: Apply<'rename'> = (themes, { themeKey, label }) => {
  const theme = themes.find((t) => t.key === themeKey);
  if (theme) theme.label = label;
  return theme !== undefined;
};

const merge: Apply<'merge'> = (themes, { themeKeys, intoKey }) => {
  const keys = new Set([...themeKeys, intoKey]);
  const merged = themes.filter((t) => keys.has(t.key));
  if (!merged.some((t) => themeKeys.includes(t.key))) return false;
  const target = merged.find((t) => t.key === intoKey) ?? merged[0]!;
  const others = merged.filter((t) => t !== target);
  const result: Theme = {
    key: intoKey,
    label: target.label,
    terms: [...new Set([target, ...others].flatMap((t) => t.terms))],
    noteIds: [...new Set([target, ...others].flatMap((t) => t.noteIds))],
  };
  themes.splice(themes.indexOf(merged[0]!), 1, result);
  for (const other of merged.slice(1)) themes.splice(themes.indexOf(other), 1);
  return true;
};

const split: Apply<'split'> = (themes, { themeKey, noteIds, newKey, label }) => {
  const source = themes.findIndex((t) => t.key === themeKey);
  if (source < 0 || themes.some((t) => t.key === newKey)) return false;
  // Notes are taken from whichever theme holds them now, as a recomputation may have moved some.
  const moved = new Set(removeNotes(themes, new Set(noteIds)));
  if (moved.size === 0) return false;
  themes.splice(source + 1, 0, { key: newKey, label, terms: [], noteIds: noteIds.filter((id) => moved.has(id)) });
  return true;
};

const moveNote: Apply<'moveNote'> = (themes, { noteId, toThemeKey }) => {
  if (!themes.some((t) => t.noteIds.includes(noteId))) return false;
  let target = themes.find((t) => t.key === toThemeKey);
  if (!target && toThemeKey === OTHER_THEME_KEY) {
    target = { key: OTHER_THEME_KEY, label: OTHER_THEME_LABEL, terms: [], noteIds: [] };
    themes.push(target);
  }
  if (!target) return false;
  removeNotes(themes, new Set([noteId]));
  target.noteIds.push(noteId);
  return true;
};

/**
 * Applies `corrections` in order to freshly computed themes and reports those that could not be
 * applied. A rename, split or move is skipped when its theme key (or note) no longer exists; a merge
 * when none of its themes exists; a split also when its new key is taken or none of its notes
 * exists. A move to "other" creates "Øvrige" if needed. Themes left empty are dropped, and
 * "Øvrige" stays last. The input is not modified.
 */
export function correctThemes(computed: readonly Theme[], corrections: readonly ThemeCorrection[]): { themes: Theme[]; skipped: ThemeCorrection[] } {
  const themes = computed.map((t) => ({ ...t, terms: [...t.terms], noteIds: [...t.noteIds] }));
  const skipped: ThemeCorrection[] = [];
  for (const correction of corrections) {
    let applied: boolean;
    switch (correction.type) {
      case 'rename':
        applied = rename(themes, correction);
        break;
      case 'merge':
        applied = merge(themes, correction);
        break;
      case 'split':
        applied = split(themes, correction);
        break;
      case 'moveNote':
        applied = moveNote(themes, correction);
        break;
    }
    if (!applied) skipped.push(correction);
  }
  const kept = themes.filter((t) => t.noteIds.length > 0);
  return {
    themes: [...kept.filter((t) => t.key !== OTHER_THEME_KEY), ...kept.filter((t) => t.key === OTHER_THEME_KEY)],
    skipped,
  };
}

/**
 * Keys of the themes a planner named or confirmed: renamed (a rename to the label it already had
 * confirms it), split off under a label, or merged into a named theme (a new key made of named
 * themes only is named too). Reports use only these as headings: a computed label such as
 * "unge · boliger · finnes" is a hint for the planner, not a heading for the political case.
 */
export function namedThemeKeys(corrections: readonly ThemeCorrection[]): Set<string> {
  const named = new Set<string>();
  for (const correction of corrections) {
    if (correction.type === 'rename') named.add(correction.themeKey);
    else if (correction.type === 'split') named.add(correction.newKey);
    else if (correction.type === 'merge' && correction.themeKeys.every((key) => named.has(key))) named.add(correction.intoKey);
  }
  return named;
}

/** `correctThemes` without the report: the corrected themes only. */
export function applyThemeCorrections(computed: readonly Theme[], corrections: readonly ThemeCorrection[]): Theme[] {
  return correctThemes(computed, corrections).themes;
}
