import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { anonymiseParticipant } from '../synthesis/privacy.service.js';
import { createTestApp, testDatabaseKinds, type TestApp } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { PARTICIPANT_COOKIE, signParticipantCookie } from '../workshops/participantSession.js';
import { executeCommand } from './commands.service.js';
import type { Command, LiveEvent } from '../../contract/protocol.js';

describe.each(testDatabaseKinds)('GET /api/workshops/:id/events on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const run = (actor: Actor, fixture: WorkshopFixture, command: Command) =>
    executeCommand(t.database.db, new WriteRateLimiter(1000, 10_000), actor, fixture.workshopId, randomUUID(), command);
  const participantHeaders = async (fixture: WorkshopFixture, participantId: string) => ({
    cookie: `${PARTICIPANT_COOKIE}=${await signParticipantCookie(t.database.db, { participantId, workshopId: fixture.workshopId })}`,
  });
  const events = async (fixture: WorkshopFixture, headers: Record<string, string>, groupId?: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/events?after=0${groupId ? `&groupId=${groupId}` : ''}`, headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<LiveEvent[]>();
  };
  const starGivers = (list: LiveEvent[]) => list.flatMap((event) => (event.type === 'star.given' ? [event.star.participantId] : []));

  it('[STAR-4][LIVE-5] with star totals hidden, a participant gets only their own stars through /events, as on the socket', async () => {
    const fixture = await createWorkshopFixture(t.database.db, { starsHidden: true });
    const group = fixture.groups[0]!;
    const [stein, dina] = group.participants;
    const star = (itemId: string): Command => ({ type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId });
    await run(stein!.actor, fixture, star(fixture.strategyIds[0]!));
    await run(dina!.actor, fixture, star(fixture.strategyIds[1]!));
    const asDina = await participantHeaders(fixture, dina!.id);

    expect(starGivers(await events(fixture, asDina, group.id))).toEqual([dina!.id]);
    const planner = await t.user('planner');
    expect(starGivers(await events(fixture, planner.headers))).toEqual([stein!.id, dina!.id]);

    await run(fixture.facilitator.actor, fixture, { type: 'group.revealStars', groupId: group.id, revealed: true });
    expect(starGivers(await events(fixture, asDina, group.id))).toEqual([stein!.id, dina!.id]);
  });

  it('[LIVE-5] /events refuses another group’s participant as the socket does', async () => {
    const fixture = await createWorkshopFixture(t.database.db);
    const asOla = await participantHeaders(fixture, fixture.groups[1]!.participants[0]!.id);
    const response = await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/events?after=0&groupId=${fixture.groups[0]!.id}`, headers: asOla });
    expect(response.statusCode).toBe(403);
  });

  it('[PRIV-1] after anonymisation, /events serves the participant’s lapper without their name', async () => {
    const fixture = await createWorkshopFixture(t.database.db);
    const group = fixture.groups[0]!;
    const [stein, dina] = group.participants;
    await run(stein!.actor, fixture, { type: 'note.create', noteId: randomUUID(), posterId: fixture.goalsPosterId, itemIds: [], kind: 'comment', text: 'Viktig for oss' });
    const asDina = await participantHeaders(fixture, dina!.id);
    expect(JSON.stringify(await events(fixture, asDina, group.id))).toContain('Stein');

    await anonymiseParticipant(fixture.planner.actor, stein!.id, t.database.db);
    const planner = await t.user('planner');
    for (const list of [await events(fixture, asDina, group.id), await events(fixture, planner.headers)]) {
      expect(JSON.stringify(list)).not.toContain('Stein');
      expect(list.find((event) => event.type === 'note.created')).toMatchObject({ note: { author: { name: 'Deltaker, Gruppe 1' } } });
      expect(list.at(-1)).toMatchObject({ type: 'board.changed', reason: 'anonymised' });
    }
  });
});
