/**
 * The fixed points of an export: every poster copy holds one "Hovedmål:" line (its anchor), and
 * the words of the domain (Delmål, Strategi, Arealstrategi, Del 1 / Del 2) mark its structure.
 * Copies with the same hovedmål are one perspective; the part is told by the items near the anchor.
 */
import type { PosterPart } from './boardImport.types.js';
import { isBlank, joinBrokenLines, looseKey, similarity, type SourceLine } from './lines.js';

export const LABEL_LINE = /^(delmål|strategi|arealstrategi)\s+(\d{1,3})$/i;
export const ANCHOR_LINE = /^hovedmål\s*:\s*(.*)$/i;
export const PART_LINE = /^del\s+(\d{1,2})\s*:\s*(.*)$/i;
/** "Delmål for …", "Strategier for …", "Strategier og arealstrategier for …". */
export const POSTER_HEADING = /^(?:delmål|strategi(?:er)?|arealstrategi(?:er)?)(?:\s+og\s+\S+)?\s+for\s+(.+)$/i;

/** A plan has a handful of perspectives; past this many, only exact repeats are compared. */
const MAX_FUZZY_PERSPECTIVES = 64;
/** A poster's hovedmål is followed within this many lines by its items or its "Del N:" line. */
const HEADS_ITEMS_WITHIN = 3;
/** How far from a "Hovedmål:" line to look for what kind of poster it heads. */
const PART_SCAN = 15;

export interface Anchor {
  line: number;
  /** Lines holding the hovedmål (the anchor line and its continuation). */
  lines: number[];
  mainGoal: string;
  perspectiveIndex: number;
  part: PosterPart;
}

/** Copies of one poster share perspective and part. */
export const posterType = (anchor: Anchor): string => `${anchor.perspectiveIndex}:${anchor.part}`;

export function isStructural(text: string): boolean {
  return LABEL_LINE.test(text) || ANCHOR_LINE.test(text) || PART_LINE.test(text);
}

export function findAnchors(lines: readonly SourceLine[]): Anchor[] {
  const candidates: Anchor[] = [];
  for (const line of lines) {
    const match = ANCHOR_LINE.exec(line.text);
    if (!match) continue;
    const held = [line.index];
    const parts = [match[1] ?? ''];
    for (let i = line.index + 1; i < lines.length; i++) {
      const next = lines[i];
      if (!next || isBlank(next) || isStructural(next.text)) break;
      held.push(i);
      parts.push(next.text);
    }
    const mainGoal = joinBrokenLines(parts);
    if (mainGoal !== '') candidates.push({ line: line.index, lines: held, mainGoal, perspectiveIndex: -1, part: 'goals' });
  }
  return assignPerspectives(candidates, lines);
}

/**
 * Groups anchors by hovedmål, allowing a typo between copies. A "Hovedmål:" line is a poster's
 * only when numbered items or a "Del N:" line follow it closely, or when what follows it repeats
 * on other copies; otherwise someone wrote it on a lapp.
 */
function assignPerspectives(candidates: readonly Anchor[], lines: readonly SourceLine[]): Anchor[] {
  const clusterOf = clusterByMainGoal(candidates);
  const followers = candidates.map((anchor) => firstLineAfter(anchor, lines));
  const followerCounts = new Map<string, number>();
  candidates.forEach((_, i) => {
    const key = `${clusterOf[i]}\n${followers[i]}`;
    followerCounts.set(key, (followerCounts.get(key) ?? 0) + 1);
  });
  const renumber = new Map<number, number>();
  const anchors: Anchor[] = [];
  candidates.forEach((anchor, i) => {
    const cluster = clusterOf[i] ?? 0;
    const repeated = (followerCounts.get(`${cluster}\n${followers[i]}`) ?? 0) >= 2;
    if (!repeated && !headsItems(anchor, lines)) return;
    if (!renumber.has(cluster)) renumber.set(cluster, renumber.size);
    const part = detectPart(anchor.line, lines) ?? 'goals';
    anchors.push({ ...anchor, perspectiveIndex: renumber.get(cluster) ?? 0, part });
  });
  return anchors;
}

function firstLineAfter(anchor: Anchor, lines: readonly SourceLine[]): string {
  for (let i = (anchor.lines.at(-1) ?? anchor.line) + 1; i < lines.length; i++) {
    if (!isBlank(lines[i]!)) return lines[i]!.key;
  }
  return '';
}

/** A numbered item or "Del N:" line among the first lines after the hovedmål. */
function headsItems(anchor: Anchor, lines: readonly SourceLine[]): boolean {
  let seen = 0;
  for (let i = (anchor.lines.at(-1) ?? anchor.line) + 1; i < lines.length && seen < HEADS_ITEMS_WITHIN; i++) {
    const line = lines[i]!;
    if (isBlank(line)) continue;
    seen++;
    if (LABEL_LINE.test(line.text) || PART_LINE.test(line.text)) return true;
  }
  return false;
}

function clusterByMainGoal(candidates: readonly Anchor[]): number[] {
  const keys: string[] = [];
  const exact = new Map<string, number>();
  return candidates.map((anchor) => {
    const key = looseKey(anchor.mainGoal);
    const known = exact.get(key);
    if (known !== undefined) return known;
    const found =
      keys.length <= MAX_FUZZY_PERSPECTIVES ? keys.findIndex((other) => similarity(other, key, 0.85) >= 0.85) : -1;
    const cluster = found >= 0 ? found : keys.push(key) - 1;
    exact.set(key, cluster);
    return cluster;
  });
}

/** The first numbered item or "Del N:" line near the anchor tells the part. */
function detectPart(anchorLine: number, lines: readonly SourceLine[]): PosterPart | null {
  for (const direction of [1, -1]) {
    let seen = 0;
    for (let i = anchorLine + direction; i >= 0 && i < lines.length && seen < PART_SCAN; i += direction) {
      const line = lines[i];
      if (!line || isBlank(line)) continue;
      seen++;
      if (ANCHOR_LINE.test(line.text)) break;
      const label = LABEL_LINE.exec(line.text);
      if (label) return (label[1] ?? '').toLowerCase() === 'delmål' ? 'goals' : 'strategies';
      const partLine = PART_LINE.exec(line.text);
      if (partLine) return partLine[1] === '1' ? 'goals' : 'strategies';
    }
  }
  return null;
}
