import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import { assertStateAllowsWrite } from '../../domain/workshopRules.js';
import type { Db } from '../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { publishCommitted, recordBoardChange, type PublishEvents } from '../live/boardChanges.js';

/**
 * [IMPORT-4] Merges a group into another (an import's "Uten gruppe" poster that really belonged
 * to Gruppe 3): its lapper, stars and participants move over; a participant whose name is already
 * in the target group becomes that person, so nobody is counted twice.
 */
export async function mergeGroup(actor: Actor | null, workshopId: string, groupId: string, intoGroupId: string, db: Db, publish?: PublishEvents): Promise<void> {
  assertPlanner(actor);
  if (groupId === intoGroupId) throw fail.invalid('intoGroupId', 'a group cannot be merged into itself');
  const events = await db.transaction().execute(async (tx) => {
    const workshop = await tx.selectFrom('workshops').select('state').where('id', '=', workshopId).forUpdate().executeTakeFirst();
    if (!workshop) throw fail.notFound('Workshop');
    assertStateAllowsWrite(actor, workshop.state);
    const groups = await tx.selectFrom('groups').select(['id', 'workshop_id']).where('id', 'in', [groupId, intoGroupId]).forUpdate().execute();
    if (groups.length !== 2 || groups.some((g) => g.workshop_id !== workshopId)) throw fail.notFound('Group');
    const [from, into] = await Promise.all([
      tx.selectFrom('participants').select(['id', 'name']).where('group_id', '=', groupId).execute(),
      tx.selectFrom('participants').select(['id', 'name']).where('group_id', '=', intoGroupId).execute(),
    ]);
    for (const participant of from) {
      const same = into.find((p) => p.name.toLocaleLowerCase('nb') === participant.name.toLocaleLowerCase('nb'));
      if (!same) {
        await tx.updateTable('participants').set({ group_id: intoGroupId }).where('id', '=', participant.id).execute();
        continue;
      }
      await tx.updateTable('notes').set({ author_participant_id: same.id }).where('author_participant_id', '=', participant.id).execute();
      await tx.updateTable('stars').set({ participant_id: same.id }).where('participant_id', '=', participant.id).execute();
      // An agreement the target person already made stays; the copy goes.
      await tx
        .deleteFrom('agreements')
        .where('participant_id', '=', participant.id)
        .where('note_id', 'in', (eb) => eb.selectFrom('agreements').select('note_id').where('participant_id', '=', same.id))
        .execute();
      await tx.updateTable('agreements').set({ participant_id: same.id }).where('participant_id', '=', participant.id).execute();
      await tx.deleteFrom('participants').where('id', '=', participant.id).execute();
    }
    await tx.updateTable('notes').set({ group_id: intoGroupId }).where('group_id', '=', groupId).execute();
    await tx.updateTable('stars').set({ group_id: intoGroupId }).where('group_id', '=', groupId).execute();
    await tx.deleteFrom('groups').where('id', '=', groupId).execute();
    await recordAudit(tx, actor, { action: 'group.merged', workshopId, targetType: 'group', targetId: groupId, detail: { intoGroupId } });
    // [LIVE-14][LIVE-15] Devices get the merged board; those of moved people reconnect into the target group.
    return recordBoardChange(tx, workshopId, 'merge');
  });
  await publishCommitted(publish, events);
}
