import type { Queryable } from '../db/database.js';

/** The revisions these lapper motivated, oldest first ([SYN-6] seen from the participant's side). */
export const revisionsOfNotes = (db: Queryable, noteIds: string[]) =>
  noteIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('revision_notes as rn')
        .innerJoin('revisions as r', 'r.id', 'rn.revision_id')
        .select(['rn.note_id', 'r.id', 'r.action', 'r.before_text', 'r.after_text', 'r.created_at'])
        .where('rn.note_id', 'in', noteIds)
        .orderBy('r.created_at')
        .execute();

/** Lapper written in reply to these, and the lapper these reply to: the thread around a participant's own. */
export const threadNotes = (db: Queryable, where: { parentsOf: string[] } | { repliesTo: string[] }) => {
  const ids = 'parentsOf' in where ? where.parentsOf : where.repliesTo;
  if (ids.length === 0) return Promise.resolve([]);
  let query = db
    .selectFrom('notes as n')
    .leftJoin('participants as p', 'p.id', 'n.author_participant_id')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .select(['n.id', 'n.text', 'n.reply_to_note_id', 'n.author_participant_id', 'n.created_at', (eb) => eb.fn.coalesce('p.name', 'n.author_name', 'u.name').as('author_name')])
    .where('n.withdrawn_at', 'is', null)
    .where('n.duplicate_of', 'is', null);
  query = 'parentsOf' in where ? query.where('n.id', 'in', ids) : query.where('n.reply_to_note_id', 'in', ids);
  return query.orderBy('n.created_at').execute();
};
