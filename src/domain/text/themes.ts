import { expandByAssociation, termAssociations } from './associations.js';
import { averageLinkGroups, centroid, nearestCentroids } from './cluster.js';
import { describeTheme } from './labels.js';
import { sortById, type NoteText } from './noteText.js';
import { OTHER_THEME_KEY, OTHER_THEME_LABEL, type Theme } from './theme.js';
import { stem, tokenize } from './tokens.js';
import { noteVectors, type NoteVectors } from './vectors.js';

/** Tuning of `computeThemes`; the defaults suit workshops of a few hundred to 100,000 notes. */
export interface ThemeOptions {
  /** At most this many themes besides "Øvrige". Default 30. */
  maxThemes?: number;
  /** A theme needs at least this many notes (per sampled note when sampling). Default 3. */
  minThemeSize?: number;
  /** Average cosine between two groups of notes at which they stop being merged. Default 0.1. */
  groupSimilarity?: number;
  /** Cosine to a theme's centre a note needs to belong to it. Default 0.2. */
  memberSimilarity?: number;
  /** Notes clustered directly; beyond this a sample seeds the themes. Default 2000. */
  sampleSize?: number;
  /** Words that say nothing about a theme in this workshop, e.g. the municipality's name ("Bærum"). */
  ignoreWords?: string[];
}

const DEFAULTS: Required<ThemeOptions> = {
  maxThemes: 30,
  minThemeSize: 3,
  groupSimilarity: 0.1,
  memberSimilarity: 0.2,
  sampleSize: 2000,
  ignoreWords: [],
};
// Passes of "assign every note to its nearest centre, then recompute the centres".
const REFINEMENTS = 2;
// Word associations are learnt from at most this many notes; more do not change them much.
const ASSOCIATION_SAMPLE = 10_000;
const MAX_CENTROID_FEATURES = 300;
// A word in more than this share of the notes names the workshop ("bærum", "plan"), not a theme.
const MAX_DOCUMENT_SHARE = 0.4;

function textHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * Notes in the order of their text (then id): the themes depend on what was written, not on the
 * ids a database happened to give, so importing the same workshop twice gives the same themes.
 */
function sortByText<T extends NoteText>(notes: readonly T[]): T[] {
  const sorted = sortById(notes);
  return sorted.sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

// The notes with the smallest text hashes: a sample that only changes by the note added or removed.
function sampleByTextHash(corpus: NoteVectors, texts: readonly string[], size: number): number[] {
  const usable = corpus.ids.map((_, p) => p).filter((p) => corpus.vectors[p]!.features.length > 0);
  if (usable.length <= size) return usable;
  const hashes = texts.map(textHash);
  return usable
    .sort((a, b) => hashes[a]! - hashes[b]! || a - b)
    .slice(0, size)
    .sort((a, b) => a - b);
}

function bySizeThenFirst(a: readonly number[], b: readonly number[]): number {
  return b.length - a.length || a[0]! - b[0]!;
}

/**
 * Finds the themes of a set of notes. Notes are TF-IDF vectors over Norwegian stems and compound
 * parts, widened with the words their words usually appear with. A sample of at most `sampleSize`
 * notes is clustered by group-average agglomeration; groups large enough become theme centres,
 * and every note joins its most similar centre (with two refinement passes) or "Øvrige" (key
 * "other") when none is close. Deterministic: the same notes in any order give the same themes.
 * Themes come largest first, "Øvrige" last.
 */
export function computeThemes(notes: readonly NoteText[], options: ThemeOptions = {}): Theme[] {
  const o = { ...DEFAULTS, ...options };
  const sorted = sortByText(notes);
  const texts = sorted.map((note) => note.text);
  const ignoredStems = new Set(o.ignoreWords.flatMap((w) => tokenize(w)).map(stem));
  const corpus = noteVectors(sorted, { maxDocumentShare: MAX_DOCUMENT_SHARE, ignoredStems });
  const featureCount = corpus.featureStemIds.length;
  const associates = termAssociations(corpus.vectors, sampleByTextHash(corpus, texts, ASSOCIATION_SAMPLE), featureCount);
  const vectors = expandByAssociation(corpus.vectors, associates);
  const sample = sampleByTextHash(corpus, texts, o.sampleSize);
  const usable = corpus.vectors.filter((v) => v.features.length > 0).length;
  // With a sample, a group of minThemeSize sampled notes stands for proportionally more notes.
  const minMembers = Math.max(o.minThemeSize, Math.round((o.minThemeSize * usable) / Math.max(sample.length, 1)));

  let groups = averageLinkGroups(vectors, sample, o.groupSimilarity)
    .filter((g) => g.length >= o.minThemeSize)
    .sort(bySizeThenFirst)
    .slice(0, o.maxThemes);
  let similarity: Float64Array = new Float64Array(sorted.length);
  for (let pass = 0; pass <= REFINEMENTS && groups.length > 0; pass++) {
    const centres = groups.map((g) => centroid(vectors, g, featureCount, MAX_CENTROID_FEATURES));
    const nearest = nearestCentroids(vectors, centres, featureCount, o.memberSimilarity);
    similarity = nearest.similarity;
    const members: number[][] = groups.map(() => []);
    nearest.cluster.forEach((c, p) => {
      if (c >= 0) members[c]!.push(p);
    });
    groups = members.filter((m) => m.length >= minMembers).sort(bySizeThenFirst);
  }
  // After the last pass a dropped group's notes were not offered to the others; they go to "Øvrige".

  const usedKeys = new Set([OTHER_THEME_KEY]);
  const themes: Theme[] = groups.map((members) => {
    const typicalFirst = [...members].sort((a, b) => similarity[b]! - similarity[a]! || a - b);
    const description = describeTheme(typicalFirst, centroid(corpus.vectors, members, featureCount), corpus, usedKeys);
    return { ...description, noteIds: typicalFirst.map((p) => corpus.ids[p]!) };
  });
  const placed = new Set(groups.flat());
  const rest = corpus.ids.filter((_, p) => !placed.has(p));
  if (rest.length > 0) themes.push({ key: OTHER_THEME_KEY, label: OTHER_THEME_LABEL, terms: [], noteIds: rest });
  return themes;
}
