/**
 * Where an unplaced lapp belongs: the items of its own poster ranked by the words it shares with
 * each item's text and with the lapper already placed on that item (nearest neighbours), plus the
 * items the lapp names ("strategi 5, 6 og 9") and the placement of the lapp it agrees with
 * ("Enig med Dina"). Pure and deterministic: the same lapper and items give the same suggestions
 * whatever their order. Rules: docs/SPEC.md, PLACE-1 … PLACE-5.
 */
import { findMentions } from '../boardImport/notes.js';
import type { ItemKind } from '../items.js';
import { compoundParts } from '../text/compounds.js';
import { contentStem, tokenize } from '../text/tokens.js';

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

interface Features {
  /** Feature id → weight 1 (a word) or `compoundPart` (a part of a compound, or a compound holding an item's word). */
  weights: Map<number, number>;
  /** Feature id → the words of the text that gave it. */
  words: Map<number, string[]>;
}

/** A placed lapp as a neighbour: its features, its items and how much it counts. */
interface Neighbour {
  features: Features;
  itemIds: readonly string[];
  weight: number;
}

/** Suggestions for every unplaced lapp in `input.notes`, in the order of the notes. */
export function suggestPlacements(input: PlacementInput): PlacementSuggestion[] {
  const model = new PlacementModel(input);
  const unplaced = input.notes.filter((note) => !note.placed);
  const first = unplaced.map((note) => model.suggest(note));
  // [PLACE-2] Lapper placed with confidence teach the rest, as placed ones do (one round, in a fixed order).
  const sure = first.filter((s) => s.confidence === 'high');
  if (sure.length === 0) return first;
  model.learn(sure.map((s) => ({ text: s.text, itemIds: s.accept })), PLACEMENT_TUNING.provisional);
  return first.map((s, i) => (s.confidence === 'high' ? s : model.suggest(unplaced[i]!)));
}

/** Only so many neighbours per word are looked at: a word on thousands of lapper tells little anyway. */
const MAX_POSTING = 100;
const MIN_PREFIX_ROOT = 4;
const MIN_INNER_ROOT = 5;

class PlacementModel {
  private readonly featureIds = new Map<string, number>();
  private readonly parts: Map<string, { stem: string }[]>;
  private readonly itemFeatures = new Map<string, Features>();
  /** Feature id → how many items of the plan have it (their IDF keeps "Bærum" from matching all). */
  private readonly itemDf: number[] = [];
  private readonly itemCount: number;
  private readonly noteDf: number[] = [];
  private readonly noteCount: number;
  private readonly byPosterGroup = new Map<string, PlacementNote[]>();
  private readonly posterWeights = new Map<string, Map<number, number>>();
  private readonly wordCache = new Map<string, [number, number][]>();
  private readonly textCache = new Map<string, Features>();
  /** Roots of the items' words (the word and its stem) → their features, for compounds the stems miss. */
  private readonly itemRoots = new Map<string, Set<number>>();
  /** Beginnings and inner parts of the items' words → their features. */
  private readonly itemPieces = new Map<string, Set<number>>();
  private readonly neighbours: Neighbour[] = [];
  /** Feature → the neighbours that have it, with their weight for it. */
  private readonly postings = new Map<number, { indexes: number[]; weights: number[] }>();
  private scores = new Float64Array(0);

  constructor(private readonly input: PlacementInput) {
    const items = uniqueItems(input.posterItems);
    const texts = [...items.map((item) => item.text), ...input.notes.map((n) => n.text), ...(input.examples ?? []).map((e) => e.text)];
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
    for (const item of items) for (const word of tokenize(item.text)) this.indexItemWord(word);
    this.itemCount = items.length;
    for (const item of items) {
      const features = this.features(item.text, false);
      this.itemFeatures.set(item.id, features);
      for (const f of features.weights.keys()) this.itemDf[f] = (this.itemDf[f] ?? 0) + 1;
    }
    const allNotes = [...input.notes.map((n) => n.text), ...(input.examples ?? []).map((e) => e.text)];
    this.noteCount = allNotes.length;
    for (const text of allNotes) for (const f of this.features(text).weights.keys()) this.noteDf[f] = (this.noteDf[f] ?? 0) + 1;
    this.learn([...(input.examples ?? []), ...input.notes.filter((n) => n.placed && n.itemIds.length > 0)], 1);
    for (const note of input.notes) {
      const key = `${note.posterId} ${note.groupId}`;
      const list = this.byPosterGroup.get(key) ?? [];
      list.push(note);
      this.byPosterGroup.set(key, list);
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
  }

  /** Adds placed lapper as neighbours of their items. */
  learn(examples: readonly PlacedExample[], weight: number): void {
    for (const example of examples) {
      const index = this.neighbours.length;
      const features = this.features(example.text);
      this.neighbours.push({ features, itemIds: example.itemIds, weight });
      for (const [f, w] of features.weights) {
        let posting = this.postings.get(f);
        if (!posting) this.postings.set(f, (posting = { indexes: [], weights: [] }));
        if (posting.indexes.length >= MAX_POSTING) continue;
        posting.indexes.push(index);
        posting.weights.push(w);
      }
    }
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
      const add = (feature: number) => {
        if (feature !== own && !found.some(([f]) => f === feature)) found.push([feature, PLACEMENT_TUNING.compoundPart]);
      };
      for (const part of this.parts.get(word) ?? []) add(this.featureId(part.stem));
      if (withItems) {
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
    const weights = new Map<number, number>();
    const words = new Map<number, string[]>();
    for (const word of tokenize(text)) {
      for (const [id, weight] of this.wordFeatures(word, withItems)) {
        if ((weights.get(id) ?? 0) < weight) weights.set(id, weight);
        const list = words.get(id) ?? [];
        if (!list.includes(word)) list.push(word);
        words.set(id, list);
      }
    }
    const features = { weights, words };
    this.textCache.set(key, features);
    return features;
  }

  /**
   * How much a shared feature says on a poster: nothing when it is in half its items or more
   * ("Bærum"), else rare among the plan's items and among the lapper.
   */
  private weight(feature: number, posterId: string): number {
    let weights = this.posterWeights.get(posterId);
    if (!weights) {
      weights = new Map();
      this.posterWeights.set(posterId, weights);
    }
    let w = weights.get(feature);
    if (w === undefined) {
      const candidates = this.input.posterItems.get(posterId) ?? [];
      const onPoster = candidates.filter((item) => this.itemFeatures.get(item.id)!.weights.has(feature)).length;
      const items = Math.log((this.itemCount + 1) / ((this.itemDf[feature] ?? 0) + 1));
      const notes = Math.log((this.noteCount + 1) / ((this.noteDf[feature] ?? 0) + 1));
      w = onPoster * 2 > candidates.length ? 0 : Math.max(0, items) * (0.5 + 0.5 * Math.min(1, notes / 3));
      weights.set(feature, w);
    }
    return w;
  }

  private overlap(note: Features, other: Features, posterId: string): { score: number; matched: string[] } {
    let score = 0;
    const matched: string[] = [];
    for (const [feature, weight] of note.weights) {
      const otherWeight = other.weights.get(feature);
      if (otherWeight === undefined) continue;
      const w = this.weight(feature, posterId) * Math.min(weight, otherWeight);
      if (w <= 0) continue;
      score += w;
      for (const word of note.words.get(feature) ?? []) if (!matched.includes(word)) matched.push(word);
    }
    return { score, matched };
  }

  /** The k nearest placed lapper of each candidate item, through the postings of the lapp's features. */
  private nearest(features: Features, posterId: string, candidates: ReadonlySet<string>): Map<string, { score: number; index: number }[]> {
    if (this.scores.length < this.neighbours.length) this.scores = new Float64Array(this.neighbours.length * 2);
    const scores = this.scores;
    const touched: number[] = [];
    for (const [feature, weight] of features.weights) {
      const posting = this.postings.get(feature);
      if (!posting) continue;
      const w = this.weight(feature, posterId);
      if (w <= 0) continue;
      for (let i = 0; i < posting.indexes.length; i++) {
        const index = posting.indexes[i]!;
        if (scores[index] === 0) touched.push(index);
        scores[index]! += w * Math.min(weight, posting.weights[i]!);
      }
    }
    const byItem = new Map<string, { score: number; index: number }[]>();
    for (const index of touched) {
      const neighbour = this.neighbours[index]!;
      const score = scores[index]! * neighbour.weight;
      scores[index] = 0;
      for (const itemId of neighbour.itemIds) {
        if (!candidates.has(itemId)) continue;
        const list = byItem.get(itemId);
        if (list) list.push({ score, index });
        else byItem.set(itemId, [{ score, index }]);
      }
    }
    for (const list of byItem.values()) {
      list.sort((a, b) => b.score - a.score || a.index - b.index);
      list.length = Math.min(list.length, PLACEMENT_TUNING.k);
    }
    return byItem;
  }

  suggest(note: PlacementNote): PlacementSuggestion {
    const candidates = this.input.posterItems.get(note.posterId) ?? [];
    const named = this.named(note, candidates) ?? this.agreedWith(note);
    if (named) return { noteId: note.id, text: note.text, confidence: 'high', items: named, accept: named.map((i) => i.itemId) };

    const features = this.features(note.text);
    const bare = bareNumbers(note.text);
    const near = this.nearest(features, note.posterId, new Set(candidates.map((c) => c.id)));
    const scored = candidates.map((item) => {
      const own = this.overlap(features, this.itemFeatures.get(item.id)!, note.posterId);
      const neighbours = near.get(item.id) ?? [];
      const nearest = neighbours.reduce((sum, n) => sum + n.score, 0) / PLACEMENT_TUNING.k;
      const numbered = bare.includes(item.number) && item.kind !== 'main_goal';
      const score = own.score + PLACEMENT_TUNING.neighbours * nearest + (numbered ? PLACEMENT_TUNING.bareNumber : 0);
      return { itemId: item.id, score: round(score), own, neighbours, number: numbered ? item.number : null };
    });
    scored.sort((a, b) => b.score - a.score || (a.itemId < b.itemId ? -1 : 1));
    const best = scored[0];
    if (!best || best.score < PLACEMENT_TUNING.minScore) return { noteId: note.id, text: note.text, confidence: 'none', items: [], accept: [] };
    const second = scored[1]?.score ?? 0;
    const high = best.score >= PLACEMENT_TUNING.highScore && best.score >= PLACEMENT_TUNING.highRatio * second;
    // The words are gathered only for the items shown.
    const items = scored
      .filter((r) => r.score > 0)
      .slice(0, high ? scored.length : 3)
      .map((r): RankedItem => {
        const matched = r.number === null ? [...r.own.matched] : [`nr ${r.number}`, ...r.own.matched];
        for (const n of r.neighbours) {
          for (const word of this.overlap(features, this.neighbours[n.index]!.features, note.posterId).matched) if (!matched.includes(word)) matched.push(word);
        }
        return { itemId: r.itemId, score: r.score, matched };
      });
    return { noteId: note.id, text: note.text, confidence: high ? 'high' : 'ambiguous', items, accept: [best.itemId] };
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
    const names = agreedNames(note.text);
    if (names.length === 0) return null;
    const found: RankedItem[] = [];
    for (const other of this.byPosterGroup.get(`${note.posterId} ${note.groupId}`) ?? []) {
      if (other.id === note.id || !other.placed || !other.authorName) continue;
      const first = other.authorName.toLowerCase().split(/\s+/)[0] ?? '';
      const name = names.find((n) => n === first);
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
