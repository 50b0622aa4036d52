import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { numberItems } from '../../domain/items.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Queryable } from '../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { listNotes } from '../live/live.queries.js';
import type { WorkshopExport } from '../../contract/export.schema.js';

const PART_TITLES = { goals: 'Del 1: Delmål', strategies: 'Del 2: Strategier' } as const;

/** [EXPORT-1] The whole workshop as open data; planners only, since it holds party affiliation. */
export async function exportWorkshop(actor: Actor | null, workshopId: string, db: Queryable): Promise<WorkshopExport> {
  assertPlanner(actor);
  const document = await readWorkshopExport(db, workshopId);
  await recordAudit(db, actor, { action: 'workshop.exported', workshopId, targetType: 'workshop', targetId: workshopId, detail: { format: 'json' } });
  return document;
}

export async function readWorkshopExport(db: Queryable, workshopId: string): Promise<WorkshopExport> {
  const workshop = await db.selectFrom('workshops').selectAll().where('id', '=', workshopId).executeTakeFirst();
  if (!workshop) throw fail.notFound('Workshop');
  const plan = await db.selectFrom('plans').selectAll().where('id', '=', workshop.plan_id).executeTakeFirstOrThrow();
  const [perspectives, items, posters, groups, participants, notes, stars, assessments, themes, noteThemes] = await Promise.all([
    db.selectFrom('perspectives').selectAll().where('plan_id', '=', plan.id).where('archived_at', 'is', null).orderBy('position').execute(),
    db
      .selectFrom('items as i')
      .innerJoin('perspectives as p', 'p.id', 'i.perspective_id')
      .selectAll('i')
      .where('p.plan_id', '=', plan.id)
      .orderBy('i.position')
      .execute(),
    db.selectFrom('posters').selectAll().where('workshop_id', '=', workshopId).orderBy('position').execute(),
    db.selectFrom('groups').selectAll().where('workshop_id', '=', workshopId).orderBy('position').execute(),
    db.selectFrom('participants').selectAll().where('workshop_id', '=', workshopId).orderBy('name').orderBy('id').execute(),
    listNotes(db, workshopId, null),
    db
      .selectFrom('stars')
      .select(['poster_id', 'group_id', 'participant_id', 'item_id', (eb) => eb.fn.countAll<number>().as('count')])
      .where('workshop_id', '=', workshopId)
      .groupBy(['poster_id', 'group_id', 'participant_id', 'item_id'])
      .orderBy('poster_id')
      .orderBy('group_id')
      .orderBy('item_id')
      .orderBy('participant_id')
      .execute(),
    db.selectFrom('assessments').select(['note_id', 'status', 'justification']).where('workshop_id', '=', workshopId).execute(),
    db.selectFrom('themes').selectAll().where('workshop_id', '=', workshopId).orderBy('position').execute(),
    db.selectFrom('note_themes').select(['note_id', 'theme_key']).where('workshop_id', '=', workshopId).execute(),
  ]);
  const originals = await originalTexts(db, items.map((i) => i.id), workshop.opened_at);
  const assessmentByNote = new Map(assessments.map((a) => [a.note_id, a]));
  const themeByNote = new Map(noteThemes.map((t) => [t.note_id, t.theme_key]));
  const perspectiveTitle = new Map(perspectives.map((p) => [p.id, p.title]));

  return {
    format: 'innspill.workshop-export',
    version: 1,
    exportedAt: new Date().toISOString(),
    plan: {
      id: plan.id,
      title: plan.title,
      municipality: plan.municipality,
      horizonYear: plan.horizon_year,
      perspectives: perspectives.map((perspective) => ({
        id: perspective.id,
        title: perspective.title,
        position: perspective.position,
        items: numberItems(items.filter((i) => i.perspective_id === perspective.id).map((i) => ({ ...i, archivedAt: i.archived_at }))).map((item) => ({
          id: item.id,
          kind: item.kind,
          number: item.kind === 'main_goal' ? null : item.number,
          text: item.text,
          originalText: originals.get(item.id) ?? item.text,
          archived: item.archived_at !== null,
        })),
      })),
    },
    workshop: {
      id: workshop.id,
      title: workshop.title,
      date: workshop.date,
      state: workshop.state,
      starBudget: workshop.star_budget,
      starsPerItem: workshop.stars_per_item,
      language: workshop.language,
      posters: posters.map((poster) => ({
        id: poster.id,
        perspectiveId: poster.perspective_id,
        part: poster.part,
        title: `${PART_TITLES[poster.part]} – ${perspectiveTitle.get(poster.perspective_id) ?? ''}`,
        instructions: poster.instructions,
        boxPrompt: poster.box_prompt,
        starsEnabled: poster.stars_enabled,
      })),
      groups: groups.map((group) => ({
        id: group.id,
        name: group.name,
        participants: participants
          .filter((p) => p.group_id === group.id)
          .map((p) => ({ id: p.id, name: p.name, party: p.party, committee: p.committee })),
      })),
      notes: notes.map((note) => {
        const assessment = assessmentByNote.get(note.id);
        return {
          id: note.id,
          posterId: note.posterId,
          groupId: note.groupId,
          authorId: note.author.participantId,
          authorName: note.author.name,
          itemIds: note.itemIds,
          kind: note.kind,
          text: note.text,
          proposedText: note.kind === 'rewording' ? note.text : null,
          replyTo: note.replyToNoteId,
          agreeCount: note.agreedBy.length,
          agreedBy: note.agreedBy,
          createdAt: note.createdAt,
          placed: note.placed,
          withdrawn: note.withdrawn,
          themeId: themeByNote.get(note.id) ?? null,
          assessment: assessment ? { status: assessment.status, justification: assessment.justification } : null,
        };
      }),
      stars: stars.map((star) => ({
        posterId: star.poster_id,
        groupId: star.group_id,
        participantId: star.participant_id,
        itemId: star.item_id,
        count: Number(star.count),
      })),
      themes: themes.map((theme) => ({
        id: theme.key,
        label: theme.label,
        noteIds: noteThemes.filter((t) => t.theme_key === theme.key).map((t) => t.note_id).sort(),
      })),
    },
  };
}

/**
 * The text each item had when the workshop opened: undo the edits made after that moment. An
 * item created after the workshop opened has its first text as its original.
 */
export async function originalTexts(db: Queryable, itemIds: string[], openedAt: Date | null): Promise<Map<string, string>> {
  if (!openedAt || itemIds.length === 0) return new Map();
  const edits = await db
    .selectFrom('revisions')
    .select(['item_id', 'before_text', 'created_at'])
    .where('item_id', 'in', itemIds)
    .where('action', '=', 'edited')
    .where('created_at', '>', openedAt)
    .orderBy('created_at', 'desc')
    .execute();
  const originals = new Map<string, string>();
  // Newest first: the last one written is the earliest edit after opening, whose "before" is the original.
  for (const edit of edits) if (edit.item_id && edit.before_text !== null) originals.set(edit.item_id, edit.before_text);
  return originals;
}
