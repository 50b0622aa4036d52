import type { Actor, UserActor } from './actors.js';
import { DomainError } from './errors.js';

/** Planners prepare and change the plan; nobody else does. */
export function assertPlanner(actor: Actor | null): asserts actor is UserActor & { role: 'planner' } {
  if (!actor) throw new DomainError('unauthenticated', 'Log in first');
  if (!isPlanner(actor)) throw new DomainError('forbidden', 'Only planners may do this');
}

export const isPlanner = (actor: Actor | null): actor is UserActor & { role: 'planner' } => actor?.kind === 'user' && actor.role === 'planner';

/** Any logged-in planner or facilitator. */
export function assertUser(actor: Actor | null): asserts actor is UserActor {
  if (!actor) throw new DomainError('unauthenticated', 'Log in first');
  if (actor.kind !== 'user') throw new DomainError('forbidden', 'Only planners and facilitators may do this');
}
