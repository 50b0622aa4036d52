/**
 * Reads the template of each poster copy (items, prompts, instructions, titles), settles one text
 * per item across the copies, and numbers items by position.
 */
import type { ImportWarning, ListedItemKind, ParsedItem, ParsedPerspective, PosterPart } from './boardImport.types.js';
import {
  append,
  capitaliseFirst,
  continuesText,
  excerpt,
  joinBrokenLines,
  largest,
  smallest,
  words,
  type SourceLine,
} from './lines.js';
import { LABEL_LINE, PART_LINE, POSTER_HEADING } from './anchors.js';
import type { PosterLayout } from './template.js';

/** An item text line this long is the instruction paragraph running on, not the item. */
const ITEM_LINE_MAX = 60;
const INSTRUCTION_MIN_WORDS = 12;

export interface CopyItem {
  kind: ListedItemKind;
  /** The number printed on the poster. */
  number: number;
  /** The label as printed, e.g. "Strategi 11". */
  label: string;
  /** 0 for the first item with this label on the copy, 1 for the second … */
  occurrence: number;
  text: string;
}

export interface CopyTemplate {
  title: string | null;
  partTitle: string | null;
  items: CopyItem[];
  prompts: string[];
  instructions: string;
}

const KIND_BY_WORD: Record<string, ListedItemKind> = {
  delmål: 'sub_goal',
  strategi: 'strategy',
  arealstrategi: 'land_use_strategy',
};

const KIND_WORDS: Record<ListedItemKind, { one: string; many: string }> = {
  sub_goal: { one: 'delmål', many: 'delmål' },
  strategy: { one: 'strategi', many: 'strategier' },
  land_use_strategy: { one: 'arealstrategi', many: 'arealstrategier' },
};

const LISTED_KINDS: ListedItemKind[] = ['sub_goal', 'strategy', 'land_use_strategy'];

interface Block {
  role: 'item' | 'part' | 'text';
  lines: SourceLine[];
  label?: RegExpExecArray;
}

export function readCopyTemplate(layout: PosterLayout, lines: readonly SourceLine[]): CopyTemplate {
  const skip = new Set([...layout.anchor.lines, ...layout.titleLines]);
  const blocks: Block[] = [];
  let current: Block | null = null;
  let previous: SourceLine | null = null;
  for (const index of layout.templateLines) {
    const line = lines[index];
    if (!line) continue;
    if (skip.has(index)) {
      current = null;
      previous = null;
      continue;
    }
    const sameParagraph = previous !== null && line.index === previous.index + 1;
    const label = LABEL_LINE.exec(line.text);
    if (label) {
      current = { role: 'item', lines: [], label };
      blocks.push(current);
    } else if (PART_LINE.test(line.text)) {
      current = { role: 'part', lines: [line] };
      blocks.push(current);
    } else if (current && previous && (sameParagraph || goesOn(current, previous, line))) {
      current.lines.push(line);
    } else {
      current = { role: 'text', lines: [line] };
      blocks.push(current);
    }
    previous = line;
  }
  return summarise(blocks, layout, lines);
}

function goesOn(block: Block, previous: SourceLine, line: SourceLine): boolean {
  if (block.role === 'part') return false;
  if (block.role === 'item' && line.text.length >= ITEM_LINE_MAX) return false;
  return continuesText(previous.text, line.text);
}

function summarise(blocks: readonly Block[], layout: PosterLayout, lines: readonly SourceLine[]): CopyTemplate {
  const items: CopyItem[] = [];
  const seen = new Map<string, number>();
  const prompts: string[] = [];
  const instructions: string[] = [];
  let partTitle: string | null = null;
  for (const block of blocks) {
    const text = joinBrokenLines(block.lines.map((line) => line.text));
    if (block.role === 'item' && block.label) {
      const kind = KIND_BY_WORD[(block.label[1] ?? '').toLowerCase()] ?? 'strategy';
      const number = Number(block.label[2]);
      const key = `${kind}:${number}`;
      const occurrence = seen.get(key) ?? 0;
      seen.set(key, occurrence + 1);
      items.push({ kind, number, label: block.label[0], occurrence, text });
    } else if (block.role === 'part') partTitle ??= text;
    else if (text.includes('?')) prompts.push(text);
    // Shorter text is a section heading ("Strategier", "Derfor skal vi..."), not needed downstream.
    else if (words(text).length >= INSTRUCTION_MIN_WORDS) instructions.push(text);
  }
  const titleText = joinBrokenLines(layout.titleLines.map((index) => lines[index]?.text ?? ''));
  return {
    title: titleText === '' ? null : titleText,
    partTitle,
    items,
    prompts,
    instructions: instructions.join(' '),
  };
}

/**
 * Numbers items by their printed labels, which are the best evidence of order (the text order of a
 * PDF export does not follow the layout: "Arealstrategi 8, 9, 7, 10"). A label printed twice takes
 * the next number not printed on the poster ("Strategi 7" twice and no 8: the second becomes 8).
 */
export function assignNumbers(labels: readonly number[]): { numbers: number[]; missing: number[] } {
  const numbers: number[] = new Array<number>(labels.length).fill(0);
  const taken = new Set<number>();
  const repeated: number[] = [];
  labels.forEach((label, i) => {
    if (taken.has(label)) repeated.push(i);
    else {
      taken.add(label);
      numbers[i] = label;
    }
  });
  for (const i of repeated) {
    let candidate = (labels[i] ?? 0) + 1;
    while (taken.has(candidate)) candidate++;
    taken.add(candidate);
    numbers[i] = candidate;
  }
  const printed = new Set(labels);
  const highest = largest(labels, 0);
  const missing: number[] = [];
  for (let n = 1; n <= highest; n++) if (!printed.has(n)) missing.push(n);
  return { numbers, missing };
}

export interface PerspectiveIndex {
  /** Position (0-based within kind) of the first item printed with this number. */
  byLabel: Map<string, number>;
  /** Position of the item numbered so after renumbering. */
  byNumber: Map<string, number>;
}

export interface TemplateReading {
  perspectives: ParsedPerspective[];
  copies: CopyTemplate[];
  indexes: PerspectiveIndex[];
  warnings: ImportWarning[];
}

interface Variant {
  text: string;
  posters: number[];
}

export function readTemplates(
  layouts: readonly PosterLayout[],
  lines: readonly SourceLine[],
  bodyWordCounts: ReadonlyMap<string, number>,
): TemplateReading {
  const copies = layouts.map((layout) => readCopyTemplate(layout, lines));
  const warnings: ImportWarning[] = [];
  const perspectiveCount = layouts.reduce((most, layout) => Math.max(most, layout.anchor.perspectiveIndex + 1), 0);
  const perspectives: ParsedPerspective[] = [];
  const indexes: PerspectiveIndex[] = [];
  const postersOf = Array.from({ length: perspectiveCount }, (): number[] => []);
  layouts.forEach((layout, i) => postersOf[layout.anchor.perspectiveIndex]?.push(i));
  for (let p = 0; p < perspectiveCount; p++) {
    const posterIndexes = postersOf[p] ?? [];
    const title = perspectiveTitle(posterIndexes.map((i) => copies[i]!), p);
    const mainGoal = settleMainGoal(posterIndexes, layouts, title, bodyWordCounts, warnings);
    const settled: SettledItem[] = [];
    for (const part of ['goals', 'strategies'] as PosterPart[]) {
      const ofPart = posterIndexes.filter((i) => layouts[i]!.anchor.part === part);
      append(settled, settleItems(ofPart, copies, title, bodyWordCounts, warnings));
    }
    const { items, index } = numberPerspective(settled, title, warnings);
    perspectives.push({ title, mainGoal, items });
    indexes.push(index);
  }
  return { perspectives, copies, indexes, warnings };
}

function perspectiveTitle(copies: readonly CopyTemplate[], perspectiveIndex: number): string {
  const fromTitles = copies.flatMap((copy) => headingSubject(copy.title));
  const fromParts = copies.flatMap((copy) => headingSubject(PART_LINE.exec(copy.partTitle ?? '')?.[2] ?? null));
  const chosen = mostCommon(fromTitles) ?? mostCommon(fromParts);
  return chosen ? capitaliseFirst(chosen) : `Perspektiv ${perspectiveIndex + 1}`;
}

function headingSubject(heading: string | null): string[] {
  const subject = heading ? POSTER_HEADING.exec(heading.trim())?.[1]?.trim() : undefined;
  return subject ? [subject] : [];
}

function mostCommon(values: readonly string[]): string | null {
  const counts = new Map<string, { value: string; count: number }>();
  for (const value of values) {
    const key = value.toLowerCase();
    const entry = counts.get(key) ?? { value, count: 0 };
    entry.count++;
    counts.set(key, entry);
  }
  let best: { value: string; count: number } | null = null;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best?.value ?? null;
}

function settleMainGoal(
  posterIndexes: readonly number[],
  layouts: readonly PosterLayout[],
  title: string,
  bodyWordCounts: ReadonlyMap<string, number>,
  warnings: ImportWarning[],
): string {
  const variants = groupVariants(posterIndexes.map((i) => ({ text: layouts[i]!.anchor.mainGoal, poster: i })));
  const chosen = chooseVariant(variants, bodyWordCounts);
  if (variants.length > 1) warnings.push(variantWarning(`Hovedmålet for ${title}`, variants, chosen));
  return chosen.text;
}

interface SettledItem {
  kind: ListedItemKind;
  label: string;
  number: number;
  text: string;
  firstPoster: number;
}

/** One text per item across the copies of one poster; items on fewer than half the copies are dropped. */
function settleItems(
  posterIndexes: readonly number[],
  copies: readonly CopyTemplate[],
  title: string,
  bodyWordCounts: ReadonlyMap<string, number>,
  warnings: ImportWarning[],
): SettledItem[] {
  if (posterIndexes.length === 0) return [];
  const order: string[] = [];
  const byKey = new Map<string, { item: CopyItem; texts: { text: string; poster: number }[] }>();
  const reference = [...posterIndexes].sort((a, b) => copies[b]!.items.length - copies[a]!.items.length);
  for (const posterIndex of reference) {
    for (const item of copies[posterIndex]!.items) {
      const key = `${item.kind}:${item.number}:${item.occurrence}`;
      if (!byKey.has(key)) {
        order.push(key);
        byKey.set(key, { item, texts: [] });
      }
    }
  }
  for (const posterIndex of posterIndexes) {
    for (const item of copies[posterIndex]!.items) {
      byKey.get(`${item.kind}:${item.number}:${item.occurrence}`)?.texts.push({ text: item.text, poster: posterIndex });
    }
  }
  const quorum = Math.ceil(posterIndexes.length / 2);
  const settled: SettledItem[] = [];
  for (const key of order) {
    const entry = byKey.get(key)!;
    if (entry.texts.length < quorum) continue;
    const variants = groupVariants(entry.texts);
    const chosen = chooseVariant(variants, bodyWordCounts);
    if (variants.length > 1) warnings.push(variantWarning(`«${entry.item.label}» for ${title}`, variants, chosen));
    settled.push({
      kind: entry.item.kind,
      label: entry.item.label,
      number: entry.item.number,
      text: chosen.text,
      firstPoster: smallest(entry.texts.map((t) => t.poster)),
    });
  }
  return settled;
}

function groupVariants(texts: readonly { text: string; poster: number }[]): Variant[] {
  const variants = new Map<string, Variant>();
  for (const { text, poster } of texts) {
    const key = text.toLowerCase();
    const variant = variants.get(key) ?? { text, posters: [] };
    variant.posters.push(poster);
    variants.set(key, variant);
  }
  return [...variants.values()];
}

/**
 * The spelling the participants themselves use elsewhere in the file wins ("meter" over the
 * typo "menter"); then the majority of copies; then the first.
 */
function chooseVariant(variants: readonly Variant[], bodyWordCounts: ReadonlyMap<string, number>): Variant {
  const tokenSets = variants.map((variant) => new Set(words(variant.text)));
  const shared = tokenSets.reduce((common, set) => new Set([...common].filter((token) => set.has(token))));
  let best = variants[0]!;
  let bestScore = -1;
  variants.forEach((variant, i) => {
    const own = [...tokenSets[i]!].filter((token) => !shared.has(token));
    const support = own.reduce((sum, token) => sum + (bodyWordCounts.get(token) ?? 0), 0);
    const score = support * 1000 + variant.posters.length;
    if (score > bestScore) {
      best = variant;
      bestScore = score;
    }
  });
  return best;
}

function variantWarning(what: string, variants: readonly Variant[], chosen: Variant): ImportWarning {
  const chosenWords = new Set(words(chosen.text));
  const described = variants.map((variant) => {
    const own = words(variant.text).filter((token) => !chosenWords.has(token));
    const others = new Set(variants.filter((v) => v !== variant).flatMap((v) => words(v.text)));
    const distinctive = variant === chosen ? words(variant.text).filter((token) => !others.has(token)) : own;
    const shown = distinctive.length > 0 ? distinctive.slice(0, 6).join(' ') : excerpt(variant.text, 40);
    return `«${shown}» på ${posterList(variant.posters)}`;
  });
  const firstDeviating = smallest(variants.filter((v) => v !== chosen).flatMap((v) => v.posters));
  return {
    code: 'template_variant',
    message: `${what} står med ulik tekst på plakatene: ${described.join(', ')}. Importert som «${excerpt(chosen.text, 80)}».`,
    posterIndex: firstDeviating,
  };
}

export function posterList(posterIndexes: readonly number[]): string {
  const numbers = posterIndexes.map((i) => String(i + 1));
  if (numbers.length === 1) return `plakat ${numbers[0]}`;
  return `plakat ${numbers.slice(0, -1).join(', ')} og ${numbers[numbers.length - 1]}`;
}

function numberPerspective(
  settled: readonly SettledItem[],
  title: string,
  warnings: ImportWarning[],
): { items: ParsedItem[]; index: PerspectiveIndex } {
  const items: ParsedItem[] = [];
  const index: PerspectiveIndex = { byLabel: new Map(), byNumber: new Map() };
  for (const kind of LISTED_KINDS) {
    const ofKind = dedupe(settled.filter((item) => item.kind === kind));
    const { numbers, missing } = assignNumbers(ofKind.map((item) => item.number));
    const order = ofKind.map((_, i) => i).sort((a, b) => (numbers[a] ?? 0) - (numbers[b] ?? 0));
    order.forEach((i, position) => {
      const item = ofKind[i]!;
      items.push({ kind, text: item.text, sourceLabel: item.label, position });
      const labelKey = `${kind}:${item.number}`;
      if (!index.byLabel.has(labelKey)) index.byLabel.set(labelKey, position);
      index.byNumber.set(`${kind}:${numbers[i]}`, position);
    });
    reportNumbering(ofKind, numbers, missing, kind, title, warnings);
  }
  return { items, index };
}

/** The same item read from both parts of a perspective counts once. */
function dedupe(items: readonly SettledItem[]): SettledItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.number}:${item.text.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function reportNumbering(
  items: readonly SettledItem[],
  numbers: readonly number[],
  missing: readonly number[],
  kind: ListedItemKind,
  title: string,
  warnings: ImportWarning[],
): void {
  const byLabel = new Map<number, number[]>();
  items.forEach((item, i) => byLabel.set(item.number, [...(byLabel.get(item.number) ?? []), i]));
  for (const holders of byLabel.values()) {
    if (holders.length < 2) continue;
    const first = items[holders[0]!]!;
    const texts = holders.map((i) => `«${excerpt(items[i]!.text, 50)}»`).join(' og ');
    const imported = holders.map((i) => numbers[i]).join(' og ');
    warnings.push({
      code: 'duplicate_number',
      message:
        `«${first.label}» står ${holders.length} ganger på plakaten for ${title}: ${texts}. ` +
        `Importert som ${KIND_WORDS[kind].one} ${imported}.`,
      posterIndex: first.firstPoster,
    });
  }
  if (missing.length === 0) return;
  const labels = items.map((item) => item.number);
  const word = KIND_WORDS[kind];
  const gaps = missing.map((n) => {
    const before = largest(labels.filter((l) => l < n), 0);
    const after = smallest(labels.filter((l) => l > n));
    const beforeText = before > 0 ? `etter «${capitaliseFirst(word.one)} ${before}» ` : '';
    return `${beforeText}kommer «${capitaliseFirst(word.one)} ${after}»`;
  });
  warnings.push({
    code: 'missing_number',
    message:
      `Nummereringen av ${word.many} for ${title} hopper over ${missing.join(', ')}: ${gaps.join('; ')}. ` +
      `Punktene er nummerert etter plassering.`,
    posterIndex: items[0]?.firstPoster,
  });
}
