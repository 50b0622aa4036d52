import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import type { DatabaseHandle } from '../db/database.js';
import { openTestDatabase, testDatabaseKinds } from '../testing/testApp.js';
import { createWorkshopFixture } from '../testing/workshopFixture.js';
import { audienceFor, readSnapshot } from './board.service.js';
import { executeCommand } from './commands.service.js';

describe.each(testDatabaseKinds)('poster parts on the live board on %s', (kind) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());

  it('[PLAN-6] shows a lapp on the hovedmål on the hovedmål of Del 1, not in the general box', async () => {
    const fixture = await createWorkshopFixture(database.db);
    const mainGoal = await database.db
      .selectFrom('items')
      .select('id')
      .where('perspective_id', '=', fixture.perspectiveId)
      .where('kind', '=', 'main_goal')
      .executeTakeFirstOrThrow();
    const stein = fixture.groups[0]!.participants[0]!.actor;
    const noteId = randomUUID();
    await executeCommand(database.db, new WriteRateLimiter(100, 10_000), stein, fixture.workshopId, randomUUID(), {
      type: 'note.create',
      noteId,
      posterId: fixture.goalsPosterId,
      itemIds: [mainGoal.id],
      kind: 'comment',
      text: 'Hovedmålet bør nevne barn og unge',
    });
    const snapshot = await readSnapshot(database.db, await audienceFor(database.db, fixture.planner.actor, fixture.workshopId, { scope: 'workshop' }));
    const goals = snapshot.posters.find((poster) => poster.id === fixture.goalsPosterId)!;
    const strategies = snapshot.posters.find((poster) => poster.id === fixture.strategiesPosterId)!;
    expect(goals.items.map((item) => item.kind)).toEqual(['main_goal', 'sub_goal', 'sub_goal', 'sub_goal']);
    expect(strategies.items.map((item) => item.kind)).toEqual(['strategy', 'strategy', 'strategy']);
    const note = snapshot.notes.find((n) => n.id === noteId)!;
    expect(note.itemIds).toEqual([mainGoal.id]);
    expect(goals.items.map((item) => item.id)).toContain(mainGoal.id);
  });
});
