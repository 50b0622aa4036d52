import { sql, type ExpressionBuilder } from 'kysely';
import type { Queryable } from '../db/database.js';
import type { Database } from '../db/tables.js';

/**
 * What the reports read. Every lapp query leaves out withdrawn lapper and merged copies
 * (`duplicate_of`), as the overview's counts do, and reads in bounded, ordered batches.
 */

export const findWorkshop = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('workshops as w')
    .innerJoin('plans as pl', 'pl.id', 'w.plan_id')
    .select([
      'w.id',
      'w.title',
      'w.date',
      'w.state',
      'w.opened_at',
      'w.party_in_reports',
      'w.language',
      'pl.id as plan_id',
      'pl.title as plan_title',
      'pl.municipality',
      'pl.horizon_year',
    ])
    .where('w.id', '=', workshopId)
    .executeTakeFirst();

export const listPerspectives = (db: Queryable, planId: string) =>
  db.selectFrom('perspectives').select(['id', 'title', 'position']).where('plan_id', '=', planId).where('archived_at', 'is', null).orderBy('position').execute();

export const listItems = (db: Queryable, planId: string) =>
  db
    .selectFrom('items as i')
    .innerJoin('perspectives as p', 'p.id', 'i.perspective_id')
    .select(['i.id', 'i.perspective_id', 'i.kind', 'i.position', 'i.text', 'i.archived_at'])
    .where('p.plan_id', '=', planId)
    .where('p.archived_at', 'is', null)
    .execute();

export const listGroups = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('groups as g')
    .leftJoin('users as u', 'u.id', 'g.facilitator_user_id')
    .select(['g.id', 'g.name', 'g.position', 'u.name as facilitator'])
    .where('g.workshop_id', '=', workshopId)
    .orderBy('g.position')
    .orderBy('g.id')
    .execute();

/** Who took part, group by group; an anonymised participant keeps only "Deltaker, Gruppe N". */
export const listParticipants = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('participants')
    .select(['id', 'group_id', 'name', 'party', 'committee'])
    .where('workshop_id', '=', workshopId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();

/**
 * The plan's changes that matter to this workshop: edits made after it opened, and any change that
 * names one of its lapper as a reason, oldest first.
 */
export const listRevisions = (db: Queryable, workshopId: string, planId: string, openedAt: Date | null) =>
  db
    .selectFrom('revisions as r')
    .select(['r.id', 'r.item_id', 'r.action', 'r.before_text', 'r.after_text', 'r.created_at'])
    .where('r.plan_id', '=', planId)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('revision_notes as rn')
            .innerJoin('notes as n', 'n.id', 'rn.note_id')
            .select('rn.note_id')
            .whereRef('rn.revision_id', '=', 'r.id')
            .where('n.workshop_id', '=', workshopId),
        ),
        ...(openedAt ? [eb.and([eb('r.action', '=', 'edited'), eb('r.created_at', '>', openedAt)])] : []),
      ]),
    )
    .orderBy('r.created_at')
    .orderBy('r.id')
    .execute();

/** The lapper of this workshop each revision names as its reason. */
export const revisionNoteIds = (db: Queryable, workshopId: string, revisionIds: string[]) =>
  revisionIds.length === 0
    ? Promise.resolve([])
    : db
        .selectFrom('revision_notes as rn')
        .innerJoin('notes as n', 'n.id', 'rn.note_id')
        .select(['rn.revision_id', 'rn.note_id'])
        .where('rn.revision_id', 'in', revisionIds)
        .where('n.workshop_id', '=', workshopId)
        .execute();

export const listPosters = (db: Queryable, workshopId: string) =>
  db.selectFrom('posters').select(['id', 'perspective_id', 'part', 'position', 'stars_enabled']).where('workshop_id', '=', workshopId).orderBy('position').orderBy('id').execute();

export const listThemes = (db: Queryable, workshopId: string) =>
  db.selectFrom('themes').select(['key', 'label', 'position']).where('workshop_id', '=', workshopId).orderBy('position').execute();

const activeNotes = (db: Queryable, workshopId: string) =>
  db.selectFrom('notes as n').where('n.workshop_id', '=', workshopId).where('n.withdrawn_at', 'is', null).where('n.duplicate_of', 'is', null);

/**
 * [REPLY-1] A reply whose lapp is in the report is shown under that lapp, not on its own: lists of
 * lapper leave such replies out and read them with `repliesTo`. A reply to a lapp that left the
 * report (withdrawn, merged) stands on its own.
 */
const notNestedReply = (replyTo: 'n.reply_to_note_id' | 'notes.reply_to_note_id') =>
  sql<boolean>`not exists (select 1 from notes parent where parent.id = ${sql.ref(replyTo)} and parent.withdrawn_at is null and parent.duplicate_of is null)`;

/**
 * Lapper per item and assessment status; `item_id` null is the general box of the poster's
 * perspective. A lapp on several items counts on each, as in the overview.
 */
export const noteTallies = (db: Queryable, workshopId: string) =>
  activeNotes(db, workshopId)
    .innerJoin('posters as po', 'po.id', 'n.poster_id')
    .leftJoin('note_items as ni', 'ni.note_id', 'n.id')
    .leftJoin('assessments as a', 'a.note_id', 'n.id')
    .select(['ni.item_id', 'po.perspective_id', 'a.status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['ni.item_id', 'po.perspective_id', 'a.status'])
    .execute();

/** Distinct lapper, the groups they came from, and how many are assessed. */
export const noteTotals = (db: Queryable, workshopId: string) =>
  activeNotes(db, workshopId)
    .leftJoin('assessments as a', 'a.note_id', 'n.id')
    .select((eb) => [
      eb.fn.countAll<number>().as('notes'),
      eb.fn.count<number>('n.group_id').distinct().as('groups'),
      eb.fn.count<number>('a.note_id').as('assessed'),
    ])
    .executeTakeFirstOrThrow();

/** Distinct lapper per assessment status (null: not assessed). */
export const statusTotals = (db: Queryable, workshopId: string) =>
  activeNotes(db, workshopId)
    .leftJoin('assessments as a', 'a.note_id', 'n.id')
    .select(['a.status', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy('a.status')
    .execute();

/** Stars per item, group and the giver's party (for the consensus ranking, [SYN-2]). */
export const starCounts = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('stars as s')
    .leftJoin('participants as p', 'p.id', 's.participant_id')
    .select(['s.item_id', 's.group_id', 'p.party', (eb) => eb.fn.countAll<number>().as('count')])
    .where('s.workshop_id', '=', workshopId)
    .groupBy(['s.item_id', 's.group_id', 'p.party'])
    .execute();

/** How many agreed with each lapp that anyone agreed with; read once per report. */
export const agreementCounts = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('agreements as ag')
    .innerJoin('notes as n', 'n.id', 'ag.note_id')
    .select(['ag.note_id', (eb) => eb.fn.countAll<number>().as('count')])
    .where('n.workshop_id', '=', workshopId)
    .groupBy('ag.note_id')
    .execute();

/**
 * The fields a report shows of each lapp, joined onto `notes as n`; themes, groups, posters and
 * agreement counts are looked up in memory by id.
 */
const withNoteFields = <QB extends ReturnType<typeof activeNotes>>(notes: QB) =>
  notes
    .leftJoin('participants as p', 'p.id', 'n.author_participant_id')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .leftJoin('note_themes as nt', 'nt.note_id', 'n.id')
    .leftJoin('assessments as a', 'a.note_id', 'n.id')
    .select((eb) => [
      'n.id',
      'n.poster_id',
      'n.group_id',
      'n.kind',
      'n.text',
      'n.placed',
      'n.created_at',
      'n.reply_to_note_id',
      // The stored name: an anonymised participant is "Deltaker, Gruppe 5".
      eb.fn.coalesce('p.name', 'u.name', 'n.author_name').as('author'),
      'p.party',
      'nt.theme_key',
      'a.status',
      'a.justification',
    ]);

/** The lapper on some items, each row once per item it is on. */
export const notesOnItems = (db: Queryable, workshopId: string, itemIds: string[]) =>
  withNoteFields(activeNotes(db, workshopId))
    .innerJoin('note_items as ni', 'ni.note_id', 'n.id')
    .select('ni.item_id')
    .where('ni.item_id', 'in', itemIds)
    .where(notNestedReply('n.reply_to_note_id'))
    .execute();

/** The active replies to some lapper (one level: the caller asks again for replies to replies). */
export const repliesTo = (db: Queryable, workshopId: string, parentIds: string[]) =>
  withNoteFields(activeNotes(db, workshopId)).where('n.reply_to_note_id', 'in', parentIds).orderBy('n.created_at').orderBy('n.id').execute();

/** Some lapper by id, wherever they are (the lapper behind a revision). */
export const notesById = (db: Queryable, workshopId: string, noteIds: string[]) =>
  withNoteFields(activeNotes(db, workshopId)).where('n.id', 'in', noteIds).orderBy('n.created_at').orderBy('n.id').execute();

/** The general box of a perspective: its lapper on no item, from both posters. */
export const generalBoxNotes = (db: Queryable, workshopId: string, perspectiveId: string) =>
  withNoteFields(activeNotes(db, workshopId))
    .innerJoin('posters as po', 'po.id', 'n.poster_id')
    .where('po.perspective_id', '=', perspectiveId)
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('note_items').select('note_id').whereRef('note_items.note_id', '=', 'n.id'))))
    .where(notNestedReply('n.reply_to_note_id'))
    .execute();

export type ReportNoteRow = Awaited<ReturnType<typeof generalBoxNotes>>[number];

/** Where a page of a poster's lapper ended: the full-precision creation time and the id. */
export interface NoteCursor {
  createdAt: string;
  id: string;
}

/**
 * One page of a poster's lapper in the order they were written, after `cursor` (keyset, so each
 * page costs the same however deep it is), with the items each is on. The page is cut from
 * `notes` alone before the joins, so the joins touch only its rows.
 */
export const posterNotePage = (db: Queryable, workshopId: string, posterId: string, cursor: NoteCursor | null, limit: number) => {
  const page = (eb: ExpressionBuilder<Database, never>) => {
    let notes = eb
      .selectFrom('notes')
      .selectAll()
      .where('workshop_id', '=', workshopId)
      .where('poster_id', '=', posterId)
      .where('withdrawn_at', 'is', null)
      .where('duplicate_of', 'is', null)
      .where(notNestedReply('notes.reply_to_note_id'))
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit);
    if (cursor) notes = notes.where(sql<boolean>`(created_at, id) > (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`);
    return notes.as('n');
  };
  // One row per lapp and item (none for the general box); the caller gathers a lapp's rows.
  return withNoteFields(db.selectFrom(page))
    .leftJoin('note_items as ni', 'ni.note_id', 'n.id')
    .select([sql<string>`n.created_at::text`.as('cursor'), 'ni.item_id'])
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();
};

export type PosterNoteRow = Awaited<ReturnType<typeof posterNotePage>>[number];
