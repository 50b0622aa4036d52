// Neither package ships types; only the members used here are declared.
declare module 'stopword' {
  /** Bokmål stopword list. */
  export const nob: string[];
  export function removeStopwords(tokens: string[], stopwords?: string[]): string[];
}

declare module 'snowball-stemmers' {
  export interface Stemmer {
    stem(word: string): string;
  }
  export function newStemmer(algorithm: string): Stemmer;
  export function algorithms(): string[];
}
