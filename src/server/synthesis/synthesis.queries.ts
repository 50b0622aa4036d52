import { sql, type ExpressionBuilder } from 'kysely';
import type { Queryable } from '../db/database.js';
import type { Database } from '../db/tables.js';
import type { OverviewQuery } from '../../contract/synthesis.schema.js';

/** Notes of a workshop joined with what the filters look at: author, assessment, theme, group. */
export function filteredNotes(db: Queryable, workshopId: string, filters: OverviewQuery, searchIds: string[] | null) {
  let query = db
    .selectFrom('notes as n')
    .leftJoin('participants as p', 'p.id', 'n.author_participant_id')
    .leftJoin('assessments as a', 'a.note_id', 'n.id')
    .leftJoin('note_themes as t', 't.note_id', 'n.id')
    .innerJoin('groups as g', 'g.id', 'n.group_id')
    .innerJoin('posters as po', 'po.id', 'n.poster_id')
    .where('n.workshop_id', '=', workshopId)
    .where('n.withdrawn_at', 'is', null)
    .where('n.duplicate_of', 'is', null);
  if (filters.perspectiveId) query = query.where('po.perspective_id', '=', filters.perspectiveId);
  if (filters.groupId) query = query.where('n.group_id', '=', filters.groupId);
  if (filters.party) query = query.where('p.party', '=', filters.party);
  if (filters.kind) query = query.where('n.kind', '=', filters.kind);
  if (filters.placed) query = query.where('n.placed', '=', filters.placed === 'placed');
  if (filters.themeKey) query = query.where('t.theme_key', '=', filters.themeKey);
  if (filters.status === 'unassessed') query = query.where('a.note_id', 'is', null);
  else if (filters.status === 'assessed') query = query.where('a.note_id', 'is not', null);
  else if (filters.status) query = query.where('a.status', '=', filters.status);
  if (searchIds) query = query.where(sql<boolean>`n.id = any(${sql.val(searchIds)}::uuid[])`);
  // [CONS-20] One consultation as the source: no lapp is its input.
  if (filters.source?.startsWith('consultation:')) query = query.where(sql<boolean>`false`);
  return query;
}

export type FilteredNotes = ReturnType<typeof filteredNotes>;

/**
 * How many matching lapper each item has (a lapp on several items counts on each) and how many
 * lie in each perspective's general box, in one pass over the matching lapper.
 */
export async function noteCounts(notes: FilteredNotes) {
  const rows = await notes
    .leftJoin('note_items as ni', 'ni.note_id', 'n.id')
    .select(['ni.item_id', 'po.perspective_id', (eb) => eb.fn.countAll<number>().as('count')])
    .groupBy(['ni.item_id', 'po.perspective_id'])
    .execute();
  const byItem = new Map<string, number>();
  const byBox = new Map<string, number>();
  for (const row of rows) {
    if (row.item_id) byItem.set(row.item_id, (byItem.get(row.item_id) ?? 0) + Number(row.count));
    else byBox.set(row.perspective_id, (byBox.get(row.perspective_id) ?? 0) + Number(row.count));
  }
  return { byItem, byBox };
}

/**
 * The first `limit` matching lapper of each item, oldest first: only their ids, so the details are
 * read for what the page shows and not for every matching lapp (100,000 in a large workshop).
 */
export async function firstNoteIdsPerItem(db: Queryable, notes: FilteredNotes, itemIds: string[], limit: number): Promise<string[]> {
  if (itemIds.length === 0) return [];
  const ranked = notes
    .innerJoin('note_items as ni', 'ni.note_id', 'n.id')
    .where('ni.item_id', 'in', itemIds)
    .select(['n.id', sql<number>`row_number() over (partition by ni.item_id order by n.created_at, n.id)`.as('rank')]);
  const rows = await db.selectFrom(ranked.as('r')).select('r.id').distinct().where('r.rank', '<=', limit).execute();
  return rows.map((row) => row.id);
}

/** The first `limit` matching lapper in the general box of each perspective, oldest first. */
export async function firstBoxNoteIds(db: Queryable, notes: FilteredNotes, perspectiveIds: string[], limit: number): Promise<string[]> {
  if (perspectiveIds.length === 0) return [];
  const ranked = notes
    .leftJoin('note_items as ni', 'ni.note_id', 'n.id')
    .where('ni.note_id', 'is', null)
    .where('po.perspective_id', 'in', perspectiveIds)
    .select(['n.id', sql<number>`row_number() over (partition by po.perspective_id order by n.created_at, n.id)`.as('rank')]);
  const rows = await db.selectFrom(ranked.as('r')).select('r.id').where('r.rank', '<=', limit).execute();
  return rows.map((row) => row.id);
}

export const countMatching = async (notes: FilteredNotes) =>
  Number((await notes.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow()).count);

/** The fields an overview shows of each lapp. */
export function selectNoteDetails<QB extends FilteredNotes>(notes: QB) {
  return notes
    .leftJoin('themes as th', (join) => join.onRef('th.workshop_id', '=', 't.workshop_id').onRef('th.key', '=', 't.theme_key'))
    .leftJoin('users as au', 'au.id', 'a.assessed_by')
    .leftJoin('users as wu', 'wu.id', 'n.author_user_id')
    .select([
      'n.id',
      'n.poster_id',
      'po.perspective_id',
      'n.kind',
      'n.text',
      'n.group_id',
      'g.name as group_name',
      'n.author_participant_id',
      'n.author_name',
      'p.name as participant_name',
      'p.party',
      'wu.name as user_name',
      'n.placed',
      'n.placed_via',
      'n.withdrawn_at',
      'n.duplicate_of',
      'n.reply_to_note_id',
      'n.created_at',
      't.theme_key',
      'th.label as theme_label',
      'a.status',
      'a.justification',
      'a.assessed_at',
      'a.version as assessment_version',
      'au.name as assessed_by_name',
    ])
    .select((eb: ExpressionBuilder<Database & { n: Database['notes'] }, 'n'>) => [
      eb.fn
        .coalesce(
          eb.selectFrom('note_items').select(sql<string[]>`array_agg(item_id order by item_id)`.as('ids')).whereRef('note_items.note_id', '=', 'n.id'),
          sql<string[]>`'{}'::uuid[]`,
        )
        .as('item_ids'),
      eb.selectFrom('agreements').select(eb.fn.countAll<number>().as('c')).whereRef('agreements.note_id', '=', 'n.id').as('agree_count'),
    ]);
}

/** [REPLY-1] The active replies to some lapper, and replies to those, at any depth. */
export async function threadReplyIds(db: Queryable, workshopId: string, parentIds: string[]): Promise<string[]> {
  if (parentIds.length === 0) return [];
  const rows = await db
    .withRecursive('thread(id)', (qb) =>
      qb
        .selectFrom('notes')
        .select('id')
        .where('workshop_id', '=', workshopId)
        .where(sql<boolean>`reply_to_note_id = any(${sql.val(parentIds)}::uuid[])`)
        .where('withdrawn_at', 'is', null)
        .where('duplicate_of', 'is', null)
        .unionAll((qb2) =>
          qb2.selectFrom('notes as r').innerJoin('thread as t', 't.id', 'r.reply_to_note_id').select('r.id').where('r.withdrawn_at', 'is', null).where('r.duplicate_of', 'is', null),
        ),
    )
    .selectFrom('thread')
    .select('id')
    .execute();
  return [...new Set(rows.map((row) => row.id))];
}

export type NoteDetailRow = Awaited<ReturnType<ReturnType<typeof selectNoteDetails>['execute']>>[number];

/** Star counts per item, group and party. */
export const starTallies = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('stars as s')
    .leftJoin('participants as p', 'p.id', 's.participant_id')
    .select(['s.item_id', 's.group_id', 'p.party', (eb) => eb.fn.countAll<number>().as('count')])
    .where('s.workshop_id', '=', workshopId)
    .groupBy(['s.item_id', 's.group_id', 'p.party'])
    .execute();
