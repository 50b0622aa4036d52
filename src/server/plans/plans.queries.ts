import { sql } from 'kysely';
import { fail } from '../../domain/errors.js';
import type { Queryable } from '../db/database.js';
import type { ItemKindColumn, RevisionsTable } from '../db/tables.js';
import type { Insertable } from 'kysely';

export const listPlanSummaries = (db: Queryable) =>
  db
    .selectFrom('plans as p')
    .select((eb) => [
      'p.id',
      'p.title',
      'p.municipality',
      'p.horizon_year',
      'p.updated_at',
      eb
        .selectFrom('perspectives')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('perspectives.plan_id', '=', 'p.id')
        .where('perspectives.archived_at', 'is', null)
        .as('perspective_count'),
    ])
    .orderBy('p.updated_at', 'desc')
    .execute();

export const findPlan = (db: Queryable, planId: string) =>
  db.selectFrom('plans').selectAll().where('id', '=', planId).executeTakeFirst();

/**
 * Deletes a plan nothing else is on: no workshop and no høring (a høring would take its inputs along,
 * by cascade). One statement, so nothing is added between the check and the delete's row lock.
 */
export const deletePlanIfUnused = (db: Queryable, planId: string) =>
  db
    .deleteFrom('plans')
    .where('id', '=', planId)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('workshops').select('id').where('plan_id', '=', planId)).or(exists(selectFrom('consultations').select('id').where('plan_id', '=', planId)))),
    )
    .execute();

export const lockPlan = (db: Queryable, planId: string) =>
  db.selectFrom('plans').selectAll().where('id', '=', planId).forUpdate().executeTakeFirst();

export const listPerspectives = (db: Queryable, planId: string) =>
  db
    .selectFrom('perspectives')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .orderBy('created_at')
    .execute();

/** Items of a plan with whether any lapp or star points at them. */
export const listItemsOfPlan = (db: Queryable, planId: string) =>
  db
    .selectFrom('items as i')
    .innerJoin('perspectives as p', 'p.id', 'i.perspective_id')
    .selectAll('i')
    .select((eb) => [
      eb
        .or([
          eb.exists(eb.selectFrom('note_items').select(sql.lit(1).as('one')).whereRef('note_items.item_id', '=', 'i.id')),
          eb.exists(eb.selectFrom('stars').select(sql.lit(1).as('one')).whereRef('stars.item_id', '=', 'i.id')),
          eb.exists(eb.selectFrom('submission_items').select(sql.lit(1).as('one')).whereRef('submission_items.item_id', '=', 'i.id')),
        ])
        .as('has_input'),
    ])
    .where('p.plan_id', '=', planId)
    .orderBy('i.position')
    .orderBy('i.created_at')
    .execute();

export const findPerspective = (db: Queryable, perspectiveId: string) =>
  db.selectFrom('perspectives').selectAll().where('id', '=', perspectiveId).where('archived_at', 'is', null).executeTakeFirst();

export const findItem = (db: Queryable, itemId: string) =>
  db
    .selectFrom('items as i')
    .innerJoin('perspectives as p', 'p.id', 'i.perspective_id')
    .selectAll('i')
    .select('p.plan_id')
    .where('i.id', '=', itemId)
    .executeTakeFirst();

export const siblingIds = async (db: Queryable, perspectiveId: string, kind: ItemKindColumn) =>
  (
    await db
      .selectFrom('items')
      .select('id')
      .where('perspective_id', '=', perspectiveId)
      .where('kind', '=', kind)
      .where('archived_at', 'is', null)
      .orderBy('position')
      .orderBy('created_at')
      .execute()
  ).map((row) => row.id);

export async function setItemPositions(db: Queryable, orderedIds: string[]): Promise<void> {
  for (const [position, id] of orderedIds.entries()) {
    await db.updateTable('items').set({ position }).where('id', '=', id).execute();
  }
}

export async function setPerspectivePositions(db: Queryable, orderedIds: string[]): Promise<void> {
  for (const [position, id] of orderedIds.entries()) {
    await db.updateTable('perspectives').set({ position }).where('id', '=', id).execute();
  }
}

export const itemHasInput = async (db: Queryable, itemId: string) => {
  const row = await db
    .selectFrom('items as i')
    .select((eb) => [
      eb.exists(eb.selectFrom('note_items').select(sql.lit(1).as('one')).where('note_items.item_id', '=', itemId)).as('notes'),
      eb.exists(eb.selectFrom('stars').select(sql.lit(1).as('one')).where('stars.item_id', '=', itemId)).as('stars'),
      // høring input on the item ([CONS-1])
      eb.exists(eb.selectFrom('submission_items').select(sql.lit(1).as('one')).where('submission_items.item_id', '=', itemId)).as('submissions'),
    ])
    .where('i.id', '=', itemId)
    .executeTakeFirst();
  return Boolean(row?.notes || row?.stars || row?.submissions);
};

export const perspectiveIsUsed = async (db: Queryable, perspectiveId: string) => {
  const poster = await db.selectFrom('posters').select('id').where('perspective_id', '=', perspectiveId).limit(1).executeTakeFirst();
  return poster !== undefined;
};

export const insertRevision = (db: Queryable, revision: Insertable<RevisionsTable>) =>
  db.insertInto('revisions').values(revision).execute();

export const listRevisions = (db: Queryable, filter: { planId: string; itemId?: string }) => {
  let query = db
    .selectFrom('revisions as r')
    .leftJoin('users as u', 'u.id', 'r.author_user_id')
    .selectAll('r')
    .select(['u.name as author_name'])
    .where('r.plan_id', '=', filter.planId);
  if (filter.itemId) query = query.where('r.item_id', '=', filter.itemId);
  return query.orderBy('r.created_at', 'desc').limit(500).execute();
};

export const touchPlan = (db: Queryable, planId: string) =>
  db.updateTable('plans').set({ updated_at: new Date() }).where('id', '=', planId).execute();

/** Links lapper to a revision; only lapper on posters of the item's perspective count. */
export async function linkRevisionNotes(db: Queryable, revisionId: string, perspectiveId: string, noteIds: string[]): Promise<void> {
  if (noteIds.length === 0) return;
  const found = await db
    .selectFrom('notes as n')
    .innerJoin('posters as p', 'p.id', 'n.poster_id')
    .select('n.id')
    .where('n.id', 'in', noteIds)
    .where('p.perspective_id', '=', perspectiveId)
    .execute();
  if (found.length !== new Set(noteIds).size) throw fail.invalid('noteIds', 'some lapper are unknown or belong to another perspective');
  await db.insertInto('revision_notes').values(found.map((note) => ({ revision_id: revisionId, note_id: note.id }))).execute();
}

/** [CONS-13] Links høring inputs to a revision; only inputs to a consultation on the same plan count. */
export async function linkRevisionSubmissions(db: Queryable, revisionId: string, planId: string, submissionIds: string[]): Promise<void> {
  if (submissionIds.length === 0) return;
  const found = await db
    .selectFrom('submissions as s')
    .innerJoin('consultations as c', 'c.id', 's.consultation_id')
    .select('s.id')
    .where('s.id', 'in', submissionIds)
    .where('c.plan_id', '=', planId)
    .execute();
  if (found.length !== new Set(submissionIds).size) throw fail.invalid('submissionIds', 'some inputs are unknown or belong to another plan');
  await db.insertInto('revision_submissions').values(found.map((s) => ({ revision_id: revisionId, submission_id: s.id }))).execute();
}

/** The lapper linked to these revisions, from every workshop or only the given ones. */
export const revisionNotes = async (db: Queryable, revisionIds: string[], workshopIds: 'all' | string[]) =>
  revisionIds.length === 0 || workshopIds.length === 0
    ? []
    : db
        .selectFrom('revision_notes as rn')
        .innerJoin('notes as n', 'n.id', 'rn.note_id')
        .innerJoin('groups as g', 'g.id', 'n.group_id')
        .leftJoin('participants as p', 'p.id', 'n.author_participant_id')
        .select(['rn.revision_id', 'n.id', 'n.text', 'g.name as groupName', (eb) => eb.fn.coalesce('p.name', 'n.author_name').as('authorName')])
        .where('rn.revision_id', 'in', revisionIds)
        .$if(workshopIds !== 'all', (query) => query.where('n.workshop_id', 'in', workshopIds as string[]))
        .execute();

/**
 * [CONS-19] Which participation step's input motivated each revision: workshops through the linked
 * lapper, consultations through the linked høring inputs. Titles and reference numbers only, no
 * participant data, so every reader of the history sees them.
 */
export async function revisionSteps(db: Queryable, revisionIds: string[]) {
  if (revisionIds.length === 0) return { workshops: [], consultations: [] };
  const [workshops, consultations] = await Promise.all([
    db
      .selectFrom('revision_notes as rn')
      .innerJoin('notes as n', 'n.id', 'rn.note_id')
      .innerJoin('workshops as w', 'w.id', 'n.workshop_id')
      .select(['rn.revision_id', 'w.id', 'w.title'])
      .distinct()
      .where('rn.revision_id', 'in', revisionIds)
      .orderBy('w.title')
      .execute(),
    db
      .selectFrom('revision_submissions as rs')
      .innerJoin('submissions as s', 's.id', 'rs.submission_id')
      .innerJoin('consultations as c', 'c.id', 's.consultation_id')
      .select(['rs.revision_id', 'c.id', 'c.title', 's.reference'])
      .where('rs.revision_id', 'in', revisionIds)
      .orderBy('c.title')
      .orderBy('s.reference')
      .execute(),
  ]);
  return { workshops, consultations };
}
