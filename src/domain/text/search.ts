import { sortById, type NoteText } from './noteText.js';
import { functionWords } from './stopwords.js';
import { stem, wordsWithJoins } from './tokens.js';

/**
 * Words of a note to index for search: its words except function words and single letters,
 * once each, plus hyphen-joined runs written as one word ("kollektiv-knutepunkt" also gives
 * "kollektivknutepunkt"). Surface words are indexed, not stems or prefixes, so the index has
 * one posting list per distinct word; inflections and compounds are resolved per query over
 * the vocabulary (tens of thousands of words), not over the notes.
 */
export function searchIndexTerms(text: string): string[] {
  const words = wordsWithJoins(text);
  const found = new Set<string>();
  let run: string[] = [];
  for (const { word, hyphenToNext } of words) {
    if (word.length >= 2 && !functionWords.has(word)) found.add(word);
    run.push(word);
    if (!hyphenToNext) {
      if (run.length > 1) found.add(run.join(''));
      run = [];
    }
  }
  return [...found];
}

const INFLECTIONS = ['ene', 'ane', 'ers', 'ens', 'ets', 'er', 'ar', 'en', 'et', 'a', 'e'];

// Snowball over-stems for compound matching ("bolig" → "bol" would match "bolle"), so compounds
// match on the word minus its inflection instead ("boligene" → "bolig").
function inflectionRoot(word: string): string {
  for (const ending of INFLECTIONS) {
    if (word.endsWith(ending) && word.length - ending.length >= 4) return word.slice(0, -ending.length);
  }
  return word;
}

/** How a note word answers a query word: same stem, or a compound containing it, or not at all. */
export type TermMatch = 'inflection' | 'compound' | undefined;

interface QueryWord {
  stem: string;
  roots: string[];
}

function queryWord(word: string): QueryWord {
  const roots = [...new Set([inflectionRoot(word), stem(word)])].filter((r) => r.length >= 4);
  return { stem: stem(word), roots };
}

function matchQueryWord(query: QueryWord, word: string, wordStem: string): TermMatch {
  if (wordStem === query.stem) return 'inflection';
  for (const root of query.roots) {
    // A root as modifier ("bolig" in "boligbygging") needs 4 letters; as head or middle
    // ("bolig" in "studentboliger") 5, since short roots hide inside unrelated words ("vern" in "overnatting").
    if (word.startsWith(root)) return 'compound';
    if (root.length >= 5 && word.indexOf(root, 2) !== -1) return 'compound';
  }
  return undefined;
}

/**
 * How `word` (from a note) answers `queryWord`: "inflection" when both have the same stem
 * ("boliger" / "boligene"), "compound" when `word` is a compound containing the query word
 * ("boliger" / "boligbygging", "areal" / "næringsarealer"), otherwise undefined.
 */
export function matchTerm(queryWordText: string, word: string): TermMatch {
  return matchQueryWord(queryWord(queryWordText), word, stem(word));
}

/** True when every query term is answered by some note term (both from `searchIndexTerms`). */
export function matchesQuery(queryTerms: readonly string[], noteTerms: readonly string[]): boolean {
  return queryTerms.every((q) => {
    const query = queryWord(q);
    return noteTerms.some((w) => matchQueryWord(query, w, stem(w)) !== undefined);
  });
}

const COMPOUND = 1;
const INFLECTION = 2;

/**
 * Full-text search over notes that understands Norwegian inflection and compounds.
 * Build once per set of notes; `search` then costs one pass over the vocabulary plus the
 * posting lists of the matching words.
 */
export class SearchIndex {
  private readonly ids: string[];
  private readonly vocabulary: string[] = [];
  private readonly vocabularyStems: string[] = [];
  private readonly postings: number[][] = [];

  /** Indexes `notes`; their order does not matter. */
  constructor(notes: readonly NoteText[]) {
    const sorted = sortById(notes);
    this.ids = sorted.map((n) => n.id);
    const wordIds = new Map<string, number>();
    sorted.forEach((note, position) => {
      for (const word of searchIndexTerms(note.text)) {
        let wordId = wordIds.get(word);
        if (wordId === undefined) {
          wordId = this.vocabulary.length;
          wordIds.set(word, wordId);
          this.vocabulary.push(word);
          this.vocabularyStems.push(stem(word));
          this.postings.push([]);
        }
        this.postings[wordId]!.push(position);
      }
    });
  }

  /** Number of indexed notes. */
  get size(): number {
    return this.ids.length;
  }

  /**
   * Ids of the notes that answer every word of `query` (function words ignored). Notes where
   * every word matched by inflection come first, then compound-only matches; each group in id order.
   */
  search(query: string): string[] {
    const queryWords = searchIndexTerms(query).map(queryWord);
    if (queryWords.length === 0) return [];
    let quality: Uint8Array | undefined;
    for (const query of queryWords) {
      const hits = this.hitsFor(query);
      if (quality === undefined) quality = hits;
      else for (let i = 0; i < quality.length; i++) quality[i] = Math.min(quality[i]!, hits[i]!);
    }
    const exact: string[] = [];
    const compound: string[] = [];
    quality!.forEach((q, position) => {
      if (q === INFLECTION) exact.push(this.ids[position]!);
      else if (q === COMPOUND) compound.push(this.ids[position]!);
    });
    return [...exact, ...compound];
  }

  private hitsFor(query: QueryWord): Uint8Array {
    const hits = new Uint8Array(this.ids.length);
    for (let wordId = 0; wordId < this.vocabulary.length; wordId++) {
      const match = matchQueryWord(query, this.vocabulary[wordId]!, this.vocabularyStems[wordId]!);
      if (match === undefined) continue;
      const value = match === 'inflection' ? INFLECTION : COMPOUND;
      for (const position of this.postings[wordId]!) if (hits[position]! < value) hits[position] = value;
    }
    return hits;
  }
}
