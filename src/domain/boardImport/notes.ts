/**
 * What a group wrote on a poster: lapper (sticky notes) with their authors, the facilitator's
 * "Notater:" blocks and star counts left as bare digits.
 */
import type { ItemKind, ListedItemKind, NoteKind, ParsedParticipant } from './boardImport.types.js';
import {
  append,
  continuesText,
  isBlank,
  joinBrokenLines,
  largest,
  looseKey,
  similarity,
  type SourceLine,
} from './lines.js';

const NOTES_LINE = /^notater\s*:\s*(.*)$/i;
/** A line of bare digits: stars counted on the poster, detached from their items. */
const STAR_LINE = /^\d{1,2}(?:\s+\d{1,2})*$/;
/** Digits glued to the start of a lapp ("3 4 2Forutsigbarhet"). */
const GLUED_STARS = /^((?:\d\s+)*\d)(?=\p{Lu}\p{Ll})/u;
/** A name glued to the start of a lapp ("WencheViktig"). */
const GLUED_NAME = /^(\p{Lu}\p{Ll}{2,})(\p{Lu}\p{Ll}.*)$/u;
const TWO_CAPITALISED_WORDS = /^\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+$/u;
/** A facilitator writes across the poster; a lapp wraps after a few words. */
const WIDE_LINE = 40;

export interface NameBook {
  full: Map<string, string>;
  first: Set<string>;
}

export function buildNameBook(participants: readonly ParsedParticipant[]): NameBook {
  const full = new Map<string, string>();
  const first = new Set<string>();
  for (const { name } of participants) {
    const key = name.toLowerCase().replace(/\s+/g, ' ').trim();
    if (key === '') continue;
    full.set(key, name);
    first.add(key.split(' ')[0]!);
  }
  return { full, first };
}

/** The participant a short line names: "Signe", "Dag E", "Hans" / "kristian". */
export function nameIn(text: string, book: NameBook): string | null {
  const key = text.toLowerCase().replace(/\s+/g, ' ').trim();
  const known = book.full.get(key);
  if (known) return known;
  const [given = '', second, ...rest] = text.trim().split(/\s+/);
  if (rest.length > 0 || !book.first.has(given.toLowerCase())) return null;
  if (second === undefined || /^\p{Lu}\.?$/u.test(second)) return text.trim();
  return null;
}

interface Paragraph {
  lines: string[];
  firstLine: number;
  author: string | null;
  /** A paragraph that is only a name. */
  nameOnly: boolean;
  /** Stars or a Notater block stood before it: it cannot continue the lapp above. */
  afterBreak: boolean;
}

export interface DraftNote {
  lines: string[];
  author: string | null;
  /** 0-based line index of the first line. */
  firstLine: number;
}

export interface WritingReading {
  notes: DraftNote[];
  facilitatorNotes: string[];
  starDigits: number[];
  /** Names standing alone that no lapp could take. */
  strayNames: string[];
}

export function readWriting(lines: readonly SourceLine[], book: NameBook): WritingReading {
  const paragraphs: Paragraph[] = [];
  const facilitatorBlocks: string[][] = [];
  const starDigits: number[] = [];
  let buffer: SourceLine[] = [];
  let gluedText: string | null = null;
  let inNotes = false;
  let afterBreak = false;

  const flush = (): void => {
    if (buffer.length === 0) return;
    const texts = buffer.map((line, i) => (i === 0 && gluedText !== null ? gluedText : line.text));
    const block = facilitatorBlocks[facilitatorBlocks.length - 1];
    if (inNotes && block && (texts.length === 1 || largest(texts.map((t) => t.length)) >= WIDE_LINE)) {
      block.push(joinBrokenLines(texts));
    } else {
      inNotes = false;
      paragraphs.push(splitOffAuthor(texts, buffer[0]!.index, afterBreak, book));
      afterBreak = false;
    }
    buffer = [];
    gluedText = null;
  };

  for (const line of lines) {
    if (isBlank(line)) {
      flush();
      continue;
    }
    const notes = NOTES_LINE.exec(line.text);
    if (notes) {
      flush();
      facilitatorBlocks.push([]);
      inNotes = true;
      afterBreak = true;
      if (notes[1]) facilitatorBlocks[facilitatorBlocks.length - 1]!.push(notes[1]);
      continue;
    }
    if (STAR_LINE.test(line.text)) {
      flush();
      append(starDigits, line.text.split(' ').map(Number));
      inNotes = false;
      afterBreak = true;
      continue;
    }
    const glued = GLUED_STARS.exec(line.text);
    if (glued) {
      flush();
      append(starDigits, (glued[1] ?? '').split(/\s+/).map(Number));
      inNotes = false;
      afterBreak = true;
      buffer.push(line);
      gluedText = line.text.slice(glued[0].length);
      continue;
    }
    buffer.push(line);
  }
  flush();
  const { notes, strayNames } = gatherNotes(paragraphs);
  const facilitatorNotes = facilitatorBlocks.filter((block) => block.length > 0).map((block) => block.join('\n'));
  return { notes, facilitatorNotes, starDigits, strayNames };
}

/** Separates a name written above a lapp ("Signe" / "En aktiv målsetting …") from its text. */
function splitOffAuthor(texts: string[], firstLine: number, afterBreak: boolean, book: NameBook): Paragraph {
  const paragraph = (lines: string[], author: string | null, skipped = 0): Paragraph => ({
    lines,
    firstLine: firstLine + skipped,
    author,
    nameOnly: lines.length === 0,
    afterBreak,
  });
  const whole = texts.length <= 3 ? joinBrokenLines(texts) : '';
  const alone = whole !== '' && whole.length <= 30 ? nameIn(whole, book) : null;
  if (alone) return paragraph([], alone);
  for (const take of [2, 1]) {
    const name = texts.length > take ? nameIn(texts.slice(0, take).join(' '), book) : null;
    if (name) return paragraph(texts.slice(take), name, take);
  }
  const first = texts[0] ?? '';
  if (texts.length > 1 && TWO_CAPITALISED_WORDS.test(first) && /^\p{Lu}/u.test(texts[1] ?? '')) {
    return paragraph(texts.slice(1), first, 1);
  }
  const glued = GLUED_NAME.exec(first);
  if (glued && (book.first.has((glued[1] ?? '').toLowerCase()) || texts.length > 1)) {
    return paragraph([glued[2] ?? '', ...texts.slice(1)], glued[1] ?? null);
  }
  return paragraph(texts, null);
}

/**
 * Joins paragraphs that continue one sticky note, and gives each name standing alone to the lapp
 * above it when that one has no name yet, else to the lapp below.
 */
function gatherNotes(paragraphs: readonly Paragraph[]): { notes: DraftNote[]; strayNames: string[] } {
  const notes: DraftNote[] = [];
  const pendingNames: { name: string; after: number }[] = [];
  let previous: Paragraph | null = null;
  for (const paragraph of paragraphs) {
    if (paragraph.nameOnly) {
      pendingNames.push({ name: paragraph.author ?? '', after: notes.length - 1 });
      previous = paragraph;
      continue;
    }
    const last = notes[notes.length - 1];
    const goesOn =
      last !== undefined &&
      previous !== null &&
      !previous.nameOnly &&
      !paragraph.afterBreak &&
      paragraph.author === null &&
      continuesText(last.lines[last.lines.length - 1] ?? '', paragraph.lines[0] ?? '');
    if (goesOn) append(last.lines, paragraph.lines);
    else notes.push({ lines: [...paragraph.lines], author: paragraph.author, firstLine: paragraph.firstLine });
    previous = paragraph;
  }
  const strayNames: string[] = [];
  for (const { name, after } of pendingNames) {
    const above = notes[after];
    const below = notes[after + 1];
    if (above && above.author === null) above.author = name;
    else if (below && below.author === null) below.author = name;
    else strayNames.push(name);
  }
  return { notes, strayNames };
}

const MAIN_GOAL_WORDS = '(hovedmål\\p{L}*|overordnet mål)';
/** "strategi", "strategien", "Startegi" (a typo on the seed), followed by a number. */
const ITEM_WORD_AND_NUMBER = '(arealstrategi|delmål|strategi|startegi)\\p{L}{0,3}\\s*(?:nr\\.?\\s*)?(\\d{1,2})';
/** ", 6, 8 og 9" or "-5" after the first number. */
const MORE_NUMBERS = '((?:\\s*(?:,|og|-|–)\\s*\\d{1,2}(?![\\p{L}\\p{N}]))*)';
const MENTION = new RegExp(
  `(?<![\\p{L}\\p{N}])(?:${MAIN_GOAL_WORDS}|${ITEM_WORD_AND_NUMBER}${MORE_NUMBERS})(?!\\p{L})`,
  'giu',
);

const KIND_BY_WORD: Record<string, ListedItemKind> = {
  arealstrategi: 'land_use_strategy',
  delmål: 'sub_goal',
  strategi: 'strategy',
  startegi: 'strategy',
};

/** The items a text names ("Strategi 6: …", "delmål 2-5", "strategi 5, 6, 8 og 9", "hovedmålet"). */
export function findMentions(text: string): { kind: ItemKind; number: number }[] {
  const found: { kind: ItemKind; number: number }[] = [];
  for (const match of text.matchAll(MENTION)) {
    if (match[1]) {
      found.push({ kind: 'main_goal', number: 0 });
      continue;
    }
    const kind = KIND_BY_WORD[(match[2] ?? '').toLowerCase()];
    if (!kind) continue;
    for (const number of expandNumbers(match[3] ?? '', match[4] ?? '')) found.push({ kind, number });
  }
  return found;
}

function expandNumbers(first: string, rest: string): number[] {
  const numbers = [Number(first)];
  for (const part of rest.matchAll(/\s*(,|og|-|–)\s*(\d{1,2})/g)) {
    const value = Number(part[2]);
    const from = numbers[numbers.length - 1] ?? value;
    if ((part[1] === '-' || part[1] === '–') && value > from && value - from <= 20) {
      for (let n = from + 1; n <= value; n++) numbers.push(n);
    } else numbers.push(value);
  }
  return numbers;
}

const REWORDING =
  /alternativ\p{L}* formulering|foresl\p{L}*[^.]{0,200}formulering|ny formulering|omformuler|(?:bør|burde) (?:heller )?formuleres|ordlyd\p{L}* bør endres|(?<!\p{L})stryk(?!\p{L})/iu;
const NEW_ITEM = /(?<!\p{L})(?:ny|nytt|egen|eget) (?:delmål|strategi|arealstrategi|mål|hovedmål)(?!\p{L})|(?<!\p{L})savne[rt]?(?!\p{L})/iu;

/** First match wins: a question, then a rewording, then a new item, else a comment. */
export function classifyNote(text: string): NoteKind {
  if (text.includes('?')) return 'question';
  if (REWORDING.test(text)) return 'rewording';
  if (NEW_ITEM.test(text)) return 'new_item';
  return 'comment';
}

export interface KnownItem {
  perspectiveIndex: number;
  kind: ListedItemKind;
  position: number;
  key: string;
}

const LEADING_LABEL = /^(?:arealstrategi|delmål|strategi)\s+\d{1,2}\s*[:.-]?\s*/i;

/** A lapp that repeats an item's text (for instance a strategy copied from another perspective). */
export function findCopiedItem(text: string, items: readonly KnownItem[]): KnownItem | null {
  const rest = looseKey(text.replace(LEADING_LABEL, ''));
  if (rest.length < 20) return null;
  let best: KnownItem | null = null;
  let bestScore = 0.9;
  for (const item of items) {
    // A copy keeps its opening or its ending; checking that first spares most edit distances.
    if (item.key.slice(0, 6) !== rest.slice(0, 6) && item.key.slice(-6) !== rest.slice(-6)) continue;
    const score = similarity(item.key, rest, bestScore);
    if (score >= bestScore) {
      best = item;
      bestScore = score;
    }
  }
  return best;
}

