import type { Actor } from '../../domain/actors.js';
import { randomUUID } from 'node:crypto';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Tx } from '../db/database.js';
import type { NoteKindColumn } from '../db/tables.js';
import { scrubAuthorName } from './live.queries.js';

/*
 * Writes to lapper from outside the live commands: live owns `notes` (docs/ownership.md), other
 * modules call these in their own transaction.
 *
 * `duplicate_of`: no board shows it (the snapshot does not read it: a merged copy
 * stays on the board where it was written, [SYN-5] counts it out of the synthesis and reports), so
 * it appends no event; the property test in oneTruth.test.ts interleaves it to keep that true.
 */

/** [SYN-5] Marks `noteId` as a copy of `keepNoteId`, both of one workshop; the lapp kept is no copy itself. Returns the workshop. */
export async function markDuplicate(actor: Actor | null, input: { noteId: string; keepNoteId: string }, tx: Tx): Promise<string> {
  assertPlanner(actor);
  const { noteId, keepNoteId } = input;
  if (noteId === keepNoteId) throw fail.invalid('keepNoteId', 'a lapp cannot be a copy of itself');
  // Locked in a fixed order: two planners merging a pair each way round cannot make a chain of copies.
  const notes = await tx.selectFrom('notes').select(['id', 'workshop_id', 'duplicate_of']).where('id', 'in', [noteId, keepNoteId]).orderBy('id').forUpdate().execute();
  const note = notes.find((n) => n.id === noteId);
  const keep = notes.find((n) => n.id === keepNoteId);
  if (!note || !keep) throw fail.notFound('Lapp');
  if (note.workshop_id !== keep.workshop_id) throw fail.invalid('keepNoteId', 'the lapper are in different workshops');
  if (keep.duplicate_of) throw fail.invalid('keepNoteId', 'the lapp to keep is itself a copy');
  const copies = await tx.selectFrom('notes').select('id').where('duplicate_of', '=', noteId).limit(1).execute();
  if (copies.length > 0) throw fail.invalid('noteId', 'other lapper are copies of this one; unmerge them first');
  await tx.updateTable('notes').set({ duplicate_of: keepNoteId }).where('id', '=', noteId).execute();
  return note.workshop_id;
}

/** The lapp is no copy any more; its workshop, or null for an unknown lapp. */
export async function unmarkDuplicate(actor: Actor | null, noteId: string, tx: Tx): Promise<string | null> {
  assertPlanner(actor);
  const note = await tx.updateTable('notes').set({ duplicate_of: null }).where('id', '=', noteId).returning('workshop_id').executeTakeFirst();
  return note?.workshop_id ?? null;
}

/**
 * [PRIV-1] An anonymised participant's lapper lose the name written beside them (an import's) and
 * carry `name` (their anonymised label) in every stored event, so no resume or `/events` serves the
 * old name again. The caller appends the board change that sends devices the new board.
 */
export async function forgetAuthorName(actor: Actor | null, input: { workshopId: string; participantId: string; name: string }, tx: Tx): Promise<void> {
  assertPlanner(actor);
  await tx.updateTable('notes').set({ author_name: null }).where('author_participant_id', '=', input.participantId).execute();
  await scrubAuthorName(tx, input.workshopId, input.participantId, input.name);
}

/** A lapp typed in from paper, placed where the file says (`itemId`) or in the general box. */
export interface ImportedNote {
  posterId: string;
  groupId: string;
  itemId: string | null;
  authorParticipantId: string | null;
  /** The name written beside it when no participant of the group has it. */
  authorName: string | null;
  kind: NoteKindColumn;
  text: string;
}

/**
 * [IMPORT-5] Stores imported lapper in file order (one millisecond apart, so boards show them in
 * that order), written by the importing planner. The caller checked the rows and the workshop's
 * state and appends the board change ([LIVE-14]) in the same transaction.
 */
export async function insertImportedNotes(actor: Actor | null, input: { workshopId: string; notes: ImportedNote[] }, tx: Tx): Promise<void> {
  assertPlanner(actor);
  const now = Date.now();
  for (const [index, note] of input.notes.entries()) {
    const id = randomUUID();
    await tx
      .insertInto('notes')
      .values({
        id,
        workshop_id: input.workshopId,
        poster_id: note.posterId,
        group_id: note.groupId,
        author_participant_id: note.authorParticipantId,
        author_user_id: null,
        author_name: note.authorName,
        written_by_user_id: actor.userId,
        kind: note.kind,
        text: note.text,
        proposed_item_kind: null,
        reply_to_note_id: null,
        placed: true,
        withdrawn_at: null,
        created_at: new Date(now + index),
      })
      .execute();
    if (note.itemId) await tx.insertInto('note_items').values({ note_id: id, item_id: note.itemId }).execute();
  }
}

/**
 * [IMPORT-4] A group merge made two participants one person: the lapper, stars and agreements of
 * `from` become `into`'s (an agreement `into` already made stays; the copy goes). The caller
 * appends the board change in the same transaction.
 */
export async function handOverInput(actor: Actor | null, input: { from: string; into: string }, tx: Tx): Promise<void> {
  assertPlanner(actor);
  const { from, into } = input;
  await tx.updateTable('notes').set({ author_participant_id: into }).where('author_participant_id', '=', from).execute();
  await tx.updateTable('stars').set({ participant_id: into }).where('participant_id', '=', from).execute();
  await tx
    .deleteFrom('agreements')
    .where('participant_id', '=', from)
    .where('note_id', 'in', (eb) => eb.selectFrom('agreements').select('note_id').where('participant_id', '=', into))
    .execute();
  await tx.updateTable('agreements').set({ participant_id: into }).where('participant_id', '=', from).execute();
}

/** [IMPORT-4] A group merged into another: its lapper and stars move with it. */
export async function moveGroupInput(actor: Actor | null, input: { groupId: string; intoGroupId: string }, tx: Tx): Promise<void> {
  assertPlanner(actor);
  await tx.updateTable('notes').set({ group_id: input.intoGroupId }).where('group_id', '=', input.groupId).execute();
  await tx.updateTable('stars').set({ group_id: input.intoGroupId }).where('group_id', '=', input.groupId).execute();
}
