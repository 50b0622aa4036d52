import type { Queryable } from '../db/database.js';

/** Every lapp of the plan's workshops on an item or in a general box, with author, group and assessment. */
export const listWorkshopInputsOfPlan = (db: Queryable, planId: string) =>
  db
    .selectFrom('notes as n')
    .innerJoin('workshops as w', 'w.id', 'n.workshop_id')
    .leftJoin('participants as p', 'p.id', 'n.author_participant_id')
    .leftJoin('groups as g', 'g.id', 'n.group_id')
    .leftJoin('assessments as a', 'a.note_id', 'n.id')
    .select([
      'n.id',
      'n.text',
      'n.kind',
      'n.created_at',
      'n.author_name',
      'w.id as workshop_id',
      'w.title as workshop_title',
      'p.name as participant_name',
      'g.name as group_name',
      'a.status',
      'a.justification',
    ])
    .where('w.plan_id', '=', planId)
    .where('n.withdrawn_at', 'is', null)
    .where('n.duplicate_of', 'is', null)
    .where('n.reply_to_note_id', 'is', null)
    .where('n.kind', '<>', 'facilitator_note')
    .orderBy('n.created_at')
    .execute();

export const listNoteItems = (db: Queryable, noteIds: string[]) =>
  noteIds.length ? db.selectFrom('note_items').selectAll().where('note_id', 'in', noteIds).execute() : Promise.resolve([]);

export const listRevisionsOfNotes = (db: Queryable, noteIds: string[]) =>
  noteIds.length
    ? db
        .selectFrom('revision_notes as rn')
        .innerJoin('revisions as r', 'r.id', 'rn.revision_id')
        .select(['rn.note_id', 'r.item_id', 'r.before_text', 'r.after_text', 'r.created_at'])
        .where('rn.note_id', 'in', noteIds)
        .orderBy('r.created_at')
        .execute()
    : Promise.resolve([]);
