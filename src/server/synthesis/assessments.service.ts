import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Db } from '../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { markDuplicate, unmarkDuplicate } from '../live/notes.service.js';
import type { AssessBody, AssessManyBody } from '../../contract/synthesis.schema.js';

/**
 * [SYN-3] A planner records the merknadsbehandling of a lapp. A stale `version` gets 409 with
 * the assessment as it is now, so two planners never overwrite each other silently.
 */
export async function assessNote(actor: Actor | null, noteId: string, input: AssessBody, db: Db) {
  assertPlanner(actor);
  return db.transaction().execute(async (tx) => {
    const note = await tx.selectFrom('notes').select(['id', 'workshop_id']).where('id', '=', noteId).executeTakeFirst();
    if (!note) throw fail.notFound('Lapp');
    const current = await tx.selectFrom('assessments').selectAll().where('note_id', '=', noteId).forUpdate().executeTakeFirst();
    // Version 0 says "I saw no assessment": someone else's first assessment is then a conflict too.
    if (current && input.version !== undefined && input.version !== current.version) {
      throw fail.versionConflict({ status: current.status, justification: current.justification, version: current.version });
    }
    const values = { status: input.status, justification: input.justification, assessed_by: actor.userId, assessed_at: new Date() };
    const saved = current
      ? await tx
          .updateTable('assessments')
          .set((eb) => ({ ...values, version: eb('version', '+', 1) }))
          .where('note_id', '=', noteId)
          .returningAll()
          .executeTakeFirstOrThrow()
      : await tx.insertInto('assessments').values({ note_id: noteId, workshop_id: note.workshop_id, ...values }).returningAll().executeTakeFirstOrThrow();
    await recordAudit(tx, actor, {
      action: 'assessment.set',
      workshopId: note.workshop_id,
      targetType: 'note',
      targetId: noteId,
      detail: { status: saved.status, version: saved.version },
    });
    return { noteId, status: saved.status, justification: saved.justification, version: saved.version, assessedAt: saved.assessed_at.toISOString() };
  });
}

/** The same assessment for many lapper at once, e.g. a whole theme; all or nothing. */
export async function assessNotes(actor: Actor | null, workshopId: string, input: AssessManyBody, db: Db): Promise<{ assessed: number }> {
  assertPlanner(actor);
  const ids = [...new Set(input.noteIds)];
  return db.transaction().execute(async (tx) => {
    const notes = await tx.selectFrom('notes').select('id').where('workshop_id', '=', workshopId).where('id', 'in', ids).execute();
    if (notes.length !== ids.length) throw fail.invalid('noteIds', 'some lapper are not in this workshop');
    await tx
      .insertInto('assessments')
      .values(ids.map((noteId) => ({ note_id: noteId, workshop_id: workshopId, status: input.status, justification: input.justification, assessed_by: actor.userId })))
      .onConflict((oc) =>
        oc.column('note_id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          justification: eb.ref('excluded.justification'),
          assessed_by: eb.ref('excluded.assessed_by'),
          assessed_at: new Date(),
          version: eb('assessments.version', '+', 1),
        })),
      )
      .execute();
    await recordAudit(tx, actor, { action: 'assessment.bulk', workshopId, targetType: 'notes', detail: { status: input.status, noteIds: ids } });
    return { assessed: ids.length };
  });
}

/** Removes an assessment (a planner changed their mind); the lapp is unassessed again. */
export async function clearAssessment(actor: Actor | null, noteId: string, db: Db): Promise<void> {
  assertPlanner(actor);
  await db.transaction().execute(async (tx) => {
    const removed = await tx.deleteFrom('assessments').where('note_id', '=', noteId).returning('workshop_id').executeTakeFirst();
    if (removed) await recordAudit(tx, actor, { action: 'assessment.cleared', workshopId: removed.workshop_id, targetType: 'note', targetId: noteId });
  });
}

/** [SYN-5] Marks a near-duplicate as a copy of the lapp kept; it leaves counts and reports but stays stored. */
export async function mergeDuplicate(actor: Actor | null, noteId: string, keepNoteId: string, db: Db): Promise<void> {
  assertPlanner(actor);
  await db.transaction().execute(async (tx) => {
    const workshopId = await markDuplicate(actor, { noteId, keepNoteId }, tx);
    await recordAudit(tx, actor, { action: 'duplicate.merged', workshopId, targetType: 'note', targetId: noteId, detail: { keepNoteId } });
  });
}

export async function unmergeDuplicate(actor: Actor | null, noteId: string, db: Db): Promise<void> {
  assertPlanner(actor);
  await db.transaction().execute(async (tx) => {
    const workshopId = await unmarkDuplicate(actor, noteId, tx);
    if (workshopId) await recordAudit(tx, actor, { action: 'duplicate.unmerged', workshopId, targetType: 'note', targetId: noteId });
  });
}
