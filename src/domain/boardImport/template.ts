/**
 * Lays out the posters of an export: where each poster copy begins and ends, which of its lines
 * are template and which are the group's own writing.
 *
 * Nothing about a particular plan is known in advance. Text that recurs across the copies of one
 * poster (same hovedmål, same part) is template; a poster begins where its template run begins
 * (or at the big title printed above it), and what follows the run is the group's writing.
 */
import { LABEL_LINE, POSTER_HEADING, posterType, type Anchor } from './anchors.js';
import type { ImportWarning } from './boardImport.types.js';
import { findHeadings, TemplateEvidence } from './evidence.js';
import { isBlank, joinBrokenLines, similarity, smallest, type SourceLine } from './lines.js';
import { findRuns, type Run } from './runs.js';

export interface PosterLayout {
  anchor: Anchor;
  /** First and last line index of the poster (inclusive). */
  start: number;
  end: number;
  /** Template lines in file order (non-blank), including title and variant lines. */
  templateLines: number[];
  titleLines: number[];
  /** Template lines whose text differs from the other copies (typos, variants). */
  variantLines: number[];
  /** Lines of the poster that are not template, in order, blanks included. */
  bodyLines: number[];
}

export interface Layout {
  posters: PosterLayout[];
  /** Non-blank lines before the first poster. */
  preamble: number[];
  warnings: ImportWarning[];
}

/** How close a differing line must be to a template line to count as a variant of it. */
const VARIANT_SIMILARITY = 0.75;
const EDGE_VARIANT_SIMILARITY = 0.8;

interface Context {
  lines: readonly SourceLine[];
  nonBlank: readonly SourceLine[];
  anchors: readonly Anchor[];
  runs: readonly Run[];
  evidence: TemplateEvidence;
  headings: ReadonlySet<number>;
  keyAt: ReadonlyMap<number, string>;
}

export function layOutPosters(lines: readonly SourceLine[], anchors: readonly Anchor[]): Layout {
  const nonBlank = lines.filter((line) => !isBlank(line));
  const positionOf = new Map(nonBlank.map((line, p) => [line.index, p]));
  const anchorPositions = anchors.map((anchor) => positionOf.get(anchor.line) ?? 0);
  const evidence = new TemplateEvidence(nonBlank, anchorPositions, anchors);
  const headings = findHeadings(nonBlank);
  const runs = findRuns(nonBlank, anchors, anchorPositions, evidence, headings);
  const keyAt = new Map(nonBlank.map((line) => [line.index, line.key]));
  const posters = buildPosters({ lines, nonBlank, anchors, runs, evidence, headings, keyAt });
  const firstStart = posters[0]?.start ?? lines.length;
  const preamble = lines.slice(0, firstStart).filter((line) => !isBlank(line)).map((line) => line.index);
  return { posters, preamble, warnings: singleCopyWarnings(anchors, evidence) };
}

function singleCopyWarnings(anchors: readonly Anchor[], evidence: TemplateEvidence): ImportWarning[] {
  return anchors.flatMap((anchor, posterIndex) =>
    evidence.isSingleCopy(posterType(anchor))
      ? [
          {
            code: 'template_variant' as const,
            message:
              `Plakat ${posterIndex + 1} finnes bare i én kopi, så malteksten kunne ikke bekreftes mot andre kopier. ` +
              'Kontroller at delmål, strategier og instruksjoner er skilt riktig fra lappene.',
            posterIndex,
          },
        ]
      : [],
  );
}

interface Draft {
  anchor: Anchor;
  template: Set<number>;
  variants: number[];
  titleLines: number[];
}

function buildPosters(context: Context): PosterLayout[] {
  const bridged = bridgedLinesByType(context);
  const drafts = context.anchors.map((anchor, i) => draftPoster(context, i, bridged));
  return drafts.map((draft, i) => {
    const start = smallest(draft.template);
    const next = drafts[i + 1];
    const end = next ? smallest(next.template) - 1 : context.lines.length - 1;
    const bodyLines: number[] = [];
    for (let index = start; index <= end; index++) if (!draft.template.has(index)) bodyLines.push(index);
    return {
      anchor: draft.anchor,
      start,
      end,
      templateLines: [...draft.template].sort((a, b) => a - b),
      titleLines: draft.titleLines,
      variantLines: draft.variants.sort((a, b) => a - b),
      bodyLines,
    };
  });
}

/** With only two copies, a typo leaves both readings unconfirmed: each copy's differing lines vouch for the other's. */
function bridgedLinesByType({ anchors, runs, nonBlank }: Context): Map<string, { poster: number; key: string }[]> {
  const bridged = new Map<string, { poster: number; key: string }[]>();
  runs.forEach((run, poster) => {
    const type = posterType(anchors[poster]!);
    const list = bridged.get(type) ?? [];
    for (const p of run.gaps) list.push({ poster, key: nonBlank[p]!.key });
    bridged.set(type, list);
  });
  return bridged;
}

function draftPoster(context: Context, i: number, bridged: ReadonlyMap<string, { poster: number; key: string }[]>): Draft {
  const { anchors, runs, nonBlank, evidence, lines } = context;
  const anchor = anchors[i]!;
  const run = runs[i]!;
  const type = posterType(anchor);
  const templateKeys = evidence.templateKeys(type);
  const othersBridged = new Set((bridged.get(type) ?? []).filter((gap) => gap.poster !== i).map((gap) => gap.key));
  const gaps = new Set(run.gaps);
  const template = new Set<number>();
  const variants: number[] = [];
  for (let p = run.from; p <= run.to; p++) {
    const line = nonBlank[p]!;
    if (!gaps.has(p)) template.add(line.index);
    else if (resembles(line, templateKeys, VARIANT_SIMILARITY) || resembles(line, othersBridged, VARIANT_SIMILARITY)) {
      template.add(line.index);
      variants.push(line.index);
    }
  }
  const lowestStart = i === 0 ? 0 : (nonBlank[runs[i - 1]!.to]?.index ?? 0) + 1;
  const nextRun = runs[i + 1];
  const nextRunStart = nextRun ? (nonBlank[nextRun.from]?.index ?? lines.length) : lines.length;
  extendByResemblance(context, run, { template, variants, templateKeys }, { lowestStart, nextRunStart });
  const titleLines = findTitleLines(lines, smallest(template), lowestStart);
  for (const index of titleLines) template.add(index);
  return { anchor, template, variants, titleLines };
}

function resembles(line: SourceLine, keys: ReadonlySet<string>, floor: number): boolean {
  if (line.key.length < 6) return false;
  for (const key of keys) if (similarity(key, line.key, floor) >= floor) return true;
  return false;
}

/**
 * A differing line at the very edge of a run has no template line beyond it to confirm it; take
 * it when it closely resembles a template line this copy lacks.
 */
function extendByResemblance(
  { nonBlank, headings, keyAt }: Context,
  run: Run,
  found: { template: Set<number>; variants: number[]; templateKeys: ReadonlySet<string> },
  bounds: { lowestStart: number; nextRunStart: number },
): void {
  const present = new Set([...found.template].map((index) => keyAt.get(index)));
  const missing = new Set([...found.templateKeys].filter((key) => !present.has(key)));
  if (missing.size === 0) return;
  const takes = (p: number): boolean => {
    const line = nonBlank[p];
    if (!line || headings.has(p) || LABEL_LINE.test(line.text) || line.key.length < 8) return false;
    if (line.index < bounds.lowestStart || line.index >= bounds.nextRunStart) return false;
    return resembles(line, missing, EDGE_VARIANT_SIMILARITY);
  };
  for (const [from, step] of [[run.to + 1, 1], [run.from - 1, -1]] as const) {
    for (let p = from; takes(p); p += step) {
      found.template.add(nonBlank[p]!.index);
      found.variants.push(nonBlank[p]!.index);
    }
  }
}

/** The poster's big title ("Strategier for / sosial bærekraft") sits just above its template, printed once. */
function findTitleLines(lines: readonly SourceLine[], runStart: number, lowest: number): number[] {
  const above: SourceLine[] = [];
  for (let i = runStart - 1; i >= lowest && above.length < 3; i--) {
    const line = lines[i];
    if (line && !isBlank(line)) above.unshift(line);
  }
  for (let take = 1; take <= above.length; take++) {
    const candidate = above.slice(above.length - take);
    if (POSTER_HEADING.test(joinBrokenLines(candidate.map((line) => line.text)))) return candidate.map((l) => l.index);
  }
  return [];
}
