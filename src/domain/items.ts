import type { PosterPart } from './workshops.js';

/** The kinds of text a plan's perspective holds, in the order a poster shows them. */
export const itemKinds = ['main_goal', 'sub_goal', 'strategy', 'land_use_strategy'] as const;
export type ItemKind = (typeof itemKinds)[number];

/**
 * Which items each part of a poster shows, and so the only items a lapp on it can be attached to:
 * Del 1 (`goals`) the hovedmål and the delmål, Del 2 (`strategies`) the strategier and
 * arealstrategier. The one copy of this rule: live board, live commands, imports and reports use it.
 */
export const posterKinds = {
  goals: ['main_goal', 'sub_goal'],
  strategies: ['strategy', 'land_use_strategy'],
} as const satisfies Record<PosterPart, readonly ItemKind[]>;

export const isOnPoster = (part: PosterPart, kind: ItemKind): boolean => (posterKinds[part] as readonly ItemKind[]).includes(kind);

/** Longest item text we accept; a delmål or strategi is a sentence or two. */
export const ITEM_TEXT_MAX = 1000;

export interface Orderable {
  id: string;
  kind: ItemKind;
  position: number;
  archivedAt?: Date | string | null;
}

/**
 * An item's number is its place among the live items of its kind in its perspective, so the
 * poster errors of the paper workshop ("Strategi 11" twice) cannot happen.
 */
export function numberItems<T extends Orderable>(items: readonly T[]): Array<T & { number: number | null }> {
  const counters = new Map<ItemKind, number>();
  return [...items]
    .sort((a, b) => itemKinds.indexOf(a.kind) - itemKinds.indexOf(b.kind) || a.position - b.position)
    .map((item) => {
      if (item.archivedAt) return { ...item, number: null };
      const next = (counters.get(item.kind) ?? 0) + 1;
      counters.set(item.kind, next);
      return { ...item, number: next };
    });
}

/** Moves the element with `id` to `toIndex`, returning the ids in their new order. */
export function moveInOrder(ids: readonly string[], id: string, toIndex: number): string[] {
  const from = ids.indexOf(id);
  if (from === -1) return [...ids];
  const rest = ids.filter((other) => other !== id);
  const target = Math.max(0, Math.min(toIndex, rest.length));
  return [...rest.slice(0, target), id, ...rest.slice(target)];
}

/** How widely an item was starred, for the consensus ranking. */
export interface StarSpread {
  kind: ItemKind;
  groupsStarring: number;
  partiesStarring: number;
  stars: number;
}

/**
 * [SYN-2] The consensus order: items starred by more groups first, then by more parties, then by
 * more stars; a hovedmål before a delmål before a strategi. Ties keep the order they came in.
 */
export const byConsensus = (a: StarSpread, b: StarSpread) =>
  b.groupsStarring - a.groupsStarring || b.partiesStarring - a.partiesStarring || b.stars - a.stars || itemKinds.indexOf(a.kind) - itemKinds.indexOf(b.kind);
