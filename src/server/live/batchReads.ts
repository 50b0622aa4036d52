import type { Actor } from '../../domain/actors.js';
import type { Command } from '../../contract/protocol.js';
import type { Queryable } from '../db/database.js';
import * as q from './live.queries.js';

/*
 * What a group commit reads once for all its commands, and the rows its commands leave for the
 * append to store ([LIVE-23], decision 008). The handlers in commands.service.ts look here before
 * asking the database.
 */

type Batch = ReadonlyArray<{ actor: Actor; workshopId: string; commandId: string; command: Command }>;

/** What a batch read once for all its commands; the handlers look here before asking the database. */
export interface BatchReads {
  participants: Map<string, q.ParticipantRow>;
  /** Participants the batch locked (stars), as they were once locked. */
  locked: Map<string, q.ParticipantRow>;
  places: Map<string, q.Place>;
  /** Lapper as the batch read them, and those its commands created; a command that changes a lapp takes it out. */
  notes: Map<string, q.NoteRow>;
  /** Lapper the batch asked for that did not exist. */
  absentNoteIds: Set<string>;
  /** The pairs (by agreementKey) whose agreement the batch knows as stored, and those of them agreed. */
  agreementsAsked: Set<string>;
  agreedBefore: Set<string>;
  /**
   * What the batch's commands changed and did not store yet: the append stores it in its own
   * statement, or `storeNewRows` before a command that might read it from the database. An agreement
   * is kept as the state its pair ends in.
   */
  newNotes: q.NewNoteRow[];
  agreementsNow: Map<string, q.AgreementChange>;
  newStars: q.NewStarRow[];
}

/** Keeps a new lapp for the batch's append; the batch's next commands see it as stored. */
export function storeWithAppend(reads: BatchReads, row: q.NewNoteRow): void {
  reads.newNotes.push(row);
  reads.absentNoteIds.delete(row.id);
  reads.notes.set(row.id, {
    id: row.id,
    workshop_id: row.workshopId,
    poster_id: row.posterId,
    group_id: row.groupId,
    kind: row.kind,
    text: row.text,
    author_participant_id: row.authorParticipantId,
    author_user_id: row.authorUserId,
    written_by_user_id: row.writtenByUserId,
    withdrawn_at: null,
  });
}

/** What the batch left to store: its new lapper and stars, and the agreements whose state changed. */
export function newRowsOf(reads: BatchReads): q.NewRows {
  const agreements = [...reads.agreementsNow].flatMap(([key, change]) => (change.agreed === reads.agreedBefore.has(key) ? [] : [change]));
  return { notes: reads.newNotes, agreements, stars: reads.newStars };
}

export async function storeNewRows(tx: Scope, reads: BatchReads): Promise<void> {
  if (reads.newNotes.length === 0 && reads.agreementsNow.size === 0 && reads.newStars.length === 0) return;
  await q.storeNewRows(tx, newRowsOf(reads));
  for (const [key, change] of reads.agreementsNow) {
    if (change.agreed) reads.agreedBefore.add(key);
    else reads.agreedBefore.delete(key);
  }
  reads.newNotes = [];
  reads.agreementsNow.clear();
  reads.newStars = [];
}

/**
 * Where a batch's commands run: a transaction, or (see writesOnlyWithAppend) a connection whose
 * statements each commit by themselves.
 */
export type Scope = Queryable;

const batchReads = new WeakMap<Scope, BatchReads>();

/** What the batch running in `scope` read; none outside a batch. */
export const readsOf = (scope: Scope): BatchReads | undefined => batchReads.get(scope);

/**
 * Commands that write nothing before the append: a batch of only these reads its context and
 * appends (storing their lapper) in two statements, without BEGIN and COMMIT. Their checks read
 * what a transaction at read committed would read too, and the append is one statement.
 */
export const writesOnlyWithAppend = ({ command }: { command: Command }) => command.type === 'note.create' || command.type === 'agreement.set';

/** The places and lapper a batch's commands name, to read with the batch ([LIVE-23]). */
function wantsOf(batch: Batch): q.BatchWants {
  const wants: q.BatchWants = { places: [], noteIds: [], agreements: [], lockParticipantIds: [] };
  for (const { actor, command } of batch) {
    const ownGroup = actor.kind === 'participant' ? actor.groupId : undefined;
    if (command.type === 'note.create') {
      const groupId = ownGroup ?? command.groupId;
      if (groupId) wants.places.push({ posterId: command.posterId, groupId });
      wants.noteIds.push(command.noteId);
      if (command.replyToNoteId) wants.noteIds.push(command.replyToNoteId);
    } else if (command.type === 'star.give' || command.type === 'star.take') {
      if (ownGroup) wants.places.push({ posterId: command.posterId, groupId: ownGroup });
      const starrer = actor.kind === 'participant' ? actor.participantId : command.onBehalfOf;
      if (starrer) wants.lockParticipantIds.push(starrer);
    } else if ('noteId' in command) {
      wants.noteIds.push(command.noteId);
      const participantId = actor.kind === 'participant' ? actor.participantId : command.type === 'agreement.set' ? command.onBehalfOf : undefined;
      if (command.type === 'agreement.set' && participantId) wants.agreements.push({ noteId: command.noteId, participantId });
    }
  }
  return wants;
}

/** Reads the batch's context in one statement and keeps it for the batch's handlers. */
export async function readBatch(scope: Scope, batch: Batch): Promise<{ seen: Map<string, number>; reads: BatchReads }> {
  const participantIds = [...new Set(batch.flatMap(({ actor }) => (actor.kind === 'participant' ? [actor.participantId] : [])))];
  const wants = wantsOf(batch);
  const { seen, agreements, ...read } = await q.readBatchContext(scope, batch, participantIds, wants);
  const reads: BatchReads = {
    ...read,
    absentNoteIds: new Set(wants.noteIds.filter((id) => !read.notes.has(id))),
    agreementsAsked: new Set(wants.agreements.map((pair) => q.agreementKey(pair.noteId, pair.participantId))),
    agreedBefore: agreements,
    newNotes: [],
    agreementsNow: new Map(),
    newStars: [],
  };
  batchReads.set(scope, reads);
  return { seen, reads };
}
