import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPosterTexts } from '../../domain/workshops.js';
import type { Plan } from '../../contract/plans.schema.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { PARTICIPANT_COOKIE, signParticipantCookie } from './participantSession.js';
import type { JoinInfo, ParticipantSession, PasteResult, UserOption, ViewerInfo, Workshop, WorkshopSummary } from '../../contract/workshops.schema.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
type Caller = TestUser | null;

describe.each(testDatabaseKinds)('workshops API on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let facilitator: TestUser;
  let otherFacilitator: TestUser;
  let plan: Plan;
  /** Workshop A (open): Kari in Gruppe 1, facilitated by `facilitator`. */
  let a: Workshop;
  /** Workshop B (open): Ola in Gruppe 1, facilitated by `otherFacilitator`. */
  let b: Workshop;
  let kari: TestUser & { cookieValue: string; participantId: string };
  let ola: TestUser & { cookieValue: string; participantId: string };

  const call = (caller: Caller, method: Method, url: string, payload?: object) =>
    t.app.inject({ method, url, headers: caller?.headers, payload });

  async function newPlan(): Promise<Plan> {
    const created = expectStatus<Plan>(await call(planner, 'POST', '/api/plans', { title: 'Samfunnsdelen', municipality: 'Bærum', horizonYear: 2040 }), 201);
    let latest = created;
    for (const title of ['Økonomisk bærekraft', 'Sosial bærekraft']) {
      latest = expectStatus<Plan>(await call(planner, 'POST', `/api/plans/${created.id}/perspectives`, { title, mainGoal: `Hovedmål for ${title}` }), 200);
    }
    return latest;
  }

  async function newWorkshop(body: object = {}): Promise<Workshop> {
    return expectStatus<Workshop>(await call(planner, 'POST', '/api/workshops', { planId: plan.id, title: 'Politikerverksted', ...body }), 201);
  }

  const setState = async (workshop: Workshop, state: string) =>
    expectStatus<Workshop>(await call(planner, 'POST', `/api/workshops/${workshop.id}/state`, { state }), 200);

  async function addPerson(workshop: Workshop, groupIndex: number, name: string, extra: object = {}): Promise<Workshop> {
    const group = workshop.groups[groupIndex]!;
    return expectStatus<Workshop>(
      await call(planner, 'POST', `/api/workshops/${workshop.id}/groups/${group.id}/participants`, { name, ...extra }),
      200,
    );
  }

  const participantIn = (workshop: Workshop, name: string) =>
    workshop.groups.flatMap((group) => group.participants).find((participant) => participant.name === name)!;

  /** Joins as a participant and returns headers carrying their cookie and CSRF token. */
  async function joinAs(workshop: Workshop, name: string) {
    const participant = participantIn(workshop, name);
    const response = await call(null, 'POST', '/api/join', { code: workshop.joinCode, participantId: participant.id });
    const session = expectStatus<ParticipantSession>(response, 200);
    const cookie = response.cookies.find((c) => c.name === PARTICIPANT_COOKIE)!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    return {
      id: participant.id,
      participantId: participant.id,
      cookieValue: cookie.value,
      headers: { cookie: `${PARTICIPANT_COOKIE}=${cookie.value}`, 'x-csrf-token': session.csrfToken },
    };
  }

  const cookieOnly = (value: string): TestUser => ({ id: 'x', headers: { cookie: `${PARTICIPANT_COOKIE}=${value}` } });

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    facilitator = await t.user('facilitator', 'Fia Fasilitator');
    otherFacilitator = await t.user('facilitator', 'Otto Fasilitator');
    plan = await newPlan();

    a = await newWorkshop({ groupCount: 2 });
    a = expectStatus<Workshop>(await call(planner, 'PATCH', `/api/workshops/${a.id}/groups/${a.groups[0]!.id}`, { facilitatorUserId: facilitator.id }), 200);
    a = await addPerson(a, 0, 'Kari', { party: 'Rødt', committee: 'FSK' });
    a = await setState(a, 'open');
    b = await newWorkshop({ title: 'Et annet verksted' });
    b = expectStatus<Workshop>(await call(planner, 'PATCH', `/api/workshops/${b.id}/groups/${b.groups[0]!.id}`, { facilitatorUserId: otherFacilitator.id }), 200);
    b = await addPerson(b, 0, 'Ola', { party: 'Høyre' });
    b = await setState(b, 'open');
    kari = await joinAs(a, 'Kari');
    ola = await joinAs(b, 'Ola');
  });
  afterAll(() => t?.close());

  describe('who may do what', () => {
    type Who = 'anonymous' | 'participant of this workshop' | 'participant of another workshop' | 'facilitator of the group' | 'facilitator of another workshop' | 'planner';
    const callers = (): Record<Who, Caller> => ({
      anonymous: null,
      'participant of this workshop': kari,
      'participant of another workshop': ola,
      'facilitator of the group': facilitator,
      'facilitator of another workshop': otherFacilitator,
      planner,
    });
    const plannerOnly = (ok: number) => [401, 403, 403, 403, 403, ok];
    const whos: Who[] = [
      'anonymous',
      'participant of this workshop',
      'participant of another workshop',
      'facilitator of the group',
      'facilitator of another workshop',
      'planner',
    ];

    const actions: Array<{ action: string; expected: number[]; run: (caller: Caller) => Promise<LightMyRequestResponse> }> = [
      {
        action: 'create workshop',
        expected: plannerOnly(201),
        run: (caller) => call(caller, 'POST', '/api/workshops', { planId: plan.id, title: 'Nytt' }),
      },
      {
        action: 'update workshop',
        expected: plannerOnly(200),
        run: async (caller) => {
          const current = expectStatus<Workshop>(await call(planner, 'GET', `/api/workshops/${a.id}`), 200);
          return call(caller, 'PATCH', `/api/workshops/${a.id}`, { starBudget: 5, version: current.version });
        },
      },
      {
        action: 'change state',
        expected: plannerOnly(200),
        run: (caller) => call(caller, 'POST', `/api/workshops/${a.id}/state`, { state: 'open' }),
      },
      {
        action: 'add participant',
        expected: plannerOnly(200),
        run: (caller) => call(caller, 'POST', `/api/workshops/${a.id}/groups/${a.groups[1]!.id}/participants`, { name: `Per ${randomUUID()}` }),
      },
      {
        action: 'bulk paste',
        expected: plannerOnly(200),
        run: (caller) => call(caller, 'POST', `/api/workshops/${a.id}/groups/${a.groups[1]!.id}/participants/paste`, { text: `Liv ${randomUUID()}; SV` }),
      },
      {
        action: 'read workshop',
        expected: [401, 403, 403, 200, 403, 200],
        run: (caller) => call(caller, 'GET', `/api/workshops/${a.id}`),
      },
      {
        action: 'join QR code',
        expected: [401, 403, 403, 200, 403, 200],
        run: (caller) => call(caller, 'GET', `/api/workshops/${a.id}/join-qr.svg`),
      },
      {
        // [JOIN-5] Kari's device holds the name: any other device is told so and must ask the facilitator.
        action: 'join with the code (public)',
        expected: [409, 200, 409, 409, 409, 409],
        run: (caller) => call(caller, 'POST', '/api/join', { code: a.joinCode, participantId: participantIn(a, 'Kari').id }),
      },
      {
        action: 'read participant session (own cookie only)',
        expected: [401, 200, 200, 401, 401, 401],
        run: (caller) => call(caller, 'GET', '/api/participant/session'),
      },
    ];

    for (const { action, expected, run } of actions) {
      it.each(whos.map((who, index) => [who, expected[index]!] as const))(`${action}: %s → %i`, async (who, status) => {
        const response = await run(callers()[who]);
        expect(response.statusCode, response.body.slice(0, 300)).toBe(status);
        if (status === 401) expect(response.json().error.code).toBe('unauthenticated');
        if (status === 403) expect(response.json().error.code).toBe('forbidden');
      });
    }

    it('answers 401 and 403 on every other setup endpoint, and changes nothing', async () => {
      const group = a.groups[1]!;
      const person = participantIn(a, 'Kari');
      const requests: Array<[Method, string, object?]> = [
        ['POST', `/api/workshops/${a.id}/join-code`],
        ['POST', `/api/workshops/${a.id}/viewer-token`],
        ['PATCH', `/api/workshops/${a.id}/posters/${a.posters[0]!.id}`, { instructions: 'Endret' }],
        ['POST', `/api/workshops/${a.id}/posters`],
        ['POST', `/api/workshops/${a.id}/groups`, {}],
        ['PATCH', `/api/workshops/${a.id}/groups/${group.id}`, { name: 'Endret' }],
        ['DELETE', `/api/workshops/${a.id}/groups/${group.id}`],
        ['PATCH', `/api/workshops/${a.id}/participants/${person.id}`, { groupId: group.id }],
        ['DELETE', `/api/workshops/${a.id}/participants/${person.id}`],
        ['GET', '/api/users'],
      ];
      for (const [method, url, body] of requests) {
        expect((await call(null, method, url, body)).statusCode, `${method} ${url}`).toBe(401);
        for (const caller of [kari, ola, facilitator, otherFacilitator]) {
          const response = await call(caller, method, url, body);
          expect(response.statusCode, `${method} ${url}`).toBe(403);
          expect(response.json().error.code).toBe('forbidden');
        }
      }
      const after = expectStatus<Workshop>(await call(planner, 'GET', `/api/workshops/${a.id}`), 200);
      expect(after).toMatchObject({ joinCode: a.joinCode, viewerUrl: a.viewerUrl });
      expect(after.posters[0]!.instructions).toBe(a.posters[0]!.instructions);
      expect(after.groups.map((g) => g.name)).toEqual(['Gruppe 1', 'Gruppe 2']);
      expect(participantIn(after, 'Kari').groupId).toBe(a.groups[0]!.id);
    });

    it('shows a facilitator only their own group, without the plenary link', async () => {
      const seen = expectStatus<Workshop>(await call(facilitator, 'GET', `/api/workshops/${a.id}`), 200);
      expect(seen.groups.map((group) => group.id)).toEqual([a.groups[0]!.id]);
      expect(seen.viewerUrl).toBeNull();
      expect(seen.joinCode).toBe(a.joinCode);
      const list = expectStatus<WorkshopSummary[]>(await call(facilitator, 'GET', `/api/plans/${plan.id}/workshops`), 200);
      expect(list.map((w) => w.id)).toEqual([a.id]);
    });

    it('lists accounts for the facilitator picker to planners only', async () => {
      const users = expectStatus<UserOption[]>(await call(planner, 'GET', '/api/users'), 200);
      expect(users).toEqual(expect.arrayContaining([{ id: facilitator.id, name: 'Fia Fasilitator', role: 'facilitator' }]));
      expect((await call(facilitator, 'GET', '/api/users')).statusCode).toBe(403);
      expect((await call(kari, 'GET', '/api/users')).statusCode).toBe(403);
      expect((await call(null, 'GET', '/api/users')).statusCode).toBe(401);
    });

    it('refuses a participant’s state-changing request without the CSRF token', async () => {
      const response = await call(cookieOnly(kari.cookieValue), 'POST', '/api/participant/leave');
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('csrf_failed');
    });
  });

  describe('setting up a workshop', () => {
    it('makes two posters per perspective, pre-filled with the seed’s wording, stars on Del 2', async () => {
      const workshop = await newWorkshop();
      expect(workshop.posters.map((p) => [p.perspectiveTitle, p.part, p.starsEnabled])).toEqual([
        ['Økonomisk bærekraft', 'goals', false],
        ['Økonomisk bærekraft', 'strategies', true],
        ['Sosial bærekraft', 'goals', false],
        ['Sosial bærekraft', 'strategies', true],
      ]);
      expect(workshop.posters[0]!.instructions).toMatch(/^Se gjennom forslagene til delmål/);
      expect(workshop.posters[0]!.boxPrompt).toBe('Noen delmål du savner? Eller har du noen generelle innspill til delmålene?');
      expect(workshop.posters[1]).toMatchObject({ instructions: defaultPosterTexts.strategies.instructions, boxPrompt: defaultPosterTexts.strategies.boxPrompt });
      expect(workshop).toMatchObject({ state: 'draft', starBudget: 5, starsPerItem: 1, starsHidden: false, date: null });
      expect(workshop.groups.map((g) => g.name)).toEqual(['Gruppe 1']);
      expect(workshop.joinCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{6}$/);
      expect(workshop.joinUrl).toMatch(new RegExp(`/join/${workshop.joinCode}$`));
      expect(workshop.viewerUrl).toMatch(/\/view\/[\w-]{20,}$/);
    });

    it('edits details, a poster’s texts and stars, with a version check on the details', async () => {
      const workshop = await newWorkshop({ date: '2025-03-12', groupCount: 3 });
      expect(workshop.groups.map((g) => g.name)).toEqual(['Gruppe 1', 'Gruppe 2', 'Gruppe 3']);
      const edited = expectStatus<Workshop>(
        await call(planner, 'PATCH', `/api/workshops/${workshop.id}`, {
          title: 'Verksted 2',
          date: '2025-03-13',
          starBudget: 3,
          starsPerItem: 2,
          starsHidden: true,
          partyInReports: false,
          version: workshop.version,
        }),
        200,
      );
      expect(edited).toMatchObject({ title: 'Verksted 2', date: '2025-03-13', starBudget: 3, starsPerItem: 2, starsHidden: true, partyInReports: false });
      const stale = await call(planner, 'PATCH', `/api/workshops/${workshop.id}`, { title: 'Gammel', version: workshop.version });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().error).toMatchObject({ code: 'version_conflict', current: { title: 'Verksted 2' } });

      const poster = edited.posters[0]!;
      const text = '<b>Skriv</b> & les';
      const withPoster = expectStatus<Workshop>(
        await call(planner, 'PATCH', `/api/workshops/${workshop.id}/posters/${poster.id}`, { instructions: text, boxPrompt: 'Boksen', starsEnabled: true }),
        200,
      );
      expect(withPoster.posters[0]).toMatchObject({ instructions: text, boxPrompt: 'Boksen', starsEnabled: true });
    });

    it('stores a retried create with the same id once', async () => {
      const id = randomUUID();
      const first = await newWorkshop({ id });
      const second = await newWorkshop({ id });
      expect(second.joinCode).toBe(first.joinCode);
      const list = expectStatus<WorkshopSummary[]>(await call(planner, 'GET', `/api/plans/${plan.id}/workshops`), 200);
      expect(list.filter((w) => w.id === id)).toHaveLength(1);
    });

    it('adds posters for a perspective added to the plan later', async () => {
      const localPlan = await newPlan();
      const workshop = expectStatus<Workshop>(await call(planner, 'POST', '/api/workshops', { planId: localPlan.id, title: 'Sent' }), 201);
      await call(planner, 'POST', `/api/plans/${localPlan.id}/perspectives`, { title: 'Klima', mainGoal: 'Hovedmål' });
      const before = expectStatus<Workshop>(await call(planner, 'GET', `/api/workshops/${workshop.id}`), 200);
      expect(before.perspectivesWithoutPosters.map((p) => p.title)).toEqual(['Klima']);
      const after = expectStatus<Workshop>(await call(planner, 'POST', `/api/workshops/${workshop.id}/posters`), 200);
      expect(after.posters).toHaveLength(6);
      expect(after.posters.slice(4).map((p) => [p.perspectiveTitle, p.part, p.position])).toEqual([
        ['Klima', 'goals', 4],
        ['Klima', 'strategies', 5],
      ]);
      expect(after.perspectivesWithoutPosters).toEqual([]);
    });

    it('moves through draft → open → closed → open, and refuses other changes', async () => {
      const workshop = await newWorkshop();
      const skip = await call(planner, 'POST', `/api/workshops/${workshop.id}/state`, { state: 'closed' });
      expect(skip.statusCode).toBe(409);
      expect(skip.json().error.code).toBe('invalid_transition');
      expect((await setState(workshop, 'open')).state).toBe('open');
      const back = await call(planner, 'POST', `/api/workshops/${workshop.id}/state`, { state: 'draft' });
      expect(back.statusCode).toBe(409);
      expect((await setState(workshop, 'closed')).state).toBe('closed');
      expect((await setState(workshop, 'open')).state).toBe('open');
      // A state change is no edit of the details: the version the form holds is still current.
      const edited = await call(planner, 'PATCH', `/api/workshops/${workshop.id}`, { title: 'Etter åpning', version: workshop.version });
      expect(edited.statusCode).toBe(200);
    });

    it('adds, renames and removes groups, picks a facilitator, refuses to remove a group with people', async () => {
      let workshop = await newWorkshop({ groupCount: 0 });
      expect(workshop.groups).toEqual([]);
      workshop = expectStatus<Workshop>(await call(planner, 'POST', `/api/workshops/${workshop.id}/groups`, {}), 200);
      workshop = expectStatus<Workshop>(await call(planner, 'POST', `/api/workshops/${workshop.id}/groups`, {}), 200);
      expect(workshop.groups.map((g) => g.name)).toEqual(['Gruppe 1', 'Gruppe 2']);
      const [first, second] = workshop.groups;
      workshop = expectStatus<Workshop>(
        await call(planner, 'PATCH', `/api/workshops/${workshop.id}/groups/${second!.id}`, { name: 'Bordet ved vinduet', facilitatorUserId: facilitator.id }),
        200,
      );
      expect(workshop.groups[1]).toMatchObject({ name: 'Bordet ved vinduet', facilitator: { id: facilitator.id, name: 'Fia Fasilitator' } });
      const unknown = await call(planner, 'PATCH', `/api/workshops/${workshop.id}/groups/${second!.id}`, { facilitatorUserId: randomUUID() });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.fields[0].path).toBe('facilitatorUserId');

      workshop = await addPerson(workshop, 0, 'Stein');
      const refused = await call(planner, 'DELETE', `/api/workshops/${workshop.id}/groups/${first!.id}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('group_not_empty');
      workshop = expectStatus<Workshop>(await call(planner, 'DELETE', `/api/workshops/${workshop.id}/groups/${second!.id}`), 200);
      expect(workshop.groups.map((g) => g.name)).toEqual(['Gruppe 1']);
      workshop = expectStatus<Workshop>(await call(planner, 'POST', `/api/workshops/${workshop.id}/groups`, {}), 200);
      expect(workshop.groups.map((g) => [g.name, g.position])).toEqual([
        ['Gruppe 1', 0],
        ['Gruppe 2', 1],
      ]);
    });

    it('regenerates the join code (the old one stops working) and the plenary link', async () => {
      const workshop = await setState(await newWorkshop(), 'open');
      const renewed = expectStatus<Workshop>(await call(planner, 'POST', `/api/workshops/${workshop.id}/join-code`), 200);
      expect(renewed.joinCode).not.toBe(workshop.joinCode);
      expect((await call(null, 'GET', `/api/join/${workshop.joinCode}`)).statusCode).toBe(404);
      expect((await call(null, 'GET', `/api/join/${renewed.joinCode}`)).statusCode).toBe(200);
      const viewed = expectStatus<Workshop>(await call(planner, 'POST', `/api/workshops/${workshop.id}/viewer-token`), 200);
      expect(viewed.viewerUrl).not.toBe(workshop.viewerUrl);
      const oldToken = workshop.viewerUrl!.split('/').at(-1)!;
      expect((await call(null, 'GET', `/api/view/${oldToken}`)).statusCode).toBe(404);
      expect((await call(facilitator, 'POST', `/api/workshops/${workshop.id}/join-code`)).statusCode).toBe(403);
    });
  });

  describe('participants', () => {
    it('bulk-adds pasted lines with ; tabs and dashes, party and committee optional', async () => {
      const workshop = await newWorkshop();
      const group = workshop.groups[0]!;
      const text = ['Stein — Rødt — FSK', 'Anne-Lise Berg\tHøyre\tPLAN', '', 'Dina; MDG', 'Kari Nordmann', 'Per - Ap - Formannskapet', '  '].join('\r\n');
      const result = expectStatus<PasteResult>(
        await call(planner, 'POST', `/api/workshops/${workshop.id}/groups/${group.id}/participants/paste`, { text }),
        200,
      );
      expect(result.added).toBe(5);
      expect(result.workshop.groups[0]!.participants.map((p) => [p.name, p.party, p.committee])).toEqual(
        expect.arrayContaining([
          ['Stein', 'Rødt', 'FSK'],
          ['Anne-Lise Berg', 'Høyre', 'PLAN'],
          ['Dina', 'MDG', null],
          ['Kari Nordmann', null, null],
          ['Per', 'Ap', 'Formannskapet'],
        ]),
      );
      for (const participant of result.workshop.groups[0]!.participants) expect(participant.personalUrl).toMatch(/\/p\/[\w-]{20,}$/);
    });

    it('[JOIN-4] refuses a paste with malformed lines as a whole, naming each line in Norwegian', async () => {
      const workshop = await newWorkshop();
      const group = workshop.groups[0]!;
      const text = ['Kari; H; FSK', '; Høyre', 'Ola; A; B; C', 'Kari', 'Per'].join('\n');
      const response = await call(planner, 'POST', `/api/workshops/${workshop.id}/groups/${group.id}/participants/paste`, { text });
      expect(response.statusCode).toBe(400);
      const error = response.json().error;
      expect(error.fields.map((f: { path: string }) => f.path)).toEqual(['body.text.line2', 'body.text.line3', 'body.text.line4']);
      expect(error.fields.map((f: { message: string }) => f.message)).toEqual([
        'Linje 2: navnet mangler',
        'Linje 3: for mange felt; skriv «Navn; Parti; Utvalg»',
        'Linje 4: navnet står to ganger i listen',
      ]);
      expect(error.message).toContain('linje 2, 3, 4');
      const after = expectStatus<Workshop>(await call(planner, 'GET', `/api/workshops/${workshop.id}`), 200);
      expect(after.groups[0]!.participants).toEqual([]);
    });

    it('accepts 2,000 lines and refuses 2,001', async () => {
      const workshop = await newWorkshop({ groupCount: 2 });
      const lines = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}; Parti`).join('\n');
      const refused = await call(planner, 'POST', `/api/workshops/${workshop.id}/groups/${workshop.groups[0]!.id}/participants/paste`, {
        text: lines(2001, 'Person'),
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.fields[0]).toMatchObject({ path: 'text', message: expect.stringContaining('2000 lines') });
      const accepted = expectStatus<PasteResult>(
        await call(planner, 'POST', `/api/workshops/${workshop.id}/groups/${workshop.groups[1]!.id}/participants/paste`, { text: lines(2000, 'Person') }),
        200,
      );
      expect(accepted.added).toBe(2000);
    });

    it('refuses a name already in the group', async () => {
      const workshop = await addPerson(await newWorkshop(), 0, 'Kari Nordmann');
      const again = await call(planner, 'POST', `/api/workshops/${workshop.id}/groups/${workshop.groups[0]!.id}/participants`, { name: 'kari  nordmann' });
      expect(again.statusCode).toBe(400);
      expect(again.json().error.fields[0].path).toBe('name');
      const pasted = await call(planner, 'POST', `/api/workshops/${workshop.id}/groups/${workshop.groups[0]!.id}/participants/paste`, { text: 'Kari Nordmann; Ap' });
      expect(pasted.json().error.fields[0].message).toBe('Linje 1: navnet finnes allerede i gruppen');
    });

    it('moves a participant to another group; their session follows at once', async () => {
      let workshop = await setState(await newWorkshop({ groupCount: 2 }), 'open');
      workshop = await addPerson(workshop, 0, 'Sigrid');
      const sigrid = await joinAs(workshop, 'Sigrid');
      workshop = expectStatus<Workshop>(
        await call(planner, 'PATCH', `/api/workshops/${workshop.id}/participants/${sigrid.participantId}`, { groupId: workshop.groups[1]!.id, party: 'KrF' }),
        200,
      );
      expect(workshop.groups[1]!.participants.map((p) => [p.name, p.party])).toEqual([['Sigrid', 'KrF']]);
      const session = expectStatus<ParticipantSession>(await call(sigrid, 'GET', '/api/participant/session'), 200);
      expect(session.participant).toMatchObject({ groupId: workshop.groups[1]!.id, groupName: 'Gruppe 2' });
      const elsewhere = await call(planner, 'PATCH', `/api/workshops/${workshop.id}/participants/${sigrid.participantId}`, { groupId: b.groups[0]!.id });
      // A group of another workshop is, from here, a group that does not exist.
      expect(elsewhere.statusCode).toBe(404);
      // GDPR art. 9: party can be deleted per participant.
      workshop = expectStatus<Workshop>(await call(planner, 'PATCH', `/api/workshops/${workshop.id}/participants/${sigrid.participantId}`, { party: null }), 200);
      expect(workshop.groups[1]!.participants[0]!.party).toBeNull();
    });

    it('removes a participant without input, and answers 409 for one with input', async () => {
      let workshop = await newWorkshop();
      workshop = await addPerson(workshop, 0, 'Uten innspill');
      workshop = await addPerson(workshop, 0, 'Med innspill');
      const quiet = participantIn(workshop, 'Uten innspill');
      const active = participantIn(workshop, 'Med innspill');
      await t.database.db
        .insertInto('stars')
        .values({
          id: randomUUID(),
          workshop_id: workshop.id,
          poster_id: workshop.posters[1]!.id,
          group_id: workshop.groups[0]!.id,
          participant_id: active.id,
          item_id: plan.perspectives[0]!.items[0]!.id,
        })
        .execute();
      const refused = await call(planner, 'DELETE', `/api/workshops/${workshop.id}/participants/${active.id}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('participant_has_input');
      workshop = expectStatus<Workshop>(await call(planner, 'DELETE', `/api/workshops/${workshop.id}/participants/${quiet.id}`), 200);
      expect(workshop.groups[0]!.participants.map((p) => [p.name, p.hasInput])).toEqual([['Med innspill', true]]);
    });
  });

  describe('joining without an account', () => {
    it('[JOIN-1] lists groups and names only — never party or committee — for any spelling of the code', async () => {
      const spaced = `${a.joinCode.slice(0, 3).toLowerCase()} ${a.joinCode.slice(3)}`;
      const response = await call(null, 'GET', `/api/join/${encodeURIComponent(spaced)}`);
      const info = expectStatus<JoinInfo>(response, 200);
      expect(info.workshop).toEqual({ id: a.id, title: a.title, state: 'open', language: 'nb' });
      expect(info.groups[0]!.participants.find((p) => p.name === 'Kari')).toEqual({ id: kari.participantId, name: 'Kari' });
      expect(response.body).not.toContain('Rødt');
      expect(response.body).not.toContain('FSK');
      expect(response.body).not.toContain('/p/');
    });

    it('[LIVE-3][JOIN-2] answers 404 for an unknown or malformed code and 409 for a workshop still in draft', async () => {
      expect((await call(null, 'GET', '/api/join/ZZZZZZ')).statusCode).toBe(404);
      expect((await call(null, 'GET', '/api/join/not-a-code!')).statusCode).toBe(404);
      const draft = await addPerson(await newWorkshop(), 0, 'Tidlig');
      const early = await call(null, 'GET', `/api/join/${draft.joinCode}`);
      expect(early.statusCode).toBe(409);
      expect(early.json().error.code).toBe('workshop_not_open');
      const joinEarly = await call(null, 'POST', '/api/join', { code: draft.joinCode, participantId: participantIn(draft, 'Tidlig').id });
      expect(joinEarly.json().error.code).toBe('workshop_not_open');
    });

    it('gives a session for the workshop: who, which group, which workshop, a CSRF token', async () => {
      const session = expectStatus<ParticipantSession>(await call(kari, 'GET', '/api/participant/session'), 200);
      expect(session).toEqual({
        participant: { id: kari.participantId, name: 'Kari', groupId: a.groups[0]!.id, groupName: 'Gruppe 1' },
        workshop: { id: a.id, title: a.title, state: 'open' },
        csrfToken: kari.headers['x-csrf-token'],
      });
    });

    it('hands a logged-in user who also joins their own CSRF token, since their session wins in that browser', async () => {
      await t.database.db.deleteFrom('name_claims').where('participant_id', '=', kari.participantId).execute(); // as if Kari's device had left
      const session = expectStatus<ParticipantSession>(
        await call(planner, 'POST', '/api/join', { code: a.joinCode, participantId: kari.participantId }),
        200,
      );
      expect(session.csrfToken).toBe(planner.headers['x-csrf-token']);
    });

    it('[LIVE-1] refuses a participant of another workshop with the code of this one', async () => {
      const response = await call(null, 'POST', '/api/join', { code: a.joinCode, participantId: ola.participantId });
      expect(response.statusCode).toBe(404);
    });

    it('joins with a personal link', async () => {
      const personal = participantIn(a, 'Kari').personalUrl.split('/p/')[1]!;
      const response = await call(null, 'POST', '/api/join/personal', { token: personal });
      const session = expectStatus<ParticipantSession>(response, 200);
      expect(session.participant.name).toBe('Kari');
      expect(response.cookies.some((c) => c.name === PARTICIPANT_COOKIE)).toBe(true);
      expect((await call(null, 'POST', '/api/join/personal', { token: 'x'.repeat(24) })).statusCode).toBe(404);
    });

    it('[LIVE-1][JOIN-3] answers 401 to a forged, tampered or cross-workshop cookie', async () => {
      const [version, participantId, workshopId, issuedAt, signature] = kari.cookieValue.split('.');
      const forged = [
        'v1.garbage',
        `${version}.${participantId}.${workshopId}.${issuedAt}.${'A'.repeat(43)}`,
        `${version}.${participantId}.${b.id}.${issuedAt}.${signature}`,
        `${version}.${ola.participantId}.${workshopId}.${issuedAt}.${signature}`,
        `${version}.${participantId}.${workshopId}.${Number(issuedAt) + 1}.${signature}`,
        // Signed with the real secret, but Kari is not a participant of workshop B.
        await signParticipantCookie(t.database.db, { participantId: kari.participantId, workshopId: b.id }),
        // Signed, but issued long ago.
        await signParticipantCookie(t.database.db, { participantId: kari.participantId, workshopId: a.id }, Math.floor(Date.now() / 1000) - 30 * 86_400),
      ];
      for (const value of forged) {
        const response = await call(cookieOnly(value), 'GET', '/api/participant/session');
        expect(response.statusCode, value).toBe(401);
      }
      // A forged cookie is no actor at all: it does not reach any workshop either.
      expect((await call(cookieOnly(forged[2]!), 'GET', `/api/workshops/${b.id}`)).statusCode).toBe(401);
    });

    it('[JOIN-3] keeps one signing secret in settings, shared by every process', async () => {
      const rows = await t.database.db.selectFrom('settings').selectAll().where('key', '=', 'cookie_secret').execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.value.length).toBeGreaterThanOrEqual(40);
    });

    it('[JOIN-2] lets no anonymised participant join, and ends their session', async () => {
      let workshop = await setState(await newWorkshop(), 'open');
      workshop = await addPerson(workshop, 0, 'Glemt');
      const glemt = await joinAs(workshop, 'Glemt');
      await t.database.db.updateTable('participants').set({ anonymised_at: new Date() }).where('id', '=', glemt.participantId).execute();
      const refused = await call(null, 'POST', '/api/join', { code: workshop.joinCode, participantId: glemt.participantId });
      expect(refused.statusCode).toBe(404);
      expect((await call(glemt, 'GET', '/api/participant/session')).statusCode).toBe(401);
      const info = expectStatus<JoinInfo>(await call(null, 'GET', `/api/join/${workshop.joinCode}`), 200);
      expect(info.groups[0]!.participants).toEqual([]);
    });

    it('leaves: the cookie is cleared', async () => {
      let workshop = await setState(await newWorkshop(), 'open');
      workshop = await addPerson(workshop, 0, 'Går');
      const leaving = await joinAs(workshop, 'Går');
      const response = await call(leaving, 'POST', '/api/participant/leave');
      expect(response.statusCode).toBe(204);
      const cleared = response.cookies.find((c) => c.name === PARTICIPANT_COOKIE)!;
      expect(cleared.value).toBe('');
    });
  });

  describe('QR code and the plenary link', () => {
    it('serves the join QR code as SVG to the workshop’s people and through the viewer token', async () => {
      const response = await call(planner, 'GET', `/api/workshops/${a.id}/join-qr.svg`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(response.body).toMatch(/^<svg/);
      const token = a.viewerUrl!.split('/').at(-1)!;
      const viaViewer = await call(null, 'GET', `/api/view/${token}/join-qr.svg`);
      expect(viaViewer.statusCode).toBe(200);
      expect(viaViewer.body).toBe(response.body);
      const info = expectStatus<ViewerInfo>(await call(null, 'GET', `/api/view/${token}`), 200);
      expect(info).toEqual({ workshopId: a.id, title: a.title, joinCode: a.joinCode, joinUrl: a.joinUrl });
      expect((await call(null, 'GET', `/api/view/${'x'.repeat(32)}`)).statusCode).toBe(404);
    });
  });

  describe('bad input', () => {
    it('names the field in a 400: empty title, budget -1, stars per item 0, a bad date', async () => {
      const cases: Array<[object, string]> = [
        [{ title: '   ' }, 'body.title'],
        [{ starBudget: -1 }, 'body.starBudget'],
        [{ starsPerItem: 0 }, 'body.starsPerItem'],
        [{ date: '2025-13-01' }, 'body.date'],
        [{ date: 'i morgen' }, 'body.date'],
        [{ groupCount: 51 }, 'body.groupCount'],
      ];
      for (const [body, path] of cases) {
        const response = await call(planner, 'POST', '/api/workshops', { planId: plan.id, title: 'Verksted', ...body });
        expect(response.statusCode, JSON.stringify(body)).toBe(400);
        expect(response.json().error.fields.map((f: { path: string }) => f.path)).toContain(path);
      }
      const patch = await call(planner, 'PATCH', `/api/workshops/${a.id}`, { starBudget: -1, date: 'snart', version: 1 });
      expect(patch.statusCode).toBe(400);
      expect(patch.json().error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['body.starBudget', 'body.date']));
      const state = await call(planner, 'POST', `/api/workshops/${a.id}/state`, { state: 'paused' });
      expect(state.json().error.fields[0].path).toBe('body.state');
      const poster = await call(planner, 'PATCH', `/api/workshops/${a.id}/posters/${a.posters[0]!.id}`, { instructions: 'x'.repeat(2001) });
      expect(poster.json().error.fields[0].path).toBe('body.instructions');
      const emptyName = await call(planner, 'POST', `/api/workshops/${a.id}/groups/${a.groups[0]!.id}/participants`, { name: ' ' });
      expect(emptyName.json().error.fields[0].path).toBe('body.name');
    });

    it('answers 400 for a workshop on an unknown plan', async () => {
      const response = await call(planner, 'POST', '/api/workshops', { planId: randomUUID(), title: 'Verksted' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.fields[0].path).toBe('planId');
    });

    it('answers 404 for unknown ids and 400 for malformed ones', async () => {
      const unknown = randomUUID();
      const requests: Array<[Method, string, object?]> = [
        ['GET', `/api/workshops/${unknown}`],
        ['PATCH', `/api/workshops/${unknown}`, { title: 'x', version: 1 }],
        ['POST', `/api/workshops/${unknown}/state`, { state: 'open' }],
        ['PATCH', `/api/workshops/${a.id}/posters/${unknown}`, { instructions: 'x' }],
        ['PATCH', `/api/workshops/${a.id}/groups/${unknown}`, { name: 'x' }],
        ['DELETE', `/api/workshops/${a.id}/groups/${unknown}`],
        ['POST', `/api/workshops/${a.id}/groups/${unknown}/participants`, { name: 'x' }],
        ['POST', `/api/workshops/${a.id}/groups/${unknown}/participants/paste`, { text: 'x' }],
        ['PATCH', `/api/workshops/${a.id}/participants/${unknown}`, { name: 'x' }],
        ['DELETE', `/api/workshops/${a.id}/participants/${unknown}`],
        ['GET', `/api/plans/${unknown}/workshops`],
        ['POST', '/api/join', { code: a.joinCode, participantId: unknown }],
        // A group of workshop B addressed through workshop A.
        ['PATCH', `/api/workshops/${a.id}/groups/${b.groups[0]!.id}`, { name: 'x' }],
      ];
      for (const [method, url, body] of requests) {
        const response = await call(planner, method, url, body);
        expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(404);
      }
      expect((await call(planner, 'GET', '/api/workshops/nope')).statusCode).toBe(400);
      expect((await call(null, 'POST', '/api/join', { code: a.joinCode, participantId: 'nope' })).statusCode).toBe(400);
    });

    it('stores markup in names as typed', async () => {
      const name = '<img src=x onerror=alert(1)>';
      const workshop = await addPerson(await newWorkshop(), 0, name);
      expect(workshop.groups[0]!.participants[0]!.name).toBe(name);
    });

    it('documents every endpoint in the OpenAPI description', async () => {
      const spec = expectStatus<{ paths: Record<string, unknown> }>(await call(null, 'GET', '/api/openapi.json'), 200);
      expect(Object.keys(spec.paths)).toEqual(
        expect.arrayContaining(['/api/workshops/{id}', '/api/join/{code}', '/api/participant/session', '/api/view/{viewerToken}/join-qr.svg']),
      );
    });
  });
});
