import { sql } from 'kysely';
import type { OverviewQuery } from '../../contract/synthesis.schema.js';
import type { Queryable } from '../db/database.js';

/** Filters that only lapper have (group, party, kind, placing): with one of them set, no høring input matches. */
const workshopOnly = (filters: OverviewQuery) => Boolean(filters.groupId || filters.party || filters.kind || filters.placed);

/** The plan's inputs that stand in a synthesis: published inputs and published split parts (a split letter stands through its parts). */
export const standingInputs = (db: Queryable, planId: string) =>
  db
    .selectFrom('submissions as s')
    .innerJoin('consultations as c', 'c.id', 's.consultation_id')
    .where('c.plan_id', '=', planId)
    .where('s.status', '=', 'published')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('submissions as part').select(sql.lit(1).as('one')).whereRef('part.split_from', '=', 's.id'))));

/**
 * [CONS-20] The høring inputs of a plan that stand in its workshops' synthesis: published inputs and
 * published split parts of its consultations (a split letter stands through its parts), filtered by
 * source, assessment and search. Null when the filters leave no input at all.
 */
export function filteredInputs(db: Queryable, planId: string, workshopId: string, filters: OverviewQuery, searchIds: string[] | null) {
  if (filters.source === 'workshop' || workshopOnly(filters)) return null;
  let query = standingInputs(db, planId)
    .leftJoin('submission_assessments as sa', 'sa.submission_id', 's.id')
    .leftJoin('submission_themes as st', (join) => join.onRef('st.submission_id', '=', 's.id').on('st.workshop_id', '=', workshopId));
  if (filters.themeKey) query = query.where('st.theme_key', '=', filters.themeKey);
  if (filters.source) query = query.where('c.id', '=', filters.source.slice('consultation:'.length));
  if (filters.status === 'unassessed') query = query.where('sa.submission_id', 'is', null);
  else if (filters.status === 'assessed') query = query.where('sa.submission_id', 'is not', null);
  else if (filters.status) query = query.where('sa.status', '=', filters.status);
  if (searchIds) query = query.where(sql<boolean>`s.id = any(${sql.val(searchIds)}::uuid[])`);
  return query;
}

export type FilteredInputs = NonNullable<ReturnType<typeof filteredInputs>>;

/** How many matching inputs each item has, and how many are on no item. */
export async function inputCounts(inputs: FilteredInputs) {
  const rows = await inputs
    .leftJoin('submission_items as si', 'si.submission_id', 's.id')
    .select(['si.item_id', (eb) => eb.fn.count<number>('s.id').distinct().as('count')])
    .groupBy('si.item_id')
    .execute();
  const byItem = new Map<string, number>();
  let general = 0;
  for (const row of rows) {
    if (row.item_id) byItem.set(row.item_id, Number(row.count));
    else general = Number(row.count);
  }
  return { byItem, general };
}

export const countInputs = async (inputs: FilteredInputs) =>
  Number((await inputs.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count);

/** The first `limit` matching inputs of each item (oldest first) and, when asked, of those on no item. */
export async function firstInputIds(db: Queryable, inputs: FilteredInputs, itemIds: string[], general: boolean, limit: number): Promise<string[]> {
  const [onItems, onNone] = await Promise.all([
    itemIds.length
      ? db
          .selectFrom(
            inputs
              .innerJoin('submission_items as si', 'si.submission_id', 's.id')
              .where('si.item_id', 'in', itemIds)
              .select(['s.id', sql<number>`row_number() over (partition by si.item_id order by s.submitted_at, s.reference)`.as('rank')])
              .as('r'),
          )
          .select('r.id')
          .distinct()
          .where('r.rank', '<=', limit)
          .execute()
      : [],
    general
      ? inputs
          .where((eb) => eb.not(eb.exists(eb.selectFrom('submission_items as si').select(sql.lit(1).as('one')).whereRef('si.submission_id', '=', 's.id'))))
          .select('s.id')
          .orderBy('s.submitted_at')
          .orderBy('s.reference')
          .limit(limit)
          .execute()
      : [],
  ]);
  return [...new Set([...onItems, ...onNone].map((row) => row.id))];
}

/** What the synthesis shows of each input (never the e-mail address), with its theme in this workshop. */
export const inputDetails = (db: Queryable, workshopId: string, ids: string[]) =>
  db
    .selectFrom('submissions as s')
    .innerJoin('consultations as c', 'c.id', 's.consultation_id')
    .leftJoin('submission_assessments as sa', 'sa.submission_id', 's.id')
    .leftJoin('users as u', 'u.id', 'sa.assessed_by')
    .leftJoin('submission_themes as st', (join) => join.onRef('st.submission_id', '=', 's.id').on('st.workshop_id', '=', workshopId))
    .leftJoin('themes as th', (join) => join.onRef('th.workshop_id', '=', 'st.workshop_id').onRef('th.key', '=', 'st.theme_key'))
    .select([
      'st.theme_key',
      'th.label as theme_label',
      's.id',
      's.consultation_id',
      'c.title as consultation_title',
      'c.publication',
      's.reference',
      's.name',
      's.organisation',
      's.role',
      's.text',
      's.split_from',
      's.submitted_at',
      'sa.status',
      'sa.justification',
      'sa.assessed_at',
      'sa.version as assessment_version',
      'u.name as assessed_by_name',
    ])
    .where('s.id', 'in', ids)
    .orderBy('s.submitted_at')
    .orderBy('s.reference')
    .execute();

/** The plan's submissions as text for the search index; their count tells when it must be rebuilt (texts never change). */
export const planInputTexts = (db: Queryable, planId: string) =>
  db.selectFrom('submissions as s').innerJoin('consultations as c', 'c.id', 's.consultation_id').select(['s.id', 's.text']).where('c.plan_id', '=', planId).execute();

export const countPlanInputs = async (db: Queryable, planId: string) =>
  Number(
    (
      await db
        .selectFrom('submissions as s')
        .innerJoin('consultations as c', 'c.id', 's.consultation_id')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('c.plan_id', '=', planId)
        .executeTakeFirstOrThrow()
    ).count,
  );

/** The inputs themes are computed from, with the lapper of a workshop of the plan ([CONS-21]). */
export const themeInputTexts = (db: Queryable, planId: string) => standingInputs(db, planId).select(['s.id', 's.text']).where('s.text', '<>', '').execute();

/** How many standing inputs each theme of a workshop holds. */
export const inputsPerTheme = (db: Queryable, planId: string, workshopId: string) =>
  standingInputs(db, planId)
    .innerJoin('submission_themes as st', 'st.submission_id', 's.id')
    .where('st.workshop_id', '=', workshopId)
    .select(['st.theme_key', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('st.theme_key')
    .execute();
