import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import { assertStateAllowsWrite } from '../../domain/workshopRules.js';
import type { Db } from '../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { publishCommitted, recordBoardChange, type PublishEvents } from '../live/boardChanges.js';
import { handOverInput, moveGroupInput } from '../live/notes.service.js';
import { mergeRoster, removeMergedGroup } from '../workshops/importGroups.service.js';

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
    // Each table through its owner ([LIVE-25]): the roster (workshops), then the input (live).
    const namesakes = await mergeRoster(actor, { groupId, intoGroupId }, tx);
    for (const pair of namesakes) await handOverInput(actor, pair, tx);
    await moveGroupInput(actor, { groupId, intoGroupId }, tx);
    await removeMergedGroup(actor, { workshopId, groupId, participantIds: namesakes.map((p) => p.from) }, tx);
    await recordAudit(tx, actor, { action: 'group.merged', workshopId, targetType: 'group', targetId: groupId, detail: { intoGroupId } });
    // [LIVE-14][LIVE-15] Devices get the merged board; those of moved people reconnect into the target group.
    return recordBoardChange(tx, workshopId, 'merge');
  });
  await publishCommitted(publish, events);
}
