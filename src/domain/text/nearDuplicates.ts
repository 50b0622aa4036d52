import { sortById, type NoteText } from './noteText.js';
import { tokenize } from './tokens.js';

/** A note kept and the notes that repeat it. */
export interface NearDuplicates {
  /** The id that sorts first among the group. */
  keep: string;
  duplicates: string[];
  /** Lowest similarity between `keep` and a duplicate: 1 for the same words, down to the threshold. */
  similarity: number;
}

const DEFAULT_MIN_SIMILARITY = 0.9;
// MinHash with 8 bands of 5: pairs at similarity 0.9 meet in some band with probability > 0.99,
// unrelated pairs almost never, so only bucket-mates are compared.
const BANDS = 8;
const ROWS = 5;
// Distinct texts are indexed below this in the packed bucket sort keys.
const TEXT_SLOTS = 2 ** 21;
// Bounds the work in a bucket of many near-identical notes; union-find links the rest.
const COMPARISONS_PER_BUCKET_MEMBER = 16;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

// Character trigrams of the words joined by spaces, as sorted distinct hashes.
function shingles(normalised: string): Uint32Array {
  const padded = ` ${normalised} `;
  const all = new Uint32Array(Math.max(padded.length - 2, 0));
  for (let i = 0; i < all.length; i++) {
    all[i] = fmix((padded.charCodeAt(i) << 20) ^ (padded.charCodeAt(i + 1) << 10) ^ padded.charCodeAt(i + 2));
  }
  all.sort();
  let distinct = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[distinct++] = all[i]!;
  return all.slice(0, distinct);
}

// One-permutation MinHash: each shingle hash falls into one of BANDS × ROWS bins and each bin keeps
// its smallest hash, one pass instead of one per hash function. Empty bins (short notes) borrow
// from the next filled bin, mixed with the distance, as in rotation densification.
function bandKeys(set: Uint32Array): number[] {
  const bins = BANDS * ROWS;
  const mins = new Uint32Array(bins).fill(0xffffffff);
  const filled = new Uint8Array(bins);
  for (const h of set) {
    const bin = h % bins;
    filled[bin] = 1;
    if (h < mins[bin]!) mins[bin] = h;
  }
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let key = b;
    for (let r = 0; r < ROWS; r++) {
      const bin = b * ROWS + r;
      let from = bin;
      let distance = 0;
      while (!filled[from] && distance < bins) from = (bin + ++distance) % bins;
      key = fmix(key ^ fmix(mins[from]! + distance));
    }
    keys.push(key);
  }
  return keys;
}

/** Cosine of two shingle sets: shared / √(|a|·|b|). */
function overlap(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else if (a[i]! < b[j]!) i++;
    else j++;
  }
  return shared / Math.sqrt(a.length * b.length || 1);
}

/** Whether `overlap(a, b) >= minSimilarity`, giving up as soon as too few shingles are left to share. */
function overlapsAtLeast(a: Uint32Array, b: Uint32Array, minSimilarity: number): boolean {
  const needed = minSimilarity * Math.sqrt(a.length * b.length);
  if (Math.min(a.length, b.length) < needed) return false;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      shared++;
      i++;
      j++;
    } else {
      if (a[i]! < b[j]!) i++;
      else j++;
      if (shared + Math.min(a.length - i, b.length - j) < needed) return false;
    }
  }
  return shared >= needed;
}

/**
 * Finds notes that repeat another note: the same words whatever the line breaks, punctuation
 * or case, or nearly so (character-trigram cosine ≥ `minSimilarity`, default 0.9). Linear in
 * the number of notes: identical texts are grouped by key and the rest compared only within
 * MinHash buckets. Groups come sorted by `keep`; notes without words are ignored.
 */
export function findNearDuplicates(notes: readonly NoteText[], options: { minSimilarity?: number } = {}): NearDuplicates[] {
  const minSimilarity = options.minSimilarity ?? DEFAULT_MIN_SIMILARITY;
  if (notes.length >= TEXT_SLOTS) throw new RangeError(`findNearDuplicates takes fewer than ${TEXT_SLOTS} notes`);
  const sameText = new Map<string, string[]>();
  for (const note of sortById(notes)) {
    const normalised = tokenize(note.text).join(' ');
    if (normalised === '') continue;
    const ids = sameText.get(normalised);
    if (ids) ids.push(note.id);
    else sameText.set(normalised, [note.id]);
  }
  const texts = [...sameText.keys()];
  const sets = texts.map(shingles);
  const parent = Int32Array.from(texts, (_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  // Bucketing by sorting (band key × 2^21 + text index) per band: no map of half a million arrays.
  const keys = sets.map(bandKeys);
  const packed = new Float64Array(texts.length);
  for (let band = 0; band < BANDS; band++) {
    keys.forEach((k, t) => (packed[t] = k[band]! * TEXT_SLOTS + t));
    packed.sort();
    for (let i = 1; i < packed.length; i++) {
      const key = Math.floor(packed[i]! / TEXT_SLOTS);
      const t = packed[i]! - key * TEXT_SLOTS;
      for (let j = i - 1; j >= 0 && j >= i - COMPARISONS_PER_BUCKET_MEMBER; j--) {
        const otherKey = Math.floor(packed[j]! / TEXT_SLOTS);
        if (otherKey !== key) break;
        const other = packed[j]! - otherKey * TEXT_SLOTS;
        if (root(other) !== root(t) && overlapsAtLeast(sets[t]!, sets[other]!, minSimilarity)) parent[root(t)] = root(other);
      }
    }
  }

  const components = new Map<number, number[]>();
  texts.forEach((_, t) => {
    const component = components.get(root(t));
    if (component) component.push(t);
    else components.set(root(t), [t]);
  });
  const groups: NearDuplicates[] = [];
  for (const component of components.values()) {
    // Every group is led by its first id and holds only texts close to that one, so a chain
    // of small edits never makes two quite different notes duplicates.
    const firstId = (t: number): string => sameText.get(texts[t]!)![0]!;
    let rest = [...component].sort((a, b) => (firstId(a) < firstId(b) ? -1 : 1));
    while (rest.length > 0) {
      const [leader, ...others] = rest as [number, ...number[]];
      const [keep, ...exact] = sameText.get(texts[leader]!)!;
      const duplicates = [...exact];
      let similarity = 1;
      rest = [];
      for (const other of others) {
        const s = overlap(sets[leader]!, sets[other]!);
        if (s >= minSimilarity) {
          duplicates.push(...sameText.get(texts[other]!)!);
          similarity = Math.min(similarity, s);
        } else rest.push(other);
      }
      if (duplicates.length > 0) groups.push({ keep: keep!, duplicates: duplicates.sort(), similarity });
    }
  }
  return groups.sort((a, b) => (a.keep < b.keep ? -1 : 1));
}
