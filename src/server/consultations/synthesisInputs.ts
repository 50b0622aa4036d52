import { fail } from '../../domain/errors.js';
import { publicSubmitter } from '../../domain/consultation/consultation.js';
import type { OverviewInput, OverviewQuery } from '../../contract/synthesis.schema.js';
import type { Queryable } from '../db/database.js';
import type { SearchSource } from '../synthesis/searchCache.js';
import { assessmentOf } from '../synthesis/assessmentRow.js';
import * as q from './consultations.queries.js';
import * as sq from './synthesisInputs.queries.js';

/** The plan's høring inputs as a search source, searched with the lapper's Norwegian stemming ([CONS-21]). */
export const inputSearchSource = (db: Queryable, planId: string): SearchSource => ({
  key: `plan-inputs:${planId}`,
  version: async () => String(await sq.countPlanInputs(db, planId)),
  texts: () => sq.planInputTexts(db, planId),
});

/**
 * [CONS-20] The høring inputs a workshop's synthesis shows beside its lapper: how many match per
 * item and on no item, the plan's consultations (the sources to filter by), and a reader of the
 * first inputs of the items on the page. Attachments, even their names, only for a planner ([CONS-15]).
 */
export async function synthesisInputs(
  db: Queryable,
  reader: { planId: string; workshopId: string; planner: boolean },
  query: OverviewQuery,
  searchIds: string[] | null,
) {
  const { planId, workshopId, planner } = reader;
  // A plan without consultations (the common case, and the 100,000-lapp benchmark) costs one statement.
  const consultations = await q.listConsultationsOfPlan(db, planId);
  if (query.source?.startsWith('consultation:') && !consultations.some((c) => `consultation:${c.id}` === query.source)) {
    throw fail.invalid('source', 'not a consultation of this plan');
  }
  const inputs = consultations.length ? sq.filteredInputs(db, planId, workshopId, query, searchIds) : null;
  const [counts, matching, perTheme] = await Promise.all([
    inputs ? sq.inputCounts(inputs) : { byItem: new Map<string, number>(), general: 0 },
    inputs ? sq.countInputs(inputs) : 0,
    consultations.length ? sq.inputsPerTheme(db, planId, workshopId) : [],
  ]);
  return {
    countsByItem: counts.byItem,
    generalCount: counts.general,
    matching,
    consultations: consultations.map((c) => ({ id: c.id, title: c.title })),
    /** How many standing inputs each of the workshop's themes holds. */
    perTheme: new Map(perTheme.map((row) => [row.theme_key, Number(row.count)])),
    /** The first `limit` inputs of each item, and of those on no item when `general`. */
    async first(itemIds: string[], general: boolean, limit: number): Promise<OverviewInput[]> {
      if (!inputs) return [];
      const withInputs = itemIds.filter((id) => counts.byItem.has(id));
      if (withInputs.length === 0 && !(general && counts.general > 0)) return [];
      return presentInputs(db, workshopId, await sq.firstInputIds(db, inputs, withInputs, general && counts.general > 0, limit), planner);
    },
  };
}

async function presentInputs(db: Queryable, workshopId: string, ids: string[], withAttachments: boolean): Promise<OverviewInput[]> {
  if (ids.length === 0) return [];
  const rows = await sq.inputDetails(db, workshopId, ids);
  // Split parts show their letter's attachments.
  const letters = [...new Set(rows.map((row) => row.split_from ?? row.id))];
  const [items, attachments] = await Promise.all([q.listSubmissionItems(db, ids), withAttachments ? q.listAttachments(db, letters) : []]);
  return rows.map((row) => ({
    id: row.id,
    consultation: { id: row.consultation_id, title: row.consultation_title },
    reference: row.reference,
    submitter: publicSubmitter(row, row.publication),
    role: row.role,
    itemIds: items.filter((i) => i.submission_id === row.id).map((i) => i.item_id).sort(),
    text: row.text,
    theme: row.theme_key ? { key: row.theme_key, label: row.theme_label ?? row.theme_key } : null,
    attachments: attachments.filter((a) => a.submission_id === (row.split_from ?? row.id)).map((a) => ({ id: a.id, name: a.name })),
    assessment: assessmentOf(row),
    submittedAt: new Date(row.submitted_at).toISOString(),
  }));
}

/** [CONS-21] The høring inputs a workshop's themes are computed from, beside its lapper. */
export const themeInputs = (db: Queryable, planId: string) => sq.themeInputTexts(db, planId);

