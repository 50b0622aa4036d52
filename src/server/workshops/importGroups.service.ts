import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/actors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Tx } from '../db/database.js';

/**
 * [IMPORT-5] The groups an import names, by name (case-insensitive) with their participants; a
 * name not seen before becomes a new group at the end, reported back. Workshops owns `groups`; the
 * import calls this in its own transaction and appends the board change itself.
 */
export async function groupsForImport(actor: Actor | null, input: { workshopId: string; names: string[] }, tx: Tx) {
  assertPlanner(actor);
  const { workshopId, names } = input;
  const existing = await tx.selectFrom('groups').select(['id', 'name', 'position']).where('workshop_id', '=', workshopId).execute();
  const participants = await tx.selectFrom('participants').select(['id', 'name', 'group_id']).where('workshop_id', '=', workshopId).execute();
  const byName = new Map(existing.map((g) => [g.name.toLocaleLowerCase('nb'), { id: g.id, participants: participants.filter((p) => p.group_id === g.id) }]));
  const created: string[] = [];
  let position = existing.length;
  for (const name of names) {
    if (byName.has(name.toLocaleLowerCase('nb'))) continue;
    const id = randomUUID();
    await tx.insertInto('groups').values({ id, workshop_id: workshopId, name, position: position++, facilitator_user_id: null, timer_ends_at: null }).execute();
    byName.set(name.toLocaleLowerCase('nb'), { id, participants: [] });
    created.push(name);
  }
  return { byName, created };
}
