/** The result of reading a workshop whiteboard's text export (see `parseBoardText`). */

export type ItemKind = 'main_goal' | 'sub_goal' | 'strategy' | 'land_use_strategy';
export type ListedItemKind = Exclude<ItemKind, 'main_goal'>;
export type PosterPart = 'goals' | 'strategies';

export interface ParsedBoard {
  /** In order of first appearance. */
  perspectives: ParsedPerspective[];
  /** One per poster copy in the file, in file order. */
  posters: ParsedPoster[];
  /** Labelled groups ("Gruppe 1" …) in label order, then one per unlabelled poster in poster order. */
  groups: ParsedGroup[];
  warnings: ImportWarning[];
  stats: BoardStats;
}

export interface BoardStats {
  /** Count of bare star digits found ("3 4 2" counts 3). */
  detachedStarDigits: number;
  notes: number;
  /** Notes whose text names an item that exists. */
  placedNotes: number;
  unplacedNotes: number;
  facilitatorNoteBlocks: number;
  participants: number;
}

export interface ParsedItem {
  kind: ListedItemKind;
  text: string;
  /** What the poster said, e.g. "Strategi 11" (twice on the poster, so one of them is number 12). */
  sourceLabel: string;
  /** 0-based within its kind in its perspective. */
  position: number;
}

export interface ParsedPerspective {
  /** E.g. "Økonomisk bærekraft", from the poster titles. */
  title: string;
  /** Lines joined with single spaces, line-break hyphens removed. */
  mainGoal: string;
  /** Sub-goals, then strategies, then land-use strategies, each in position order. */
  items: ParsedItem[];
}

export interface ParsedPoster {
  perspectiveIndex: number;
  part: PosterPart;
  /** The poster's big title when it has one, e.g. "Strategier for økonomisk bærekraft". */
  title: string | null;
  /** The instruction paragraph, joined. */
  instructions: string;
  /** The first prompt of the general box, e.g. "Noen delmål du savner? …". */
  boxPrompt: string;
  /** Every box prompt on the poster (a Del 2 poster has one for strategies and one for land use). */
  boxPrompts: string[];
  groupIndex: number;
  /** As written in the file, null if none. */
  groupLabel: string | null;
  /** Every lapp in file order. */
  notes: ParsedNote[];
  /** Each "Notater:" block, paragraphs separated by a line break. */
  facilitatorNotes: string[];
  /** Detached bare star digits in file order. */
  starDigits: number[];
  /** 1-based line numbers of the poster in the file. */
  lines: { first: number; last: number };
}

export interface ItemRef {
  kind: ItemKind;
  /** 0-based within kind in its perspective. */
  position: number;
}

export interface ItemMention {
  kind: ItemKind;
  /** The number the text used ("strategi 7" → 7); 0 for the main goal. */
  number: number;
  /** Null when the perspective has no such item. */
  position: number | null;
}

export type NoteKind = 'comment' | 'rewording' | 'new_item' | 'question';

export interface ParsedNote {
  /** Joined, as typed: only broken lines joined and line-break hyphens removed. */
  text: string;
  author: string | null;
  /** The first item the text names that exists; null = general box or unplaced. */
  itemRef: ItemRef | null;
  kind: NoteKind;
  /** Every item the text names, in text order. */
  mentions: ItemMention[];
  /** Set when the lapp repeats an item's text from the template, e.g. a strategy copied from another perspective. */
  copyOf: { perspectiveIndex: number; kind: ListedItemKind; position: number } | null;
  /** 1-based line of the lapp's first line in the file. */
  line: number;
}

export interface ParsedParticipant {
  name: string;
  party: string | null;
  committee: string | null;
}

export interface ParsedGroup {
  name: string;
  label: string | null;
  /** Union of its posters' rosters, deduplicated by name. */
  participants: ParsedParticipant[];
}

export type WarningCode =
  | 'duplicate_number'
  | 'missing_number'
  | 'template_variant'
  | 'poster_without_group'
  | 'suspected_duplicate_note'
  | 'unrecognised_block';

export interface ImportWarning {
  code: WarningCode;
  /** Norwegian bokmål, for the planner. */
  message: string;
  posterIndex?: number;
}

export type BoardImportErrorCode = 'not_text' | 'empty' | 'too_large' | 'no_posters' | 'no_items' | 'unreadable';

/** The input is not a whiteboard text export; the message (bokmål) says why. */
export class BoardImportError extends Error {
  constructor(
    readonly code: BoardImportErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BoardImportError';
  }
}
