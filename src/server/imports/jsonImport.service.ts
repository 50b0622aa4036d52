import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors.js';
import type { Db, Tx } from '../db/database.js';
import { workshopExportSchema, type WorkshopExport } from '../../contract/export.schema.js';
import { newJoinCode, newViewerToken } from '../workshops/workshops.service.js';

/** Reads an open-data export (any source) and checks it against the format; 400 naming the first problems. */
export function parseWorkshopExport(json: unknown): WorkshopExport {
  const parsed = workshopExportSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw new DomainError('not_an_export', `Not an Innspill workshop export: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, { fields });
}

/**
 * [EXPORT-2] Rebuilds a workshop from its export with the same ids, so exporting it again gives
 * the same document. Refused when the plan or workshop already exists here.
 */
export async function importWorkshopExport(data: WorkshopExport, db: Db): Promise<{ workshopId: string; planId: string }> {
  return db.transaction().execute(async (tx) => {
    const existing = await tx
      .selectFrom('workshops')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', data.workshop.id), eb('plan_id', '=', data.plan.id)]))
      .executeTakeFirst();
    const plan = await tx.selectFrom('plans').select('id').where('id', '=', data.plan.id).executeTakeFirst();
    if (existing || plan) throw new DomainError('already_imported', 'This workshop or its plan is already here', { current: { workshopId: data.workshop.id } });
    await writePlan(tx, data);
    await writeWorkshop(tx, data);
    return { workshopId: data.workshop.id, planId: data.plan.id };
  });
}

async function writePlan(tx: Tx, data: WorkshopExport): Promise<void> {
  const { plan } = data;
  await tx
    .insertInto('plans')
    .values({ id: plan.id, title: plan.title, municipality: plan.municipality ?? 'Ukjent kommune', horizon_year: plan.horizonYear ?? new Date().getFullYear() + 14 })
    .execute();
  const opened = new Date(Date.now() - 1000);
  for (const perspective of plan.perspectives) {
    await tx.insertInto('perspectives').values({ id: perspective.id, plan_id: plan.id, position: perspective.position, title: perspective.title }).execute();
    const counters = new Map<string, number>();
    for (const item of perspective.items) {
      // Archived items have no number; keep them after the live ones of their kind.
      const position = item.number ?? 1000 + (counters.get(item.kind) ?? 0);
      counters.set(item.kind, (counters.get(item.kind) ?? 0) + 1);
      await tx
        .insertInto('items')
        .values({ id: item.id, perspective_id: perspective.id, kind: item.kind, position: item.kind === 'main_goal' ? 0 : position, text: item.originalText, archived_at: item.archived ? opened : null })
        .execute();
      await tx.insertInto('revisions').values({ id: randomUUID(), plan_id: plan.id, perspective_id: perspective.id, item_id: item.id, action: 'created', after_text: item.originalText, author_user_id: null, created_at: opened }).execute();
      if (item.text === item.originalText) continue;
      // The revision after the workshop opened, so original and current wording both survive.
      await tx.updateTable('items').set((eb) => ({ text: item.text, version: eb('version', '+', 1) })).where('id', '=', item.id).execute();
      await tx
        .insertInto('revisions')
        .values({ id: randomUUID(), plan_id: plan.id, perspective_id: perspective.id, item_id: item.id, action: 'edited', before_text: item.originalText, after_text: item.text, author_user_id: null })
        .execute();
    }
  }
}

async function writeWorkshop(tx: Tx, data: WorkshopExport): Promise<void> {
  const { workshop } = data;
  await tx
    .insertInto('workshops')
    .values({
      id: workshop.id,
      plan_id: data.plan.id,
      title: workshop.title,
      date: workshop.date,
      state: workshop.state,
      star_budget: workshop.starBudget,
      stars_per_item: workshop.starsPerItem,
      language: workshop.language,
      opened_at: new Date(Date.now() - 1000),
      join_code: newJoinCode(),
      viewer_token: newViewerToken(),
    })
    .execute();
  for (const [position, poster] of workshop.posters.entries()) {
    await tx
      .insertInto('posters')
      .values({ id: poster.id, workshop_id: workshop.id, perspective_id: poster.perspectiveId, part: poster.part, position, instructions: poster.instructions, box_prompt: poster.boxPrompt, stars_enabled: poster.starsEnabled })
      .execute();
  }
  for (const [position, group] of workshop.groups.entries()) {
    await tx.insertInto('groups').values({ id: group.id, workshop_id: workshop.id, name: group.name, position, facilitator_user_id: null, timer_ends_at: null }).execute();
    if (group.participants.length === 0) continue;
    await tx
      .insertInto('participants')
      .values(group.participants.map((p) => ({ id: p.id, workshop_id: workshop.id, group_id: group.id, name: p.name, party: p.party, committee: p.committee, access_token: randomUUID(), anonymised_at: null })))
      .execute();
  }
  // Replies point at earlier lapper: insert in the export's order, parents first.
  for (const note of workshop.notes) {
    await tx
      .insertInto('notes')
      .values({
        id: note.id,
        workshop_id: workshop.id,
        poster_id: note.posterId,
        group_id: note.groupId,
        author_participant_id: note.authorId,
        author_user_id: null,
        author_name: note.authorId ? null : note.authorName,
        written_by_user_id: null,
        kind: note.kind,
        text: note.text,
        proposed_item_kind: null,
        reply_to_note_id: note.replyTo,
        placed: note.placed,
        withdrawn_at: note.withdrawn ? new Date(note.createdAt) : null,
        created_at: note.createdAt,
        updated_at: new Date(note.createdAt),
      })
      .execute();
    if (note.itemIds.length) await tx.insertInto('note_items').values(note.itemIds.map((itemId) => ({ note_id: note.id, item_id: itemId }))).execute();
    for (const [index, participantId] of note.agreedBy.entries()) {
      await tx.insertInto('agreements').values({ note_id: note.id, participant_id: participantId, created_at: new Date(Date.parse(note.createdAt) + index + 1) }).execute();
    }
    if (note.assessment) {
      await tx.insertInto('assessments').values({ note_id: note.id, workshop_id: workshop.id, status: note.assessment.status, justification: note.assessment.justification, assessed_by: null }).execute();
    }
  }
  for (const star of workshop.stars) {
    const rows = Array.from({ length: star.count }, () => ({ id: randomUUID(), workshop_id: workshop.id, poster_id: star.posterId, group_id: star.groupId, participant_id: star.participantId, item_id: star.itemId }));
    await tx.insertInto('stars').values(rows).execute();
  }
  for (const [position, theme] of workshop.themes.entries()) {
    await tx.insertInto('themes').values({ workshop_id: workshop.id, key: theme.id, label: theme.label, position }).execute();
    if (theme.noteIds.length) await tx.insertInto('note_themes').values(theme.noteIds.map((noteId) => ({ note_id: noteId, workshop_id: workshop.id, theme_key: theme.id }))).execute();
  }
}
