import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import type { DatabaseHandle } from '../db/database.js';
import { executeCommand } from '../live/commands.service.js';
import { openTestDatabase, testDatabaseKinds } from '../testing/testApp.js';
import { exportContract, validateExport } from '../testing/exportContract.js';
import { createWorkshopFixture } from '../testing/workshopFixture.js';
import { exportWorkshop, readWorkshopExport } from './workshopExport.service.js';


describe('the contract copy', () => {
  it('is the same as the shared contract when that is present', () => {
    let shared: string;
    try {
      shared = readFileSync('../shared/contracts/workshop-export.schema.json', 'utf8');
    } catch {
      return;
    }
    expect(JSON.parse(shared)).toEqual(exportContract);
  });
});

describe.each(testDatabaseKinds)('open-data export on %s', (kind) => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(() => database?.close());

  it('[EXPORT-1] writes a workshop with lapper, agreements and stars that validates against the contract', async () => {
    const fixture = await createWorkshopFixture(database.db);
    const limiter = new WriteRateLimiter(1000, 10_000);
    const [stein, dina] = fixture.groups[0]!.participants.map((p) => p.actor);
    const noteId = randomUUID();
    await executeCommand(database.db, limiter, stein!, fixture.workshopId, randomUUID(), {
      type: 'note.create',
      noteId,
      posterId: fixture.goalsPosterId,
      itemIds: [fixture.subGoalIds[1]!],
      kind: 'rewording',
      text: 'Delmål 2 for alle',
    });
    await executeCommand(database.db, limiter, dina!, fixture.workshopId, randomUUID(), { type: 'agreement.set', noteId, agreed: true });
    await executeCommand(database.db, limiter, dina!, fixture.workshopId, randomUUID(), {
      type: 'star.give',
      starId: randomUUID(),
      posterId: fixture.strategiesPosterId,
      itemId: fixture.strategyIds[0]!,
    });

    const data = await readWorkshopExport(database.db, fixture.workshopId);
    expect(validateExport(data), JSON.stringify(validateExport.errors)).toBe(true);
    expect(data.plan.perspectives[0]!.items.map((i) => [i.kind, i.number])).toEqual([
      ['main_goal', null],
      ['sub_goal', 1],
      ['sub_goal', 2],
      ['sub_goal', 3],
      ['strategy', 1],
      ['strategy', 2],
      ['strategy', 3],
    ]);
    expect(data.workshop.notes).toEqual([
      expect.objectContaining({ id: noteId, kind: 'rewording', proposedText: 'Delmål 2 for alle', agreeCount: 1, itemIds: [fixture.subGoalIds[1]] }),
    ]);
    expect(data.workshop.stars).toEqual([expect.objectContaining({ itemId: fixture.strategyIds[0], count: 1 })]);
    expect(data.workshop.groups[0]!.participants.map((p) => p.name)).toEqual(['Dina', 'Kari', 'Stein']);
  });

  it('refuses the export to anyone but a planner, since it holds party affiliation', async () => {
    const fixture = await createWorkshopFixture(database.db);
    await expect(exportWorkshop(fixture.facilitator.actor, fixture.workshopId, database.db)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(exportWorkshop(fixture.groups[0]!.participants[0]!.actor, fixture.workshopId, database.db)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(exportWorkshop(fixture.planner.actor, randomUUID(), database.db)).rejects.toMatchObject({ code: 'not_found' });
  });
});
