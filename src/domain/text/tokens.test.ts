import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from './syntheticNotes.fixture.js';
import { isStopword, stem, terms, tokenize } from './tokens.js';

const segmenter = new Intl.Segmenter('nb', { granularity: 'word' });
function segmenterWords(text: string): string[] {
  return [...segmenter.segment(text.normalize('NFC').toLowerCase())].filter((s) => s.isWordLike).map((s) => s.segment);
}

describe('tokenize', () => {
  it('keeps æ, ø and å inside words and lowercases them', () => {
    expect(tokenize('Ærlig talt: Økt satsing på Åsane og BÆRUM')).toEqual(['ærlig', 'talt', 'økt', 'satsing', 'på', 'åsane', 'og', 'bærum']);
  });

  it('composes decomposed letters (NFC) so "å" typed as a + ring equals "å"', () => {
    expect(tokenize('a\u030Apen')).toEqual(['åpen']);
  });

  it('splits at hyphens, so "bolig-" in "bolig- og næringsareal" is the word "bolig"', () => {
    expect(tokenize('Bolig- og næringsareal')).toEqual(['bolig', 'og', 'næringsareal']);
    expect(tokenize('kollektiv-knutepunkt, e-post')).toEqual(['kollektiv', 'knutepunkt', 'e', 'post']);
  });

  it('drops punctuation, quotes and line breaks', () => {
    expect(tokenize('«Ta vare på\ndyrket mark!!»')).toEqual(['ta', 'vare', 'på', 'dyrket', 'mark']);
  });

  it('agrees with Intl.Segmenter on every line of the Bærum seed', () => {
    const lines = readFileSync(new URL('../../../demo/baerum-2040.txt', import.meta.url), 'utf8').split('\n');
    for (const line of lines) expect(tokenize(line), line).toEqual(segmenterWords(line));
  });

  it('agrees with Intl.Segmenter on random strings of letters, digits and punctuation', () => {
    const random = seededRandom(7);
    const alphabet = 'abcdeæøåÆØÅéüß0123456789 .,;:\'’‘-–!?()«»"/\n·_&';
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect(tokenize(text), JSON.stringify(text)).toEqual(segmenterWords(text));
    }
  });

  it('handles scripts outside Latin through Intl.Segmenter', () => {
    expect(tokenize('Bærum 👍 Привет мир')).toEqual(['bærum', 'привет', 'мир']);
  });
});

describe('stem', () => {
  it("stems 'boliger' and 'bolig' to the same term", () => {
    expect(stem('boliger')).toBe(stem('bolig'));
    expect(stem('boligene')).toBe(stem('bolig'));
  });

  it("stems definite plurals in -erne like their singular ('innbyggerne' / 'innbygger')", () => {
    expect(stem('innbyggerne')).toBe(stem('innbygger'));
  });
});

describe('isStopword', () => {
  it('treats bokmål and nynorsk function words as stopwords', () => {
    for (const word of ['og', 'ikke', 'må', 'bør', 'ikkje', 'eg', 'frå', 'berre', 'mykje']) expect(isStopword(word), word).toBe(true);
  });

  it('treats generic workshop words as stopwords in any inflection', () => {
    for (const word of ['viktig', 'enig', 'delmål', 'delmålene', 'strategien', 'kommunen']) expect(isStopword(word), word).toBe(true);
  });

  it('keeps subject words, including place names', () => {
    for (const word of ['jordvern', 'bolig', 'kollektivtilbudet', 'bærum', 'fjorden']) expect(isStopword(word), word).toBe(false);
  });
});

describe('terms', () => {
  it('returns stems of content words and drops stopwords, numbers and single letters', () => {
    expect(terms('Jordvern må inn som eget delmål 2')).toEqual(['jordvern']);
    expect(terms('Ta vare på dyrket mark og matjord')).toEqual([stem('dyrket'), 'mark', 'matjord']);
  });
});
