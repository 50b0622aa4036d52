import { compoundParts } from './compounds.js';
import type { NoteText } from './noteText.js';
import { contentStem, tokenize } from './tokens.js';

/** L2-normalised weights by feature id, ids ascending. */
export interface SparseVector {
  features: Int32Array;
  weights: Float64Array;
}

/** TF-IDF vectors of a set of notes sorted by id, with what labelling needs of their words. */
export interface NoteVectors {
  ids: string[];
  vectors: SparseVector[];
  /** Per note, its content words as ids into `surfaces`, in text order; -1 where other words came between. */
  noteWords: Int32Array[];
  /** Distinct content words as written (lowercase). */
  surfaces: string[];
  /** Stem id of each surface id. */
  surfaceStems: Int32Array;
  /** Distinct stems, including stems of compound parts. */
  stems: string[];
  /** Feature id of each stem id, or -1 when the stem is too rare or too common to be a feature. */
  stemFeatures: Int32Array;
  /** Stem id of each feature id. */
  featureStemIds: Int32Array;
}

// Compound parts count half: a hint at the subject rather than a word written.
const COMPOUND_PART_WEIGHT = 0.5;
const GAP = -1;

export interface VectorOptions {
  /** Features in more than this share of notes are dropped (only when there are ≥ 50 notes). */
  maxDocumentShare: number;
  /** Stems to leave out, e.g. of the municipality's name. */
  ignoredStems: ReadonlySet<string>;
}

class Interner {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }
}

/** Builds TF-IDF vectors for `sortedNotes` (already sorted by id). */
export function noteVectors(sortedNotes: readonly NoteText[], options: VectorOptions): NoteVectors {
  const surfaces = new Interner();
  const stems = new Interner();
  const surfaceStemList: number[] = [];
  const noteWords = sortedNotes.map((note) => {
    const ids: number[] = [];
    for (const word of tokenize(note.text)) {
      const wordStem = contentStem(word);
      if (wordStem === undefined || options.ignoredStems.has(wordStem)) {
        if (ids.length > 0 && ids[ids.length - 1] !== GAP) ids.push(GAP);
        continue;
      }
      const id = surfaces.id(word);
      if (id === surfaceStemList.length) surfaceStemList.push(stems.id(wordStem));
      ids.push(id);
    }
    return Int32Array.from(ids);
  });
  const parts = compoundParts(new Set(surfaces.values), new Set(stems.values));
  const surfaceParts = surfaces.values.map((s) => (parts.get(s) ?? []).map((p) => stems.id(p.stem)));
  const surfaceStems = Int32Array.from(surfaceStemList);

  const stemCount = stems.values.length;
  const documentFrequency = new Int32Array(stemCount);
  const tf = new Float64Array(stemCount);
  const termCounts = noteWords.map((words) => {
    const touched: number[] = [];
    const count = (s: number, amount: number): void => {
      if (tf[s] === 0) touched.push(s);
      tf[s]! += amount;
    };
    for (const w of words) {
      if (w === GAP) continue;
      count(surfaceStems[w]!, 1);
      for (const part of surfaceParts[w]!) count(part, COMPOUND_PART_WEIGHT);
    }
    const counts = Float64Array.from(touched, (s) => tf[s]!);
    for (const s of touched) {
      documentFrequency[s]!++;
      tf[s] = 0;
    }
    return { stems: Int32Array.from(touched), counts };
  });

  const n = sortedNotes.length;
  const maxDf = n >= 50 ? options.maxDocumentShare * n : n;
  const featureStemIds = Int32Array.from(
    stems.values
      .map((_, s) => s)
      .filter((s) => documentFrequency[s]! >= 2 && documentFrequency[s]! <= maxDf)
      .sort((a, b) => (stems.values[a]! < stems.values[b]! ? -1 : 1)),
  );
  const stemFeatures = new Int32Array(stemCount).fill(-1);
  featureStemIds.forEach((s, f) => (stemFeatures[s] = f));

  const weightOf = new Float64Array(featureStemIds.length);
  const vectors = termCounts.map(({ stems: noteStems, counts }) => {
    const features: number[] = [];
    let norm = 0;
    for (let k = 0; k < noteStems.length; k++) {
      const s = noteStems[k]!;
      const feature = stemFeatures[s]!;
      if (feature < 0) continue;
      const count = counts[k]!;
      const weight = (count >= 1 ? 1 + Math.log(count) : count) * Math.log((n + 1) / documentFrequency[s]!);
      features.push(feature);
      weightOf[feature] = weight;
      norm += weight * weight;
    }
    const sortedFeatures = Int32Array.from(features).sort();
    norm = Math.sqrt(norm) || 1;
    return { features: sortedFeatures, weights: Float64Array.from(sortedFeatures, (f) => weightOf[f]! / norm) };
  });
  return {
    ids: sortedNotes.map((note) => note.id),
    vectors,
    noteWords,
    surfaces: surfaces.values,
    surfaceStems,
    stems: stems.values,
    stemFeatures,
    featureStemIds,
  };
}

/** Cosine of two normalised sparse vectors (merge of the sorted feature lists). */
export function dot(a: SparseVector, b: SparseVector): number {
  let i = 0;
  let j = 0;
  let sum = 0;
  while (i < a.features.length && j < b.features.length) {
    const fa = a.features[i]!;
    const fb = b.features[j]!;
    if (fa === fb) sum += a.weights[i++]! * b.weights[j++]!;
    else if (fa < fb) i++;
    else j++;
  }
  return sum;
}
