import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { executeCommand } from '../live/commands.service.js';
import type { Snapshot } from '../../contract/protocol.js';
import { editItem } from '../plans/plans.service.js';
import type { Revision } from '../../contract/plans.schema.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { PARTICIPANT_COOKIE, signParticipantCookie } from './participantSession.js';

const whos = [
  'anonymous',
  'participant of this workshop',
  'participant of another workshop',
  'facilitator of the workshop',
  'facilitator of another workshop',
  'planner',
] as const;
type Who = (typeof whos)[number];

/**
 * Reads of participant data answer as writes do: 401 without a session, 403 to anyone who may not
 * write there (a facilitator only for the workshops they facilitate), 404 for what does not exist.
 */
describe.each(testDatabaseKinds)('read access on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let facilitator: TestUser;
  let otherFacilitator: TestUser;
  /** Workshop A: Stein in Gruppe 1 (facilitated by `facilitator`), Ola in Gruppe 2. */
  let a: WorkshopFixture;
  /** Workshop B on another plan, Gruppe 1 facilitated by `otherFacilitator`. */
  let b: WorkshopFixture;
  let stein: TestUser;
  let olaOfB: TestUser;
  let revisedItemId: string;

  async function participantHeaders(fixture: WorkshopFixture, groupIndex: number): Promise<TestUser> {
    const participant = fixture.groups[groupIndex]!.participants[0]!;
    const cookie = await signParticipantCookie(t.database.db, { participantId: participant.id, workshopId: fixture.workshopId });
    return { id: participant.id, headers: { cookie: `${PARTICIPANT_COOKIE}=${cookie}` } };
  }

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    facilitator = await t.user('facilitator', 'Fia Fasilitator');
    otherFacilitator = await t.user('facilitator', 'Otto Fasilitator');
    a = await createWorkshopFixture(t.database.db);
    b = await createWorkshopFixture(t.database.db);
    await t.database.db.updateTable('groups').set({ facilitator_user_id: facilitator.id }).where('id', '=', a.groups[0]!.id).execute();
    await t.database.db.updateTable('groups').set({ facilitator_user_id: otherFacilitator.id }).where('id', '=', b.groups[0]!.id).execute();
    stein = await participantHeaders(a, 0);
    olaOfB = await participantHeaders(b, 1);

    // A lapp in A that motivated a revision, so revisions carry a participant's words and name.
    const limiter = new WriteRateLimiter(1000, 10_000);
    const noteId = randomUUID();
    const author = a.groups[0]!.participants[0]!;
    await executeCommand(t.database.db, limiter, author.actor, a.workshopId, randomUUID(), {
      type: 'note.create',
      noteId,
      posterId: a.goalsPosterId,
      itemIds: [a.subGoalIds[0]!],
      kind: 'comment',
      text: 'Flere boliger for unge i sentrum',
    });
    await executeCommand(t.database.db, limiter, author.actor, a.workshopId, randomUUID(), {
      type: 'note.create',
      noteId: randomUUID(),
      posterId: a.goalsPosterId,
      itemIds: [a.subGoalIds[1]!],
      kind: 'comment',
      text: 'Flere boliger for unge i sentrum',
    });
    revisedItemId = a.subGoalIds[0]!;
    await editItem(a.planner.actor, revisedItemId, { text: 'Delmål 1, revidert', version: 1, noteIds: [noteId] }, t.database.db);
  });
  afterAll(() => t?.close());

  const callers = (): Record<Who, TestUser | null> => ({
    anonymous: null,
    'participant of this workshop': stein,
    'participant of another workshop': olaOfB,
    'facilitator of the workshop': facilitator,
    'facilitator of another workshop': otherFacilitator,
    planner,
  });
  const get = (caller: TestUser | null, url: string) => t.app.inject({ method: 'GET', url, headers: caller?.headers });
  const workshopReaders = [401, 403, 403, 200, 403, 200];

  const reads: Array<{ action: string; expected: number[]; url: () => string }> = [
    { action: 'synthesis overview', expected: workshopReaders, url: () => `/api/workshops/${a.workshopId}/synthesis` },
    { action: '[SYN-2] consensus', expected: workshopReaders, url: () => `/api/workshops/${a.workshopId}/synthesis/consensus` },
    { action: 'near-duplicates', expected: workshopReaders, url: () => `/api/workshops/${a.workshopId}/near-duplicates` },
    { action: 'revisions of the plan, with their lapper', expected: workshopReaders, url: () => `/api/plans/${a.planId}/revisions` },
    { action: 'revisions of an item, with their lapper', expected: workshopReaders, url: () => `/api/items/${revisedItemId}/revisions` },
    { action: '[LIVE-5] the board of the workshop', expected: [401, 403, 403, 200, 403, 200], url: () => `/api/workshops/${a.workshopId}/board` },
    { action: '[LIVE-5] the board of Gruppe 1', expected: [401, 200, 403, 200, 403, 200], url: () => `/api/workshops/${a.workshopId}/board?groupId=${a.groups[0]!.id}` },
    { action: 'workshop setup', expected: workshopReaders, url: () => `/api/workshops/${a.workshopId}` },
    { action: 'a participant’s stored data (planners only)', expected: [401, 403, 403, 403, 403, 200], url: () => `/api/participants/${a.groups[0]!.participants[1]!.id}/data` },
    { action: 'open-data export (planners only)', expected: [401, 403, 403, 403, 403, 200], url: () => `/api/workshops/${a.workshopId}/export.json` },
  ];

  for (const { action, expected, url } of reads) {
    it.each(whos.map((who, index) => [who, expected[index]!] as const))(`${action}: %s → %i`, async (who, status) => {
      const response = await get(callers()[who], url());
      expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
      if (status === 401) expect(response.json().error.code).toBe('unauthenticated');
      if (status === 403) expect(response.json().error.code).toBe('forbidden');
    });
  }

  it('answers 404 to an unknown workshop, plan or item, after 401 and before 403', async () => {
    const unknown = randomUUID();
    for (const url of [
      `/api/workshops/${unknown}/synthesis`,
      `/api/workshops/${unknown}/synthesis/consensus`,
      `/api/workshops/${unknown}/near-duplicates`,
      `/api/plans/${unknown}/revisions`,
      `/api/items/${unknown}/revisions`,
    ]) {
      expect((await get(null, url)).statusCode, url).toBe(401);
      expect((await get(facilitator, url)).statusCode, url).toBe(404);
      expect((await get(planner, url)).statusCode, url).toBe(404);
    }
  });

  it('shows a facilitator the lapper linked to a revision only from the workshops they facilitate', async () => {
    const own = expectStatus<Revision[]>(await get(facilitator, `/api/items/${revisedItemId}/revisions`), 200);
    expect(own.flatMap((revision) => revision.notes.map((note) => note.text))).toEqual(['Flere boliger for unge i sentrum']);
    // A facilitator of a second workshop on the same plan sees the revision, not A's lapp.
    const sibling = await t.database.db
      .insertInto('workshops')
      .values({ id: randomUUID(), plan_id: a.planId, title: 'Andre verksted', state: 'open', join_code: 'QWERTZ', viewer_token: randomUUID() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const siblingFacilitator = await t.user('facilitator', 'Siri Fasilitator');
    await t.database.db
      .insertInto('groups')
      .values({ id: randomUUID(), workshop_id: sibling.id, name: 'Gruppe 1', position: 0, facilitator_user_id: siblingFacilitator.id, timer_ends_at: null })
      .execute();
    const theirs = expectStatus<Revision[]>(await get(siblingFacilitator, `/api/items/${revisedItemId}/revisions`), 200);
    expect(theirs.length).toBe(own.length);
    expect(theirs.flatMap((revision) => revision.notes)).toEqual([]);
  });

  it('[LIVE-5] lets a participant follow only their own group, a facilitator their groups, a planner every group', async () => {
    const groupsSeen = async (caller: TestUser, query = '') =>
      expectStatus<Snapshot>(await get(caller, `/api/workshops/${a.workshopId}/board${query}`), 200).groups.map((group) => group.id);
    expect(await groupsSeen(stein, `?groupId=${a.groups[0]!.id}`)).toEqual([a.groups[0]!.id]);
    expect((await get(stein, `/api/workshops/${a.workshopId}/board?groupId=${a.groups[1]!.id}`)).statusCode).toBe(403);
    expect(await groupsSeen(facilitator)).toEqual([a.groups[0]!.id]);
    expect((await get(facilitator, `/api/workshops/${a.workshopId}/board?groupId=${a.groups[1]!.id}`)).statusCode).toBe(403);
    expect(await groupsSeen(planner)).toEqual(a.groups.map((group) => group.id));
    expect((await get(planner, `/api/workshops/${a.workshopId}/board?groupId=${randomUUID()}`)).statusCode).toBe(404);
  });
});
