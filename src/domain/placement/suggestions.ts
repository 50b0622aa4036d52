/**
 * Where an unplaced lapp belongs: the items of its own poster ranked by the words it shares with
 * each item's text and with the lapper already placed on that item (nearest neighbours), plus the
 * items the lapp names ("strategi 5, 6 og 9") and the placement of the lapp it agrees with
 * ("Enig med Dina"). Pure and deterministic: the same lapper and items give the same suggestions
 * whatever their order. Rules: docs/SPEC.md, PLACE-1 … PLACE-5, PLACE-9, PLACE-10.
 */
import { findMentions } from '../boardImport/notes.js';
import type { ItemKind } from '../items.js';
import { compoundParts } from '../text/compounds.js';
import { contentStem, tokenize } from '../text/tokens.js';
import { relatedIndex } from './relatedWords.js';

export type Confidence = 'high' | 'ambiguous' | 'none';

/** An item a lapp on the poster may be placed on. */
export interface CandidateItem {
  id: string;
  kind: ItemKind;
  /** The number shown on the poster ("Strategi 5" → 5; the hovedmål is 1). */
  number: number;
  text: string;
}

/** A lapp of the workshop, placed or not. */
export interface PlacementNote {
  id: string;
  text: string;
  /** The poster (one per perspective and part) whose items are its candidates. */
  posterId: string;
  groupId: string;
  /** The name written on the lapp or of its participant, if known. */
  authorName: string | null;
  placed: boolean;
  /** Items it is placed on (empty in the general box). */
  itemIds: readonly string[];
}

/** A lapp placed elsewhere on the same plan (another workshop): it teaches, it is not suggested for. */
export interface PlacedExample {
  text: string;
  itemIds: readonly string[];
}

export interface PlacementInput {
  /** Candidate items per poster id. */
  posterItems: ReadonlyMap<string, readonly CandidateItem[]>;
  notes: readonly PlacementNote[];
  examples?: readonly PlacedExample[];
}

export interface RankedItem {
  itemId: string;
  /** Higher is better; 1 means named by the lapp or by the lapp it agrees with. */
  score: number;
  /** Words of the lapp that matched the item (as written, lower case), or the phrase that named it. */
  matched: string[];
}

export interface PlacementSuggestion {
  noteId: string;
  text: string;
  confidence: Confidence;
  /** Best first; at most three for an ambiguous lapp; empty for `none`. */
  items: RankedItem[];
  /** What accepting links the lapp to: the best item, or every item the lapp names ([PLACE-3]). */
  accept: string[];
}

/** Tuned on the labelled Bærum lapper (placementQuality.test.ts); see docs/benchmarks.md. */
export const PLACEMENT_TUNING = {
  /** Weight of a compound part shared ("næringsliv" in "næringslivsaktører") against a whole word. */
  compoundPart: 0.5,
  /** Weight of the nearest placed lapper against the item's own text. */
  neighbours: 0.6,
  /** A lapp placed only by a confident suggestion counts this much as a neighbour. */
  provisional: 0.5,
  /** Bonus for an item whose number the lapp gives without saying which kind ("nr 5", "2: veldig bra"). */
  bareNumber: 1.5,
  /** How many placed lapper per item count as its nearest neighbours. */
  k: 3,
  /** A best score at least this high … */
  highScore: 1.2,
  /** … and this many times the runner-up is `high`. */
  highRatio: 1.8,
  /** Below this the lapp stays in the box (`none`). */
  minScore: 0.35,
} as const;

/**
 * A text's features in the order its words give them (that order fixes the sums and the matched
 * words): parallel arrays, not maps, since there is one per lapp and 100,000 lapper make the
 * garbage collector the bottleneck.
 */
interface Features {
  ids: number[];
  /** 1 (a word) or `compoundPart` (a part of a compound, or a compound holding an item's word). */
  weights: number[];
  /** The words of the text that gave each feature. */
  words: string[][];
}

/** A placed lapp as a neighbour: its features, its items (numbers in `PlacementModel.items`) and how much it counts. */
interface Neighbour {
  features: Features;
  items: number[];
  weight: number;
}

/** Postings as parallel arrays: the neighbours (indexes) that have a feature, with their weight for it. */
interface Posting {
  indexes: number[];
  weights: number[];
}

/** What scoring a lapp on one poster needs, computed once per poster instead of once per lapp. */
interface PosterModel {
  candidates: readonly CandidateItem[];
  /** Item number → its position among the candidates, or -1. */
  position: Int32Array;
  /** Feature → the candidates (positions) whose text has it, with their weight for it. */
  itemVectors: ({ positions: number[]; weights: number[] } | undefined)[];
  /** Feature → its weight on this poster; NaN until asked. */
  featureWeights: Float64Array;
  /** The global postings narrowed to neighbours with an item on this poster (the rest could only be skipped); emptied by `learn`. */
  postings: Map<number, Posting>;
  /** Best neighbours per candidate (k slots each), reused lapp after lapp. */
  topScore: Float64Array;
  topIndex: Int32Array;
  topCount: Int32Array;
}

/** Suggestions for every unplaced lapp in `input.notes`, in the order of the notes. */
export function suggestPlacements(input: PlacementInput): PlacementSuggestion[] {
  const model = new PlacementModel(input);
  const unplaced = input.notes.filter((note) => !note.placed);
  // Only the confident ones are final after the first round: the words are gathered for them alone.
  const first = unplaced.map((note) => model.suggest(note, 'high'));
  // [PLACE-2] Lapper placed with confidence teach the rest, as placed ones do (one round, in a fixed order).
  const sure = first.filter((s): s is PlacementSuggestion => s?.confidence === 'high');
  if (sure.length > 0) model.learn(sure.map((s) => ({ text: s.text, itemIds: s.accept })), PLACEMENT_TUNING.provisional);
  return first.map((s, i) => s ?? model.suggest(unplaced[i]!, 'all')!);
}

/** Only so many neighbours per word are looked at: a word on thousands of lapper tells little anyway. */
const MAX_POSTING = 100;
const MIN_PREFIX_ROOT = 4;
const MIN_INNER_ROOT = 5;

class PlacementModel {
  private readonly featureIds = new Map<string, number>();
  private readonly parts: Map<string, { stem: string }[]>;
  /** Every item of the plan, numbered by its place here. */
  private readonly items: CandidateItem[];
  private readonly itemNumbers = new Map<string, number>();
  private readonly itemFeatures: Features[] = [];
  /** Feature id → how many items of the plan have it (their IDF keeps "Bærum" from matching all). */
  private readonly itemDf: number[] = [];
  private readonly itemCount: number;
  private readonly noteDf: number[] = [];
  private readonly noteCount: number;
  /** Placed lapper with an author, per poster copy, for "Enig med …". */
  private readonly authorsByPosterGroup = new Map<string, { note: PlacementNote; firstName: string }[]>();
  private readonly posters = new Map<string, PosterModel>();
  private readonly wordCache = new Map<string, [number, number][]>();
  private readonly textCache = new Map<string, Features>();
  /** Roots of the items' words (the word and its stem) → their features, for compounds the stems miss. */
  private readonly itemRoots = new Map<string, Set<number>>();
  /** Beginnings and inner parts of the items' words → their features. */
  private readonly itemPieces = new Map<string, Set<number>>();
  /** The items' long words and each of them less one letter → their features, for typos [PLACE-9]. */
  private readonly itemTypos = new Map<string, Set<number>>();
  private readonly related = relatedIndex();
  private readonly neighbours: Neighbour[] = [];
  /** Feature id → the neighbours that have it (at most MAX_POSTING, the first learnt). */
  private readonly postings: Posting[] = [];
  private scores = new Float64Array(0);

  constructor(private readonly input: PlacementInput) {
    this.items = uniqueItems(input.posterItems);
    this.items.forEach((item, n) => this.itemNumbers.set(item.id, n));
    const texts = [...this.items.map((item) => item.text), ...input.notes.map((n) => n.text), ...(input.examples ?? []).map((e) => e.text)];
    const surfaces = new Set<string>();
    const stems = new Set<string>();
    for (const text of new Set(texts)) {
      for (const word of tokenize(text)) {
        const s = contentStem(word);
        if (s === undefined) continue;
        surfaces.add(word);
        stems.add(s);
      }
    }
    this.parts = compoundParts(surfaces, stems);
    for (const item of this.items) for (const word of tokenize(item.text)) this.indexItemWord(word);
    this.itemCount = this.items.length;
    for (const item of this.items) {
      const features = this.features(item.text, false);
      this.itemFeatures.push(features);
      for (const f of features.ids) this.itemDf[f] = (this.itemDf[f] ?? 0) + 1;
    }
    const allNotes = [...input.notes.map((n) => n.text), ...(input.examples ?? []).map((e) => e.text)];
    this.noteCount = allNotes.length;
    for (const text of allNotes) for (const f of this.features(text).ids) this.noteDf[f] = (this.noteDf[f] ?? 0) + 1;
    this.learn([...(input.examples ?? []), ...input.notes.filter((n) => n.placed && n.itemIds.length > 0)], 1);
    for (const note of input.notes) {
      if (!note.placed || !note.authorName) continue;
      const key = `${note.posterId} ${note.groupId}`;
      const list = this.authorsByPosterGroup.get(key) ?? [];
      list.push({ note, firstName: note.authorName.toLowerCase().split(/\s+/)[0] ?? '' });
      this.authorsByPosterGroup.set(key, list);
    }
  }

  private indexItemWord(word: string): void {
    const s = contentStem(word);
    if (s === undefined || EXTRA_STOPWORDS.has(word)) return;
    const feature = this.featureId(s);
    const add = (map: Map<string, Set<number>>, key: string) => {
      const set = map.get(key) ?? new Set<number>();
      set.add(feature);
      map.set(key, set);
    };
    for (const root of new Set([word, s])) if (root.length >= MIN_PREFIX_ROOT) add(this.itemRoots, root);
    for (let end = MIN_PREFIX_ROOT; end <= word.length; end++) add(this.itemPieces, word.slice(0, end));
    for (let start = 2; start + MIN_INNER_ROOT <= word.length; start++) {
      for (let end = start + MIN_INNER_ROOT; end <= word.length; end++) add(this.itemPieces, `@${word.slice(start, end)}`);
    }
    if (word.length >= MIN_TYPO_WORD) for (const key of oneLetterLess(word)) add(this.itemTypos, key);
  }

  /** Adds placed lapper as neighbours of their items. */
  learn(examples: readonly PlacedExample[], weight: number): void {
    for (const example of examples) {
      const index = this.neighbours.length;
      const features = this.features(example.text);
      const items: number[] = [];
      // An item of no poster can never be a candidate: leaving it out changes no score.
      for (const itemId of example.itemIds) {
        const n = this.itemNumbers.get(itemId);
        if (n !== undefined) items.push(n);
      }
      this.neighbours.push({ features, items, weight });
      for (let i = 0; i < features.ids.length; i++) {
        const f = features.ids[i]!;
        const posting = (this.postings[f] ??= { indexes: [], weights: [] });
        if (posting.indexes.length >= MAX_POSTING) continue;
        posting.indexes.push(index);
        posting.weights.push(features.weights[i]!);
      }
    }
    for (const poster of this.posters.values()) poster.postings.clear();
  }

  private featureId(stem: string): number {
    let id = this.featureIds.get(stem);
    if (id === undefined) {
      id = this.featureIds.size;
      this.featureIds.set(stem, id);
    }
    return id;
  }

  /**
   * Features of a word: its stem, the first parts of a compound, and (for a lapp's word) every item
   * word it holds or is held in, the search's compound rule ("plastforurensing" / "forurensning").
   */
  private wordFeatures(word: string, withItems: boolean): [number, number][] {
    const key = withItems ? word : `!${word}`;
    const cached = this.wordCache.get(key);
    if (cached) return cached;
    const found: [number, number][] = [];
    const s = contentStem(word);
    if (s !== undefined && !EXTRA_STOPWORDS.has(word)) {
      const own = this.featureId(s);
      found.push([own, 1]);
      const addAs = (feature: number, weight: number) => {
        if (feature !== own && !found.some(([f]) => f === feature)) found.push([feature, weight]);
      };
      const add = (feature: number) => addAs(feature, PLACEMENT_TUNING.compoundPart);
      const parts = this.parts.get(word) ?? [];
      for (const part of parts) add(this.featureId(part.stem));
      if (withItems) {
        // [PLACE-9] Words of the same subject ("bedrifter" for "næringsliv"), of the word or of its first parts.
        for (const root of [s, ...parts.map((p) => p.stem)]) for (const r of this.related.related(root) ?? []) addAs(this.featureId(r), root === s ? 1 : PLACEMENT_TUNING.compoundPart);
        // [PLACE-9] A slip of the pen in an item's long word, alone or at the end of a compound ("plastforurensing").
        for (let start = 0; word.length - start >= MIN_TYPO_WORD; start = start === 0 ? MIN_PREFIX_ROOT : start + 1) {
          for (const key of oneLetterLess(word.slice(start))) this.itemTypos.get(key)?.forEach(add);
        }
        for (let end = MIN_PREFIX_ROOT; end < word.length; end++) this.itemRoots.get(word.slice(0, end))?.forEach(add);
        for (let start = 2; start + MIN_INNER_ROOT <= word.length; start++) {
          for (let end = start + MIN_INNER_ROOT; end <= word.length; end++) {
            const root = word.slice(start, end);
            if (root.length >= MIN_INNER_ROOT) this.itemRoots.get(root)?.forEach(add);
          }
        }
        for (const root of new Set([word, s])) {
          if (root.length >= MIN_PREFIX_ROOT) this.itemPieces.get(root)?.forEach(add);
          if (root.length >= MIN_INNER_ROOT) this.itemPieces.get(`@${root}`)?.forEach(add);
        }
      }
    }
    this.wordCache.set(key, found);
    return found;
  }

  private features(text: string, withItems = true): Features {
    const key = withItems ? text : `!${text}`;
    const cached = this.textCache.get(key);
    if (cached) return cached;
    const features: Features = { ids: [], weights: [], words: [] };
    const at = new Map<number, number>();
    for (const word of tokenize(text)) {
      for (const [id, weight] of this.wordFeatures(word, withItems)) {
        let i = at.get(id);
        if (i === undefined) {
          i = features.ids.length;
          at.set(id, i);
          features.ids.push(id);
          features.weights.push(weight);
          features.words.push([word]);
          continue;
        }
        if (features.weights[i]! < weight) features.weights[i] = weight;
        if (!features.words[i]!.includes(word)) features.words[i]!.push(word);
      }
    }
    this.textCache.set(key, features);
    return features;
  }

  private poster(posterId: string): PosterModel {
    let poster = this.posters.get(posterId);
    if (poster) return poster;
    const candidates = this.input.posterItems.get(posterId) ?? [];
    const position = new Int32Array(this.items.length).fill(-1);
    const itemVectors: PosterModel['itemVectors'] = [];
    candidates.forEach((item, j) => {
      const n = this.itemNumbers.get(item.id)!;
      if (position[n] === -1) position[n] = j;
      const features = this.itemFeatures[n]!;
      for (let i = 0; i < features.ids.length; i++) {
        const vector = (itemVectors[features.ids[i]!] ??= { positions: [], weights: [] });
        vector.positions.push(j);
        vector.weights.push(features.weights[i]!);
      }
    });
    const k = PLACEMENT_TUNING.k;
    poster = {
      candidates,
      position,
      itemVectors,
      featureWeights: new Float64Array(this.featureIds.size).fill(Number.NaN),
      postings: new Map(),
      topScore: new Float64Array(candidates.length * k),
      topIndex: new Int32Array(candidates.length * k),
      topCount: new Int32Array(candidates.length),
    };
    this.posters.set(posterId, poster);
    return poster;
  }

  /**
   * How much a shared feature says on a poster: nothing when it is in half its items or more
   * ("Bærum"), else rare among the plan's items and among the lapper.
   */
  private weight(feature: number, poster: PosterModel): number {
    if (feature >= poster.featureWeights.length) {
      const grown = new Float64Array(Math.max(feature + 1, this.featureIds.size)).fill(Number.NaN);
      grown.set(poster.featureWeights);
      poster.featureWeights = grown;
    }
    let w = poster.featureWeights[feature]!;
    if (Number.isNaN(w)) {
      const onPoster = poster.itemVectors[feature]?.positions.length ?? 0;
      const items = Math.log((this.itemCount + 1) / ((this.itemDf[feature] ?? 0) + 1));
      const notes = Math.log((this.noteCount + 1) / ((this.noteDf[feature] ?? 0) + 1));
      w = onPoster * 2 > poster.candidates.length ? 0 : Math.max(0, items) * (0.5 + 0.5 * Math.min(1, notes / 3));
      poster.featureWeights[feature] = w;
    }
    return w;
  }

  /** The words of `note` that share a feature with `other` and say something on the poster. */
  private matchedWords(note: Features, other: Features, poster: PosterModel, matched: string[]): void {
    for (let i = 0; i < note.ids.length; i++) {
      const feature = note.ids[i]!;
      if (!other.ids.includes(feature) || this.weight(feature, poster) <= 0) continue;
      for (const word of note.words[i]!) if (!matched.includes(word)) matched.push(word);
    }
  }

  /** A global posting narrowed to the neighbours with an item among the poster's candidates. */
  private posting(feature: number, poster: PosterModel): Posting | undefined {
    const global = this.postings[feature];
    if (!global) return undefined;
    let posting = poster.postings.get(feature);
    if (posting) return posting;
    posting = { indexes: [], weights: [] };
    for (let i = 0; i < global.indexes.length; i++) {
      const index = global.indexes[i]!;
      if (this.neighbours[index]!.items.some((n) => poster.position[n]! >= 0)) {
        posting.indexes.push(index);
        posting.weights.push(global.weights[i]!);
      }
    }
    poster.postings.set(feature, posting);
    return posting;
  }

  /**
   * The k nearest placed lapper of each candidate item, through the postings of the lapp's features:
   * fills `poster.top*` (best first, ties to the earlier neighbour).
   */
  private nearest(features: Features, poster: PosterModel): void {
    if (this.scores.length < this.neighbours.length) this.scores = new Float64Array(this.neighbours.length * 2);
    const scores = this.scores;
    const touched: number[] = [];
    for (let f = 0; f < features.ids.length; f++) {
      const feature = features.ids[f]!;
      const w = this.weight(feature, poster);
      if (w <= 0) continue;
      const posting = this.posting(feature, poster);
      if (!posting) continue;
      const weight = features.weights[f]!;
      for (let i = 0; i < posting.indexes.length; i++) {
        const index = posting.indexes[i]!;
        if (scores[index] === 0) touched.push(index);
        scores[index]! += w * Math.min(weight, posting.weights[i]!);
      }
    }
    const k = PLACEMENT_TUNING.k;
    const { topScore, topIndex, topCount, position } = poster;
    topCount.fill(0);
    for (const index of touched) {
      const neighbour = this.neighbours[index]!;
      const score = scores[index]! * neighbour.weight;
      scores[index] = 0;
      for (const n of neighbour.items) {
        const j = position[n]!;
        if (j < 0) continue;
        // Insertion into the k best of candidate j, ordered by score (desc) then neighbour (asc).
        const base = j * k;
        let slot = topCount[j]!;
        while (slot > 0) {
          const s = topScore[base + slot - 1]!;
          if (s > score || (s === score && topIndex[base + slot - 1]! <= index)) break;
          if (slot < k) {
            topScore[base + slot] = s;
            topIndex[base + slot] = topIndex[base + slot - 1]!;
          }
          slot--;
        }
        if (slot < k) {
          topScore[base + slot] = score;
          topIndex[base + slot] = index;
          if (topCount[j]! < k) topCount[j]!++;
        }
      }
    }
  }

  /**
   * The suggestion for one lapp, or undefined when it is not final yet (its confidence is not
   * `final`): the words are gathered only for a final suggestion, and only for the items shown.
   */
  suggest(note: PlacementNote, final: 'high' | 'all'): PlacementSuggestion | undefined {
    const candidates = this.input.posterItems.get(note.posterId) ?? [];
    const named = this.named(note, candidates) ?? this.agreedWith(note);
    if (named) return { noteId: note.id, text: note.text, confidence: 'high', items: named, accept: named.map((i) => i.itemId) };

    const poster = this.poster(note.posterId);
    const features = this.features(note.text);
    const compared = comparedNumbers(note.text);
    const bare = bareNumbers(note.text).filter((n) => !compared.includes(n));
    // Own overlap, item by item, summed in the order of the lapp's features.
    const own = new Float64Array(candidates.length);
    for (let i = 0; i < features.ids.length; i++) {
      const vector = poster.itemVectors[features.ids[i]!];
      if (!vector) continue;
      const w = this.weight(features.ids[i]!, poster);
      if (w <= 0) continue;
      const weight = features.weights[i]!;
      for (let v = 0; v < vector.positions.length; v++) own[vector.positions[v]!]! += w * Math.min(weight, vector.weights[v]!);
    }
    this.nearest(features, poster);
    const k = PLACEMENT_TUNING.k;
    const scored = candidates.map((item, j) => {
      // A candidate listed twice shares the neighbours of its first place, as a lookup by id would.
      const slots = poster.position[this.itemNumbers.get(item.id)!]! * k;
      const count = poster.topCount[slots / k]!;
      let nearest = 0;
      for (let slot = 0; slot < count; slot++) nearest += poster.topScore[slots + slot]!;
      nearest /= k;
      const numbered = bare.includes(item.number) && item.kind !== 'main_goal';
      // [PLACE-10] "Er dette i motsetning til nr. 2?" is about another item than nr 2.
      const set = compared.includes(item.number) && item.kind !== 'main_goal';
      const words = set ? 0 : own[j]! + PLACEMENT_TUNING.neighbours * nearest;
      return { itemId: item.id, kind: item.kind, words, score: round(words), number: numbered ? item.number : null, slots, count };
    });
    // [PLACE-10] An item whose number the lapp gives ranks before those it only shares words with
    // (its score is lifted above theirs, so the scores stay best first); among them the words
    // decide, and a tie goes to the strategy (the list a bare number most often means).
    let lift = 0;
    for (const r of scored) if (r.number === null) lift = Math.max(lift, r.score);
    for (const r of scored) if (r.number !== null) r.score = round(r.words + PLACEMENT_TUNING.bareNumber + lift);
    scored.sort((a, b) => b.score - a.score || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || (a.itemId < b.itemId ? -1 : 1));
    const best = scored[0];
    const numbered = scored.filter((r) => r.number !== null);
    let high: boolean;
    let accept = best ? [best.itemId] : [];
    if (best && best.number !== null) {
      // Several numbers ("5 og 7") link to all of them, of the kind the best one has.
      accept = numbered.filter((r) => r.kind === best.kind).sort((a, b) => a.number! - b.number!).map((r) => r.itemId);
      const rival = numbered.find((r) => r.kind !== best.kind);
      high = !rival || (best.words >= PLACEMENT_TUNING.highScore && best.words >= PLACEMENT_TUNING.highRatio * rival.words);
    } else {
      const second = scored[1]?.score ?? 0;
      high = best !== undefined && best.score >= PLACEMENT_TUNING.highScore && best.score >= PLACEMENT_TUNING.highRatio * second;
    }
    if (!high && final === 'high') return undefined;
    if (!best || best.score < PLACEMENT_TUNING.minScore) return { noteId: note.id, text: note.text, confidence: 'none', items: [], accept: [] };
    // The words are gathered only for the items shown.
    const items = scored
      .filter((r) => r.score > 0)
      .slice(0, high ? scored.length : 3)
      .map((r): RankedItem => {
        const matched = r.number === null ? [] : [`nr ${r.number}`];
        this.matchedWords(features, this.itemFeatures[this.itemNumbers.get(r.itemId)!]!, poster, matched);
        for (let slot = 0; slot < r.count; slot++) this.matchedWords(features, this.neighbours[poster.topIndex[r.slots + slot]!]!.features, poster, matched);
        return { itemId: r.itemId, score: r.score, matched };
      });
    return { noteId: note.id, text: note.text, confidence: high ? 'high' : 'ambiguous', items, accept };
  }

  /** [PLACE-3] Items the lapp names by kind and number ("strategi 5, 6 og 9"), when they are on its poster. */
  private named(note: PlacementNote, candidates: readonly CandidateItem[]): RankedItem[] | null {
    if (!MENTION_HINT.test(note.text)) return null;
    const found: RankedItem[] = [];
    for (const mention of findMentions(note.text)) {
      const number = mention.kind === 'main_goal' ? 1 : mention.number;
      const item = candidates.find((c) => c.kind === mention.kind && c.number === number);
      if (item && !found.some((f) => f.itemId === item.id)) found.push({ itemId: item.id, score: 1, matched: [mentionLabel(mention.kind, number)] });
    }
    return found.length > 0 ? found : null;
  }

  /**
   * [PLACE-4] "Enig med Dina", "enig med Siw og Sigrid": the same placement as the lapper those
   * people wrote on this poster copy (same poster, same group), when they are placed.
   */
  private agreedWith(note: PlacementNote): RankedItem[] | null {
    const authors = this.authorsByPosterGroup.get(`${note.posterId} ${note.groupId}`);
    if (!authors) return null;
    const names = agreedNames(note.text);
    if (names.length === 0) return null;
    const found: RankedItem[] = [];
    for (const { note: other, firstName } of authors) {
      if (other.id === note.id) continue;
      const name = names.find((n) => n === firstName);
      if (!name) continue;
      for (const itemId of other.itemIds) {
        if (!found.some((f) => f.itemId === itemId)) found.push({ itemId, score: 1, matched: [`enig med ${capitalise(name)}`] });
      }
    }
    return found.length > 0 ? found : null;
  }
}

/** Cheap test before the full mention pattern: most lapper name no item. */
const MENTION_HINT = /delmål|strategi|startegi|hovedmål|overordnet mål/i;

const BARE_NUMBERS = /(?:^|(?<!\p{L})(?:nr\.?|nummer)\s*)(\d{1,2})((?:\s*(?:,|og|-|–)\s*\d{1,2}(?!\d))*)(?![\d%])/giu;

/** Numbers a lapp gives without a kind: at its very start ("5 og 7 handler …") or after "nr"/"nummer". */
export function bareNumbers(text: string): number[] {
  const numbers: number[] = [];
  for (const match of text.trim().matchAll(BARE_NUMBERS)) {
    const all = [match[1] ?? '', ...(match[2] ?? '').split(/\s*(?:,|og)\s*/)].filter((n) => /^\d+$/.test(n));
    const range = /(\d{1,2})\s*[-–]\s*(\d{1,2})/.exec(match[0]);
    if (range) for (let n = Number(range[1]); n <= Number(range[2]) && n - Number(range[1]) < 20; n++) all.push(String(n));
    for (const n of all) if (!numbers.includes(Number(n))) numbers.push(Number(n));
  }
  return numbers;
}

/** Shorter words differ by one letter from too many others ("bygget", "bygger"). */
const MIN_TYPO_WORD = 8;

/** The word and each way of leaving one letter out: two words within one slip share a key. */
function oneLetterLess(word: string): string[] {
  const keys = [word];
  for (let i = 0; i < word.length; i++) keys.push(word.slice(0, i) + word.slice(i + 1));
  return keys;
}

const KIND_ORDER: Record<ItemKind, number> = { main_goal: 0, sub_goal: 1, strategy: 2, land_use_strategy: 3 };

const COMPARED_NUMBERS = /(?<!\p{L})(?:til|mot|enn|med|jf\.?|jfr\.?|som)\s+(?:nr\.?|nummer)\s*(\d{1,2})(?!\d)/giu;

/** Numbers a lapp sets itself against ("i motsetning til nr. 2", "satt opp mot nr. 5"): not its own item. */
export function comparedNumbers(text: string): number[] {
  return [...text.matchAll(COMPARED_NUMBERS)].map((m) => Number(m[1]));
}

/** Words too general to place a lapp by: prepositions and vague verbs the stopword lists keep. */
const EXTRA_STOPWORDS = new Set(['langs', 'mulig', 'mulighet', 'muligheter', 'skape', 'skaper', 'etablere', 'føre', 'stimulere', 'utvikle', 'utvikling', 'videre']);

const AGREEMENT = /(?<!\p{L})(?:enig|slutter meg til[^.]*?fra)\s+(?:med|i|kommentarene?\s+fra)?\s*((?:\p{Lu}\p{Ll}+)(?:\s*(?:,|og|&)\s*\p{Lu}\p{Ll}+)*)/gu;

/** First names (lower case) a lapp agrees with: "Helt enig med Dina" → ["dina"]. */
export function agreedNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(AGREEMENT)) {
    for (const name of (match[1] ?? '').split(/\s*(?:,|og|&)\s*/)) {
      const key = name.trim().toLowerCase();
      if (key && !names.includes(key)) names.push(key);
    }
  }
  return names;
}

const KIND_WORD: Record<ItemKind, string> = { main_goal: 'hovedmål', sub_goal: 'delmål', strategy: 'strategi', land_use_strategy: 'arealstrategi' };
const mentionLabel = (kind: ItemKind, number: number) => (kind === 'main_goal' ? KIND_WORD[kind] : `${KIND_WORD[kind]} ${number}`);
const capitalise = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const round = (value: number) => Math.round(value * 1000) / 1000;

function uniqueItems(posterItems: ReadonlyMap<string, readonly CandidateItem[]>): CandidateItem[] {
  const byId = new Map<string, CandidateItem>();
  for (const items of posterItems.values()) for (const item of items) byId.set(item.id, item);
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}
