/**
 * Template runs: from each anchor, the stretch of lines confirmed as template by the other copies
 * of the same poster. Positions count non-blank lines.
 */
import { ANCHOR_LINE, LABEL_LINE, PART_LINE, POSTER_HEADING, posterType, type Anchor } from './anchors.js';
import { MAX_GAP, type TemplateEvidence } from './evidence.js';
import { continuesText, smallest, type SourceLine } from './lines.js';

/** Longest item text, in lines, when a single copy leaves only the wording to go by. */
const MAX_ITEM_LINES = 40;

export interface Run {
  /** First and last non-blank position, inclusive. */
  from: number;
  to: number;
  /** Positions bridged inside the run: differing from the other copies. */
  gaps: number[];
}

/**
 * Backward runs first, each bounded by the anchor before it; forward runs then stop where the next
 * poster's template begins, so a short body never joins two templates. Where the poster before
 * reaches lines by plain succession that the next one reached only across a bridge, the bridge was
 * a coincidence and is undone.
 */
export function findRuns(
  nonBlank: readonly SourceLine[],
  anchors: readonly Anchor[],
  anchorPositions: readonly number[],
  evidence: TemplateEvidence,
  headings: ReadonlySet<number>,
): Run[] {
  const finder = new RunFinder(nonBlank, evidence, headings);
  const forwardStart = (i: number): number => (anchorPositions[i] ?? 0) + anchors[i]!.lines.length - 1;
  const backward = anchors.map((anchor, i) => {
    const low = i === 0 ? 0 : forwardStart(i - 1) + 1;
    const run = finder.growBackward(anchor, anchorPositions[i] ?? 0, low);
    if (i === 0) return run;
    const before = finder.growForward(anchors[i - 1]!, forwardStart(i - 1), (anchorPositions[i] ?? 0) - 1);
    return undoBridgeInto(run, before.to);
  });
  return anchors.map((anchor, i) => {
    const back = backward[i]!;
    const high = i + 1 < anchors.length ? backward[i + 1]!.from - 1 : nonBlank.length - 1;
    const forward = finder.growForward(anchor, forwardStart(i), high);
    return { from: back.from, to: forward.to, gaps: [...back.gaps, ...forward.gaps] };
  });
}

/** Cuts a backward run at the bridge that carried it to or past `claimedUpTo`, if any. */
function undoBridgeInto(run: Run, claimedUpTo: number): Run {
  if (run.from > claimedUpTo) return run;
  const crossing = run.gaps.filter((gap) => gap > claimedUpTo);
  if (crossing.length === 0) return run;
  // Gaps of one bridge are consecutive positions; cut after the bridge nearest the claimed lines.
  const bridged = new Set(crossing);
  let end = smallest(crossing);
  while (bridged.has(end + 1)) end++;
  const from = end + 1;
  return { from, to: run.to, gaps: run.gaps.filter((gap) => gap > from) };
}

class RunFinder {
  private readonly keyCount = new Map<string, number>();

  constructor(
    private readonly nonBlank: readonly SourceLine[],
    private readonly evidence: TemplateEvidence,
    private readonly headings: ReadonlySet<number>,
  ) {
    for (const line of nonBlank) this.keyCount.set(line.key, (this.keyCount.get(line.key) ?? 0) + 1);
  }

  growBackward(anchor: Anchor, position: number, low: number): Run {
    const type = posterType(anchor);
    if (this.evidence.isSingleCopy(type)) return this.wordingRunBackward(position, low);
    const gaps: number[] = [];
    let current = position;
    while (current - 1 >= low && !this.headings.has(current - 1)) {
      if (this.evidence.supported(type, 'before', current)) {
        current--;
        continue;
      }
      // The landing line must itself sit in the template, with the run going on beyond it.
      const picksUp = (at: number): boolean =>
        this.evidence.bridges(type, 'before', at, current) && this.evidence.supported(type, 'before', at);
      const resume = this.bridge(current, -1, low, picksUp);
      if (resume === null) break;
      for (let p = resume + 1; p < current; p++) gaps.push(p);
      current = resume;
    }
    return { from: current, to: position, gaps };
  }

  growForward(anchor: Anchor, position: number, high: number): Run {
    const type = posterType(anchor);
    if (this.evidence.isSingleCopy(type)) return this.wordingRunForward(position, high);
    const gaps: number[] = [];
    let current = position;
    while (current + 1 <= high && !this.headings.has(current + 1)) {
      if (this.evidence.supported(type, 'after', current + 1)) {
        current++;
        continue;
      }
      const picksUp = (at: number): boolean =>
        this.evidence.bridges(type, 'after', current, at) && this.evidence.supported(type, 'after', at + 1);
      const resume = this.bridge(current, 1, high, picksUp);
      if (resume === null) break;
      for (let p = current + 1; p < resume; p++) gaps.push(p);
      current = resume;
    }
    return { from: position, to: current, gaps };
  }

  /** The nearest position past a few differing lines where the template picks up again. */
  private bridge(current: number, direction: 1 | -1, limit: number, picksUp: (at: number) => boolean): number | null {
    for (let gap = 1; gap <= MAX_GAP; gap++) {
      const at = current + direction * (gap + 1);
      if (direction === 1 ? at > limit : at < limit) return null;
      if (this.headings.has(at - direction)) return null;
      if (this.headings.has(at)) return null;
      if (picksUp(at)) return at;
    }
    return null;
  }

  /**
   * With a single copy of a poster nothing can be confirmed by repetition: the run keeps numbered
   * items with their text, "Del N:" lines and text also found elsewhere in the file.
   */
  private wordingRunForward(position: number, high: number): Run {
    let current = position;
    let inItem = false;
    while (current + 1 <= high && !this.headings.has(current + 1)) {
      const line = this.nonBlank[current + 1]!;
      const shared = this.isShared(line);
      const label = LABEL_LINE.test(line.text);
      const continuation: boolean = inItem && this.goesOn(this.nonBlank[current]!, line);
      if (!(label || PART_LINE.test(line.text) || POSTER_HEADING.test(line.text) || shared || continuation)) break;
      inItem = label || (continuation && !shared) || (inItem && shared);
      current++;
    }
    return { from: position, to: current, gaps: [] };
  }

  private wordingRunBackward(position: number, low: number): Run {
    let current = position;
    while (current - 1 >= low && !this.headings.has(current - 1)) {
      const line = this.nonBlank[current - 1]!;
      const itemStart = this.itemLabelAbove(current - 1, low);
      if (itemStart !== null) current = itemStart;
      else if (PART_LINE.test(line.text) || this.isShared(line)) current--;
      else break;
    }
    return { from: current, to: position, gaps: [] };
  }

  private isShared(line: SourceLine): boolean {
    return (this.keyCount.get(line.key) ?? 0) >= 2 && line.text.length >= 4;
  }

  private goesOn(before: SourceLine, line: SourceLine): boolean {
    return line.index - before.index === 1 || continuesText(before.text, line.text);
  }

  /** Going up from a line, the label line whose item text reaches down to it, if any. */
  private itemLabelAbove(p: number, low: number): number | null {
    for (let current = p; current >= low && p - current <= MAX_ITEM_LINES; current--) {
      const line = this.nonBlank[current]!;
      if (LABEL_LINE.test(line.text)) return current;
      const before = this.nonBlank[current - 1];
      if (!before || current - 1 < low || ANCHOR_LINE.test(before.text) || !this.goesOn(before, line)) return null;
    }
    return null;
  }
}
