import type { NoteVectors, SparseVector } from './vectors.js';

const LABEL_UNITS = 3;
const KEY_TERMS = 3;
const TERMS_SHOWN = 8;
// Wording is read from a theme's most typical notes only; beyond this many it no longer changes.
const NOTES_READ = 1000;
// Two top terms are shown as one phrase ("dyrket mark") when written side by side in at least
// this many notes, and in at least this share of the notes using the rarer of the two.
const PHRASE_MIN_NOTES = 2;
const PHRASE_MIN_SHARE = 0.5;

/** Key, label and terms of a theme. */
export interface ThemeDescription {
  key: string;
  label: string;
  terms: string[];
}

function increment<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Describes a theme from its members (most typical first) and its centroid over the plain
 * TF-IDF vectors. `usedKeys` holds keys given to other themes; a clash is resolved by adding the
 * next term, then a number, and the new key is added to it.
 */
export function describeTheme(members: readonly number[], centre: SparseVector, corpus: NoteVectors, usedKeys: Set<string>): ThemeDescription {
  const stemCount = corpus.stems.length;
  const surfacesByStem = new Map<number, Map<number, number>>();
  const notesWithStem = new Map<number, number>();
  const notesWithPair = new Map<number, number>();
  for (const m of members.slice(0, NOTES_READ)) {
    const stemsSeen = new Set<number>();
    const pairsSeen = new Set<number>();
    let previous = -1;
    for (const w of corpus.noteWords[m]!) {
      if (w < 0) {
        previous = -1;
        continue;
      }
      const s = corpus.surfaceStems[w]!;
      const bySurface = surfacesByStem.get(s) ?? new Map<number, number>();
      increment(bySurface, w);
      surfacesByStem.set(s, bySurface);
      stemsSeen.add(s);
      if (previous >= 0 && previous !== s) pairsSeen.add(previous * stemCount + s);
      previous = s;
    }
    for (const s of stemsSeen) increment(notesWithStem, s);
    for (const p of pairsSeen) increment(notesWithPair, p);
  }
  const written = (s: number): string => {
    let best = -1;
    let bestCount = 0;
    for (const [w, count] of surfacesByStem.get(s)!) {
      if (count > bestCount || (count === bestCount && corpus.surfaces[w]! < corpus.surfaces[best]!)) {
        best = w;
        bestCount = count;
      }
    }
    return corpus.surfaces[best]!;
  };
  // Only stems the theme's notes write are shown: a compound part such as "arealp" (shared by
  // "arealplan" and "arealprinsipp") links notes but is no word.
  const ranked = Array.from(centre.features, (f, k) => ({ stem: corpus.featureStemIds[f]!, weight: centre.weights[k]! }))
    .filter((t) => surfacesByStem.has(t.stem))
    .sort((a, b) => b.weight - a.weight || (corpus.stems[a.stem]! < corpus.stems[b.stem]! ? -1 : 1))
    .map((t) => t.stem);

  const candidates = ranked.slice(0, LABEL_UNITS * 2);
  const used = new Set<number>();
  const units: string[] = [];
  for (const s of candidates) {
    if (units.length === LABEL_UNITS) break;
    if (used.has(s)) continue;
    used.add(s);
    let unit = written(s);
    for (const other of candidates) {
      if (used.has(other)) continue;
      const forward = notesWithPair.get(s * stemCount + other) ?? 0;
      const backward = notesWithPair.get(other * stemCount + s) ?? 0;
      const together = Math.max(forward, backward);
      const rarer = Math.min(notesWithStem.get(s)!, notesWithStem.get(other)!);
      if (together >= PHRASE_MIN_NOTES && together >= PHRASE_MIN_SHARE * rarer) {
        unit = forward >= backward ? `${written(s)} ${written(other)}` : `${written(other)} ${written(s)}`;
        used.add(other);
        break;
      }
    }
    units.push(unit);
  }

  const stemTexts = ranked.map((s) => corpus.stems[s]!);
  let key = stemTexts.slice(0, KEY_TERMS).sort().join('-') || 'theme';
  for (let extra = KEY_TERMS; usedKeys.has(key) && extra < stemTexts.length; extra++) {
    key = stemTexts.slice(0, extra + 1).sort().join('-');
  }
  const base = key;
  for (let n = 2; usedKeys.has(key); n++) key = `${base}-${n}`;
  usedKeys.add(key);

  return { key, label: units.join(' · ') || key, terms: ranked.slice(0, TERMS_SHOWN).map(written) };
}
