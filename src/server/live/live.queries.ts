import { sql } from 'kysely';
import { isEmbedded, type Queryable } from '../db/database.js';
import type { LiveEvent, LiveNote, LiveStar, NewEvent } from '../../contract/protocol.js';

/** A group's poster with everything that decides who may write there. */
export const findPlace = (db: Queryable, posterId: string, groupId: string) => placeQuery(db, posterId, groupId).executeTakeFirst();

const placeQuery = (db: Queryable, posterId: string, groupId: string) =>
  db
    .selectFrom('posters as p')
    .innerJoin('workshops as w', 'w.id', 'p.workshop_id')
    .innerJoin('groups as g', (join) => join.on('g.workshop_id', '=', sql.ref('w.id')).on('g.id', '=', groupId))
    .select([
      'p.id as posterId',
      'p.perspective_id as perspectiveId',
      'p.part',
      'p.stars_enabled as starsEnabled',
      'w.id as workshopId',
      'w.state as workshopState',
      'w.star_budget as starBudget',
      'w.stars_per_item as starsPerItem',
      'g.id as groupId',
      'g.facilitator_user_id as groupFacilitatorId',
    ])
    .where('p.id', '=', posterId);

export const findGroupPlace = (db: Queryable, groupId: string) =>
  db
    .selectFrom('groups as g')
    .innerJoin('workshops as w', 'w.id', 'g.workshop_id')
    .select(['w.id as workshopId', 'w.state as workshopState', 'g.id as groupId', 'g.facilitator_user_id as groupFacilitatorId'])
    .where('g.id', '=', groupId)
    .executeTakeFirst();

export const findNoteRow = (db: Queryable, noteId: string) =>
  db.selectFrom('notes').selectAll().where('id', '=', noteId).executeTakeFirst();

/** The items a lapp is placed on, sorted. */
export const noteItemIds = async (db: Queryable, noteId: string) =>
  (await db.selectFrom('note_items').select('item_id').where('note_id', '=', noteId).orderBy('item_id').execute()).map((row) => row.item_id);

/** The replies to a lapp, and replies to those, at any depth, oldest first. */
export async function replyIdsOf(db: Queryable, noteId: string): Promise<string[]> {
  const rows = await db
    .withRecursive('thread(id, created_at)', (qb) =>
      qb
        .selectFrom('notes')
        .select(['id', 'created_at'])
        .where('reply_to_note_id', '=', noteId)
        .unionAll((qb2) => qb2.selectFrom('notes as n').innerJoin('thread as t', 't.id', 'n.reply_to_note_id').select(['n.id', 'n.created_at'])),
    )
    .selectFrom('thread')
    .select('id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Items that may carry a lapp or star on this poster: the live items of the poster's perspective and part. */
export const itemsOnPoster = async (db: Queryable, perspectiveId: string, kinds: readonly string[]) =>
  (
    await db
      .selectFrom('items')
      .select('id')
      .where('perspective_id', '=', perspectiveId)
      .where('kind', 'in', kinds as Array<'main_goal'>)
      .where('archived_at', 'is', null)
      .execute()
  ).map((row) => row.id);

/**
 * Serialises one participant's star commands (the budget holds). `for no key update`, not `for
 * update`: the foreign keys of lapper and agreements written in the same group commit take a key-share
 * lock on their author, which `for update` would wait for — two batches then deadlock.
 */
export const lockParticipant = (db: Queryable, participantId: string) =>
  db
    .selectFrom('participants')
    .select(['id', 'workshop_id', 'group_id', 'name', 'anonymised_at'])
    .where('id', '=', participantId)
    .forNoKeyUpdate()
    .executeTakeFirst();

export const findParticipant = (db: Queryable, participantId: string) =>
  db.selectFrom('participants').select(['id', 'workshop_id', 'group_id', 'name', 'anonymised_at']).where('id', '=', participantId).executeTakeFirst();

export async function countStars(db: Queryable, participantId: string, posterId: string, itemId: string) {
  const row = await db
    .selectFrom('stars')
    .select((eb) => [
      eb.fn.countAll<number>().as('used'),
      eb.fn.count<number>(eb.case().when('item_id', '=', itemId).then(1).end()).as('usedOnItem'),
    ])
    .where('participant_id', '=', participantId)
    .where('poster_id', '=', posterId)
    .executeTakeFirstOrThrow();
  return { used: Number(row.used), usedOnItem: Number(row.usedOnItem) };
}

export const findProcessedCommand = (db: Queryable, workshopId: string, commandId: string) =>
  db
    .selectFrom('processed_commands')
    .select('seq')
    .where('workshop_id', '=', workshopId)
    .where('command_id', '=', commandId)
    .executeTakeFirst();

/** One command's share of an append: its workshop, its events, and its id to record (none for setup writers' board changes). */
export interface AppendEntry {
  workshopId: string;
  commandId?: string;
  events: NewEvent[];
}

/**
 * Gives the events their workshops' next sequence numbers, stores them and records the commands, in
 * one statement: each workshop row (its sequence) is then locked for that statement and the commit
 * only, which is what bounds how many writes one workshop takes per second. A group commit appends
 * all its commands, of all its workshops, at once; each command's seq is that of its last event (or
 * the sequence number it saw, when it changed nothing). On PostgreSQL the same statement tells the
 * other processes ([LIVE-22]); the notice is delivered at the commit.
 */
export async function appendBatch(db: Queryable, entries: AppendEntry[]): Promise<Array<{ seq: number; events: LiveEvent[] }>> {
  const at = new Date().toISOString();
  const counts = new Map<string, number>();
  const events: Array<{ w: string; position: number; event: NewEvent }> = [];
  const commands: Array<{ w: string; command_id: string; upto: number }> = [];
  const ends = entries.map(({ workshopId, commandId, events: own }) => {
    let upto = counts.get(workshopId) ?? 0;
    for (const event of own) events.push({ w: workshopId, position: ++upto, event });
    counts.set(workshopId, upto);
    if (commandId) commands.push({ w: workshopId, command_id: commandId, upto });
    return upto;
  });
  // Sorted, so two transactions appending for the same workshops take their rows in the same order.
  const sequences = [...counts].map(([w, count]) => ({ w, count })).sort((a, b) => (a.w < b.w ? -1 : 1));
  const notify = isEmbedded(db) ? sql`` : sql`, pg_notify(${LIVE_CHANNEL}, s.id::text || ':' || s.last_seq::text)`;
  const { rows } = await sql<{ id: string; last_seq: number | string }>`
    with counts as (
      select c.w, c.count from jsonb_to_recordset(${JSON.stringify(sequences)}::jsonb) as c(w uuid, count int) order by c.w
    ),
    sequence as (
      update workshops set last_seq = workshops.last_seq + counts.count from counts where workshops.id = counts.w
      returning workshops.id, workshops.last_seq, counts.count
    ),
    stored as (
      insert into events (workshop_id, seq, type, group_id, poster_id, payload)
      select s.id, s.last_seq - s.count + e.position, e.event ->> 'type', (e.event ->> 'groupId')::uuid,
             (e.event -> 'note' ->> 'posterId')::uuid,
             e.event || jsonb_build_object('seq', s.last_seq - s.count + e.position, 'workshopId', s.id::text, 'at', ${at}::text)
      from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as e(w uuid, position int, event jsonb)
      join sequence s on s.id = e.w
    ),
    command as (
      insert into processed_commands (workshop_id, command_id, seq)
      select s.id, c.command_id, s.last_seq - s.count + c.upto
      from jsonb_to_recordset(${JSON.stringify(commands)}::jsonb) as c(w uuid, command_id uuid, upto int)
      join sequence s on s.id = c.w
    )
    select s.id, s.last_seq${notify} from sequence s`.execute(db);
  const firstSeq = new Map(rows.map((row) => [row.id, Number(row.last_seq) - counts.get(row.id)! + 1]));
  const gone = sequences.find(({ w }) => !firstSeq.has(w));
  if (gone) throw new Error(`workshop ${gone.w} is gone`);
  const positions = new Map<string, number>();
  return entries.map(({ workshopId, events: own }, index) => {
    const first = firstSeq.get(workshopId)!;
    let position = positions.get(workshopId) ?? 0;
    const stamped = own.map((event) => ({ ...event, seq: first + position++, workshopId, at }) as LiveEvent);
    positions.set(workshopId, position);
    return { seq: first - 1 + ends[index]!, events: stamped };
  });
}

/** The append of one command or one setup writer's change (see appendBatch). */
export async function appendEvents(db: Queryable, workshopId: string, events: NewEvent[], commandId?: string): Promise<{ seq: number; events: LiveEvent[] }> {
  return (await appendBatch(db, [{ workshopId, commandId, events }]))[0]!;
}

/** A command's key in a group commit: command ids are the devices', unique within a workshop. */
export const commandKey = (workshopId: string, commandId: string) => `${workshopId}/${commandId}`;

/**
 * What a group commit reads once for all its commands: the ones processed before (by `commandKey`),
 * and the participants acting.
 */
export async function readBatchContext(db: Queryable, commands: Array<{ workshopId: string; commandId: string }>, participantIds: string[]) {
  const { rows } = await sql<{ kind: 'command' | 'participant'; id: string; seq: number | string | null; workshop_id: string; group_id: string | null; name: string | null; anonymised_at: Date | string | null }>`
    select 'command' as kind, command_id as id, seq, workshop_id, null::uuid as group_id, null::text as name, null::timestamptz as anonymised_at
    from processed_commands
    where (workshop_id, command_id) in (select * from unnest(${commands.map((c) => c.workshopId)}::uuid[], ${commands.map((c) => c.commandId)}::uuid[]))
    union all
    select 'participant', id, null, workshop_id, group_id, name, anonymised_at
    from participants where id = any(${participantIds}::uuid[])`.execute(db);
  const seen = new Map<string, number>();
  const participants = new Map<string, ParticipantRow>();
  for (const row of rows) {
    if (row.kind === 'command') seen.set(commandKey(row.workshop_id, row.id), Number(row.seq));
    else participants.set(row.id, { id: row.id, workshop_id: row.workshop_id, group_id: row.group_id!, name: row.name!, anonymised_at: row.anonymised_at === null ? null : new Date(row.anonymised_at) });
  }
  return { seen, participants };
}

export type ParticipantRow = NonNullable<Awaited<ReturnType<typeof findParticipant>>>;

/** A poster's place (as findPlace) with the live items of its perspective, by kind, in one round trip. */
export async function findPlaceWithItems(db: Queryable, posterId: string, groupId: string) {
  const place = await placeQuery(db, posterId, groupId)
    .select(sql<Array<{ id: string; kind: string }> | null>`(select json_agg(json_build_object('id', i.id, 'kind', i.kind)) from items i where i.perspective_id = p.perspective_id and i.archived_at is null)`.as('items'))
    .executeTakeFirst();
  if (!place) return undefined;
  const { items, ...rest } = place;
  return { ...rest, items: typeof items === 'string' ? (JSON.parse(items) as Array<{ id: string; kind: string }>) : (items ?? []) };
}

export interface NewNoteRow {
  id: string;
  workshopId: string;
  posterId: string;
  groupId: string;
  authorParticipantId: string | null;
  authorUserId: string | null;
  writtenByUserId: string | null;
  kind: string;
  text: string;
  proposedItemKind: string | null;
  replyToNoteId: string | null;
  at: Date;
  itemIds: string[];
}

/** Stores a lapp and its items in one statement; false when the id is taken (nothing stored). */
export async function insertNoteWithItems(db: Queryable, note: NewNoteRow): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    with note as (
      insert into notes (id, workshop_id, poster_id, group_id, author_participant_id, author_user_id, author_name, written_by_user_id,
                         kind, text, proposed_item_kind, reply_to_note_id, withdrawn_at, created_at, updated_at)
      values (${note.id}, ${note.workshopId}, ${note.posterId}, ${note.groupId}, ${note.authorParticipantId}, ${note.authorUserId}, null,
              ${note.writtenByUserId}, ${note.kind}, ${note.text}, ${note.proposedItemKind}, ${note.replyToNoteId}, null, ${note.at}, ${note.at})
      on conflict (id) do nothing
      returning id
    ),
    placed as (
      insert into note_items (note_id, item_id) select note.id, item.id from note, unnest(${note.itemIds}::uuid[]) as item(id)
    )
    select id from note`.execute(db);
  return rows.length > 0;
}

/** The PostgreSQL channel on which every append says `workshopId:seq` ([LIVE-22]). */
/**
 * [LIVE-22] The channel on which `appendBatch` tells every server process listening on PostgreSQL
 * that a workshop's log reached a seq, so writes of another process (the CLI, a process without
 * Redis) reach their devices. Sent inside the writer's transaction: PostgreSQL delivers it on commit
 * only, and never on rollback. Embedded PGlite has one owning process, which publishes its own writes.
 */
export const LIVE_CHANNEL = 'innspill_live';


export const currentSeq = async (db: Queryable, workshopId: string) =>
  Number((await db.selectFrom('workshops').select('last_seq').where('id', '=', workshopId).executeTakeFirst())?.last_seq ?? 0);

/** Events after `afterSeq`, in order; `groupIds` null means every group. */
export async function eventsSince(db: Queryable, workshopId: string, afterSeq: number, groupIds: string[] | null, limit = 5000) {
  let query = db
    .selectFrom('events')
    .select('payload')
    .where('workshop_id', '=', workshopId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit);
  if (groupIds) query = query.where((eb) => eb.or([eb('group_id', 'in', groupIds), eb('group_id', 'is', null)]));
  const rows = await query.execute();
  return rows.map((row) => (typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload) as LiveEvent);
}

export async function countEventsSince(db: Queryable, workshopId: string, afterSeq: number): Promise<number> {
  const row = await db
    .selectFrom('events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('workshop_id', '=', workshopId)
    .where('seq', '>', afterSeq)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Lapper of some groups (or all) of a workshop, as the live protocol shows them. */
export async function listNotes(db: Queryable, workshopId: string, groupIds: string[] | null): Promise<LiveNote[]> {
  let query = db
    .selectFrom('notes as n')
    .leftJoin('participants as p', 'p.id', 'n.author_participant_id')
    .leftJoin('users as u', 'u.id', 'n.author_user_id')
    .select([
      'n.id',
      'n.poster_id',
      'n.group_id',
      'n.kind',
      'n.text',
      'n.proposed_item_kind',
      'n.reply_to_note_id',
      'n.author_participant_id',
      'n.author_user_id',
      'n.author_name',
      'n.placed',
      'n.withdrawn_at',
      'n.created_at',
      'n.updated_at',
      'p.name as participant_name',
      'u.name as user_name',
    ])
    .select((eb) => [
      eb.fn
        .coalesce(
          eb
            .selectFrom('note_items')
            .select(sql<string[]>`array_agg(item_id order by item_id)`.as('ids'))
            .whereRef('note_items.note_id', '=', 'n.id'),
          sql<string[]>`'{}'::uuid[]`,
        )
        .as('item_ids'),
      eb.fn
        .coalesce(
          eb
            .selectFrom('agreements')
            .select(sql<string[]>`array_agg(participant_id order by created_at)`.as('ids'))
            .whereRef('agreements.note_id', '=', 'n.id'),
          sql<string[]>`'{}'::uuid[]`,
        )
        .as('agreed_by'),
    ])
    .where('n.workshop_id', '=', workshopId)
    .orderBy('n.created_at')
    .orderBy('n.id');
  if (groupIds) query = query.where('n.group_id', 'in', groupIds);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: row.id,
    posterId: row.poster_id,
    groupId: row.group_id,
    itemIds: parseUuidArray(row.item_ids),
    kind: row.kind,
    text: row.text,
    proposedItemKind: row.proposed_item_kind,
    replyToNoteId: row.reply_to_note_id,
    author: {
      participantId: row.author_participant_id,
      userId: row.author_user_id,
      name: row.participant_name ?? row.user_name ?? row.author_name,
    },
    placed: row.placed,
    withdrawn: row.withdrawn_at !== null,
    agreedBy: parseUuidArray(row.agreed_by),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  }));
}

/** PGlite and pg both return uuid[] as arrays, but a text form can slip through; accept both. */
function parseUuidArray(value: unknown): string[] {
  if (Array.isArray(value)) return value as string[];
  if (typeof value === 'string') return value.replace(/^\{|\}$/g, '').split(',').filter(Boolean);
  return [];
}

export async function listStars(db: Queryable, workshopId: string, groupIds: string[] | null): Promise<LiveStar[]> {
  let query = db
    .selectFrom('stars')
    .select(['id', 'poster_id', 'group_id', 'item_id', 'participant_id'])
    .where('workshop_id', '=', workshopId)
    .orderBy('created_at');
  if (groupIds) query = query.where('group_id', 'in', groupIds);
  const rows = await query.execute();
  return rows.map((row) => ({ id: row.id, posterId: row.poster_id, groupId: row.group_id, itemId: row.item_id, participantId: row.participant_id }));
}

/** What decides which stars a device sees ([STAR-4]): the workshop's setting and the revealed groups. */
export async function readVisibility(db: Queryable, workshopId: string) {
  const [workshop, revealed] = await Promise.all([
    db.selectFrom('workshops').select('stars_hidden').where('id', '=', workshopId).executeTakeFirst(),
    db.selectFrom('groups').select('id').where('workshop_id', '=', workshopId).where('stars_revealed', '=', true).execute(),
  ]);
  return { starsHidden: workshop?.stars_hidden ?? false, revealedGroups: new Set(revealed.map((g) => g.id)) };
}

export const readStarsHidden = async (db: Queryable, workshopId: string) =>
  (await db.selectFrom('workshops').select('stars_hidden').where('id', '=', workshopId).executeTakeFirst())?.stars_hidden ?? false;

export const viewerTokenMatches = async (db: Queryable, workshopId: string, viewerToken: string) =>
  Boolean(await db.selectFrom('workshops').select('id').where('id', '=', workshopId).where('viewer_token', '=', viewerToken).executeTakeFirst());

/** [PRIV-1] The name a participant's lapper carry in the stored events becomes `name` (their anonymised label). */
export const scrubAuthorName = (db: Queryable, workshopId: string, participantId: string, name: string) =>
  sql`
    update events set payload = jsonb_set(payload, '{note,author,name}', to_jsonb(${name}::text))
    where workshop_id = ${workshopId} and type = 'note.created' and payload #>> '{note,author,participantId}' = ${participantId}`.execute(db);

/** Every workshop on a plan, in a fixed order (the order their sequence rows are locked in). */
export const workshopIdsOfPlan = async (db: Queryable, planId: string) =>
  (await db.selectFrom('workshops').select('id').where('plan_id', '=', planId).orderBy('id').execute()).map((row) => row.id);
