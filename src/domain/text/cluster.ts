import { dot, type SparseVector } from './vectors.js';

/**
 * Group-average agglomerative clustering of `positions` (indexes into `vectors`), cut where the
 * average cosine between two groups falls below `threshold`. Runs the nearest-neighbour-chain
 * algorithm on a dense similarity matrix: O(s²) time and memory for s positions, so callers
 * pass a sample of at most a few thousand. Ties go to the lower position, so the result depends
 * only on the order of `positions`.
 */
export function averageLinkGroups(vectors: readonly SparseVector[], positions: readonly number[], threshold: number): number[][] {
  const s = positions.length;
  if (s === 0) return [];
  const sim = new Float32Array(s * s);
  for (let i = 0; i < s; i++) {
    const a = vectors[positions[i]!]!;
    for (let j = i + 1; j < s; j++) {
      const value = dot(a, vectors[positions[j]!]!);
      sim[i * s + j] = value;
      sim[j * s + i] = value;
    }
  }
  const size = new Int32Array(s).fill(1);
  const active = new Uint8Array(s).fill(1);
  const parent = Int32Array.from({ length: s }, (_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const chain: number[] = [];
  let remaining = s;
  let nextStart = 0;
  while (remaining > 1) {
    if (chain.length === 0) {
      while (!active[nextStart]) nextStart++;
      chain.push(nextStart);
    }
    const a = chain[chain.length - 1]!;
    const previous = chain.length >= 2 ? chain[chain.length - 2]! : -1;
    // Preferring the previous chain element on ties is what guarantees the chain terminates.
    let best = previous;
    let bestSim = previous >= 0 ? sim[a * s + previous]! : -Infinity;
    for (let c = 0; c < s; c++) {
      if (c !== a && active[c] && sim[a * s + c]! > bestSim) {
        best = c;
        bestSim = sim[a * s + c]!;
      }
    }
    if (best !== previous) {
      chain.push(best);
      continue;
    }
    chain.length -= 2;
    const keep = Math.min(a, best);
    const gone = Math.max(a, best);
    // Merges come out of the chain in no global order, but group-average linkage never
    // inverts, so keeping every merge above the threshold is the same as cutting the tree there.
    if (bestSim >= threshold) parent[root(gone)] = root(keep);
    const sizeKeep = size[keep]!;
    const sizeGone = size[gone]!;
    for (let c = 0; c < s; c++) {
      if (!active[c] || c === keep || c === gone) continue;
      const value = (sizeKeep * sim[keep * s + c]! + sizeGone * sim[gone * s + c]!) / (sizeKeep + sizeGone);
      sim[keep * s + c] = value;
      sim[c * s + keep] = value;
    }
    size[keep] = sizeKeep + sizeGone;
    active[gone] = 0;
    remaining--;
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < s; i++) {
    const r = root(i);
    const group = groups.get(r);
    if (group) group.push(positions[i]!);
    else groups.set(r, [positions[i]!]);
  }
  return [...groups.values()];
}

/**
 * Normalised mean of the vectors at `members` over `featureCount` features, keeping at most
 * `maxFeatures` of the strongest (ties by feature id) so that centroids of large themes stay small.
 */
export function centroid(vectors: readonly SparseVector[], members: readonly number[], featureCount: number, maxFeatures = Infinity): SparseVector {
  const sum = new Float64Array(featureCount);
  const touched: number[] = [];
  for (const m of members) {
    const v = vectors[m]!;
    for (let k = 0; k < v.features.length; k++) {
      const f = v.features[k]!;
      if (sum[f] === 0) touched.push(f);
      sum[f]! += v.weights[k]!;
    }
  }
  let kept = touched;
  if (touched.length > maxFeatures) kept = [...touched].sort((a, b) => sum[b]! - sum[a]! || a - b).slice(0, maxFeatures);
  kept.sort((a, b) => a - b);
  let norm = 0;
  for (const f of kept) norm += sum[f]! * sum[f]!;
  norm = Math.sqrt(norm) || 1;
  return { features: Int32Array.from(kept), weights: Float64Array.from(kept, (f) => sum[f]! / norm) };
}

/** For each vector, the most similar centroid (index) at or above `threshold`, or -1, and that cosine. */
export function nearestCentroids(
  vectors: readonly SparseVector[],
  centroids: readonly SparseVector[],
  featureCount: number,
  threshold: number,
): { cluster: Int32Array; similarity: Float64Array } {
  // Inverted index from feature to (centroid, weight), flattened: a note meets only centroids it shares a feature with.
  const start = new Int32Array(featureCount + 1);
  for (const c of centroids) for (const f of c.features) start[f + 1]!++;
  for (let f = 0; f < featureCount; f++) start[f + 1]! += start[f]!;
  const fill = start.slice(0, featureCount);
  const postingCluster = new Int32Array(start[featureCount]!);
  const postingWeight = new Float64Array(start[featureCount]!);
  centroids.forEach((c, cluster) => {
    for (let k = 0; k < c.features.length; k++) {
      const at = fill[c.features[k]!]!++;
      postingCluster[at] = cluster;
      postingWeight[at] = c.weights[k]!;
    }
  });
  const cluster = new Int32Array(vectors.length).fill(-1);
  const similarity = new Float64Array(vectors.length);
  const scores = new Float64Array(centroids.length);
  for (let position = 0; position < vectors.length; position++) {
    const v = vectors[position]!;
    for (let k = 0; k < v.features.length; k++) {
      const f = v.features[k]!;
      const w = v.weights[k]!;
      for (let at = start[f]!; at < start[f + 1]!; at++) scores[postingCluster[at]!]! += w * postingWeight[at]!;
    }
    let best = -1;
    let bestSim = 0;
    for (let c = 0; c < scores.length; c++) {
      if (scores[c]! >= threshold && scores[c]! > bestSim) {
        best = c;
        bestSim = scores[c]!;
      }
      scores[c] = 0;
    }
    cluster[position] = best;
    similarity[position] = bestSim;
  }
  return { cluster, similarity };
}
