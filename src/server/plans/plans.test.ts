import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import type { Plan, Revision } from '../../contract/plans.schema.js';

describe.each(testDatabaseKinds)('plans API on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let facilitator: TestUser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    facilitator = await t.user('facilitator');
  });
  afterAll(() => t?.close());

  const call = (user: TestUser | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user?.headers, payload });

  async function newPlan(): Promise<Plan> {
    return expectStatus<Plan>(
      await call(planner, 'POST', '/api/plans', { title: 'Kommuneplanens samfunnsdel', municipality: 'Bærum', horizonYear: 2040 }),
      201,
    );
  }

  async function planWithPerspective() {
    const plan = await newPlan();
    const withPerspective = expectStatus<Plan>(
      await call(planner, 'POST', `/api/plans/${plan.id}/perspectives`, {
        title: 'Sosial bærekraft',
        mainGoal: 'I Bærum har alle mulighet for et godt liv',
      }),
      200,
    );
    const perspective = withPerspective.perspectives[0]!;
    let latest = withPerspective;
    for (const text of ['Delmål A', 'Delmål B', 'Delmål C']) {
      latest = expectStatus<Plan>(await call(planner, 'POST', `/api/perspectives/${perspective.id}/items`, { kind: 'sub_goal', text }), 200);
    }
    return { plan: latest, perspective: latest.perspectives[0]! };
  }

  describe('access', () => {
    it('answers 401 to plan requests without a session', async () => {
      expect((await call(null, 'GET', '/api/plans')).statusCode).toBe(401);
      expect((await call(null, 'POST', '/api/plans', { title: 'x', municipality: 'y', horizonYear: 2040 })).statusCode).toBe(401);
    });

    it('answers 403 when a facilitator tries to change a plan, but lets them read it', async () => {
      const plan = await newPlan();
      const refused = await call(facilitator, 'PATCH', `/api/plans/${plan.id}`, { title: 'Endret', version: plan.version });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('forbidden');
      expect((await call(facilitator, 'GET', `/api/plans/${plan.id}`)).statusCode).toBe(200);
    });

    it('refuses a state-changing request whose CSRF token is missing', async () => {
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/plans',
        headers: { cookie: planner.headers.cookie! },
        payload: { title: 'x', municipality: 'y', horizonYear: 2040 },
      });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('csrf_failed');
    });
  });

  describe('the plan model', () => {
    it('[PLAN-1] numbers items by position within their kind and renumbers after a move', async () => {
      const { perspective } = await planWithPerspective();
      const subGoals = perspective.items.filter((item) => item.kind === 'sub_goal');
      expect(subGoals.map((item) => [item.number, item.text])).toEqual([
        [1, 'Delmål A'],
        [2, 'Delmål B'],
        [3, 'Delmål C'],
      ]);
      const moved = expectStatus<Plan>(await call(planner, 'POST', `/api/items/${subGoals[2]!.id}/move`, { position: 0 }), 200);
      const after = moved.perspectives[0]!.items.filter((item) => item.kind === 'sub_goal');
      expect(after.map((item) => [item.number, item.text])).toEqual([
        [1, 'Delmål C'],
        [2, 'Delmål A'],
        [3, 'Delmål B'],
      ]);
    });

    it('[PLAN-2] gives every perspective exactly one hovedmål that cannot be deleted', async () => {
      const { perspective } = await planWithPerspective();
      const mainGoals = perspective.items.filter((item) => item.kind === 'main_goal');
      expect(mainGoals).toHaveLength(1);
      const refused = await call(planner, 'DELETE', `/api/items/${mainGoals[0]!.id}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('last_main_goal');
    });

    it('reorders perspectives', async () => {
      const plan = await newPlan();
      for (const title of ['Økonomisk', 'Sosial', 'Klima']) {
        await call(planner, 'POST', `/api/plans/${plan.id}/perspectives`, { title, mainGoal: `Hovedmål ${title}` });
      }
      const before = expectStatus<Plan>(await call(planner, 'GET', `/api/plans/${plan.id}`), 200);
      const klima = before.perspectives.find((p) => p.title === 'Klima')!;
      const after = expectStatus<Plan>(await call(planner, 'POST', `/api/perspectives/${klima.id}/move`, { position: 0 }), 200);
      expect(after.perspectives.map((p) => p.title)).toEqual(['Klima', 'Økonomisk', 'Sosial']);
    });

    it('stores a retried create with the same id once', async () => {
      const id = randomUUID();
      const body = { id, title: 'Én gang', municipality: 'Asker', horizonYear: 2036 };
      expectStatus(await call(planner, 'POST', '/api/plans', body), 201);
      expectStatus(await call(planner, 'POST', '/api/plans', body), 201);
      const plans = expectStatus<Array<{ id: string }>>(await call(planner, 'GET', '/api/plans'), 200);
      expect(plans.filter((plan) => plan.id === id)).toHaveLength(1);
    });
  });

  describe('revisions', () => {
    it('[PLAN-3] records an edit with who, when, before and after, and shows a word diff', async () => {
      const { perspective } = await planWithPerspective();
      const item = perspective.items.find((i) => i.text === 'Delmål B')!;
      expectStatus(await call(planner, 'PATCH', `/api/items/${item.id}`, { text: 'Delmål B for alle', version: item.version }), 200);
      const revisions = expectStatus<Revision[]>(await call(planner, 'GET', `/api/items/${item.id}/revisions`), 200);
      const edit = revisions.find((r) => r.action === 'edited')!;
      expect(edit).toMatchObject({ beforeText: 'Delmål B', afterText: 'Delmål B for alle', author: { name: 'Planlegger' } });
      expect(edit.diff.filter((s) => s.type === 'added').map((s) => s.text).join('')).toBe(' for alle');
      expect(revisions.at(-1)!.action).toBe('created');
    });

    it('[PLAN-4] answers the second of two edits made from the same version with 409 and the current text', async () => {
      const { perspective } = await planWithPerspective();
      const item = perspective.items.find((i) => i.text === 'Delmål A')!;
      expectStatus(await call(planner, 'PATCH', `/api/items/${item.id}`, { text: 'Første versjon', version: item.version }), 200);
      const second = await call(planner, 'PATCH', `/api/items/${item.id}`, { text: 'Andre versjon', version: item.version });
      expect(second.statusCode).toBe(409);
      expect(second.json().error).toMatchObject({ code: 'version_conflict', current: { text: 'Første versjon', version: 2 } });
      const plan = expectStatus<Plan>(await call(planner, 'GET', `/api/plans/${perspective.planId}`), 200);
      expect(plan.perspectives[0]!.items.find((i) => i.id === item.id)!.text).toBe('Første versjon');
    });
  });

  describe('items with input', () => {
    it('[PLAN-5] refuses to delete an item a lapp points at, but archives it and keeps the input', async () => {
      const { plan, perspective } = await planWithPerspective();
      const item = perspective.items.find((i) => i.text === 'Delmål A')!;
      await attachNote(t, plan.id, perspective.id, item.id);
      const refused = await call(planner, 'DELETE', `/api/items/${item.id}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('item_has_input');
      const archived = expectStatus<Plan>(await call(planner, 'POST', `/api/items/${item.id}/archive`), 200);
      const subGoals = archived.perspectives[0]!.items.filter((i) => i.kind === 'sub_goal');
      expect(subGoals.find((i) => i.id === item.id)).toMatchObject({ archived: true, number: null, hasInput: true });
      expect(subGoals.filter((i) => !i.archived).map((i) => i.number)).toEqual([1, 2]);
    });

    it('deletes an item without input and renumbers the rest', async () => {
      const { perspective } = await planWithPerspective();
      const item = perspective.items.find((i) => i.text === 'Delmål A')!;
      const after = expectStatus<Plan>(await call(planner, 'DELETE', `/api/items/${item.id}`), 200);
      expect(after.perspectives[0]!.items.filter((i) => i.kind === 'sub_goal').map((i) => [i.number, i.text])).toEqual([
        [1, 'Delmål B'],
        [2, 'Delmål C'],
      ]);
    });
  });

  describe('bad input', () => {
    it('names the field and the problem in a 400', async () => {
      const response = await call(planner, 'POST', '/api/plans', { title: '', municipality: 'Bærum', horizonYear: 'snart' });
      expect(response.statusCode).toBe(400);
      const paths = response.json().error.fields.map((f: { path: string }) => f.path);
      expect(paths).toEqual(expect.arrayContaining(['body.title', 'body.horizonYear']));
    });

    it('refuses an item text over 1,000 characters and a blank one', async () => {
      const { perspective } = await planWithPerspective();
      const long = await call(planner, 'POST', `/api/perspectives/${perspective.id}/items`, { kind: 'strategy', text: 'x'.repeat(1001) });
      expect(long.statusCode).toBe(400);
      const blank = await call(planner, 'POST', `/api/perspectives/${perspective.id}/items`, { kind: 'strategy', text: '   ' });
      expect(blank.statusCode).toBe(400);
      expect(blank.json().error.fields[0].path).toBe('body.text');
    });

    it('stores markup as typed text', async () => {
      const { perspective } = await planWithPerspective();
      const text = '<img src=x onerror=alert(1)> & "sitat"';
      const plan = expectStatus<Plan>(await call(planner, 'POST', `/api/perspectives/${perspective.id}/items`, { kind: 'strategy', text }), 200);
      expect(plan.perspectives[0]!.items.some((item) => item.text === text)).toBe(true);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expect((await call(planner, 'GET', `/api/plans/${randomUUID()}`)).statusCode).toBe(404);
      expect((await call(planner, 'GET', '/api/plans/not-a-uuid')).statusCode).toBe(400);
      expect((await call(planner, 'GET', '/api/no-such-route')).statusCode).toBe(404);
    });

    it('never answers 500 to no body, a wrong content type or a megabyte of junk', async () => {
      const noBody = await t.app.inject({ method: 'POST', url: '/api/plans', headers: planner.headers });
      expect(noBody.statusCode).toBe(400);
      const wrongType = await t.app.inject({
        method: 'POST',
        url: '/api/plans',
        headers: { ...planner.headers, 'content-type': 'text/plain' },
        payload: 'title=x',
      });
      expect(wrongType.statusCode).toBeGreaterThanOrEqual(400);
      expect(wrongType.statusCode).toBeLessThan(500);
      const junk = await t.app.inject({
        method: 'POST',
        url: '/api/plans',
        headers: { ...planner.headers, 'content-type': 'application/json' },
        payload: '{'.repeat(1_100_000),
      });
      expect(junk.statusCode).toBe(413);
      const badJson = await t.app.inject({
        method: 'POST',
        url: '/api/plans',
        headers: { ...planner.headers, 'content-type': 'application/json' },
        payload: '{"title": ',
      });
      expect(badJson.statusCode).toBe(400);
    });
  });
});

/** Test setup: a workshop with one lapp on the item, written straight to the database. */
async function attachNote(t: TestApp, planId: string, perspectiveId: string, itemId: string): Promise<void> {
  const db = t.database.db;
  const workshopId = randomUUID();
  const posterId = randomUUID();
  const groupId = randomUUID();
  const noteId = randomUUID();
  await db
    .insertInto('workshops')
    .values({ id: workshopId, plan_id: planId, title: 'Verksted', join_code: randomUUID().slice(0, 8), viewer_token: randomUUID() })
    .execute();
  await db.insertInto('posters').values({ id: posterId, workshop_id: workshopId, perspective_id: perspectiveId, part: 'goals', position: 0 }).execute();
  await db.insertInto('groups').values({ id: groupId, workshop_id: workshopId, name: 'Gruppe 1', position: 0, facilitator_user_id: null, timer_ends_at: null }).execute();
  await db
    .insertInto('notes')
    .values({
      id: noteId,
      workshop_id: workshopId,
      poster_id: posterId,
      group_id: groupId,
      author_participant_id: null,
      author_user_id: null,
      author_name: 'Signe',
      written_by_user_id: null,
      kind: 'comment',
      text: 'Bør presiseres',
      proposed_item_kind: null,
      reply_to_note_id: null,
      withdrawn_at: null,
    })
    .execute();
  await db.insertInto('note_items').values({ note_id: noteId, item_id: itemId }).execute();
}
