import { stem } from './tokens.js';

/** A word a compound starts with, as a feature stem. */
export interface CompoundPart {
  stem: string;
}

// Shorter first parts are too often ordinary word beginnings ("mark" in "markedet").
const MIN_KNOWN_PART = 5;
// Compounds grouped by a shared beginning of this length, when no word states the part alone.
const SHARED_BEGINNING = 6;
const MIN_SHARING_STEMS = 3;
const MIN_REST = 3;

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? '';
  for (const w of words) while (!w.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}

/**
 * First parts of the corpus's compound words, so compounds share a feature with their parts
 * although Snowball stems them apart. Two rules: a beginning that the corpus also has as a word
 * or stem ("jordvernstrategi" → "jordvern", "boligbygging" → "bolig"); and the common beginning of
 * words from at least three stems that share six letters ("kollektivtilbudet", "kollektivåre",
 * "kollektivdekning" → "kollektiv"), since notes seldom write the part alone.
 */
export function compoundParts(surfaces: ReadonlySet<string>, stems: ReadonlySet<string>): Map<string, CompoundPart[]> {
  const parts = new Map<string, CompoundPart[]>();
  const add = (word: string, part: CompoundPart): void => {
    const list = parts.get(word) ?? [];
    if (!list.some((p) => p.stem === part.stem)) list.push(part);
    parts.set(word, list);
  };
  const byBeginning = new Map<string, string[]>();
  for (const word of surfaces) {
    for (let end = MIN_KNOWN_PART; end <= word.length - MIN_REST; end++) {
      const prefix = word.slice(0, end);
      if (surfaces.has(prefix)) add(word, { stem: stem(prefix) });
      else if (stems.has(prefix)) add(word, { stem: prefix });
    }
    if (word.length >= SHARED_BEGINNING + MIN_REST) {
      const beginning = word.slice(0, SHARED_BEGINNING);
      const group = byBeginning.get(beginning);
      if (group) group.push(word);
      else byBeginning.set(beginning, [word]);
    }
  }
  for (const group of byBeginning.values()) {
    if (new Set(group.map(stem)).size < MIN_SHARING_STEMS) continue;
    const prefix = commonPrefix(group);
    const part = { stem: stem(prefix) };
    for (const word of group) if (word.length - prefix.length >= MIN_REST) add(word, part);
  }
  return parts;
}
// Last parts are not used: "mangfold" in "naturmangfold" or "arbeid" in "samarbeid" name another
// subject as often as the same one.
