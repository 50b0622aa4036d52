import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import { computeThemes, correctThemes, findNearDuplicates, themeCorrectionSchema, type ThemeCorrection } from '../../domain/text/index.js';
import type { Db, Queryable } from '../db/database.js';
import { themeInputs } from '../consultations/synthesisInputs.js';
import { assertMayReadWorkshop } from '../workshops/readAccess.js';

/** The lapper themes are computed from: active, not merged away, not the facilitator's own notes. */
const themeInput = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('notes')
    .select(['id', 'text'])
    .where('workshop_id', '=', workshopId)
    .where('withdrawn_at', 'is', null)
    .where('duplicate_of', 'is', null)
    .execute();

/**
 * [SYN-4] Computes the themes from the lapper's words, replays the planner's corrections in the
 * order they were made, and stores the result. Deterministic: the same lapper give the same themes.
 */
export async function recomputeThemes(actor: Actor | null, workshopId: string, db: Db) {
  assertPlanner(actor);
  const started = performance.now();
  const workshop = await db.selectFrom('workshops').select('plan_id').where('id', '=', workshopId).executeTakeFirst();
  if (!workshop) throw fail.notFound('Workshop');
  // [CONS-21] The plan's høring inputs are clustered with the lapper, so a theme gathers both.
  const [notes, inputs] = await Promise.all([themeInput(db, workshopId), themeInputs(db, workshop.plan_id)]);
  const inputIds = new Set(inputs.map((input) => input.id));
  const texts = [...notes, ...inputs];
  const corrections = await storedCorrections(db, workshopId);
  const { themes, skipped } = correctThemes(computeThemes(texts, { maxThemes: themeBudget(texts.length) }), corrections);
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('submission_themes').where('workshop_id', '=', workshopId).execute();
    await tx.deleteFrom('note_themes').where('workshop_id', '=', workshopId).execute();
    await tx.deleteFrom('themes').where('workshop_id', '=', workshopId).execute();
    if (themes.length === 0) return;
    await tx.insertInto('themes').values(themes.map((theme, position) => ({ workshop_id: workshopId, key: theme.key, label: theme.label, position }))).execute();
    const assignments = themes.flatMap((theme) => theme.noteIds.filter((id) => !inputIds.has(id)).map((noteId) => ({ note_id: noteId, workshop_id: workshopId, theme_key: theme.key })));
    for (let i = 0; i < assignments.length; i += 5000) await tx.insertInto('note_themes').values(assignments.slice(i, i + 5000)).execute();
    const inputAssignments = themes.flatMap((theme) =>
      theme.noteIds.filter((id) => inputIds.has(id)).map((submissionId) => ({ submission_id: submissionId, workshop_id: workshopId, theme_key: theme.key })),
    );
    for (let i = 0; i < inputAssignments.length; i += 5000) await tx.insertInto('submission_themes').values(inputAssignments.slice(i, i + 5000)).execute();
  });
  const count = (theme: (typeof themes)[number], ofInputs: boolean) => theme.noteIds.filter((id) => inputIds.has(id) === ofInputs).length;
  return { themes: themes.map((t) => ({ key: t.key, label: t.label, terms: t.terms, noteCount: count(t, false), inputCount: count(t, true) })), skipped: skipped.length, milliseconds: Math.round(performance.now() - started) };
}

/**
 * How many themes a workshop may have: about 1.8 × √n, between 10 and 60. The Bærum workshop's
 * 541 lapper get 42, enough for a small but clear subject such as jordvern to stand on its own.
 */
export const themeBudget = (notes: number) => Math.max(10, Math.min(60, Math.round(1.8 * Math.sqrt(notes))));

/** The planner's theme corrections, in the order they were made. */
export async function storedCorrections(db: Queryable, workshopId: string): Promise<ThemeCorrection[]> {
  const rows = await db.selectFrom('theme_corrections').select('correction').where('workshop_id', '=', workshopId).orderBy('created_at').orderBy('id').execute();
  return rows.map((row) => themeCorrectionSchema.parse(typeof row.correction === 'string' ? JSON.parse(row.correction) : row.correction));
}

/** Stores a correction (rename, merge, split, move a lapp) and recomputes, so it survives every later recomputation. */
export async function correctTheme(actor: Actor | null, workshopId: string, correction: ThemeCorrection, db: Db) {
  assertPlanner(actor);
  const workshop = await db.selectFrom('workshops').select('id').where('id', '=', workshopId).executeTakeFirst();
  if (!workshop) throw fail.notFound('Workshop');
  await db
    .insertInto('theme_corrections')
    .values({ id: randomUUID(), workshop_id: workshopId, correction: JSON.stringify(correction), created_by: actor.userId })
    .execute();
  return recomputeThemes(actor, workshopId, db);
}

/** Lapper that look like copies of each other (the paper workshop copied some twice). */
export async function nearDuplicates(actor: Actor | null, workshopId: string, db: Queryable) {
  await assertMayReadWorkshop(db, actor, workshopId);
  return findNearDuplicates(await themeInput(db, workshopId));
}
