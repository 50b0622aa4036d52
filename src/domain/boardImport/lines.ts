/**
 * Lines of a whiteboard's text export: splitting, comparing and joining the lines a PDF
 * extraction broke in the middle of phrases and words.
 */

export interface SourceLine {
  /** 0-based line index in the file. */
  index: number;
  /** Trimmed, with runs of whitespace collapsed to one space. */
  text: string;
  /** `text` in lower case: what template discovery compares. */
  key: string;
}

export function splitIntoLines(input: string): SourceLine[] {
  const unified = input
    .replace(/^\uFEFF/, '')
    // A form feed or vertical tab is a page break in some extractors: treat it as a line break.
    .replace(/\r\n?|[\f\v\u2028\u2029\u0085]/g, '\n');
  return unified.split('\n').map((raw, index) => {
    const text = raw.replace(/[\s\u200B]+/g, ' ').trim();
    return { index, text, key: text.toLowerCase() };
  });
}

export const isBlank = (line: SourceLine): boolean => line.text === '';

/** Letters and digits only, lower case: equal for texts that differ only in line breaks or punctuation. */
export function looseKey(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

/**
 * Words that start a phrase rather than end a compound: a hyphen before them is real ("gang- og
 * sykkelveier") or a dash ("dette delmålet- blir litt fluffy").
 */
const WORDS_AFTER_REAL_HYPHEN = new Set([
  'og', 'eller', 'samt', 'enn', 'til', 'som', 'men', 'at', 'i', 'på', 'med', 'for',
  'er', 'var', 'ble', 'blir', 'har', 'hadde', 'kan', 'skal', 'må', 'vil', 'bør', 'ikke',
]);

/**
 * Words a sentence practically never ends on: a paragraph ending with one goes on even when the
 * next starts with a capital ("i" / "Bærum"). Particles that end phrasal verbs ("passe på") are left out.
 */
const WORDS_THAT_CONTINUE = new Set([
  'i', 'og', 'eller', 'men', 'som', 'at', 'en', 'et', 'ei', 'å', 'mellom', 'hos', 'mot', 'uten',
  'innen', 'gjennom', 'enn', 'både', 'samt', 'hvor', 'når', 'fordi', 'med', 'for',
]);

/** Words that point on to an item reference: "ref" / "strategi 1, 2 og 3". */
const WORDS_BEFORE_REFERENCE = new Set([...WORDS_THAT_CONTINUE, 'ref', 'jf', 'jfr', 'se', 'til', 'om', 'av', 'på']);

/** Openings of a new note even in lower case: a reference to an item, or agreement. */
const NOTE_OPENING = /^(?:(?:areal)?strategi|startegi|delmål)\s*\d|^(?:helt\s+)?u?enig(?!\p{L})/iu;

/**
 * Joins the lines of one text, removing the hyphen where a word was broken at the end of a line
 * ("velferds-" / "teknologi" → "velferdsteknologi") but keeping a real one ("gang-" / "og sykkelveier").
 */
export function joinBrokenLines(lines: readonly string[]): string {
  const parts: string[] = [];
  let previous: string | null = null;
  for (const raw of lines) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (line === '') continue;
    if (previous === null) parts.push(line);
    else {
      const joint = jointBetween(previous, line);
      if (joint === 'drop-hyphen') parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -1);
      parts.push(joint === 'space' ? ` ${line}` : line);
    }
    previous = line;
  }
  return parts.join('');
}

/** How two broken lines meet; decided on the two lines alone so joining stays linear. */
function jointBetween(before: string, after: string): 'space' | 'none' | 'drop-hyphen' {
  if (!before.endsWith('-') || /\s-$/.test(before)) return 'space';
  const firstWord = (after.match(/^[\p{L}\p{N}]+/u)?.[0] ?? '').toLowerCase();
  if (WORDS_AFTER_REAL_HYPHEN.has(firstWord) || /^[,;]/.test(after)) return 'space';
  if (/\p{L}-$/u.test(before) && /^\p{Ll}/u.test(after)) return 'drop-hyphen';
  // "E-" / "18", "KNUTEPUNKTS-" / "UTVIKLING": a compound whose hyphen stays.
  return 'none';
}

/** Opening marks that do not tell whether a sentence starts: «(" '* … */
const LEADING_MARKS = /^[«»"“”„'‘’([*•·\s]+/u;

/**
 * Lower case or a number: the text goes on mid-sentence ("av boligene skal ha maks" / "500 meter …").
 * A number with a colon ("2: veldig bra") starts a new note about item 2.
 */
export function startsLowercase(text: string): boolean {
  const bare = text.replace(LEADING_MARKS, '');
  return /^\p{Ll}/u.test(bare) || (/^\p{N}/u.test(bare) && !/^\d+\s*[:)]/.test(bare));
}

export function endsSentence(text: string): boolean {
  return /[.!?…]["»”')\]]*$/u.test(text);
}

/**
 * Whether the paragraph after a blank line goes on with the text before it. A sticky note or an
 * item's text is broken into paragraphs mid-sentence, so the next one starts in lower case or the
 * one before ends with a hyphen or comma; a new note usually starts with a capital.
 */
export function continuesText(lastLineBefore: string, firstLineAfter: string): boolean {
  if (/[\p{L}\p{N}][-–]$|[,/&+]$/u.test(lastLineBefore)) return true;
  if (/^[,;:)/]|^\.(?!\.)/.test(firstLineAfter)) return true;
  if (endsSentence(lastLineBefore)) return false;
  const lastWord = lastLineBefore.match(/[\p{L}]+$/u)?.[0]?.toLowerCase() ?? '';
  if (NOTE_OPENING.test(firstLineAfter)) return WORDS_BEFORE_REFERENCE.has(lastWord);
  if (startsLowercase(firstLineAfter)) return true;
  if (WORDS_THAT_CONTINUE.has(lastWord)) return true;
  // A place name closing a question: "Bra byutvikling på" / "Fornebu?".
  return /^\p{Lu}\p{Ll}+\?$/u.test(firstLineAfter.split(' ')[0] ?? '');
}

/**
 * Similarity of two strings from 0 to 1 (1 - edit distance / longer length). Strings whose lengths
 * alone rule out reaching `floor` score 0 without the quadratic comparison.
 */
export function similarity(a: string, b: string, floor = 0.6): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  if (longer === 0) return 1;
  if (Math.abs(a.length - b.length) > (1 - floor) * longer) return 0;
  return 1 - editDistance(a, b) / longer;
}

export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Array push without spreading, which fails on very long arrays. */
export function append<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}

/** Math.min/max without spreading, which fails on very long arrays. */
export function smallest(values: Iterable<number>, otherwise = Infinity): number {
  let result = otherwise;
  for (const value of values) if (value < result) result = value;
  return result;
}

export function largest(values: Iterable<number>, otherwise = -Infinity): number {
  let result = otherwise;
  for (const value of values) if (value > result) result = value;
  return result;
}

export function capitaliseFirst(text: string): string {
  return text.charAt(0).toLocaleUpperCase('nb') + text.slice(1);
}

/** Shortens a text for a warning message. */
export function excerpt(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
