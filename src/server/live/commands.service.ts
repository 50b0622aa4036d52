import type { Actor } from '../../domain/actors.js';
import { DomainError, fail } from '../../domain/errors.js';
import { posterKinds } from '../../domain/items.js';
import { assertPlanner } from '../../domain/permissions.js';
import { assertMayFacilitate, assertMayGiveStar, assertMayWrite } from '../../domain/workshopRules.js';
import { isEmbedded, runText, writeLanesOf, type Db } from '../db/database.js';
import { isRetryableDatabaseError } from '../db/databaseErrors.js';
import type { PlacedVia } from '../db/tables.js';
import type { WriteLimiter } from '../limits.js';
import * as q from './live.queries.js';
import { readBatch, readsOf, storeNewRows, storeWithAppend, newRowsOf, writesOnlyWithAppend, type Scope } from './batchReads.js';
import { recordAudit } from '../audit/audit.service.js';
import { noteFromCommand } from '../../contract/boardState.js';
import type { Command, LiveEvent, NewEvent } from '../../contract/protocol.js';

export interface CommandResult {
  seq: number;
  /** True when this commandId was already processed: nothing new was stored. */
  duplicate: boolean;
  /** The events this command committed, to publish. */
  events: LiveEvent[];
}

const UNIQUE_VIOLATION = '23505';

/**
 * The one write path: authorise, apply and append the events in one transaction; the caller
 * publishes the returned events only after this resolves, that is after the commit. Commands for
 * one workshop that arrive while its previous transaction runs share the next one (group commit).
 */
export async function executeCommand(
  db: Db,
  limiter: WriteLimiter,
  actor: Actor | null,
  workshopId: string,
  commandId: string,
  command: Command,
): Promise<CommandResult> {
  if (!actor) throw new DomainError('unauthenticated', 'Join the workshop or log in first');
  return groupCommitOf(db).submit({ limiter, actor, workshopId, commandId, command });
}

/** Attempts of a command whose transaction lost a race (deadlock or serialization) before it is answered "busy". */
const RACE_ATTEMPTS = 3;

/**
 * A command that deadlocked with a setup writer (they lock the workshop and a participant in the
 * other order) rolled back whole, so it simply runs again.
 */
async function withRetryOnRace<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (attempt >= RACE_ATTEMPTS || !isRetryableDatabaseError(error)) throw error;
    }
  }
}

// ---- group commit ----

/**
 * Most commands one transaction carries. Each command runs under its own savepoint, and
 * PostgreSQL keeps the ids of at most 64 writing subtransactions per transaction in shared
 * memory before every other session's snapshots get slower.
 */
const MAX_BATCH = 50;

interface Submitted {
  limiter: WriteLimiter;
  actor: Actor;
  workshopId: string;
  commandId: string;
  command: Command;
}

interface Pending extends Submitted {
  /** The write limit's verdict, taken once even when the batch runs again after a race. */
  wait?: number;
  resolve(result: CommandResult): void;
  reject(error: unknown): void;
}

type Outcome = { result: CommandResult } | { error: unknown } | { sameAs: number };

interface Lane {
  queue: Pending[];
  running: boolean;
}

const groupCommits = new WeakMap<Db, GroupCommit>();

function groupCommitOf(db: Db): GroupCommit {
  let commit = groupCommits.get(db);
  if (!commit) groupCommits.set(db, (commit = new GroupCommit(db)));
  return commit;
}

/**
 * [LIVE-23] Runs the live commands in a few lanes, each committing one transaction at a time that
 * carries every command which waited for it, of any of the lane's workshops: under load many
 * commands pay for one BEGIN, one read of the commands seen before and the participants, one append
 * and one COMMIT (one WAL flush). Nothing is answered before its transaction committed; a command
 * that is refused (or fails in the database) rolls back to its own savepoint and does not hold the
 * others back. A workshop stays in one lane while it has commands in flight, so this process
 * appends its events in the order their transactions commit.
 */
class GroupCommit {
  private readonly lanes: Lane[];
  private readonly embedded: boolean;
  /** The lane of each workshop with commands in flight, and how many. */
  private readonly workshops = new Map<string, { lane: Lane; inFlight: number }>();

  constructor(private readonly db: Db) {
    this.embedded = isEmbedded(db);
    this.lanes = Array.from({ length: writeLanesOf(db) }, () => ({ queue: [], running: false }));
  }

  submit(command: Submitted): Promise<CommandResult> {
    let workshop = this.workshops.get(command.workshopId);
    if (!workshop) this.workshops.set(command.workshopId, (workshop = { lane: this.idlestLane(), inFlight: 0 }));
    workshop.inFlight += 1;
    const settled = () => {
      workshop.inFlight -= 1;
      if (workshop.inFlight === 0) this.workshops.delete(command.workshopId);
    };
    const { lane } = workshop;
    return new Promise<CommandResult>((resolve, reject) => {
      lane.queue.push({ ...command, resolve, reject });
      if (lane.running) return;
      lane.running = true;
      // Commands that arrive in the same turn of the event loop join the first transaction; on
      // PGlite, every command the sockets bring in this turn (see `drain`).
      if (this.embedded) setImmediate(() => void this.drain(lane));
      else queueMicrotask(() => void this.drain(lane));
    }).finally(settled);
  }

  private idlestLane(): Lane {
    return this.lanes.reduce((best, lane) => (load(lane) < load(best) ? lane : best));
  }

  /** Commits batches until the lane's queue is empty. */
  private async drain(lane: Lane): Promise<void> {
    while (lane.queue.length > 0) {
      await this.commit(lane.queue.splice(0, MAX_BATCH));
      // PGlite runs a whole transaction without giving the event loop a turn: the commands that
      // reached the sockets meanwhile are read only now, and then share the next transaction.
      // (PostgreSQL's replies come through the event loop, which reads the sockets between them.)
      if (this.embedded) await new Promise((resolve) => setImmediate(resolve));
    }
    lane.running = false;
  }

  private async commit(batch: Pending[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      // A batch whose only write is the append's single statement needs no transaction around it.
      const run = (scope: Scope) => runBatch(scope, batch);
      outcomes = await withRetryOnRace(() => (batch.every(writesOnlyWithAppend) ? this.db.connection().execute(run) : this.db.transaction().execute(run)));
    } catch (error) {
      if (batch.length > 1) {
        // Something failed the whole transaction (another process recorded one of these commands
        // first, or the connection broke): each command runs again alone and gets its own answer.
        for (const pending of batch) await this.commit([pending]);
        return;
      }
      outcomes = [{ error }];
    }
    await answerAgainIfSeen(this.db, batch, outcomes);
    for (const [index, pending] of batch.entries()) {
      let outcome = outcomes[index]!;
      if ('sameAs' in outcome) {
        const first = outcomes[outcome.sameAs]!;
        outcome = 'result' in first ? { result: { ...first.result, duplicate: true, events: [] } } : first;
      }
      if ('result' in outcome) pending.resolve(outcome.result);
      else if ('error' in outcome) pending.reject(outcome.error);
    }
  }
}

const load = (lane: Lane) => lane.queue.length + (lane.running ? 1 : 0);

/**
 * A command seen before fails on the primary key, or on a rule its first run changed (a lapp
 * already withdrawn): either way the device gets the first answer again ([LIVE-7]).
 */
async function answerAgainIfSeen(db: Db, batch: Pending[], outcomes: Outcome[]): Promise<void> {
  const answerable = (error: unknown) =>
    error instanceof DomainError ? error.code !== 'rate_limited' : (error as { code?: string } | null)?.code === UNIQUE_VIOLATION;
  const failed = batch.flatMap((pending, index) => {
    const outcome = outcomes[index]!;
    return 'error' in outcome && answerable(outcome.error) ? [{ pending, index }] : [];
  });
  if (failed.length === 0) return;
  const { seen } = await q.readBatchContext(db, failed.map(({ pending }) => pending), []);
  for (const { pending, index } of failed) {
    const seq = seen.get(q.commandKey(pending.workshopId, pending.commandId));
    if (seq !== undefined) outcomes[index] = { result: { seq, duplicate: true, events: [] } };
  }
}

const SAVEPOINT = 'command';

/**
 * Commands that may write more than once get a savepoint in a shared transaction, so a database
 * failure between their writes costs only them. Every other handler writes in one statement (atomic
 * by itself) and refuses (throws a DomainError) only before it writes, so it needs none: a refusal
 * leaves nothing to undo, and a database error fails the transaction, whose commands then run again
 * each alone (`GroupCommit.commit`). Keep that true of a handler not listed here.
 */
const writesMoreThanOnce: ReadonlySet<Command['type']> = new Set(['note.move', 'note.setAuthor']);

/**
 * Opens the next command's savepoint. The previous one is not released: a savepoint of the same
 * name hides it, and a rollback goes to the newest, so each command costs one statement; the commit
 * releases them all.
 */
const openSavepoint = async (tx: Scope) => void (await runText(tx, `savepoint ${SAVEPOINT}`, []));

const changesNotes: ReadonlySet<Command['type']> = new Set(['note.edit', 'note.withdraw', 'note.move', 'note.setAuthor']);

async function runBatch(tx: Scope, batch: Pending[]): Promise<Outcome[]> {
  const { seen, reads } = await readBatch(tx, batch);
  const shared = batch.length > 1;
  const outcomes: Outcome[] = [];
  const entries: q.AppendEntry[] = [];
  const entryOf = new Map<number, number>();
  const firstOf = new Map<string, number>();
  for (const [index, pending] of batch.entries()) {
    const { actor, workshopId, commandId, command } = pending;
    const key = q.commandKey(workshopId, commandId);
    const earlier = firstOf.get(key);
    if (earlier !== undefined) {
      outcomes.push({ sameAs: earlier });
      continue;
    }
    firstOf.set(key, index);
    // [LIVE-7] A command seen before is answered from its record before the limit counts it: a device
    // resending its outbox after a drop must not spend (or be refused by) the write budget.
    const seq = seen.get(key);
    if (seq !== undefined) {
      outcomes.push({ result: { seq, duplicate: true, events: [] } });
      continue;
    }
    pending.wait ??= await pending.limiter.take(actor.kind === 'participant' ? actor.participantId : actor.kind === 'user' ? actor.userId : 'viewer');
    if (pending.wait > 0) {
      outcomes.push({ error: new DomainError('rate_limited', 'Too many changes in a short time; wait a moment', { retryAfterSeconds: pending.wait }) });
      continue;
    }
    // New lapper, agreements and stars wait for the append, unless a command that may read them comes first.
    if (!writesOnlyWithAppend(pending)) await storeNewRows(tx, reads);
    const guarded = shared && writesMoreThanOnce.has(command.type);
    if (guarded) await openSavepoint(tx);
    try {
      if (actor.kind === 'participant') assertStillParticipant(reads.participants.get(actor.participantId), actor);
      const events = await handlers[command.type](tx, actor, workshopId, command as never);
      if (changesNotes.has(command.type) && 'noteId' in command) reads.notes.delete(command.noteId);
      entryOf.set(index, entries.length);
      entries.push({ workshopId, commandId, events });
      outcomes.push({ result: { seq: 0, duplicate: false, events: [] } });
    } catch (error) {
      // A lost race runs the whole batch again; a database error outside a savepoint fails the
      // transaction (see writesMoreThanOnce); anything else is this command's own answer.
      if (isRetryableDatabaseError(error)) throw error;
      if (guarded) await runText(tx, `rollback to savepoint ${SAVEPOINT}`, []);
      else if (!(error instanceof DomainError)) throw error;
      outcomes.push({ error });
    }
  }
  if (entries.length > 0) {
    const appended = await q.appendBatch(tx, entries, newRowsOf(reads));
    for (const [index, entry] of entryOf) outcomes[index] = { result: { seq: appended[entry]!.seq, duplicate: false, events: appended[entry]!.events } };
  }
  return outcomes;
}

type Handler<T extends Command['type']> = (tx: Scope, actor: Actor, workshopId: string, command: Extract<Command, { type: T }>) => Promise<NewEvent[]>;

const handlers: { [T in Command['type']]: Handler<T> } = {
  'note.create': createNote,
  'note.edit': async (tx, actor, workshopId, command) => {
    const note = await ownNote(tx, actor, workshopId, command.noteId);
    if (note.text === command.text) return [];
    const updatedAt = new Date();
    await tx
      .updateTable('notes')
      .set((eb) => ({ text: command.text, version: eb('version', '+', 1), updated_at: updatedAt }))
      .where('id', '=', note.id)
      .execute();
    return [{ type: 'note.edited', groupId: note.group_id, noteId: note.id, text: command.text, updatedAt: updatedAt.toISOString() }];
  },
  'note.withdraw': async (tx, actor, workshopId, command) => {
    const note = await ownNote(tx, actor, workshopId, command.noteId);
    const updatedAt = new Date();
    await tx.updateTable('notes').set({ withdrawn_at: updatedAt, updated_at: updatedAt }).where('id', '=', note.id).execute();
    return [{ type: 'note.withdrawn', groupId: note.group_id, noteId: note.id, updatedAt: updatedAt.toISOString() }];
  },
  'note.move': async (tx, actor, workshopId, command) => {
    const note = await noteInWorkshop(tx, workshopId, command.noteId);
    const place = await placeOf(tx, workshopId, note.poster_id, note.group_id);
    if (!isAuthor(actor, note)) assertMayFacilitate(actor, place);
    else assertMayWrite(actor, place);
    assertItemsOnPoster(place, command.itemIds);
    // [PLACE-6] The update takes the row lock first: of two planners placing one lapp, the second
    // waits, finds it placed and gets the placement that won.
    if (command.unplace && command.itemIds.length > 0) throw fail.invalid('command.itemIds', 'an undone placement has no items');
    const placed = !command.unplace;
    const updatedAt = new Date();
    const placement = { placed, placed_via: placed ? placedVia(actor, command.fromSuggestion) : null, updated_at: updatedAt };
    let update = tx.updateTable('notes').set(placement).where('id', '=', note.id);
    if (command.ifUnplaced) update = update.where('placed', '=', false);
    const parentMoved = await update.returning('id').executeTakeFirst();
    if (!parentMoved) throw fail.versionConflict({ noteId: note.id, itemIds: await q.noteItemIds(tx, note.id) });
    // [REPLY-1] Replies travel with their lapp: the same place, in the same transaction, an event each.
    const replies = await q.replyIdsOf(tx, note.id);
    if (replies.length > 0) await tx.updateTable('notes').set(placement).where('id', 'in', replies).execute();
    const moved = [note.id, ...replies];
    await tx.deleteFrom('note_items').where('note_id', 'in', moved).execute();
    if (command.itemIds.length > 0) {
      await tx.insertInto('note_items').values(moved.flatMap((noteId) => command.itemIds.map((itemId) => ({ note_id: noteId, item_id: itemId })))).execute();
    }
    const itemIds = [...command.itemIds].sort();
    if (actor.kind === 'user') {
      await recordAudit(tx, actor, {
        action: 'note.placed',
        workshopId,
        targetType: 'note',
        targetId: note.id,
        detail: { itemIds, placed, via: placement.placed_via },
      });
    }
    return moved.map((noteId) => ({ type: 'note.moved' as const, groupId: note.group_id, noteId, itemIds, placed, updatedAt: updatedAt.toISOString() }));
  },
  'note.setAuthor': async (tx, actor, workshopId, command) => {
    // [PLACE-8] Only a planner confirms who wrote an imported lapp; the event carries no name (devices
    // read it from the group's roster), so anonymising later has nothing to scrub here.
    assertPlanner(actor);
    const note = await noteInWorkshop(tx, workshopId, command.noteId);
    assertMayFacilitate(actor, await placeOf(tx, workshopId, note.poster_id, note.group_id));
    if (note.kind === 'facilitator_note' || note.withdrawn_at) throw fail.invalid('command.noteId', 'only a lapp that is still on the board gets an author');
    const participant = await q.findParticipant(tx, command.participantId);
    if (!participant || participant.group_id !== note.group_id) throw fail.invalid('command.participantId', 'the participant is not in the lapp’s group');
    if (participant.anonymised_at) throw fail.invalid('command.participantId', 'this participant is anonymised');
    // As [PLACE-6]: the update takes the row lock, so of two planners the second finds the author set.
    const updatedAt = new Date();
    const set = await tx
      .updateTable('notes')
      .set((eb) => ({ author_participant_id: participant.id, version: eb('version', '+', 1), updated_at: updatedAt }))
      .where('id', '=', note.id)
      .where('author_participant_id', 'is', null)
      .where('author_user_id', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (!set) {
      const current = (await q.findNoteRow(tx, note.id))!;
      if (current.author_participant_id === participant.id) return [];
      throw fail.versionConflict({ noteId: note.id, participantId: current.author_participant_id, userId: current.author_user_id });
    }
    await recordAudit(tx, actor, { action: 'note.authorSet', workshopId, targetType: 'note', targetId: note.id, detail: { participantId: participant.id } });
    return [{ type: 'note.authorSet', groupId: note.group_id, noteId: note.id, participantId: participant.id, updatedAt: updatedAt.toISOString() }];
  },
  'agreement.set': async (tx, actor, workshopId, command) => {
    const note = await noteInWorkshop(tx, workshopId, command.noteId);
    const place = await placeOf(tx, workshopId, note.poster_id, note.group_id);
    assertMayWrite(actor, place);
    const participant = await actingParticipant(tx, actor, place.groupId, command.onBehalfOf);
    if (note.author_participant_id === participant.id) throw fail.forbidden('You wrote this lapp yourself');
    const reads = readsOf(tx)!;
    const key = q.agreementKey(note.id, participant.id);
    if (!reads.agreementsAsked.has(key)) {
      reads.agreementsAsked.add(key);
      if (await q.isAgreed(tx, note.id, participant.id)) reads.agreedBefore.add(key);
    }
    const agreed = reads.agreementsNow.get(key)?.agreed ?? reads.agreedBefore.has(key);
    if (agreed === command.agreed) return [];
    // Stored with the batch's append (see writesOnlyWithAppend).
    reads.agreementsNow.set(key, { noteId: note.id, participantId: participant.id, agreed: command.agreed });
    return [{ type: 'agreement.changed', groupId: note.group_id, noteId: note.id, participantId: participant.id, agreed: command.agreed }];
  },
  'star.give': async (tx, actor, workshopId, command) => {
    const place = await placeOf(tx, workshopId, command.posterId, await starGroup(tx, actor, command.onBehalfOf));
    assertMayWrite(actor, place);
    if (!place.starsEnabled) throw new DomainError('stars_disabled', 'This poster has no stars');
    assertItemsOnPoster(place, [command.itemId]);
    // The row lock makes parallel requests from one participant wait their turn: the budget holds.
    const participant = await actingParticipant(tx, actor, place.groupId, command.onBehalfOf, { lock: true });
    const { existing, ...counts } = await q.starCounts(tx, participant.id, place.posterId, command.itemId, command.starId);
    if (existing) {
      // The same star given again is stored once; the id of someone else's star is refused ([LIVE-17]).
      if (existing.participant_id === participant.id && existing.item_id === command.itemId) return [];
      throw fail.invalid('command.starId', 'this id belongs to another star');
    }
    assertMayGiveStar({ budget: place.starBudget, perItem: place.starsPerItem, ...counts });
    const star = { id: command.starId, posterId: place.posterId, groupId: place.groupId, itemId: command.itemId, participantId: participant.id };
    // Stored with the batch's append, or before the batch's next command that is not stored with it.
    readsOf(tx)!.newStars.push({ ...star, workshopId });
    return [{ type: 'star.given', groupId: place.groupId, star }];
  },
  'star.take': async (tx, actor, workshopId, command) => {
    const place = await placeOf(tx, workshopId, command.posterId, await starGroup(tx, actor, command.onBehalfOf));
    assertMayWrite(actor, place);
    const participant = await actingParticipant(tx, actor, place.groupId, command.onBehalfOf, { lock: true });
    const star = await q.takeNewestStar(tx, participant.id, place.posterId, command.itemId);
    if (!star) return [];
    // The star's own group: a participant moved since giving it took it from the old group's board.
    return [{ type: 'star.taken', groupId: star.group_id, starId: star.id, posterId: place.posterId, itemId: command.itemId, participantId: participant.id }];
  },
  'group.revealStars': async (tx, actor, workshopId, command) => {
    const place = await groupPlace(tx, workshopId, command.groupId);
    assertMayFacilitate(actor, place);
    await tx.updateTable('groups').set({ stars_revealed: command.revealed }).where('id', '=', command.groupId).execute();
    return [{ type: 'group.starsRevealed', groupId: command.groupId, revealed: command.revealed }];
  },
  'group.timer': async (tx, actor, workshopId, command) => {
    const place = await groupPlace(tx, workshopId, command.groupId);
    assertMayFacilitate(actor, place);
    const endsAt = command.seconds === null ? null : new Date(Date.now() + command.seconds * 1000);
    await tx.updateTable('groups').set({ timer_ends_at: endsAt }).where('id', '=', command.groupId).execute();
    return [{ type: 'group.timer', groupId: command.groupId, endsAt: endsAt?.toISOString() ?? null }];
  },
};

async function createNote(tx: Scope, actor: Actor, workshopId: string, command: Extract<Command, { type: 'note.create' }>): Promise<NewEvent[]> {
  const groupId = groupOf(actor, command.groupId);
  if (!groupId) throw fail.invalid('command.groupId', 'say which group the lapp belongs to');
  const place = await placeOf(tx, workshopId, command.posterId, groupId);
  assertMayWrite(actor, place);
  if (command.kind === 'facilitator_note' && actor.kind !== 'user') throw fail.forbidden('Only facilitators write Notater');
  assertItemsOnPoster(place, command.itemIds);
  if (command.replyToNoteId) {
    const parent = await noteInWorkshop(tx, workshopId, command.replyToNoteId);
    if (parent.group_id !== groupId || parent.poster_id !== command.posterId) throw fail.invalid('command.replyToNoteId', 'reply on the same poster');
  }
  const author = command.onBehalfOf || actor.kind === 'participant' ? await actingParticipant(tx, actor, groupId, command.onBehalfOf) : null;
  const userId = actor.kind === 'user' ? actor.userId : null;
  const now = new Date();
  const row: q.NewNoteRow = {
    id: command.noteId,
    workshopId,
    posterId: command.posterId,
    groupId,
    authorParticipantId: author?.id ?? null,
    authorUserId: author ? null : userId,
    writtenByUserId: userId,
    kind: command.kind,
    text: command.text,
    proposedItemKind: command.kind === 'new_item' ? (command.proposedItemKind ?? null) : null,
    replyToNoteId: command.replyToNoteId ?? null,
    at: now,
    itemIds: command.itemIds,
  };
  const reads = readsOf(tx)!;
  const existing = reads.notes.get(row.id) ?? (reads.absentNoteIds.has(row.id) ? undefined : await q.findNoteRow(tx, row.id));
  if (existing) {
    // The same lapp sent again under a new command id (a reload lost the command id): store it once.
    // Only the very same lapp, though: an id of someone else's lapp (or of another poster) is refused,
    // or the new text would vanish behind an acknowledgement ([LIVE-17]).
    const sameLapp =
      existing.workshop_id === workshopId &&
      existing.poster_id === row.posterId &&
      existing.group_id === groupId &&
      existing.kind === row.kind &&
      existing.author_participant_id === row.authorParticipantId &&
      existing.written_by_user_id === userId;
    if (sameLapp) return [];
    throw fail.invalid('command.noteId', 'this id belongs to another lapp');
  }
  storeWithAppend(reads, row);
  const note = noteFromCommand(
    command,
    groupId,
    { participantId: author?.id ?? null, userId: author ? null : userId, name: author?.name ?? (actor.kind === 'user' ? actor.name : null) },
    now.toISOString(),
  );
  return [{ type: 'note.created', groupId, note }];
}

// ---- helpers that load and check what a command acts on ----

function groupOf(actor: Actor, requested?: string): string | undefined {
  if (actor.kind !== 'participant') return requested;
  if (requested && requested !== actor.groupId) throw fail.forbidden('You can write only on your own group’s posters');
  return actor.groupId;
}

/** Stars are always a participant's: their own group, or the group of the participant a facilitator acts for. */
async function starGroup(tx: Scope, actor: Actor, onBehalfOf: string | undefined): Promise<string> {
  if (actor.kind === 'participant') return actor.groupId;
  if (!onBehalfOf) throw fail.invalid('command.onBehalfOf', 'say which participant you act for');
  const participant = readsOf(tx)?.locked.get(onBehalfOf) ?? (await q.findParticipant(tx, onBehalfOf));
  if (!participant) throw fail.notFound('Participant');
  return participant.group_id;
}

async function placeOf(tx: Scope, workshopId: string, posterId: string, groupId: string): Promise<q.Place> {
  const place = readsOf(tx)?.places.get(q.placeKey(posterId, groupId)) ?? (await q.findPlace(tx, posterId, groupId));
  if (!place || place.workshopId !== workshopId) throw fail.notFound('Poster or group');
  return place;
}

async function groupPlace(tx: Scope, workshopId: string, groupId: string) {
  const place = await q.findGroupPlace(tx, groupId);
  if (!place || place.workshopId !== workshopId) throw fail.notFound('Group');
  return place;
}

async function noteInWorkshop(tx: Scope, workshopId: string, noteId: string): Promise<q.NoteRow> {
  const note = readsOf(tx)?.notes.get(noteId) ?? (await q.findNoteRow(tx, noteId));
  if (!note || note.workshop_id !== workshopId) throw fail.notFound('Lapp');
  return note;
}

/** [PLACE-5] Who placed a lapp, as the synthesis and reports tell it. */
function placedVia(actor: Actor, fromSuggestion: boolean | undefined): PlacedVia {
  if (actor.kind !== 'user') return 'participant';
  if (actor.role !== 'planner') return 'facilitator';
  return fromSuggestion ? 'suggestion' : 'planner';
}

function isAuthor(actor: Actor, note: q.NoteRow): boolean {
  if (actor.kind === 'participant') return note.author_participant_id === actor.participantId;
  if (actor.kind === 'user') return note.written_by_user_id === actor.userId || note.author_user_id === actor.userId;
  return false;
}

/** [LIVE-6] Authors edit and withdraw only their own lapper, and only while they may write. */
async function ownNote(tx: Scope, actor: Actor, workshopId: string, noteId: string): Promise<q.NoteRow> {
  const note = await noteInWorkshop(tx, workshopId, noteId);
  assertMayWrite(actor, await placeOf(tx, workshopId, note.poster_id, note.group_id));
  if (!isAuthor(actor, note)) throw fail.forbidden('You can change only your own lapper');
  if (note.withdrawn_at) throw fail.invalid('command.noteId', 'this lapp is withdrawn');
  return note;
}

/** Items that may carry a lapp or star on this poster: the live items of its perspective and part. */
function assertItemsOnPoster(place: q.Place, itemIds: string[]): void {
  const kinds: readonly string[] = posterKinds[place.part];
  const allowed = new Set(place.items.filter((item) => kinds.includes(item.kind)).map((item) => item.id));
  const stranger = itemIds.find((itemId) => !allowed.has(itemId));
  if (stranger) throw fail.invalid('command.itemIds', `item ${stranger} is not on this poster`);
}

/**
 * [LIVE-15] A socket keeps the participant it connected as; the row decides: an anonymised or
 * removed participant writes nothing more, a moved one only as who they now are (after reconnecting).
 */
function assertStillParticipant(row: q.ParticipantRow | undefined, actor: Extract<Actor, { kind: 'participant' }>): void {
  if (!row || row.anonymised_at || row.workshop_id !== actor.workshopId) throw new DomainError('unauthenticated', 'Join the workshop again');
  if (row.group_id !== actor.groupId) throw fail.forbidden('You were moved to another group; reconnect');
}

/** The participant a command acts for: the participant themself, or the one a facilitator writes for. */
async function actingParticipant(tx: Scope, actor: Actor, groupId: string, onBehalfOf: string | undefined, options: { lock?: boolean } = {}) {
  const participantId = actor.kind === 'participant' ? actor.participantId : onBehalfOf;
  if (actor.kind === 'participant' && onBehalfOf && onBehalfOf !== actor.participantId) throw fail.forbidden('Participants write only for themselves');
  if (!participantId) throw fail.invalid('command.onBehalfOf', 'say which participant you act for');
  const reads = readsOf(tx);
  const participant = options.lock
    ? (reads?.locked.get(participantId) ?? (await q.lockParticipant(tx, participantId)))
    : (reads?.participants.get(participantId) ?? (await q.findParticipant(tx, participantId)));
  if (!participant || participant.group_id !== groupId) throw fail.invalid('command.onBehalfOf', 'the participant is not in this group');
  if (participant.anonymised_at) throw fail.forbidden('This participant is anonymised');
  return participant;
}
