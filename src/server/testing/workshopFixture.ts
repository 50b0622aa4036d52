import { randomInt, randomUUID } from 'node:crypto';
import { makeJoinCode } from '../../domain/workshops.js';
import type { Actor } from '../../domain/actors.js';
import type { Db } from '../db/database.js';

export interface WorkshopFixture {
  planId: string;
  workshopId: string;
  viewerToken: string;
  perspectiveId: string;
  goalsPosterId: string;
  strategiesPosterId: string;
  subGoalIds: string[];
  strategyIds: string[];
  groups: Array<{ id: string; name: string; participants: Array<{ id: string; name: string; actor: Actor }> }>;
  facilitator: { id: string; actor: Actor };
  planner: { id: string; actor: Actor };
}

/**
 * Test setup written straight to the database: one perspective with three delmål and three
 * strategier, an open workshop with its two posters, two groups of three participants, a
 * facilitator for the first group and a planner.
 */
export async function createWorkshopFixture(db: Db, options: { state?: 'draft' | 'open' | 'closed'; starBudget?: number; starsHidden?: boolean } = {}): Promise<WorkshopFixture> {
  const planId = randomUUID();
  const perspectiveId = randomUUID();
  const workshopId = randomUUID();
  const viewerToken = randomUUID();
  const subGoalIds = [randomUUID(), randomUUID(), randomUUID()];
  const strategyIds = [randomUUID(), randomUUID(), randomUUID()];
  const goalsPosterId = randomUUID();
  const strategiesPosterId = randomUUID();
  const facilitatorId = randomUUID();
  const plannerId = randomUUID();

  await db.insertInto('users').values([
    { id: facilitatorId, email: `${facilitatorId}@example.no`, name: 'Fasilitator', role: 'facilitator', password_hash: 'x' },
    { id: plannerId, email: `${plannerId}@example.no`, name: 'Planlegger', role: 'planner', password_hash: 'x' },
  ]).execute();
  await db.insertInto('plans').values({ id: planId, title: 'Samfunnsdelen', municipality: 'Bærum', horizon_year: 2040 }).execute();
  await db.insertInto('perspectives').values({ id: perspectiveId, plan_id: planId, position: 0, title: 'Sosial bærekraft' }).execute();
  await db
    .insertInto('items')
    .values([
      { id: randomUUID(), perspective_id: perspectiveId, kind: 'main_goal', position: 0, text: 'Alle har et godt liv' },
      ...subGoalIds.map((id, position) => ({ id, perspective_id: perspectiveId, kind: 'sub_goal' as const, position, text: `Delmål ${position + 1}` })),
      ...strategyIds.map((id, position) => ({ id, perspective_id: perspectiveId, kind: 'strategy' as const, position, text: `Strategi ${position + 1}` })),
    ])
    .execute();
  await db
    .insertInto('workshops')
    .values({
      id: workshopId,
      plan_id: planId,
      title: 'Politisk verksted',
      state: options.state ?? 'open',
      star_budget: options.starBudget ?? 5,
      stars_hidden: options.starsHidden ?? false,
      join_code: makeJoinCode((max) => randomInt(max)),
      viewer_token: viewerToken,
    })
    .execute();
  await db
    .insertInto('posters')
    .values([
      { id: goalsPosterId, workshop_id: workshopId, perspective_id: perspectiveId, part: 'goals', position: 0, stars_enabled: false },
      { id: strategiesPosterId, workshop_id: workshopId, perspective_id: perspectiveId, part: 'strategies', position: 1, stars_enabled: true },
    ])
    .execute();

  const groups: WorkshopFixture['groups'] = [];
  for (const [index, names] of [['Stein', 'Dina', 'Kari'], ['Ola', 'Signe', 'Finn']].entries()) {
    const groupId = randomUUID();
    await db
      .insertInto('groups')
      .values({ id: groupId, workshop_id: workshopId, name: `Gruppe ${index + 1}`, position: index, facilitator_user_id: index === 0 ? facilitatorId : null, timer_ends_at: null })
      .execute();
    const participants = names.map((name) => ({ id: randomUUID(), name }));
    await db
      .insertInto('participants')
      .values(participants.map((p) => ({ id: p.id, workshop_id: workshopId, group_id: groupId, name: p.name, party: null, committee: null, access_token: randomUUID(), anonymised_at: null })))
      .execute();
    groups.push({
      id: groupId,
      name: `Gruppe ${index + 1}`,
      participants: participants.map((p) => ({ ...p, actor: { kind: 'participant', participantId: p.id, workshopId, groupId, name: p.name } })),
    });
  }

  return {
    planId,
    workshopId,
    viewerToken,
    perspectiveId,
    goalsPosterId,
    strategiesPosterId,
    subGoalIds,
    strategyIds,
    groups,
    facilitator: { id: facilitatorId, actor: { kind: 'user', userId: facilitatorId, role: 'facilitator', name: 'Fasilitator' } },
    planner: { id: plannerId, actor: { kind: 'user', userId: plannerId, role: 'planner', name: 'Planlegger' } },
  };
}

/** A `note.create` of a new lapp on the fixture's first delmål, in the first group (a planner or its facilitator may send it). */
export const lappFor = (fixture: WorkshopFixture, text: string) => ({
  type: 'note.create' as const,
  noteId: randomUUID(),
  posterId: fixture.goalsPosterId,
  groupId: fixture.groups[0]!.id,
  itemIds: [fixture.subGoalIds[0]!],
  kind: 'comment' as const,
  text,
});
