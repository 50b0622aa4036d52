import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../contract/plans.schema.js';
import type { JoinInfo, Workshop } from '../../contract/workshops.schema.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';

describe.each(testDatabaseKinds)('a workshop\'s language on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let workshop: Workshop;
  const call = (caller: TestUser | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: caller?.headers, payload });

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    const plan = expectStatus<Plan>(await call(planner, 'POST', '/api/plans', { title: 'Samfunnsdelen', municipality: 'Voss', horizonYear: 2040 }), 201);
    workshop = expectStatus<Workshop>(await call(planner, 'POST', '/api/workshops', { planId: plan.id, title: 'Verkstad' }), 201);
    workshop = expectStatus<Workshop>(await call(planner, 'POST', `/api/workshops/${workshop.id}/state`, { state: 'open' }), 200);
  });
  afterAll(() => t.close());

  it('[I18N-3] is bokmål unless the planner chooses another', () => {
    expect(workshop.language).toBe('nb');
  });

  it('[I18N-3] a planner sets nynorsk: a settings write through the live append, and the join page shows it', async () => {
    const lastSeq = async () =>
      Number((await t.database.db.selectFrom('events').select(({ fn }) => fn.max('seq').as('seq')).where('workshop_id', '=', workshop.id).executeTakeFirstOrThrow()).seq ?? 0);
    const before = await lastSeq();
    workshop = expectStatus<Workshop>(await call(planner, 'PATCH', `/api/workshops/${workshop.id}`, { language: 'nn', version: workshop.version }), 200);
    expect(workshop.language).toBe('nn');
    const events = await t.database.db.selectFrom('events').selectAll().where('workshop_id', '=', workshop.id).where('seq', '>', before).execute();
    expect(events.map((event) => [event.type, (event.payload as { reason?: string }).reason])).toEqual([['board.changed', 'settings']]);
    expect(await lastSeq()).toBe(before + 1);
    const info = expectStatus<JoinInfo>(await call(null, 'GET', `/api/join/${workshop.joinCode}`), 200);
    expect(info.workshop.language).toBe('nn');
  });

  it('[I18N-3] a workshop created in nynorsk gets its posters\' texts in nynorsk', async () => {
    const plan = expectStatus<Plan>(await call(planner, 'POST', '/api/plans', { title: 'Plan', municipality: 'Voss', horizonYear: 2040 }), 201);
    expectStatus(await call(planner, 'POST', `/api/plans/${plan.id}/perspectives`, { title: 'Sosial berekraft', mainGoal: 'Gode liv' }), 200);
    const created = expectStatus<Workshop>(await call(planner, 'POST', '/api/workshops', { planId: plan.id, title: 'Verkstad', language: 'nn' }), 201);
    expect(created.posters.map((poster) => poster.boxPrompt)).toEqual([
      'Er det delmål du saknar? Eller har du generelle innspel til delmåla?',
      'Er det noko du vil leggje til? Eller har du generelle innspel til strategiane?',
    ]);
  });

  it('[I18N-3] refuses a language the app does not speak, naming the field', async () => {
    const response = await call(planner, 'PATCH', `/api/workshops/${workshop.id}`, { language: 'sv', version: workshop.version });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { code: 'validation_failed' } });
    expect(response.body).toContain('language');
  });

  it('[I18N-3] only planners change it', async () => {
    const facilitator = await t.user('facilitator');
    expect((await call(facilitator, 'PATCH', `/api/workshops/${workshop.id}`, { language: 'en', version: workshop.version })).statusCode).toBe(403);
    expect((await call(null, 'PATCH', `/api/workshops/${workshop.id}`, { language: 'en', version: workshop.version })).statusCode).toBe(401);
  });
});
