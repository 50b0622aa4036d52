import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { sql } from 'kysely';
import { writeLanesOf, type DatabaseHandle } from '../db/database.js';
import { openTestDatabase, testDatabaseKinds } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { executeCommand } from './commands.service.js';
import * as q from './live.queries.js';
import type { Command } from '../../contract/protocol.js';

describe.each(testDatabaseKinds)('group commit on %s', (kind) => {
  let database: DatabaseHandle;
  let fixture: WorkshopFixture;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    fixture = await createWorkshopFixture(database.db);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('[LIVE-23] stores each of 1,000 concurrent commands once, and none of the refused ones among them', async () => {
    const limiter = new WriteRateLimiter(100_000, 10_000);
    const writers = fixture.groups.flatMap((group) => group.participants.map((participant) => ({ group, participant })));
    const sent = Array.from({ length: 1000 }, (_, index) => {
      const { group, participant } = writers[index % writers.length]!;
      const noteId = randomUUID();
      // Every 97th is refused: an item that is not on the poster (a rule), or another group's poster place.
      const refused = index % 97 === 13;
      const command: Command = {
        type: 'note.create',
        noteId,
        posterId: fixture.goalsPosterId,
        itemIds: refused ? [fixture.strategyIds[0]!] : [fixture.subGoalIds[index % fixture.subGoalIds.length]!],
        kind: 'comment',
        text: `lapp ${index}`,
      };
      return { commandId: randomUUID(), noteId, refused, groupId: group.id, actor: participant.actor, command };
    });
    const answers = await Promise.allSettled(sent.map((s) => executeCommand(database.db, limiter, s.actor, fixture.workshopId, s.commandId, s.command)));

    const stored = new Set((await database.db.selectFrom('notes').select('id').where('workshop_id', '=', fixture.workshopId).execute()).map((row) => row.id));
    const events = await database.db.selectFrom('events').select(['seq', 'payload']).where('workshop_id', '=', fixture.workshopId).orderBy('seq').execute();
    const processed = await database.db.selectFrom('processed_commands').select(['command_id', 'seq']).where('workshop_id', '=', fixture.workshopId).execute();
    const processedSeq = new Map(processed.map((row) => [row.command_id, Number(row.seq)]));
    const eventNoteIds = events.map((row) => (row.payload as { note: { id: string } }).note.id);

    for (const [index, s] of sent.entries()) {
      const answer = answers[index]!;
      if (s.refused) {
        expect(answer.status, `command ${index}`).toBe('rejected');
        expect((answer as PromiseRejectedResult).reason).toBeInstanceOf(DomainError);
        expect(stored.has(s.noteId)).toBe(false);
        expect(processedSeq.has(s.commandId)).toBe(false);
      } else {
        expect(answer.status, `command ${index}`).toBe('fulfilled');
        const result = (answer as PromiseFulfilledResult<Awaited<ReturnType<typeof executeCommand>>>).value;
        expect(result.duplicate).toBe(false);
        expect(stored.has(s.noteId)).toBe(true);
        expect(processedSeq.get(s.commandId)).toBe(result.seq);
        expect(result.events.map((event) => event.seq)).toEqual([result.seq]);
      }
    }
    const accepted = sent.filter((s) => !s.refused);
    expect(stored.size).toBe(accepted.length);
    expect(processed.length).toBe(accepted.length);
    // One event per accepted lapp, each lapp once, numbered without gaps.
    expect(eventNoteIds.sort()).toEqual(accepted.map((s) => s.noteId).sort());
    expect(events.map((row) => Number(row.seq))).toEqual(events.map((_, index) => Number(events[0]!.seq) + index));
  }, 120_000);

  it('[LIVE-23] commits the waiting commands of several workshops together, one transaction per lane, each workshop numbered in the order sent', async () => {
    const limiter = new WriteRateLimiter(100_000, 10_000);
    const workshops = [fixture, await createWorkshopFixture(database.db), await createWorkshopFixture(database.db)];
    const sent = workshops.flatMap((workshop) =>
      Array.from({ length: 10 }, (_, index) => {
        const participant = workshop.groups[0]!.participants[index % workshop.groups[0]!.participants.length]!;
        const command: Command = { type: 'note.create', noteId: randomUUID(), posterId: workshop.goalsPosterId, itemIds: [], kind: 'comment', text: `lapp ${index}` };
        return { workshop, participant, command };
      }),
    );
    const answers = await Promise.all(sent.map((s) => executeCommand(database.db, limiter, s.participant.actor, s.workshop.workshopId, randomUUID(), s.command)));

    const noteIds = sent.map((s) => (s.command as { noteId: string }).noteId);
    const rows = await sql<{ tx: string; workshop_id: string; seq: number | string; note_id: string }>`
      select xmin::text as tx, workshop_id, seq, payload -> 'note' ->> 'id' as note_id from events
      where payload -> 'note' ->> 'id' = any(${noteIds}::text[])`.execute(database.db);
    expect(rows.rows).toHaveLength(30);
    // Three workshops, each put in the idlest lane: one transaction per lane they share.
    expect(new Set(rows.rows.map((row) => row.tx)).size).toBe(Math.min(workshops.length, writeLanesOf(database.db)));
    for (const workshop of workshops) {
      const seqs = sent.flatMap((s, index) => (s.workshop === workshop ? [answers[index]!.seq] : []));
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(10);
    }
  });

  it('[LIVE-7][LIVE-23] a crash between commit and ack loses nothing: the resend with the same id gets the first answer', async () => {
    const limiter = new WriteRateLimiter(100_000, 10_000);
    const stein = fixture.groups[0]!.participants[0]!;
    const commandId = randomUUID();
    const noteId = randomUUID();
    const command: Command = { type: 'note.create', noteId, posterId: fixture.goalsPosterId, itemIds: [], kind: 'comment', text: 'skrevet før krasjet' };
    // The commit happened; the ack never left (the process died): only the database remembers.
    const first = await executeCommand(database.db, limiter, stein.actor, fixture.workshopId, commandId, command);
    // The device resends its outbox after reconnecting, here together with other devices' commands.
    const others = fixture.groups[1]!.participants.map((participant) =>
      executeCommand(database.db, limiter, participant.actor, fixture.workshopId, randomUUID(), { ...command, noteId: randomUUID(), text: 'annen' }),
    );
    const [resent, again] = await Promise.all([
      executeCommand(database.db, limiter, stein.actor, fixture.workshopId, commandId, command),
      executeCommand(database.db, limiter, stein.actor, fixture.workshopId, commandId, command),
      ...others,
    ]);
    expect(resent).toEqual({ seq: first.seq, duplicate: true, events: [] });
    expect(again).toEqual({ seq: first.seq, duplicate: true, events: [] });
    const copies = await database.db.selectFrom('notes').select('id').where('id', '=', noteId).execute();
    expect(copies).toHaveLength(1);
  });

  it('[LIVE-23] reads a lone command\'s context (single values) as it reads the same command among others (arrays)', async () => {
    const limiter = new WriteRateLimiter(100_000, 10_000);
    const [stein, kari] = fixture.groups[0]!.participants;
    const noteId = randomUUID();
    const commandId = randomUUID();
    const create: Command = { type: 'note.create', noteId, posterId: fixture.goalsPosterId, itemIds: [], kind: 'comment', text: 'les meg' };
    await executeCommand(database.db, limiter, stein!.actor, fixture.workshopId, commandId, create);
    await executeCommand(database.db, limiter, kari!.actor, fixture.workshopId, randomUUID(), { type: 'agreement.set', noteId, agreed: true });
    const place = { posterId: fixture.goalsPosterId, groupId: fixture.groups[0]!.id };
    const lone = await q.readBatchContext(database.db, [{ workshopId: fixture.workshopId, commandId }], [kari!.id], {
      places: [place],
      noteIds: [noteId],
      agreements: [{ noteId, participantId: kari!.id }],
      lockParticipantIds: [],
    });
    const other = { posterId: fixture.goalsPosterId, groupId: fixture.groups[1]!.id };
    const among = await q.readBatchContext(database.db, [{ workshopId: fixture.workshopId, commandId }, { workshopId: fixture.workshopId, commandId: randomUUID() }], [kari!.id, stein!.id], {
      places: [place, other],
      noteIds: [noteId, randomUUID()],
      agreements: [{ noteId, participantId: kari!.id }, { noteId, participantId: stein!.id }],
      lockParticipantIds: [],
    });
    expect(lone.seen.size).toBe(1);
    expect([...lone.seen]).toEqual([...among.seen]);
    expect(lone.participants.get(kari!.id)).toEqual(among.participants.get(kari!.id));
    const key = q.placeKey(place.posterId, place.groupId);
    expect(lone.places.get(key)).toMatchObject({ posterId: place.posterId, groupId: place.groupId, workshopId: fixture.workshopId });
    expect(lone.places.get(key)).toEqual(among.places.get(key));
    expect(lone.notes.get(noteId)).toMatchObject({ id: noteId, text: 'les meg' });
    expect(lone.notes.get(noteId)).toEqual(among.notes.get(noteId));
    expect([...lone.agreements]).toEqual([q.agreementKey(noteId, kari!.id)]);
    expect(among.agreements.has(q.agreementKey(noteId, kari!.id))).toBe(true);
  });

  it('[LIVE-23] a command reads a lapp as the commands before it in its batch left it: an edit after a withdrawal is refused', async () => {
    const limiter = new WriteRateLimiter(100_000, 10_000);
    const stein = fixture.groups[0]!.participants[0]!;
    const noteId = randomUUID();
    const create: Command = { type: 'note.create', noteId, posterId: fixture.goalsPosterId, itemIds: [], kind: 'comment', text: 'først' };
    await executeCommand(database.db, limiter, stein.actor, fixture.workshopId, randomUUID(), create);
    // Sent in one turn of the event loop, so they share one batch, which read the lapp once before both.
    const [withdrawn, edited] = await Promise.allSettled([
      executeCommand(database.db, limiter, stein.actor, fixture.workshopId, randomUUID(), { type: 'note.withdraw', noteId }),
      executeCommand(database.db, limiter, stein.actor, fixture.workshopId, randomUUID(), { type: 'note.edit', noteId, text: 'etter' }),
    ]);
    expect(withdrawn.status).toBe('fulfilled');
    expect(edited.status).toBe('rejected');
    expect(((edited as PromiseRejectedResult).reason as DomainError).code).toBe('validation_failed');
    const row = await database.db.selectFrom('notes').select(['text', 'withdrawn_at']).where('id', '=', noteId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ text: 'først', withdrawn_at: expect.any(Date) });
  });

  it('[LIVE-23] a command the database refuses fails alone: the others of its transaction are stored once, and answered', async () => {
    const limiter = new WriteRateLimiter(100_000, 10_000);
    const writers = fixture.groups[1]!.participants;
    // A NUL byte got past the socket's check (executeCommand is called directly): PostgreSQL refuses the text.
    const sent = writers.map((participant, index) => ({
      participant,
      command: { type: 'note.create', noteId: randomUUID(), posterId: fixture.goalsPosterId, itemIds: [], kind: 'comment', text: index === 1 ? 'nul\u0000byte' : `lapp ${index}` } satisfies Command,
    }));
    const answers = await Promise.allSettled(sent.map((s) => executeCommand(database.db, limiter, s.participant.actor, fixture.workshopId, randomUUID(), s.command)));
    expect(answers.map((answer) => answer.status)).toEqual(sent.map((_, index) => (index === 1 ? 'rejected' : 'fulfilled')));
    const stored = await database.db.selectFrom('notes').select('id').where('id', 'in', sent.map((s) => s.command.noteId)).execute();
    expect(stored.map((row) => row.id).sort()).toEqual(sent.filter((_, index) => index !== 1).map((s) => s.command.noteId).sort());
  });

  it('[LIVE-23] a lapp created in a batch is there for the commands after it in the same batch, and stored once when sent twice', async () => {
    const limiter = new WriteRateLimiter(100_000, 10_000);
    const [stein, kari] = fixture.groups[0]!.participants;
    const noteId = randomUUID();
    const replyId = randomUUID();
    const create: Command = { type: 'note.create', noteId, posterId: fixture.goalsPosterId, itemIds: [fixture.subGoalIds[0]!], kind: 'comment', text: 'ny' };
    const reply: Command = { type: 'note.create', noteId: replyId, posterId: fixture.goalsPosterId, itemIds: [], kind: 'comment', text: 'svar', replyToNoteId: noteId };
    // One turn of the event loop: one batch, in this order.
    const answers = await Promise.allSettled([
      executeCommand(database.db, limiter, stein!.actor, fixture.workshopId, randomUUID(), create),
      executeCommand(database.db, limiter, stein!.actor, fixture.workshopId, randomUUID(), create),
      executeCommand(database.db, limiter, kari!.actor, fixture.workshopId, randomUUID(), { type: 'agreement.set', noteId, agreed: true }),
      executeCommand(database.db, limiter, kari!.actor, fixture.workshopId, randomUUID(), reply),
      executeCommand(database.db, limiter, kari!.actor, fixture.workshopId, randomUUID(), { ...create, text: 'en annens id' }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    const [first, again, agreed, replied] = answers.map((answer) => (answer.status === 'fulfilled' ? answer.value : null));
    expect(first!.events.map((event) => event.type)).toEqual(['note.created']);
    expect(again!.events).toEqual([]);
    expect(agreed!.events.map((event) => event.type)).toEqual(['agreement.changed']);
    expect(replied!.events.map((event) => event.type)).toEqual(['note.created']);
    const notes = await database.db.selectFrom('notes').select(['id', 'text', 'reply_to_note_id']).where('id', 'in', [noteId, replyId]).orderBy('text').execute();
    expect(notes).toEqual([
      { id: noteId, text: 'ny', reply_to_note_id: null },
      { id: replyId, text: 'svar', reply_to_note_id: noteId },
    ]);
    const items = await database.db.selectFrom('note_items').select('item_id').where('note_id', '=', noteId).execute();
    expect(items).toEqual([{ item_id: fixture.subGoalIds[0] }]);
    const agreements = await database.db.selectFrom('agreements').select('participant_id').where('note_id', '=', noteId).execute();
    expect(agreements).toEqual([{ participant_id: kari!.id }]);
    // In one transaction: the batch did not fail and run its commands again one by one.
    const seqs = [first!.seq, agreed!.seq, replied!.seq];
    const { rows } = await sql<{ tx: string }>`select distinct xmin::text as tx from events where workshop_id = ${fixture.workshopId} and seq = any(${seqs}::bigint[])`.execute(database.db);
    expect(rows).toHaveLength(1);
  });

  it('[LIVE-23] agreements changed back and forth in one batch end as the last command left them, with an event for each change', async () => {
    const limiter = new WriteRateLimiter(100_000, 10_000);
    const [stein, kari, ola] = fixture.groups[0]!.participants;
    const noteId = randomUUID();
    await executeCommand(database.db, limiter, stein!.actor, fixture.workshopId, randomUUID(), { type: 'note.create', noteId, posterId: fixture.goalsPosterId, itemIds: [], kind: 'comment', text: 'enig?' });
    const set = (who: typeof kari, agreed: boolean) => executeCommand(database.db, limiter, who!.actor, fixture.workshopId, randomUUID(), { type: 'agreement.set', noteId, agreed });
    // One turn of the event loop: one batch, in this order.
    const answers = await Promise.all([set(kari, true), set(kari, true), set(kari, false), set(kari, true), set(ola, true), set(ola, false)]);
    expect(answers.map((answer) => answer.events.map((event) => (event.type === 'agreement.changed' ? event.agreed : event.type)))).toEqual([[true], [], [false], [true], [true], [false]]);
    const agreements = await database.db.selectFrom('agreements').select('participant_id').where('note_id', '=', noteId).execute();
    expect(agreements).toEqual([{ participant_id: kari!.id }]);
    // And a later batch starts from what was stored.
    const [undone] = await Promise.all([set(kari, false), set(ola, false)]);
    expect(undone.events).toHaveLength(1);
    expect(await database.db.selectFrom('agreements').select('participant_id').where('note_id', '=', noteId).execute()).toEqual([]);
  });
});
