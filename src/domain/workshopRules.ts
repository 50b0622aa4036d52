import type { Actor } from './actors.js';
import { DomainError } from './errors.js';

export type WorkshopState = 'draft' | 'open' | 'closed';

/** The facts about a group's poster that decide who may write there. */
export interface WritePlace {
  workshopId: string;
  workshopState: WorkshopState;
  groupId: string;
  groupFacilitatorId: string | null;
}

/**
 * [LIVE-1] A participant writes only on their own group's posters in their own workshop, and only
 * while it is open. [LIVE-2] A facilitator acts only on the groups they facilitate. [LIVE-3] A
 * closed workshop is read-only for everyone but planners. [LIVE-4] The plenary view never writes.
 */
export function assertMayWrite(actor: Actor | null, place: WritePlace): void {
  if (!actor) throw new DomainError('unauthenticated', 'Join the workshop or log in first');
  if (actor.kind === 'viewer') throw new DomainError('forbidden', 'The plenary view is read-only');
  if (actor.kind === 'participant') {
    if (actor.workshopId !== place.workshopId || actor.groupId !== place.groupId) {
      throw new DomainError('forbidden', 'You can write only on your own group’s posters');
    }
  } else if (actor.role === 'facilitator' && place.groupFacilitatorId !== actor.userId) {
    throw new DomainError('forbidden', 'You facilitate another group');
  }
  assertStateAllowsWrite(actor, place.workshopState);
}

/**
 * [LIVE-3] The state rule of every write to a workshop, live or not: a closed workshop takes
 * writes from planners only, a draft one is not yet open to anyone else. Writers outside the live
 * commands (imports, merge, setup) check it too, so a paper workshop can be typed in after it closed.
 */
export function assertStateAllowsWrite(actor: Actor, state: WorkshopState): void {
  const isPlanner = actor.kind === 'user' && actor.role === 'planner';
  if (state === 'closed' && !isPlanner) throw new DomainError('workshop_closed', 'The workshop is closed');
  if (state === 'draft' && !isPlanner) throw new DomainError('workshop_not_open', 'The workshop has not opened yet');
}

/** May this actor manage the group (move lapper, reveal stars, run the timer)? Facilitators of the group and planners. */
export function assertMayFacilitate(actor: Actor | null, place: WritePlace): void {
  assertMayWrite(actor, place);
  if (actor?.kind !== 'user') throw new DomainError('forbidden', 'Only the facilitator can do this');
}

export interface StarCheck {
  budget: number;
  /** Stars this participant already has on this poster. */
  used: number;
  perItem: number;
  /** Stars this participant already has on this item. */
  usedOnItem: number;
}

/** [STAR-1] Stars within the budget per poster; [STAR-3] at most `perItem` on one item. */
export function assertMayGiveStar(check: StarCheck): void {
  if (check.used >= check.budget) throw new DomainError('star_budget_exhausted', `All ${check.budget} stars are used on this poster`);
  if (check.usedOnItem >= check.perItem) throw new DomainError('star_limit_per_item', 'This item already has your star');
}

export const starsLeft = (budget: number, used: number) => Math.max(0, budget - used);

/**
 * [STAR-4] While a group's star totals are hidden, a participant and the plenary screen see only
 * the participant's own stars; facilitators and planners see all. Enforced when the server sends.
 */
export function mayShowStar(
  viewer: { kind: 'participant'; participantId: string } | { kind: 'user' } | { kind: 'viewer' },
  star: { participantId: string | null },
  totals: { starsHidden: boolean; revealed: boolean },
): boolean {
  if (!totals.starsHidden || totals.revealed || viewer.kind === 'user') return true;
  return viewer.kind === 'participant' && star.participantId === viewer.participantId;
}
