/** The Bærum seed as placement input, and the figures the labelled lapper give (test and bench). */
import { readFileSync } from 'node:fs';
import { parseBoardText, type ParsedBoard } from '../boardImport/boardImport.js';
import { isOnPoster } from '../items.js';
import { BAERUM_PLACEMENT_LABELS, type PlacementLabel } from './baerumLabels.fixture.js';
import { suggestPlacements, type CandidateItem, type PlacementInput, type PlacementNote, type PlacementSuggestion } from './suggestions.js';

export const seedBoard = (): ParsedBoard => parseBoardText(readFileSync(new URL('../../../demo/baerum-2040.txt', import.meta.url), 'utf8'));

const itemKey = (perspective: number, kind: string, number: number) => `${perspective}:${kind} ${number}`;

/** Items keyed "perspective:kind number", posters "perspective:part", lapper "poster.index" as the import lays them out. */
export function placementInput(board: ParsedBoard): PlacementInput {
  const posterItems = new Map<string, CandidateItem[]>();
  board.perspectives.forEach((perspective, p) => {
    const items: CandidateItem[] = [
      { id: itemKey(p, 'main_goal', 1), kind: 'main_goal', number: 1, text: perspective.mainGoal },
      ...perspective.items.map((item) => ({ id: itemKey(p, item.kind, item.position + 1), kind: item.kind, number: item.position + 1, text: item.text })),
    ];
    for (const part of ['goals', 'strategies'] as const) {
      posterItems.set(`${p}:${part}`, items.filter((item) => isOnPoster(part, item.kind)));
    }
  });
  const notes: PlacementNote[] = board.posters.flatMap((poster, posterIndex) =>
    poster.notes.map((note, index) => ({
      id: `${posterIndex}.${index}`,
      text: note.text,
      posterId: `${poster.perspectiveIndex}:${poster.part}`,
      groupId: String(poster.groupIndex),
      authorName: note.author,
      placed: note.itemRef !== null,
      itemIds: note.itemRef ? [itemKey(poster.perspectiveIndex, note.itemRef.kind, note.itemRef.position + 1)] : [],
    })),
  );
  return { posterItems, notes };
}

export interface PlacementQuality {
  labelled: number;
  top1: number;
  top3: number;
  unplaced: number;
  highShare: number;
  highPrecision: number;
  highLabelled: number;
}

/**
 * Top-1 and top-3 accuracy on the labelled lapper, share of unplaced lapper with `high`, precision
 * of `high`; the first labelled set unless another is given (the held-out one).
 */
export function measureQuality(
  board: ParsedBoard,
  suggestions: readonly PlacementSuggestion[] = suggestPlacements(placementInput(board)),
  labels: readonly PlacementLabel[] = BAERUM_PLACEMENT_LABELS,
): PlacementQuality {
  const byId = new Map(suggestions.map((s) => [s.noteId, s]));
  let top1 = 0;
  let top3 = 0;
  let highLabelled = 0;
  let highRight = 0;
  for (const label of labels) {
    const poster = board.posters[label.poster];
    const index = poster?.notes.findIndex((note) => note.text.startsWith(label.opening)) ?? -1;
    if (!poster || index < 0) throw new Error(`label not found: ${label.poster} «${label.opening}»`);
    const suggestion = byId.get(`${label.poster}.${index}`);
    if (!suggestion) throw new Error(`labelled lapp is placed by the import: ${label.poster} «${label.opening}»`);
    const wanted = new Set(label.items.map((item) => `${poster.perspectiveIndex}:${item}`));
    const ranked = suggestion.items.map((item) => item.itemId);
    if (ranked[0] && wanted.has(ranked[0])) top1++;
    if (ranked.slice(0, 3).some((id) => wanted.has(id))) top3++;
    if (suggestion.confidence === 'high') {
      highLabelled++;
      if (ranked[0] && wanted.has(ranked[0])) highRight++;
    }
  }
  const n = labels.length;
  return {
    labelled: n,
    top1: top1 / n,
    top3: top3 / n,
    unplaced: suggestions.length,
    highShare: suggestions.filter((s) => s.confidence === 'high').length / suggestions.length,
    highPrecision: highLabelled === 0 ? 0 : highRight / highLabelled,
    highLabelled,
  };
}
