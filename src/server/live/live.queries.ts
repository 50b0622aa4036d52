import { sql } from 'kysely';
import type { ItemKind } from '../../domain/items.js';
import type { PosterPart } from '../../domain/workshops.js';
import type { WritePlace } from '../../domain/workshopRules.js';
import { isEmbedded, runText, type Queryable } from '../db/database.js';
import type { ItemKindColumn, NoteKindColumn } from '../db/tables.js';
import type { LiveEvent, LiveNote, LiveStar, NewEvent } from '../../contract/protocol.js';

/** A group's poster with everything that decides who may write there, and the live items of its perspective. */
export interface Place extends WritePlace {
  posterId: string;
  perspectiveId: string;
  part: PosterPart;
  starsEnabled: boolean;
  starBudget: number;
  starsPerItem: number;
  items: Array<{ id: string; kind: ItemKind }>;
}

/**
 * How a statement names its lists of ids: as arrays, or, when every list holds at most one id (as a
 * lone command's do), as single values (`null` for none). Under `auto` plan_cache_mode PostgreSQL
 * plans a statement over arrays anew on every run (its generic plan over arrays of unknown length
 * looks dearer), but keeps the plan over single values: that planning was ~0.5 ms of each lone
 * write's context read (docs/benchmarks.md, issue 12).
 */
interface IdLists {
  /** The comparison of a column with the ids of parameter `n`. */
  anyOf(n: number): string;
  /** The (id, id) pairs of parameters `a` and `b`, as rows. */
  pairs(a: number, b: number): string;
  /** The parameter's value for `ids`. */
  value(ids: readonly string[]): readonly string[] | string | null;
}

const idArrays: IdLists = {
  anyOf: (n) => `= any($${n}::uuid[])`,
  pairs: (a, b) => `select * from unnest($${a}::uuid[], $${b}::uuid[])`,
  value: (ids) => ids,
};

const singleIds: IdLists = {
  anyOf: (n) => `= $${n}::uuid`,
  pairs: (a, b) => `select $${a}::uuid, $${b}::uuid`,
  value: (ids) => ids[0] ?? null,
};

const idListsFor = (lists: ReadonlyArray<readonly string[]>): IdLists => (lists.every((ids) => ids.length <= 1) ? singleIds : idArrays);

/** The places of (poster, group) pairs, and of the lapper `noteIds` (`$1`–`$3`), as one JSON array. */
const placesJson = (ids: IdLists) => `(
  select json_agg(json_build_object(
    'posterId', p.id, 'perspectiveId', p.perspective_id, 'part', p.part, 'starsEnabled', p.stars_enabled,
    'workshopId', w.id, 'workshopState', w.state, 'starBudget', w.star_budget, 'starsPerItem', w.stars_per_item,
    'groupId', g.id, 'groupFacilitatorId', g.facilitator_user_id,
    'items', coalesce((select json_agg(json_build_object('id', i.id, 'kind', i.kind)) from items i
                       where i.perspective_id = p.perspective_id and i.archived_at is null), '[]')))
  from (select * from (${ids.pairs(1, 2)}) as pair(poster_id, group_id)
        union select poster_id, group_id from notes where id ${ids.anyOf(3)}) as wanted
  join posters p on p.id = wanted.poster_id
  join workshops w on w.id = p.workshop_id
  join groups g on g.id = wanted.group_id and g.workshop_id = w.id
)`;

export const placeKey = (posterId: string, groupId: string) => `${posterId}/${groupId}`;

/** Places by `placeKey`, from the JSON of placesJson. */
const placesByKey = (places: Place[] | null) => new Map((places ?? []).map((place) => [placeKey(place.posterId, place.groupId), place]));

const FIND_PLACE = `select ${placesJson(singleIds)} as places`;

export async function findPlace(db: Queryable, posterId: string, groupId: string): Promise<Place | undefined> {
  const [row] = await runText<{ places: Place[] | null }>(db, FIND_PLACE, [posterId, groupId, null]);
  return placesByKey(row!.places).get(placeKey(posterId, groupId));
}

export const findGroupPlace = (db: Queryable, groupId: string) =>
  db
    .selectFrom('groups as g')
    .innerJoin('workshops as w', 'w.id', 'g.workshop_id')
    .select(['w.id as workshopId', 'w.state as workshopState', 'g.id as groupId', 'g.facilitator_user_id as groupFacilitatorId'])
    .where('g.id', '=', groupId)
    .executeTakeFirst();

/** The columns of a lapp the live commands check. */
const NOTE_COLUMNS = ['id', 'workshop_id', 'poster_id', 'group_id', 'kind', 'text', 'author_participant_id', 'author_user_id', 'written_by_user_id', 'withdrawn_at'] as const;

export const findNoteRow = (db: Queryable, noteId: string) => db.selectFrom('notes').select(NOTE_COLUMNS).where('id', '=', noteId).executeTakeFirst();

export type NoteRow = NonNullable<Awaited<ReturnType<typeof findNoteRow>>>;

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

/** Takes back the participant's newest star on the item; the star taken, if there was one. */
export async function takeNewestStar(db: Queryable, participantId: string, posterId: string, itemId: string) {
  const [star] = await runText<{ id: string; group_id: string }>(
    db,
    `delete from stars where id = (select id from stars where participant_id = $1 and poster_id = $2 and item_id = $3 order by created_at desc limit 1)
     returning id, group_id`,
    [participantId, posterId, itemId],
  );
  return star;
}

export const findParticipant = (db: Queryable, participantId: string) =>
  db.selectFrom('participants').select(['id', 'workshop_id', 'group_id', 'name', 'anonymised_at']).where('id', '=', participantId).executeTakeFirst();

/**
 * What the budget of a participant's next star on a poster depends on, and the star `starId` if it
 * exists, in one statement. Read after `lockParticipant`, in a statement of its own: that statement's
 * snapshot then includes the stars of the transaction the lock waited for.
 */
export async function starCounts(db: Queryable, participantId: string, posterId: string, itemId: string, starId: string) {
  const [row] = await runText<{ used: number | string; used_on_item: number | string; existing: { participant_id: string; item_id: string } | null }>(
    db,
    `select count(*) as used, count(*) filter (where item_id = $3) as used_on_item,
            (select json_build_object('participant_id', participant_id, 'item_id', item_id) from stars where id = $4) as existing
     from stars where participant_id = $1 and poster_id = $2`,
    [participantId, posterId, itemId, starId],
  );
  return { used: Number(row!.used), usedOnItem: Number(row!.used_on_item), existing: row!.existing };
}

/** One command's share of an append: its workshop, its events, and its id to record (none for setup writers' board changes). */
export interface AppendEntry {
  workshopId: string;
  commandId?: string;
  events: NewEvent[];
}

type AppendedRow = { id: string; last_seq: number | string };

/**
 * Two CTEs that store the lapper of the JSON array (of NewNoteRow) in parameter `param`, and their
 * items. Foreign keys are checked at the end of the statement, so a lapp's items may come with it.
 */
const storeNotes = (param: string) => `
  new_note as (
    insert into notes (id, workshop_id, poster_id, group_id, author_participant_id, author_user_id, author_name, written_by_user_id,
                       kind, text, proposed_item_kind, reply_to_note_id, withdrawn_at, created_at, updated_at)
    select n.id, n."workshopId", n."posterId", n."groupId", n."authorParticipantId", n."authorUserId", null, n."writtenByUserId",
           n.kind, n.text, n."proposedItemKind", n."replyToNoteId", null, n.at, n.at
    from jsonb_to_recordset(${param}::jsonb) as n(id uuid, "workshopId" uuid, "posterId" uuid, "groupId" uuid, "authorParticipantId" uuid,
      "authorUserId" uuid, "writtenByUserId" uuid, kind text, text text, "proposedItemKind" text, "replyToNoteId" uuid, at timestamptz)
  ),
  new_note_item as (
    insert into note_items (note_id, item_id)
    select n.id, item.id::uuid
    from jsonb_to_recordset(${param}::jsonb) as n(id uuid, "itemIds" jsonb)
    cross join lateral jsonb_array_elements_text(n."itemIds") as item(id)
  )`;

/** A change of one participant's agreement with a lapp, as a group commit stores it. */
export interface AgreementChange {
  noteId: string;
  participantId: string;
  agreed: boolean;
}

/** Two CTEs that store the agreements (of AgreementChange, at most one per pair) in parameter `param`. */
const storeAgreements = (param: string) => `
  agreement_added as (
    insert into agreements (note_id, participant_id)
    select a."noteId", a."participantId" from jsonb_to_recordset(${param}::jsonb) as a("noteId" uuid, "participantId" uuid, agreed boolean)
    where a.agreed
  ),
  agreement_removed as (
    delete from agreements using jsonb_to_recordset(${param}::jsonb) as a("noteId" uuid, "participantId" uuid, agreed boolean)
    where not a.agreed and agreements.note_id = a."noteId" and agreements.participant_id = a."participantId"
  )`;

/** A star a group commit gives, as the append stores it. */
export interface NewStarRow {
  id: string;
  workshopId: string;
  posterId: string;
  groupId: string;
  itemId: string;
  participantId: string;
}

/** A CTE that stores the stars (of NewStarRow) in parameter `param`. */
const storeStars = (param: string) => `
  new_star as (
    insert into stars (id, workshop_id, poster_id, group_id, item_id, participant_id)
    select s.id, s."workshopId", s."posterId", s."groupId", s."itemId", s."participantId"
    from jsonb_to_recordset(${param}::jsonb) as s(id uuid, "workshopId" uuid, "posterId" uuid, "groupId" uuid, "itemId" uuid, "participantId" uuid)
  )`;

/** Rows a group commit's commands made and left for one statement to store (see appendBatch). */
export interface NewRows {
  notes: NewNoteRow[];
  agreements: AgreementChange[];
  stars: NewStarRow[];
}

const noNewRows: NewRows = { notes: [], agreements: [], stars: [] };

/** The parameters of the rows' CTEs, in the order of storeRows. */
const newRowsParameters = (rows: NewRows) => [JSON.stringify(rows.notes), JSON.stringify(rows.agreements), JSON.stringify(rows.stars)];

/** The CTEs that store NewRows from three parameters, the first numbered `first`. */
const storeRows = (first: number) => `${storeNotes(`$${first}`)}, ${storeAgreements(`$${first + 1}`)}, ${storeStars(`$${first + 2}`)}`;

/** appendBatch's statement; `notify` is the [LIVE-22] notice on PostgreSQL, nothing on PGlite. */
const appendText = (notify: string) => `
  with ${storeRows(5)},
  counts as (
    select c.w, c.count from jsonb_to_recordset($1::jsonb) as c(w uuid, count int) order by c.w
  ),
  sequence as (
    update workshops set last_seq = workshops.last_seq + counts.count from counts where workshops.id = counts.w
    returning workshops.id, workshops.last_seq, counts.count
  ),
  stored as (
    insert into events (workshop_id, seq, type, group_id, poster_id, payload)
    select s.id, s.last_seq - s.count + e.position, e.event ->> 'type', (e.event ->> 'groupId')::uuid,
           (e.event -> 'note' ->> 'posterId')::uuid,
           e.event || jsonb_build_object('seq', s.last_seq - s.count + e.position, 'workshopId', s.id::text, 'at', $4::text)
    from jsonb_to_recordset($2::jsonb) as e(w uuid, position int, event jsonb)
    join sequence s on s.id = e.w
  ),
  command as (
    insert into processed_commands (workshop_id, command_id, seq)
    select s.id, c.command_id, s.last_seq - s.count + c.upto
    from jsonb_to_recordset($3::jsonb) as c(w uuid, command_id uuid, upto int)
    join sequence s on s.id = c.w
  )
  select s.id, s.last_seq${notify} from sequence s`;
const APPEND = appendText('');
const APPEND_AND_NOTIFY = appendText(`, pg_notify($8, s.id::text || ':' || s.last_seq::text)`);

/**
 * Gives the events their workshops' next sequence numbers, stores them and records the commands, in
 * one statement: each workshop row (its sequence) is then locked for that statement and the commit
 * only, which is what bounds how many writes one workshop takes per second. A group commit appends
 * all its commands, of all its workshops, at once; each command's seq is that of its last event (or
 * the sequence number it saw, when it changed nothing). The same statement stores the batch's new
 * lapper, agreements and stars (`newRows`: the commands most devices send then cost no statement of their own) and, on
 * PostgreSQL, tells the other processes ([LIVE-22]); the notice is delivered at the commit.
 */
export async function appendBatch(db: Queryable, entries: AppendEntry[], newRows: NewRows = noNewRows): Promise<Array<{ seq: number; events: LiveEvent[] }>> {
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
  const parameters = [JSON.stringify(sequences), JSON.stringify(events), JSON.stringify(commands), at, ...newRowsParameters(newRows)];
  const rows = isEmbedded(db)
    ? await runText<AppendedRow>(db, APPEND, parameters)
    : await runText<AppendedRow>(db, APPEND_AND_NOTIFY, [...parameters, LIVE_CHANNEL]);
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

/** What a group commit reads before its commands run, besides the commands seen before and the actors. */
export interface BatchWants {
  /** The (poster, group) places commands write on. */
  places: Array<{ posterId: string; groupId: string }>;
  /** Lapper commands act on: their rows, and their places. */
  noteIds: string[];
  /** (lapp, participant) pairs whose agreement commands set. */
  agreements: Array<{ noteId: string; participantId: string }>;
  /** Participants whose stars commands give or take: locked for the transaction (see lockParticipant). */
  lockParticipantIds: string[];
}

export const agreementKey = (noteId: string, participantId: string) => `${noteId}/${participantId}`;

export const isAgreed = async (db: Queryable, noteId: string, participantId: string) =>
  Boolean(await db.selectFrom('agreements').select('note_id').where('note_id', '=', noteId).where('participant_id', '=', participantId).executeTakeFirst());

type NoteJson = Omit<NoteRow, 'withdrawn_at'> & { withdrawn_at: string | null };
type ParticipantJson = Omit<ParticipantRow, 'anonymised_at'> & { anonymised_at: string | null };

const batchContextText = (ids: IdLists) => `select
  ${placesJson(ids)} as places,
  (select json_agg(json_build_array(c.workshop_id, c.command_id, c.seq)) from processed_commands c
   where (c.workshop_id, c.command_id) in (${ids.pairs(4, 5)})) as seen,
  (select json_agg(p) from (select id, workshop_id, group_id, name, anonymised_at from participants where id ${ids.anyOf(6)}) p) as participants,
  (select json_agg(n) from (select ${NOTE_COLUMNS.join(', ')} from notes where id ${ids.anyOf(3)}) n) as notes,
  (select json_agg(json_build_array(a.note_id, a.participant_id)) from agreements a
   where (a.note_id, a.participant_id) in (${ids.pairs(7, 8)})) as agreements,
  (select json_agg(l) from (select id, workshop_id, group_id, name, anonymised_at from participants
                            where id ${ids.anyOf(9)} order by id for no key update) l) as locked`;

const BATCH_CONTEXT = new Map([idArrays, singleIds].map((ids) => [ids, batchContextText(ids)]));

/**
 * What a group commit reads once for all its commands, in one statement: the ones processed before
 * (by `commandKey`), the participants acting, and the places, lapper and agreements the commands name;
 * and it locks the participants whose stars they change, as lockParticipant does.
 */
export async function readBatchContext(
  db: Queryable,
  commands: ReadonlyArray<{ workshopId: string; commandId: string }>,
  participantIds: string[],
  wants: BatchWants = { places: [], noteIds: [], agreements: [], lockParticipantIds: [] },
) {
  const lists = [
    wants.places.map((place) => place.posterId),
    wants.places.map((place) => place.groupId),
    wants.noteIds,
    commands.map((c) => c.workshopId),
    commands.map((c) => c.commandId),
    participantIds,
    wants.agreements.map((pair) => pair.noteId),
    wants.agreements.map((pair) => pair.participantId),
    wants.lockParticipantIds,
  ];
  const ids = idListsFor(lists);
  const [row] = await runText<{
    places: Place[] | null;
    seen: Array<[string, string, number]> | null;
    participants: ParticipantJson[] | null;
    notes: NoteJson[] | null;
    agreements: Array<[string, string]> | null;
    locked: ParticipantJson[] | null;
  }>(
    db,
    BATCH_CONTEXT.get(ids)!,
    lists.map((list) => ids.value(list)),
  );
  const at = (value: string | null) => (value === null ? null : new Date(value));
  const participantsOf = (rows: ParticipantJson[] | null) => new Map((rows ?? []).map((p): [string, ParticipantRow] => [p.id, { ...p, anonymised_at: at(p.anonymised_at) }]));
  return {
    seen: new Map((row!.seen ?? []).map(([workshopId, commandId, seq]) => [commandKey(workshopId, commandId), Number(seq)])),
    participants: participantsOf(row!.participants),
    locked: participantsOf(row!.locked),
    places: placesByKey(row!.places),
    notes: new Map((row!.notes ?? []).map((n): [string, NoteRow] => [n.id, { ...n, withdrawn_at: at(n.withdrawn_at) }])),
    agreements: new Set((row!.agreements ?? []).map(([noteId, participantId]) => agreementKey(noteId, participantId))),
  };
}

export type ParticipantRow = NonNullable<Awaited<ReturnType<typeof findParticipant>>>;

export interface NewNoteRow {
  id: string;
  workshopId: string;
  posterId: string;
  groupId: string;
  authorParticipantId: string | null;
  authorUserId: string | null;
  writtenByUserId: string | null;
  kind: NoteKindColumn;
  text: string;
  proposedItemKind: ItemKindColumn | null;
  replyToNoteId: string | null;
  at: Date;
  itemIds: string[];
}

/** Stores new lapper, their items and agreements in one statement (a group commit's, before a command that may read them). */
export async function storeNewRows(db: Queryable, rows: NewRows): Promise<void> {
  await runText(db, STORE_NEW_ROWS, newRowsParameters(rows));
}

const STORE_NEW_ROWS = `with ${storeRows(1)} select 1`;

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
