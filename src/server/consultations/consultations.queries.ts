import path from 'node:path';
import { sql, type Insertable } from 'kysely';
import type { Queryable } from '../db/database.js';
import type { ConsultationsTable, ModerationStatus, SubmissionAttachmentsTable, SubmissionsTable } from '../db/tables.js';

export const insertConsultation = (db: Queryable, row: Insertable<ConsultationsTable>) =>
  db.insertInto('consultations').values(row).returningAll().executeTakeFirstOrThrow();

export const findConsultation = (db: Queryable, id: string) =>
  db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();

export const lockConsultation = (db: Queryable, id: string) =>
  db.selectFrom('consultations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const setWindow = (db: Queryable, id: string, opensAt: Date, closesAt: Date) =>
  db
    .updateTable('consultations')
    .set((eb) => ({ opens_at: opensAt, closes_at: closesAt, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const countSubmissions = async (db: Queryable, consultationId: string) =>
  Number(
    (
      await db
        .selectFrom('submissions')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('consultation_id', '=', consultationId)
        .where('split_from', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

export const listConsultationsOfPlan = (db: Queryable, planId: string) =>
  db.selectFrom('consultations').selectAll().where('plan_id', '=', planId).orderBy('opens_at').execute();

/** [OPS-7] Of these consultation ids, the ones that exist. */
export const existingConsultationIds = async (db: Queryable, ids: string[]): Promise<Set<string>> =>
  new Set((await inChunks(ids, (chunk) => db.selectFrom('consultations').select('id').where('id', 'in', chunk).execute())).map((row) => row.id));

/** [OPS-7] Of these storage keys (`<consultation>/<attachment id>`), the ones a stored attachment names. */
export const storedAttachmentKeys = async (db: Queryable, keys: string[]): Promise<Set<string>> =>
  new Set(
    (
      await inChunks(
        keys.map((key) => path.basename(key)),
        (ids) => db.selectFrom('submission_attachments').select('storage_key').where('id', 'in', ids).execute(),
      )
    ).map((row) => row.storage_key),
  );

async function inChunks<T>(values: string[], read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for (let i = 0; i < values.length; i += 1000) rows.push(...(await read(values.slice(i, i + 1000))));
  return rows;
}

export const listWorkshopsOfPlan = (db: Queryable, planId: string) =>
  db.selectFrom('workshops').select(['id', 'title', 'date', 'state', 'opened_at', 'created_at']).where('plan_id', '=', planId).execute();

/**
 * [CONS-4] Takes the year's next `count` numbers and returns the last of them; the counter row
 * serialises concurrent transactions (one step per group commit, see submissionCommit.ts).
 */
export async function takeReferenceNumbers(db: Queryable, year: number, count: number): Promise<number> {
  const row = await db
    .insertInto('consultation_reference_counters')
    .values({ year, last: count })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql`consultation_reference_counters.last + ${count}` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return row.last;
}

/** Opening and closing of the consultations named (what a submission's commit checks). */
export async function findConsultationWindows(db: Queryable, ids: string[]) {
  const rows = await db.selectFrom('consultations').select(['id', 'opens_at', 'closes_at']).where('id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.id, row]));
}

export async function insertSubmissions(db: Queryable, rows: Insertable<SubmissionsTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('submissions').values(rows).execute();
}

export async function insertItemsOfSubmissions(db: Queryable, rows: { submission_id: string; item_id: string }[]): Promise<void> {
  if (rows.length) await db.insertInto('submission_items').values(rows).execute();
}

export const insertSubmission = (db: Queryable, row: Insertable<SubmissionsTable>) =>
  db.insertInto('submissions').values(row).returningAll().executeTakeFirstOrThrow();

export const insertSubmissionItems = (db: Queryable, submissionId: string, itemIds: string[]) =>
  insertItemsOfSubmissions(db, itemIds.map((item_id) => ({ submission_id: submissionId, item_id })));

export async function insertAttachments(db: Queryable, rows: Insertable<SubmissionAttachmentsTable>[]): Promise<void> {
  if (rows.length) await db.insertInto('submission_attachments').values(rows).execute();
}

export const findSubmission = (db: Queryable, id: string) =>
  db.selectFrom('submissions').selectAll().where('id', '=', id).executeTakeFirst();

export const lockSubmission = (db: Queryable, id: string) =>
  db.selectFrom('submissions').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();

export const findSubmissionByFollowHash = (db: Queryable, hash: string) =>
  db.selectFrom('submissions').selectAll().where('follow_token_hash', '=', hash).executeTakeFirst();

export const listSubmissionRows = (db: Queryable, consultationId: string) =>
  db.selectFrom('submissions').selectAll().where('consultation_id', '=', consultationId).orderBy('submitted_at').orderBy('reference').execute();

export const listSplitParts = (db: Queryable, letterId: string) =>
  db.selectFrom('submissions').selectAll().where('split_from', '=', letterId).orderBy('reference').execute();

export const listSubmissionItems = (db: Queryable, submissionIds: string[]) =>
  submissionIds.length
    ? db.selectFrom('submission_items').selectAll().where('submission_id', 'in', submissionIds).execute()
    : Promise.resolve([]);

export const listAttachments = (db: Queryable, submissionIds: string[]) =>
  submissionIds.length
    ? db.selectFrom('submission_attachments').selectAll().where('submission_id', 'in', submissionIds).orderBy('position').execute()
    : Promise.resolve([]);

export const listAssessments = (db: Queryable, submissionIds: string[]) =>
  submissionIds.length
    ? db.selectFrom('submission_assessments').selectAll().where('submission_id', 'in', submissionIds).execute()
    : Promise.resolve([]);

export const findAttachment = (db: Queryable, id: string) =>
  db
    .selectFrom('submission_attachments as a')
    .innerJoin('submissions as s', 's.id', 'a.submission_id')
    .select(['a.id', 'a.submission_id', 'a.name', 'a.media_type', 'a.bytes', 'a.storage_key', 's.consultation_id'])
    .where('a.id', '=', id)
    .executeTakeFirst();

export const setModeration = (
  db: Queryable,
  id: string,
  change: { status: ModerationStatus; hidden_reason: string | null; copy_of?: string | null },
) =>
  db
    .updateTable('submissions')
    .set((eb) => ({ ...change, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const bumpVersion = (db: Queryable, id: string) =>
  db.updateTable('submissions').set((eb) => ({ version: eb('version', '+', 1) })).where('id', '=', id).execute();

export const insertModerationEntry = (
  db: Queryable,
  row: { id: string; consultation_id: string; submission_id: string; action: string; detail: string; actor_user_id: string | null },
) => db.insertInto('moderation_log').values(row).execute();

export const listModerationLog = (db: Queryable, consultationId: string) =>
  db
    .selectFrom('moderation_log as m')
    .leftJoin('users as u', 'u.id', 'm.actor_user_id')
    .select(['m.id', 'm.submission_id', 'm.action', 'm.detail', 'm.created_at', 'u.name as actor_name'])
    .where('m.consultation_id', '=', consultationId)
    .orderBy('m.created_at')
    .execute();

export const upsertAssessment = (
  db: Queryable,
  row: { submission_id: string; consultation_id: string; status: SubmissionAssessmentStatus; justification: string; assessed_by: string },
) =>
  db
    .insertInto('submission_assessments')
    .values({ ...row, assessed_at: new Date() })
    .onConflict((oc) =>
      oc.column('submission_id').doUpdateSet((eb) => ({
        status: eb.ref('excluded.status'),
        justification: eb.ref('excluded.justification'),
        assessed_by: eb.ref('excluded.assessed_by'),
        assessed_at: eb.ref('excluded.assessed_at'),
        version: sql`submission_assessments.version + 1`,
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();

type SubmissionAssessmentStatus = 'accepted' | 'partly' | 'rejected' | 'already_covered' | 'out_of_scope';

/** The revisions that høring inputs motivated, with their before → after. */
export const listRevisionsOfSubmissions = (db: Queryable, submissionIds: string[]) =>
  submissionIds.length
    ? db
        .selectFrom('revision_submissions as rs')
        .innerJoin('revisions as r', 'r.id', 'rs.revision_id')
        .select(['rs.submission_id', 'r.id', 'r.item_id', 'r.before_text', 'r.after_text', 'r.created_at'])
        .where('rs.submission_id', 'in', submissionIds)
        .orderBy('r.created_at')
        .execute()
    : Promise.resolve([]);
