import type { SparseVector } from './vectors.js';

// Terms are associated when they share at least this many notes and their note sets have at
// least this cosine; each term keeps its few strongest associates.
const MIN_SHARED_NOTES = 2;
const MIN_ASSOCIATION = 0.3;
const ASSOCIATES_PER_TERM = 3;
// Pairs are counted over each note's strongest features only, bounding the cost of long notes.
const PAIRED_FEATURES_PER_NOTE = 12;
const EXPANSION_WEIGHT = 0.5;

export interface Associate {
  feature: number;
  strength: number;
}

function strongestFeatures(v: SparseVector): number[] {
  if (v.features.length <= PAIRED_FEATURES_PER_NOTE) return Array.from(v.features);
  const order = Array.from(v.features.keys()).sort((a, b) => v.weights[b]! - v.weights[a]! || a - b);
  return order.slice(0, PAIRED_FEATURES_PER_NOTE).map((k) => v.features[k]!).sort((a, b) => a - b);
}

/**
 * For each feature, the features that most often share a note with it, by the cosine of their
 * note sets, counted over the notes at `positions`.
 */
export function termAssociations(vectors: readonly SparseVector[], positions: readonly number[], featureCount: number): Associate[][] {
  const df = new Int32Array(featureCount);
  const shared = new Map<number, number>();
  for (const p of positions) {
    const v = vectors[p]!;
    for (const f of v.features) df[f]!++;
    const top = strongestFeatures(v);
    for (let i = 0; i < top.length; i++) {
      for (let j = i + 1; j < top.length; j++) {
        const pair = top[i]! * featureCount + top[j]!;
        shared.set(pair, (shared.get(pair) ?? 0) + 1);
      }
    }
  }
  const associates: Associate[][] = Array.from({ length: featureCount }, () => []);
  for (const [pair, count] of shared) {
    if (count < MIN_SHARED_NOTES) continue;
    const a = Math.floor(pair / featureCount);
    const b = pair % featureCount;
    const strength = count / Math.sqrt(df[a]! * df[b]!);
    if (strength < MIN_ASSOCIATION) continue;
    associates[a]!.push({ feature: b, strength });
    associates[b]!.push({ feature: a, strength });
  }
  return associates.map((list) =>
    list.sort((x, y) => y.strength - x.strength || x.feature - y.feature).slice(0, ASSOCIATES_PER_TERM),
  );
}

/**
 * Adds to each vector, at half weight, the terms its own terms usually appear with, then
 * renormalises. Short notes that share no word but a subject ("Jordvern må inn som eget delmål",
 * "Bevare matproduksjonsarealer") become similar when other notes use both words together.
 */
export function expandByAssociation(vectors: readonly SparseVector[], associates: readonly Associate[][]): SparseVector[] {
  const weights = new Float64Array(associates.length);
  return vectors.map((v) => {
    const touched = Array.from(v.features);
    for (let k = 0; k < v.features.length; k++) weights[v.features[k]!] = v.weights[k]!;
    for (let k = 0; k < v.features.length; k++) {
      for (const { feature, strength } of associates[v.features[k]!]!) {
        if (weights[feature] === 0) touched.push(feature);
        weights[feature]! += EXPANSION_WEIGHT * strength * v.weights[k]!;
      }
    }
    touched.sort((a, b) => a - b);
    let norm = 0;
    for (const f of touched) norm += weights[f]! * weights[f]!;
    norm = Math.sqrt(norm) || 1;
    const expanded = { features: Int32Array.from(touched), weights: Float64Array.from(touched, (f) => weights[f]! / norm) };
    for (const f of touched) weights[f] = 0;
    return expanded;
  });
}
