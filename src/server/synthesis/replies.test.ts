import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import type { DatabaseHandle } from '../db/database.js';
import { executeCommand } from '../live/commands.service.js';
import { openTestDatabase, testDatabaseKinds } from '../testing/testApp.js';
import { createWorkshopFixture } from '../testing/workshopFixture.js';
import { SearchCache } from './searchCache.js';
import { overviewQuerySchema } from '../../contract/synthesis.schema.js';
import { overview } from './synthesis.service.js';

describe.each(testDatabaseKinds)('replies in the synthesis on %s', (kind) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());

  it('[REPLY-1] lists a reply right after the lapp it answers, with the link, even when a filter leaves the reply out', async () => {
    const fixture = await createWorkshopFixture(database.db);
    const limiter = new WriteRateLimiter(10_000, 10_000);
    const run = (actor: Actor, command: Parameters<typeof executeCommand>[5]) => executeCommand(database.db, limiter, actor, fixture.workshopId, randomUUID(), command);
    const [stein, dina] = fixture.groups[0]!.participants.map((p) => p.actor);
    const [d1] = fixture.subGoalIds;
    const [parent, later, reply] = [randomUUID(), randomUUID(), randomUUID()];
    const create = (actor: Actor, noteId: string, text: string, itemIds: string[], replyToNoteId?: string) =>
      run(actor, { type: 'note.create', noteId, posterId: fixture.goalsPosterId, itemIds, kind: 'comment', text, ...(replyToNoteId ? { replyToNoteId } : {}) });
    await create(stein!, parent, 'Jordvern må inn', []);
    await create(stein!, later, 'Noe annet om delmålet', [d1!]);
    await create(dina!, reply, 'Helt enig', [], parent);
    // The facilitator moves the lapp to Delmål 1: its reply goes with it.
    await run(fixture.facilitator.actor, { type: 'note.move', noteId: parent, itemIds: [d1!] });

    const search = new SearchCache();
    const all = await overview(fixture.planner.actor, fixture.workshopId, overviewQuerySchema.parse({}), database.db, search);
    const item = all.items.find((i) => i.id === d1)!;
    expect(item.notes.map((n) => n.id)).toEqual([parent, reply, later]);
    expect(item.notes[1]!.replyTo).toBe(parent);
    expect(all.generalBox.flatMap((box) => box.notes)).toEqual([]);

    // Only Stein's lapper match; Dina's reply still comes with the lapp it answers.
    const group = fixture.groups[0]!.id;
    const filtered = await overview(fixture.planner.actor, fixture.workshopId, overviewQuerySchema.parse({ q: 'jordvern', groupId: group }), database.db, search);
    expect(filtered.items.find((i) => i.id === d1)!.notes.map((n) => n.id)).toEqual([parent, reply]);
  });
});
