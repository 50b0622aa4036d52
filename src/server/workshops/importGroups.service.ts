import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/actors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Tx } from '../db/database.js';
import * as q from './workshops.queries.js';

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

/**
 * [IMPORT-4] The roster half of a group merge: each participant of `groupId` moves to
 * `intoGroupId`, unless someone there has the same name; those pairs are returned (the same
 * person twice), for live to hand their input over before `removeMergedGroup` deletes them.
 * The caller locked both groups and appends the board change in the same transaction.
 */
export async function mergeRoster(actor: Actor | null, input: { groupId: string; intoGroupId: string }, tx: Tx): Promise<Array<{ from: string; into: string }>> {
  assertPlanner(actor);
  const [from, into] = await Promise.all([
    tx.selectFrom('participants').select(['id', 'name']).where('group_id', '=', input.groupId).execute(),
    tx.selectFrom('participants').select(['id', 'name']).where('group_id', '=', input.intoGroupId).execute(),
  ]);
  const namesakes: Array<{ from: string; into: string }> = [];
  for (const participant of from) {
    const same = into.find((p) => p.name.toLocaleLowerCase('nb') === participant.name.toLocaleLowerCase('nb'));
    if (same) namesakes.push({ from: participant.id, into: same.id });
    else await q.updateParticipant(tx, participant.id, { group_id: input.intoGroupId });
  }
  return namesakes;
}

/** [IMPORT-4] Ends a group merge: the namesakes whose input was handed over, then the empty group, closing its gap in the positions. */
export async function removeMergedGroup(actor: Actor | null, input: { workshopId: string; groupId: string; participantIds: string[] }, tx: Tx): Promise<void> {
  assertPlanner(actor);
  for (const participantId of input.participantIds) await q.deleteParticipant(tx, participantId);
  await q.deleteGroupClosingGap(tx, input.workshopId, input.groupId);
}
