import { newStemmer } from 'snowball-stemmers';
import { functionWords, workshopNoise } from './stopwords.js';

const segmenter = new Intl.Segmenter('nb', { granularity: 'word' });

// Intl.Segmenter costs ~35 µs per note, too slow for 100,000 notes. For text made only of Latin
// letters, ASCII digits and common punctuation this regex applies the same UAX #29 rules
// (letters join across . : · ' ‘ ’, digits across , ; . ' ‘ ’) at a twentieth of the cost;
// tokens.test.ts checks that both agree on the seed and on random strings.
const PLAIN_LATIN = /^[\p{Script=Latin}0-9\s!-/:-@[-^`{-~«»‘’“”„–—…·§°]*$/u;
const LATIN_WORD =
  /[\p{Script=Latin}0-9]+(?:(?:(?<=\p{Script=Latin})[.:·'‘’](?=\p{Script=Latin})|(?<=[0-9])[,;.'‘’](?=[0-9]))[\p{Script=Latin}0-9]+)*/gu;

function normalise(text: string): string {
  return text.normalize('NFC').toLowerCase();
}

// Calls `visit` with each word of the normalised text and its offset there.
function forEachWord(clean: string, visit: (word: string, index: number) => void): void {
  if (PLAIN_LATIN.test(clean)) {
    for (const match of clean.matchAll(LATIN_WORD)) visit(match[0], match.index);
  } else {
    for (const segment of segmenter.segment(clean)) if (segment.isWordLike) visit(segment.segment, segment.index);
  }
}

/** Word segments of `text` (lowercase, NFC) in order, with whether a hyphen joins each to the next. */
export function wordsWithJoins(text: string): { word: string; hyphenToNext: boolean }[] {
  const clean = normalise(text);
  const words: { word: string; hyphenToNext: boolean }[] = [];
  let previousEnd = -1;
  forEachWord(clean, (word, index) => {
    const previous = words[words.length - 1];
    if (previous && clean.slice(previousEnd, index) === '-') previous.hyphenToNext = true;
    words.push({ word, hyphenToNext: false });
    previousEnd = index + word.length;
  });
  return words;
}

/**
 * Splits a note into lowercase NFC words by Unicode word boundaries (Intl.Segmenter, nb).
 * Hyphens separate words: "Bolig- og næringsareal" gives ["bolig", "og", "næringsareal"].
 */
export function tokenize(text: string): string[] {
  const words: string[] = [];
  forEachWord(normalise(text), (word) => words.push(word));
  return words;
}

const snowball = newStemmer('norwegian');
const stemCache = new Map<string, string>();
// Bounds memory in a long-running server; a real corpus has far fewer distinct words.
const STEM_CACHE_LIMIT = 500_000;

// Snowball leaves "-erne" plurals apart from their singular ("innbyggerne" → "innbyggern" but
// "innbygger" → "innbygg"); these few words end in "-erne" without being such plurals.
const NOT_ERNE_PLURALS = new Set(['eksterne', 'lanterne', 'kaserne', 'taverne', 'cisterne', 'stjerne']);

function snowballStem(word: string): string {
  const singular = word.length >= 8 && word.endsWith('erne') && !NOT_ERNE_PLURALS.has(word) ? word.slice(0, -2) : word;
  return snowball.stem(singular);
}

/** Snowball (Norwegian) stem of a lowercase word, e.g. "boliger" and "bolig" both give "bol". */
export function stem(word: string): string {
  let stemmed = stemCache.get(word);
  if (stemmed === undefined) {
    if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
    stemmed = snowballStem(word);
    stemCache.set(word, stemmed);
  }
  return stemmed;
}

const noiseStems: ReadonlySet<string> = new Set(workshopNoise.map(snowballStem));

/** True for bokmål/nynorsk function words and generic workshop words (see `workshopNoise`). */
export function isStopword(word: string): boolean {
  return functionWords.has(word) || noiseStems.has(stem(word));
}

/** True for a word made only of digits and separators, e.g. "2040" or "1,5". */
export function isNumber(word: string): boolean {
  return /^[0-9.,;'‘’]+$/.test(word);
}

/**
 * Stem of a word that carries topic, or undefined for a stopword, a number or a single letter.
 * Numbers are left out as they mostly refer to posters ("strategi 7", "delmål 2").
 */
export function contentStem(word: string): string | undefined {
  if (word.length < 2 || functionWords.has(word) || isNumber(word)) return undefined;
  const stemmed = stem(word);
  return noiseStems.has(stemmed) ? undefined : stemmed;
}

/** Analysis terms of a note: stems of its content words, in text order, repeats kept. */
export function terms(text: string): string[] {
  return tokenize(text)
    .map(contentStem)
    .filter((t) => t !== undefined);
}
