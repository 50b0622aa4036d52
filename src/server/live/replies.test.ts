import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import type { DatabaseHandle } from '../db/database.js';
import { openTestDatabase, testDatabaseKinds } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { executeCommand } from './commands.service.js';
import type { Command } from '../../contract/protocol.js';

describe.each(testDatabaseKinds)('replies on %s', (kind) => {
  let database: DatabaseHandle;
  const limiter = new WriteRateLimiter(10_000, 10_000);
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());

  const run = (actor: Actor, fixture: WorkshopFixture, command: Command) => executeCommand(database.db, limiter, actor, fixture.workshopId, randomUUID(), command);
  const itemsOf = async (noteId: string) =>
    (await database.db.selectFrom('note_items').select('item_id').where('note_id', '=', noteId).execute()).map((row) => row.item_id).sort();

  it('[REPLY-1] moves the replies (and replies to them) with their lapp, in one transaction with an event for each', async () => {
    const fixture = await createWorkshopFixture(database.db);
    const [stein, dina, kari] = fixture.groups[0]!.participants.map((p) => p.actor);
    const [d1, d2] = fixture.subGoalIds;
    const parent = randomUUID();
    const reply = randomUUID();
    const replyToReply = randomUUID();
    const other = randomUUID();
    const create = (noteId: string, actor: Actor, itemIds: string[], replyToNoteId?: string) =>
      run(actor, fixture, { type: 'note.create', noteId, posterId: fixture.goalsPosterId, itemIds, kind: 'comment', text: `Lapp ${noteId}`, ...(replyToNoteId ? { replyToNoteId } : {}) });
    await create(parent, stein!, []);
    await create(reply, dina!, [], parent);
    await create(replyToReply, kari!, [], reply);
    await create(other, kari!, []);

    const result = await run(fixture.facilitator.actor, fixture, { type: 'note.move', noteId: parent, itemIds: [d1!, d2!] });
    expect(result.events.map((e) => e.type)).toEqual(['note.moved', 'note.moved', 'note.moved']);
    expect(result.events.map((e) => (e.type === 'note.moved' ? e.noteId : null))).toEqual([parent, reply, replyToReply]);
    // One command, one transaction: the events carry consecutive sequence numbers ending at the answer's.
    expect(result.events.map((e) => e.seq)).toEqual([result.seq - 2, result.seq - 1, result.seq]);
    for (const id of [parent, reply, replyToReply]) expect(await itemsOf(id)).toEqual([d1!, d2!].sort());
    expect(await itemsOf(other)).toEqual([]);

    await run(fixture.facilitator.actor, fixture, { type: 'note.move', noteId: parent, itemIds: [] });
    for (const id of [parent, reply, replyToReply]) expect(await itemsOf(id)).toEqual([]);
    const placed = await database.db.selectFrom('notes').select(['id', 'placed']).where('id', 'in', [parent, reply, replyToReply]).execute();
    expect(placed.every((row) => row.placed)).toBe(true);
  });

  it('[REPLY-1] moves only the reply when a reply itself is moved, leaving its lapp where it is', async () => {
    const fixture = await createWorkshopFixture(database.db);
    const [stein, dina] = fixture.groups[0]!.participants.map((p) => p.actor);
    const [d1, d2] = fixture.subGoalIds;
    const parent = randomUUID();
    const reply = randomUUID();
    await run(stein!, fixture, { type: 'note.create', noteId: parent, posterId: fixture.goalsPosterId, itemIds: [d1!], kind: 'comment', text: 'Forelder' });
    await run(dina!, fixture, { type: 'note.create', noteId: reply, posterId: fixture.goalsPosterId, itemIds: [d1!], kind: 'comment', text: 'Svar', replyToNoteId: parent });
    const result = await run(fixture.facilitator.actor, fixture, { type: 'note.move', noteId: reply, itemIds: [d2!] });
    expect(result.events).toHaveLength(1);
    expect(await itemsOf(parent)).toEqual([d1]);
    expect(await itemsOf(reply)).toEqual([d2]);
  });
});
