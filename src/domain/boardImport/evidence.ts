/**
 * What repetition tells: line pairs that recur across the copies of a poster are its template.
 */
import { posterType, POSTER_HEADING, type Anchor } from './anchors.js';
import { joinBrokenLines, type SourceLine } from './lines.js';

/** Longest run of lines differing from the other copies that a template run may bridge. */
export const MAX_GAP = 4;

const pairKey = (from: string, to: string, distance: number): string => `${from}\n${to}\n${distance}`;

/** Template lines sit before or after a poster's hovedmål; evidence is kept for each side. */
export type Side = 'before' | 'after';

/**
 * Counts line pairs per poster type and side of its anchor. Pairs are also counted a few lines
 * apart, so that a line differing between copies (a typo) can be bridged by the lines around it.
 */
export class TemplateEvidence {
  /** "type side" → "from\nto\ndistance" → occurrences. */
  private readonly support = new Map<string, Map<string, number>>();
  private readonly keysByType = new Map<string, Set<string>>();
  readonly copies = new Map<string, number>();

  constructor(
    private readonly nonBlank: readonly SourceLine[],
    anchorPositions: readonly number[],
    anchors: readonly Anchor[],
  ) {
    for (const anchor of anchors) this.copies.set(posterType(anchor), (this.copies.get(posterType(anchor)) ?? 0) + 1);
    // A pair ending at line p lies after the anchor before it and before the anchor at or after it.
    let next = 0;
    for (let p = 1; p < nonBlank.length; p++) {
      while (next < anchorPositions.length && (anchorPositions[next] ?? Infinity) < p) next++;
      const previousAnchor = anchors[next - 1];
      const nextAnchor = anchors[next];
      for (let distance = 1; distance <= MAX_GAP + 1 && p - distance >= 0; distance++) {
        const key = pairKey(nonBlank[p - distance]!.key, nonBlank[p]!.key, distance);
        if (previousAnchor) this.count(posterType(previousAnchor), 'after', key);
        if (nextAnchor) this.count(posterType(nextAnchor), 'before', key);
      }
    }
  }

  private count(type: string, side: Side, key: string): void {
    const counts = this.support.get(`${type} ${side}`) ?? new Map<string, number>();
    counts.set(key, (counts.get(key) ?? 0) + 1);
    this.support.set(`${type} ${side}`, counts);
  }

  private occurrences(type: string, side: Side, from: string, to: string, distance: number): number {
    return this.support.get(`${type} ${side}`)?.get(pairKey(from, to, distance)) ?? 0;
  }

  isSingleCopy(type: string): boolean {
    return (this.copies.get(type) ?? 0) < 2;
  }

  /** Whether the adjacent non-blank lines (p - 1, p) are template on that side of the type's anchor. */
  supported(type: string, side: Side, p: number): boolean {
    const from = this.nonBlank[p - 1];
    const to = this.nonBlank[p];
    return from !== undefined && to !== undefined && this.occurrences(type, side, from.key, to.key, 1) >= 2;
  }

  /** Whether other copies go from the line at `from` to the line at `to` in at most as many lines. */
  bridges(type: string, side: Side, from: number, to: number): boolean {
    const a = this.nonBlank[from]?.key;
    const b = this.nonBlank[to]?.key;
    if (a === undefined || b === undefined) return false;
    for (let distance = 1; distance <= to - from; distance++) {
      if (this.occurrences(type, side, a, b, distance) >= 2) return true;
    }
    return false;
  }

  /** Lines that belong to a confirmed pair of the type. */
  templateKeys(type: string): ReadonlySet<string> {
    const cached = this.keysByType.get(type);
    if (cached) return cached;
    const keys = new Set<string>();
    for (const side of ['before', 'after'] as const) {
      for (const [key, count] of this.support.get(`${type} ${side}`) ?? []) {
        if (count < 2 || !key.endsWith('\n1')) continue;
        const [from = '', to = ''] = key.split('\n');
        keys.add(from);
        keys.add(to);
      }
    }
    this.keysByType.set(type, keys);
    return keys;
  }
}

/**
 * Non-blank positions holding a poster's big title ("Strategier for" / "sosial bærekraft"). A title
 * is printed on one copy only, so it is found from its wording and never grown into a run.
 */
export function findHeadings(nonBlank: readonly SourceLine[]): Set<number> {
  const headings = new Set<number>();
  nonBlank.forEach((line, p) => {
    if (POSTER_HEADING.test(line.text)) headings.add(p);
    const next = nonBlank[p + 1];
    if (next && next.index === line.index + 1 && POSTER_HEADING.test(joinBrokenLines([line.text, next.text]))) {
      headings.add(p);
      headings.add(p + 1);
    }
  });
  return headings;
}
