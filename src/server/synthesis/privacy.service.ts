import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Db, Queryable } from '../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { publishCommitted, recordBoardChange, type PublishEvents } from '../live/boardChanges.js';
import { forgetAuthorName } from '../live/notes.service.js';
import { anonymiseParticipantRecord } from '../workshops/anonymise.service.js';
import { revisionsOfNotes, threadNotes } from './outcome.queries.js';
import type { Outcome } from '../../contract/synthesis.schema.js';

/** What is stored about one participant, for a GDPR art. 15 request. */
export async function participantData(actor: Actor | null, participantId: string, db: Queryable) {
  assertPlanner(actor);
  const participant = await db
    .selectFrom('participants as p')
    .innerJoin('groups as g', 'g.id', 'p.group_id')
    .innerJoin('workshops as w', 'w.id', 'p.workshop_id')
    .select(['p.id', 'p.name', 'p.party', 'p.committee', 'p.created_at', 'p.anonymised_at', 'g.name as group_name', 'w.id as workshop_id', 'w.title as workshop_title'])
    .where('p.id', '=', participantId)
    .executeTakeFirst();
  if (!participant) throw fail.notFound('Participant');
  await recordAudit(db, actor, { action: 'participant.exported', workshopId: participant.workshop_id, targetType: 'participant', targetId: participantId });
  const [notes, stars, agreements] = await Promise.all([
    participantOutcomeRows(db, participantId),
    db.selectFrom('stars').select(['item_id', 'poster_id', 'created_at']).where('participant_id', '=', participantId).execute(),
    db.selectFrom('agreements').select(['note_id', 'created_at']).where('participant_id', '=', participantId).execute(),
  ]);
  return {
    exportedAt: new Date().toISOString(),
    participant: {
      id: participant.id,
      name: participant.name,
      party: participant.party,
      committee: participant.committee,
      group: participant.group_name,
      workshop: { id: participant.workshop_id, title: participant.workshop_title },
      createdAt: participant.created_at.toISOString(),
      anonymisedAt: participant.anonymised_at?.toISOString() ?? null,
    },
    notes,
    stars: stars.map((s) => ({ itemId: s.item_id, posterId: s.poster_id, createdAt: s.created_at.toISOString() })),
    agreements: agreements.map((a) => ({ noteId: a.note_id, createdAt: a.created_at.toISOString() })),
  };
}

/**
 * [PRIV-1] Removes name, party and committee and ends the personal link; the lapper stay as
 * "Deltaker, Gruppe 5" so the record of the input survives. Reports and exports follow, since they
 * read the same rows; so do the stored events ([LIVE-8] resume, `/events`), and every open device gets
 * the board without the name while the participant's own devices are closed ([LIVE-15]).
 */
export async function anonymiseParticipant(actor: Actor | null, participantId: string, db: Db, publish?: PublishEvents) {
  assertPlanner(actor);
  const { events, ...result } = await db.transaction().execute(async (tx) => {
    const { workshopId, name } = await anonymiseParticipantRecord(actor, { participantId }, tx);
    await forgetAuthorName(actor, { workshopId, participantId, name }, tx);
    await recordAudit(tx, actor, { action: 'participant.anonymised', workshopId, targetType: 'participant', targetId: participantId });
    // Every group: a participant moved since writing has lapper on another group's boards.
    return { id: participantId, name, events: await recordBoardChange(tx, workshopId, 'anonymised') };
  });
  await publishCommitted(publish, events);
  return result;
}

/** A participant's lapper with their assessments: what happened to your input. */
export async function participantOutcomeRows(db: Queryable, participantId: string) {
  const rows = await db
    .selectFrom('notes as n')
    .innerJoin('posters as po', 'po.id', 'n.poster_id')
    .innerJoin('perspectives as pe', 'pe.id', 'po.perspective_id')
    .leftJoin('assessments as a', 'a.note_id', 'n.id')
    .select([
      'n.id',
      'n.kind',
      'n.text',
      'n.created_at',
      'n.withdrawn_at',
      'n.reply_to_note_id',
      'po.part',
      'pe.title as perspective_title',
      'a.status',
      'a.justification',
      (eb) =>
        eb.fn
          .coalesce(
            eb
              .selectFrom('note_items as ni')
              .innerJoin('items as i', 'i.id', 'ni.item_id')
              .select((e) => e.fn.agg<string[]>('array_agg', ['i.text']).as('texts'))
              .whereRef('ni.note_id', '=', 'n.id'),
            eb.val<string[]>([]),
          )
          .as('item_texts'),
    ])
    .where('n.author_participant_id', '=', participantId)
    .orderBy('n.created_at')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    text: row.text,
    perspective: row.perspective_title,
    part: row.part,
    items: Array.isArray(row.item_texts) ? row.item_texts : [],
    withdrawn: row.withdrawn_at !== null,
    replyToNoteId: row.reply_to_note_id,
    createdAt: row.created_at.toISOString(),
    assessment: row.status ? { status: row.status, justification: row.justification ?? '' } : null,
  }));
}

/** [PRIV-2] A participant sees only their own outcome page. */
export async function myOutcome(actor: Actor | null, db: Queryable) {
  if (!actor) throw fail.unauthenticated();
  if (actor.kind !== 'participant') throw fail.forbidden('This page is for participants');
  const workshop = await db.selectFrom('workshops').select(['id', 'title', 'state']).where('id', '=', actor.workshopId).executeTakeFirstOrThrow();
  const notes = await participantOutcomeRows(db, actor.participantId);
  const ids = notes.map((note) => note.id);
  const [revisions, replies, parents] = await Promise.all([
    revisionsOfNotes(db, ids),
    threadNotes(db, { repliesTo: ids }),
    threadNotes(db, { parentsOf: notes.flatMap((note) => (note.replyToNoteId ? [note.replyToNoteId] : [])) }),
  ]);
  const thread = (row: (typeof replies)[number]) => ({
    id: row.id,
    text: row.text,
    authorName: row.author_name,
    mine: row.author_participant_id === actor.participantId,
    createdAt: row.created_at.toISOString(),
  });
  const entries: Outcome['notes'] = notes.map(({ replyToNoteId, ...note }) => {
    const parent = parents.find((row) => row.id === replyToNoteId);
    return {
      ...note,
      replyTo: parent ? thread(parent) : null,
      replies: replies.filter((row) => row.reply_to_note_id === note.id).map(thread),
      revisions: revisions
        .filter((row) => row.note_id === note.id)
        .map((row) => ({ id: row.id, action: row.action, before: row.before_text, after: row.after_text, createdAt: row.created_at.toISOString() })),
    };
  });
  return { workshop, participant: { id: actor.participantId, name: actor.name }, notes: entries };
}
