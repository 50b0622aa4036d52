/**
 * Reads the text extracted from the PDF of a workshop whiteboard (one poster copy per group and
 * part, lapper, facilitator notes, rosters) into perspectives, items, posters, groups and notes.
 * Pure: no I/O.
 */
import { findAnchors } from './anchors.js';
import {
  BoardImportError,
  type ImportWarning,
  type ItemMention,
  type ParsedBoard,
  type ParsedGroup,
  type ParsedNote,
  type ParsedPerspective,
  type ParsedPoster,
} from './boardImport.types.js';
import { assembleGroups } from './groups.js';
import { posterList, readTemplates, type PerspectiveIndex, type TemplateReading } from './items.js';
import { append, excerpt, joinBrokenLines, looseKey, splitIntoLines, words, type SourceLine } from './lines.js';
import {
  buildNameBook,
  classifyNote,
  findCopiedItem,
  findMentions,
  readWriting,
  type DraftNote,
  type KnownItem,
  type NameBook,
} from './notes.js';
import { splitAtGroupLabel, type GroupSplit } from './roster.js';
import { layOutPosters, type PosterLayout } from './template.js';

export { BoardImportError } from './boardImport.types.js';
export type * from './boardImport.types.js';

/** Far above any real export (the 28-poster seed is 100 kB). */
const MAX_CHARACTERS = 5_000_000;
/** Shorter lapper ("Enig!") repeat by nature, not by copying. */
const DUPLICATE_MIN_LENGTH = 15;

/** Throws only `BoardImportError`, whatever the string. */
export function parseBoardText(text: string): ParsedBoard {
  rejectNonExport(text);
  try {
    return parse(text);
  } catch (error) {
    if (error instanceof BoardImportError) throw error;
    throw new BoardImportError(
      'unreadable',
      'Filen kunne ikke leses som en tekst-eksport av et verkstedsbrett. Kontroller at det er tekst hentet ut av brettets PDF.',
    );
  }
}

function rejectNonExport(text: unknown): asserts text is string {
  if (typeof text !== 'string') throw new BoardImportError('not_text', 'Filen er ikke tekst.');
  if (text.length > MAX_CHARACTERS) {
    throw new BoardImportError(
      'too_large',
      'Filen er for stor til å være en tekst-eksport av et verkstedsbrett (over 5 millioner tegn).',
    );
  }
  if (text.trim() === '') throw new BoardImportError('empty', 'Filen er tom.');
  if (looksBinary(text)) {
    throw new BoardImportError('not_text', 'Filen ser ut til å være en binærfil, ikke tekst hentet ut av et verkstedsbrett.');
  }
  if (looksLikeJson(text)) {
    throw new BoardImportError(
      'no_posters',
      'Filen er en JSON-fil, ikke en tekst-eksport av et verkstedsbrett: fant ingen plakater med Hovedmål.',
    );
  }
}

/** NUL anywhere, or more than 1 % control or replacement characters, is not an extracted text. */
function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 20_000);
  let odd = 0;
  for (const character of sample) {
    const code = character.charCodeAt(0);
    if ((code < 0x20 && !'\t\n\v\f\r'.includes(character)) || code === 0xfffd) odd++;
  }
  return odd > Math.max(2, sample.length * 0.01);
}

function looksLikeJson(text: string): boolean {
  if (!/^\s*[[{]/.test(text)) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function parse(text: string): ParsedBoard {
  const lines = splitIntoLines(text);
  const anchors = findAnchors(lines);
  if (anchors.length === 0) {
    throw new BoardImportError(
      'no_posters',
      'Filen ser ikke ut som en tekst-eksport av et verkstedsbrett: fant ingen plakater med Hovedmål.',
    );
  }
  const layout = layOutPosters(lines, anchors);
  const template = readTemplates(layout.posters, lines, countBodyWords(layout.posters, lines));
  if (template.perspectives.every((perspective) => perspective.items.length === 0)) {
    throw new BoardImportError(
      'no_items',
      'Filen ser ikke ut som en tekst-eksport av et verkstedsbrett: fant Hovedmål, men ingen nummererte delmål eller strategier.',
    );
  }
  const splits = layout.posters.map((poster) => splitAtGroupLabel(poster.bodyLines.map((i) => lines[i]!)));
  const assembly = assembleGroups(splits, layout.posters, template.perspectives);
  const warnings: ImportWarning[] = [
    ...layout.warnings,
    ...template.warnings,
    ...preambleWarnings(layout.preamble, lines),
    ...assembly.warnings,
  ];
  const reader: PosterReader = {
    template,
    book: buildNameBook(assembly.groups.flatMap((group) => group.participants)),
    knownItems: listKnownItems(template.perspectives),
    lines,
    warnings,
  };
  const posters = layout.posters.map((poster, i) => readPoster(reader, poster, i, splits[i]!, assembly.groupIndexOf[i]!));
  append(warnings, findDuplicateNotes(posters));
  return {
    perspectives: template.perspectives,
    posters,
    groups: assembly.groups,
    warnings,
    stats: summarise(posters, assembly.groups),
  };
}

function preambleWarnings(preamble: readonly number[], lines: readonly SourceLine[]): ImportWarning[] {
  if (preamble.length === 0) return [];
  const first = lines[preamble[0]!]?.text ?? '';
  return [
    {
      code: 'unrecognised_block',
      message: `Teksten før den første plakaten ble ikke gjenkjent og er ikke importert: «${excerpt(first)}».`,
    },
  ];
}

/** Spellings the participants use in their own writing decide between template variants. */
function countBodyWords(posters: readonly PosterLayout[], lines: readonly SourceLine[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const poster of posters) {
    for (const index of poster.bodyLines) {
      for (const word of words(lines[index]?.text ?? '')) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

interface PosterReader {
  template: TemplateReading;
  book: NameBook;
  knownItems: readonly KnownItem[];
  lines: readonly SourceLine[];
  warnings: ImportWarning[];
}

function readPoster(
  reader: PosterReader,
  poster: PosterLayout,
  posterIndex: number,
  split: GroupSplit,
  groupIndex: number,
): ParsedPoster {
  const copy = reader.template.copies[posterIndex]!;
  const perspectiveIndex = poster.anchor.perspectiveIndex;
  const writing = readWriting(split.writingLines, reader.book);
  const index = reader.template.indexes[perspectiveIndex]!;
  for (const name of writing.strayNames) {
    reader.warnings.push({
      code: 'unrecognised_block',
      message: `Navnet «${name}» på plakat ${posterIndex + 1} kunne ikke knyttes til en lapp.`,
      posterIndex,
    });
  }
  return {
    perspectiveIndex,
    part: poster.anchor.part,
    title: copy.title,
    instructions: copy.instructions,
    boxPrompt: copy.prompts[0] ?? '',
    boxPrompts: copy.prompts,
    groupIndex,
    groupLabel: split.label,
    notes: writing.notes.flatMap((draft) => finishNote(draft, perspectiveIndex, index, reader.knownItems)),
    facilitatorNotes: writing.facilitatorNotes,
    starDigits: writing.starDigits,
    lines: { first: poster.start + 1, last: lastNonBlank(reader.lines, poster) + 1 },
  };
}

function lastNonBlank(lines: readonly SourceLine[], poster: PosterLayout): number {
  for (let i = poster.end; i > poster.start; i--) if (lines[i]?.text) return i;
  return poster.start;
}

function listKnownItems(perspectives: readonly ParsedPerspective[]): KnownItem[] {
  return perspectives.flatMap((perspective, perspectiveIndex) =>
    perspective.items.map((item) => ({
      perspectiveIndex,
      kind: item.kind,
      position: item.position,
      key: looseKey(item.text),
    })),
  );
}

function finishNote(
  draft: DraftNote,
  perspectiveIndex: number,
  index: PerspectiveIndex,
  knownItems: readonly KnownItem[],
): ParsedNote[] {
  const text = joinBrokenLines(draft.lines);
  if (text === '') return [];
  const mentions: ItemMention[] = findMentions(text).map((mention) => ({
    ...mention,
    position: mention.kind === 'main_goal' ? 0 : resolvePosition(index, mention.kind, mention.number),
  }));
  const copied = findCopiedItem(text, knownItems);
  // An item copied from another perspective proposes that item here; it says nothing about the item it is labelled with.
  const fromElsewhere = copied !== null && copied.perspectiveIndex !== perspectiveIndex;
  const placed = mentions.find((mention) => mention.position !== null);
  return [
    {
      text,
      author: draft.author,
      itemRef: fromElsewhere || !placed ? null : { kind: placed.kind, position: placed.position! },
      kind: fromElsewhere ? 'new_item' : classifyNote(text),
      mentions,
      copyOf: copied ? { perspectiveIndex: copied.perspectiveIndex, kind: copied.kind, position: copied.position } : null,
      line: draft.firstLine + 1,
    },
  ];
}

/** A number a participant wrote means the item printed with it, else the item numbered so. */
function resolvePosition(index: PerspectiveIndex, kind: string, number: number): number | null {
  return index.byLabel.get(`${kind}:${number}`) ?? index.byNumber.get(`${kind}:${number}`) ?? null;
}

function findDuplicateNotes(posters: readonly ParsedPoster[]): ImportWarning[] {
  const warnings: ImportWarning[] = [];
  const firstSeen = new Map<string, number>();
  posters.forEach((poster, posterIndex) => {
    for (const note of poster.notes) {
      const key = looseKey(note.text);
      if (key.length < DUPLICATE_MIN_LENGTH) continue;
      const earlier = firstSeen.get(key);
      if (earlier === undefined) {
        firstSeen.set(key, posterIndex);
        continue;
      }
      const where =
        earlier === posterIndex
          ? `står to ganger på plakat ${posterIndex + 1}`
          : `på ${posterList([posterIndex])} står også på ${posterList([earlier])}`;
      warnings.push({
        code: 'suspected_duplicate_note',
        message: `Lappen «${excerpt(note.text)}» ${where} – trolig kopiert. Kontroller før den telles to ganger.`,
        posterIndex,
      });
    }
  });
  return warnings;
}

function summarise(posters: readonly ParsedPoster[], groups: readonly ParsedGroup[]): ParsedBoard['stats'] {
  const notes = posters.flatMap((poster) => poster.notes);
  const placedNotes = notes.filter((note) => note.itemRef !== null).length;
  return {
    detachedStarDigits: posters.reduce((sum, poster) => sum + poster.starDigits.length, 0),
    notes: notes.length,
    placedNotes,
    unplacedNotes: notes.length - placedNotes,
    facilitatorNoteBlocks: posters.reduce((sum, poster) => sum + poster.facilitatorNotes.length, 0),
    participants: groups.reduce((sum, group) => sum + group.participants.length, 0),
  };
}
