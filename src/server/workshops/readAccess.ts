import type { Actor, UserActor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertUser } from '../../domain/permissions.js';
import { readableGroups } from '../../domain/workshops.js';
import type { Queryable } from '../db/database.js';

/**
 * Reads of participant data (lapper, authors, stars, parties) check what writes check: planners
 * read every workshop, a facilitator only the workshops they facilitate a group in, and nobody
 * else. The order of the answers is 401, then 404 for an unknown workshop, then 403.
 * Returns the groups the actor may see ('all' for planners).
 */
export async function assertMayReadWorkshop(db: Queryable, actor: Actor | null, workshopId: string): Promise<'all' | string[]> {
  if (!actor) throw fail.unauthenticated();
  const workshop = await db.selectFrom('workshops').select('id').where('id', '=', workshopId).executeTakeFirst();
  if (!workshop) throw fail.notFound('Workshop');
  const groups = await db.selectFrom('groups').select(['id', 'facilitator_user_id as facilitatorUserId']).where('workshop_id', '=', workshopId).execute();
  return readableGroups(actor, groups);
}

/**
 * The workshops on a plan whose participant data this user may read: 'all' for planners, the ones
 * they facilitate for a facilitator (forbidden when there is none).
 */
export async function readableWorkshopsOfPlan(db: Queryable, actor: Actor | null, planId: string): Promise<'all' | string[]> {
  assertUser(actor);
  if (actor.role === 'planner') return 'all';
  const ids = await facilitatedWorkshops(db, actor, planId);
  if (ids.length === 0) throw fail.forbidden('You facilitate no workshop on this plan');
  return ids;
}

async function facilitatedWorkshops(db: Queryable, actor: UserActor, planId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('groups as g')
    .innerJoin('workshops as w', 'w.id', 'g.workshop_id')
    .select('w.id')
    .distinct()
    .where('w.plan_id', '=', planId)
    .where('g.facilitator_user_id', '=', actor.userId)
    .execute();
  return rows.map((row) => row.id);
}
