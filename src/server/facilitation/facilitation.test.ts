import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { PARTICIPANT_COOKIE } from '../workshops/participantSession.js';
import { addParticipant } from '../workshops/workshops.service.js';
import type { ParticipantSession } from '../../contract/workshops.schema.js';
import type { CreatedJoinRequest, JoinRequest, JoinRequestStatus, MyGroup } from '../../contract/facilitation.schema.js';

/** The participant cookie a response sets, as a device would keep it. */
const deviceCookie = (response: LightMyRequestResponse) => {
  const cookie = response.cookies.find((c) => c.name === PARTICIPANT_COOKIE);
  if (!cookie) throw new Error(`no participant cookie in ${response.statusCode}: ${response.body}`);
  return `${PARTICIPANT_COOKIE}=${cookie.value}`;
};

describe.each(testDatabaseKinds)('facilitation on %s', (kind) => {
  let t: TestApp;
  let fixture: WorkshopFixture;
  let joinCode: string;
  let facilitator: TestUser;
  let otherFacilitator: TestUser;
  let planner: TestUser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    fixture = await createWorkshopFixture(t.database.db);
    facilitator = await t.user('facilitator', 'Frida');
    otherFacilitator = await t.user('facilitator', 'Otto');
    planner = await t.user('planner');
    const db = t.database.db;
    await db.updateTable('groups').set({ facilitator_user_id: facilitator.id }).where('id', '=', fixture.groups[0]!.id).execute();
    await db.updateTable('groups').set({ facilitator_user_id: otherFacilitator.id }).where('id', '=', fixture.groups[1]!.id).execute();
    joinCode = (await db.selectFrom('workshops').select('join_code').where('id', '=', fixture.workshopId).executeTakeFirstOrThrow()).join_code;
  });
  afterAll(() => t?.close());

  const join = (participantId: string) => t.app.inject({ method: 'POST', url: '/api/join', payload: { code: joinCode, participantId } });
  const status = (request: CreatedJoinRequest, secret = request.secret) =>
    t.app.inject({ method: 'POST', url: `/api/join/requests/${request.id}`, payload: { secret } });
  const pending = (user: TestUser) => t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/join-requests`, headers: user.headers });
  const decide = (user: TestUser, requestId: string, decision: 'confirmed' | 'refused') =>
    t.app.inject({ method: 'POST', url: `/api/workshops/${fixture.workshopId}/join-requests/${requestId}`, headers: user.headers, payload: { decision } });

  describe('[JOIN-5] one device per name', () => {
    it('warns a second device choosing a name in use, and lets it in only after the group’s facilitator confirms', async () => {
      const stein = fixture.groups[0]!.participants[0]!;
      const first = await join(stein.id);
      expectStatus(first, 200);

      const second = await join(stein.id);
      expect(second.statusCode).toBe(409);
      expect(second.json().error.code).toBe('name_claimed');
      expect(second.cookies.find((c) => c.name === PARTICIPANT_COOKIE)).toBeUndefined();

      const request = expectStatus<CreatedJoinRequest>(await t.app.inject({ method: 'POST', url: '/api/join/requests', payload: { code: joinCode, participantId: stein.id } }), 201);
      expect(expectStatus<JoinRequestStatus>(await status(request), 200)).toEqual({ state: 'pending' });

      // Only the facilitator of Stein's group and planners see and answer it.
      const stranger = await t.user('facilitator', 'Uten gruppe');
      expect((await pending(stranger)).statusCode).toBe(403);
      const seen = expectStatus<JoinRequest[]>(await pending(facilitator), 200);
      expect(seen.map((r) => [r.id, r.participantName, r.groupName])).toEqual([[request.id, 'Stein', 'Gruppe 1']]);
      expect(expectStatus<JoinRequest[]>(await pending(planner), 200).map((r) => r.id)).toContain(request.id);
      expect(expectStatus<JoinRequest[]>(await pending(otherFacilitator), 200)).toEqual([]);
      expect((await decide(otherFacilitator, request.id, 'confirmed')).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'POST', url: `/api/workshops/${fixture.workshopId}/join-requests/${request.id}`, payload: { decision: 'confirmed' } })).statusCode).toBe(401);
      expect(expectStatus<JoinRequestStatus>(await status(request), 200)).toEqual({ state: 'pending' });

      expectStatus(await decide(facilitator, request.id, 'confirmed'), 204);
      const confirmed = await status(request);
      const answer = expectStatus<JoinRequestStatus & { session: ParticipantSession }>(confirmed, 200);
      expect(answer.state).toBe('confirmed');
      expect(answer.session.participant.id).toBe(stein.id);
      const session = await t.app.inject({ method: 'GET', url: '/api/participant/session', headers: { cookie: deviceCookie(confirmed) } });
      expect(expectStatus<ParticipantSession>(session, 200).participant.name).toBe('Stein');

      // A confirmation lets in one device once, and the answered request leaves the facilitator's list.
      expect((await status(request)).statusCode).toBe(404);
      expect(expectStatus<JoinRequest[]>(await pending(facilitator), 200)).toEqual([]);
    });

    it('[JOIN-5][LIVE-5] a request and its answer reach the group’s facilitator and planners as live events, never a participant, the plenary or another group’s facilitator', async () => {
      const deps = { db: t.database.db, publicUrl: 'http://localhost:3000' };
      const added = await addParticipant(fixture.planner.actor, fixture.workshopId, fixture.groups[0]!.id, { name: 'Nykommer', party: null, committee: null }, deps);
      const newcomer = added.groups[0]!.participants.find((p) => p.name === 'Nykommer')!;
      const device = deviceCookie(await join(newcomer.id));
      const changes = async (headers: Record<string, string>) => {
        const response = await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/events?after=0&groupId=${fixture.groups[0]!.id}`, headers });
        if (response.statusCode !== 200) return response.statusCode;
        return (response.json() as Array<{ type: string }>).filter((e) => e.type === 'joinRequests.changed').length;
      };
      const before = { facilitator: await changes(facilitator.headers), planner: await changes(planner.headers) };
      const request = expectStatus<CreatedJoinRequest>(await t.app.inject({ method: 'POST', url: '/api/join/requests', payload: { code: joinCode, participantId: newcomer.id } }), 201);
      expectStatus(await decide(facilitator, request.id, 'refused'), 204);
      // The request and the answer: two events, each telling them to read the list again.
      expect(await changes(facilitator.headers)).toBe((before.facilitator as number) + 2);
      expect(await changes(planner.headers)).toBe((before.planner as number) + 2);
      expect(await changes({ cookie: device })).toBe(0);
      expect(await changes(otherFacilitator.headers)).toBe(403);
    });

    it('tells a refused device so, and never gives it a session', async () => {
      const dina = fixture.groups[0]!.participants[1]!;
      expectStatus(await join(dina.id), 200);
      const request = expectStatus<CreatedJoinRequest>(await t.app.inject({ method: 'POST', url: '/api/join/requests', payload: { code: joinCode, participantId: dina.id } }), 201);
      expectStatus(await decide(facilitator, request.id, 'refused'), 204);
      // A later answer does not overturn the first.
      expectStatus(await decide(facilitator, request.id, 'confirmed'), 204);
      const refused = await status(request);
      expect(expectStatus<JoinRequestStatus>(refused, 200)).toEqual({ state: 'refused' });
      expect(refused.cookies.find((c) => c.name === PARTICIPANT_COOKIE)).toBeUndefined();
    });

    it('answers 404 to a status asked with the wrong secret, and 404 for an unknown name or code', async () => {
      const kari = fixture.groups[0]!.participants[2]!;
      const request = expectStatus<CreatedJoinRequest>(await t.app.inject({ method: 'POST', url: '/api/join/requests', payload: { code: joinCode, participantId: kari.id } }), 201);
      expect((await status(request, 'x'.repeat(32))).statusCode).toBe(404);
      const unknown = await t.app.inject({ method: 'POST', url: '/api/join/requests', payload: { code: 'ZZZZZZ', participantId: kari.id } });
      expect(unknown.statusCode).toBe(404);
      const otherWorkshop = await t.app.inject({ method: 'POST', url: '/api/join/requests', payload: { code: joinCode, participantId: fixture.planner.id } });
      expect(otherWorkshop.statusCode).toBe(404);
    });

    it('lets the device holding the name join again, and frees the name when it leaves', async () => {
      const ola = fixture.groups[1]!.participants[0]!;
      const first = await join(ola.id);
      expectStatus(first, 200);
      const cookie = deviceCookie(first);
      const again = await t.app.inject({ method: 'POST', url: '/api/join', payload: { code: joinCode, participantId: ola.id }, headers: { cookie, 'x-csrf-token': first.json().csrfToken } });
      expect(again.statusCode).toBe(200);
      expect((await join(ola.id)).statusCode).toBe(409);
      const session = expectStatus<ParticipantSession>(await t.app.inject({ method: 'GET', url: '/api/participant/session', headers: { cookie } }), 200);
      const left = await t.app.inject({ method: 'POST', url: '/api/participant/leave', headers: { cookie, 'x-csrf-token': session.csrfToken } });
      expect(left.statusCode).toBe(204);
      expect((await join(ola.id)).statusCode).toBe(200);
    });

    it('[JOIN-5] of two devices joining with one name at the same moment, lets exactly one in (a race only on PostgreSQL; PGlite runs them one by one)', async () => {
      const signe = fixture.groups[1]!.participants[1]!;
      const answers = await Promise.all([join(signe.id), join(signe.id), join(signe.id)]);
      expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409]);
    });

    it('lets a personal link in without asking: it names its holder', async () => {
      const finn = fixture.groups[1]!.participants[2]!;
      expectStatus(await join(finn.id), 200);
      const { access_token } = await t.database.db.selectFrom('participants').select('access_token').where('id', '=', finn.id).executeTakeFirstOrThrow();
      expectStatus(await t.app.inject({ method: 'POST', url: '/api/join/personal', payload: { token: access_token } }), 200);
    });
  });

  describe('a facilitator’s tables', () => {
    it('lists the groups the logged-in person facilitates, with their workshop; 401 without a session, 403 for a participant', async () => {
      expect((await t.app.inject({ method: 'GET', url: '/api/me/groups' })).statusCode).toBe(401);
      const { access_token } = await t.database.db.selectFrom('participants').select('access_token').where('id', '=', fixture.groups[0]!.participants[0]!.id).executeTakeFirstOrThrow();
      const participant = await t.app.inject({ method: 'POST', url: '/api/join/personal', payload: { token: access_token } });
      expect((await t.app.inject({ method: 'GET', url: '/api/me/groups', headers: { cookie: deviceCookie(participant) } })).statusCode).toBe(403);

      const mine = expectStatus<MyGroup[]>(await t.app.inject({ method: 'GET', url: '/api/me/groups', headers: facilitator.headers }), 200);
      expect(mine).toEqual([
        { groupId: fixture.groups[0]!.id, groupName: 'Gruppe 1', workshop: { id: fixture.workshopId, title: 'Politisk verksted', date: null, state: 'open' }, planTitle: 'Samfunnsdelen' },
      ]);
      expect(expectStatus<MyGroup[]>(await t.app.inject({ method: 'GET', url: '/api/me/groups', headers: planner.headers }), 200)).toEqual([]);
    });
  });

  describe('around the table', () => {
    it('gives a planner and the group’s facilitator each participant’s personal QR code for the cards; 401 without a session, 404 outside one’s groups', async () => {
      const stein = fixture.groups[0]!.participants[0]!;
      const url = `/api/workshops/${fixture.workshopId}/participants/${stein.id}/qr.svg`;
      expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
      expect((await t.app.inject({ method: 'GET', url, headers: otherFacilitator.headers })).statusCode).toBe(404);
      for (const user of [planner, facilitator]) {
        const svg = await t.app.inject({ method: 'GET', url, headers: user.headers });
        expect(svg.statusCode).toBe(200);
        expect(svg.headers['content-type']).toContain('image/svg+xml');
        expect(svg.body).toContain('<svg');
      }
    });

    it('[LIVE-20] stops every round timer when the workshop closes, and tells the devices so', async () => {
      const db = t.database.db;
      const own = await createWorkshopFixture(db);
      await db.updateTable('groups').set({ timer_ends_at: new Date(Date.now() + 600_000) }).where('workshop_id', '=', own.workshopId).execute();
      expectStatus(await t.app.inject({ method: 'POST', url: `/api/workshops/${own.workshopId}/state`, headers: planner.headers, payload: { state: 'closed' } }), 200);
      const timers = await db.selectFrom('groups').select('timer_ends_at').where('workshop_id', '=', own.workshopId).execute();
      expect(timers.map((g) => g.timer_ends_at)).toEqual([null, null]);
      const events = await db.selectFrom('events').select(['type', 'group_id']).where('workshop_id', '=', own.workshopId).orderBy('seq').execute();
      expect(events.map((e) => e.type)).toEqual(['workshop.changed', 'group.timer', 'group.timer']);
    });

    it('[PRIV-3] leaves party out of reports in a new workshop until a planner turns it on', async () => {
      const created = await t.app.inject({ method: 'POST', url: '/api/workshops', headers: planner.headers, payload: { planId: fixture.planId, title: 'Nytt verksted' } });
      expect(expectStatus<{ partyInReports: boolean }>(created, 201).partyInReports).toBe(false);
    });
  });
});
