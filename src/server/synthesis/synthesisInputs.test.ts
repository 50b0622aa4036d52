import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consultation, Follow, Submission, SubmissionReceipt } from '../../contract/consultation.schema.js';
import type { Plan } from '../../contract/plans.schema.js';
import { overviewQuerySchema, type Overview } from '../../contract/synthesis.schema.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { multipartBody, pdfFile, type FormFile } from '../consultations/consultationFixture.js';
import { executeCommand } from '../live/commands.service.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { SearchCache } from './searchCache.js';
import { overview } from './synthesis.service.js';
import { recomputeThemes } from './themes.service.js';

describe.each(testDatabaseKinds)('høring inputs in the workshop synthesis on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let facilitator: TestUser;
  let fixture: WorkshopFixture;
  let named: Consultation;
  let anonymous: Consultation;
  const receipts: Record<string, SubmissionReceipt> = {};
  const parts: Submission[] = [];

  const call = (user: TestUser | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user?.headers, payload });
  const synthesis = async (query: Record<string, string | number> = {}) =>
    expectStatus<Overview>(await call(planner, 'GET', `/api/workshops/${fixture.workshopId}/synthesis?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`), 200);
  const inputsOf = (result: Overview, itemId: string) => result.items.find((item) => item.id === itemId)?.inputs.map((input) => input.text) ?? [];

  async function submit(key: string, consultation: Consultation, text: string, itemIds: string[], publish = true, files: FormFile[] = []) {
    const { payload, headers } = multipartBody({ name: 'Kari Nordmann', email: 'kari@example.no', organisation: 'Bondelaget', role: 'organisation', itemIds, text }, files);
    receipts[key] = expectStatus<SubmissionReceipt>(await t.app.inject({ method: 'POST', url: `/api/consultations/${consultation.id}/submissions`, payload, headers }), 201);
    if (publish) expectStatus(await call(planner, 'POST', `/api/submissions/${receipts[key]!.id}/publish`, { version: 1 }), 200);
  }

  beforeAll(async () => {
    t = await createTestApp(kind, { submissionsPerHour: 10_000 });
    planner = await t.user('planner');
    facilitator = await t.user('facilitator');
    fixture = await createWorkshopFixture(t.database.db);
    const [d1, d2] = fixture.subGoalIds;
    const stein = fixture.groups[0]!.participants[0]!.actor;
    await executeCommand(t.database.db, new WriteRateLimiter(1000, 1000), stein, fixture.workshopId, randomUUID(), {
      type: 'note.create',
      noteId: randomUUID(),
      posterId: fixture.goalsPosterId,
      itemIds: [d1!],
      kind: 'comment',
      text: 'Jordvern må inn som eget delmål',
    });
    named = expectStatus<Consultation>(await call(planner, 'POST', `/api/plans/${fixture.planId}/consultations`, { title: 'Høring av samfunnsdelen' }), 201);
    anonymous = expectStatus<Consultation>(await call(planner, 'POST', `/api/plans/${fixture.planId}/consultations`, { title: 'Ungdomshøringen', publication: 'anonymous' }), 201);
    await submit('matjord', named, 'Matjorda må vernes mot nedbygging', [d1!], true, [{ name: 'jordvern-Kari.pdf', content: pdfFile() }]);
    await submit('pending', named, 'Ikke behandlet ennå om jordvern', [d1!], false);
    await submit('hidden', named, 'Skjult jordvern-innspill', [d1!]);
    expectStatus(await call(planner, 'POST', `/api/submissions/${receipts.hidden!.id}/hide`, { version: 2, reason: 'Personopplysninger' }), 200);
    await submit('letter', named, 'Et langt brev om to ting', [d1!]);
    const split = expectStatus<Submission[]>(
      await call(planner, 'POST', `/api/submissions/${receipts.letter!.id}/split`, {
        version: 2,
        parts: [
          { text: 'Brevets del om dyrket mark', itemIds: [d1!] },
          { text: 'Brevets del om boliger', itemIds: [d2!] },
        ],
      }),
      200,
    );
    parts.push(...split.filter((s) => s.splitFrom));
    await submit('boliger', anonymous, 'Flere boliger for unge voksne', [d2!]);
    await submit('general', named, 'Planen bør ha et eget kapittel om kultur', []);
  });
  afterAll(() => t?.close());

  it('[CONS-20] shows published høring inputs and split parts beside the lapper of each item, with their source, and never an e-mail address', async () => {
    const [d1, d2] = fixture.subGoalIds;
    const result = await synthesis();
    const item1 = result.items.find((item) => item.id === d1)!;
    expect(item1.notes.map((note) => note.text)).toEqual(['Jordvern må inn som eget delmål']);
    expect(inputsOf(result, d1!)).toEqual(['Matjorda må vernes mot nedbygging', 'Brevets del om dyrket mark']);
    expect(item1.inputCount).toBe(2);
    expect(inputsOf(result, d2!)).toEqual(['Brevets del om boliger', 'Flere boliger for unge voksne']);
    const matjord = item1.inputs[0]!;
    expect(matjord).toMatchObject({ consultation: { id: named.id, title: 'Høring av samfunnsdelen' }, reference: receipts.matjord!.reference, submitter: 'Kari Nordmann (Bondelaget)', role: 'organisation' });
    expect(matjord.attachments.map((attachment) => attachment.name)).toEqual(['jordvern-Kari.pdf']);
    expect(result.items.find((item) => item.id === d2)!.inputs[1]!.submitter).toBeNull();
    expect(result.generalInputs.inputs.map((input) => input.text)).toEqual(['Planen bør ha et eget kapittel om kultur']);
    expect(result.matchingInputs).toBe(5);
    expect(result.facets.consultations.map((c) => c.title)).toEqual(['Høring av samfunnsdelen', 'Ungdomshøringen']);
    expect(JSON.stringify(result)).not.toContain('kari@example.no');
    expect(JSON.stringify(result)).not.toContain('Skjult');
    expect(JSON.stringify(result)).not.toContain('Ikke behandlet');
  });

  it('[CONS-20] filters by source: this workshop, one consultation, or all; an unknown source is 400 naming it', async () => {
    const [d1] = fixture.subGoalIds;
    const workshopOnly = await synthesis({ source: 'workshop' });
    expect(workshopOnly.items.flatMap((item) => item.inputs)).toEqual([]);
    expect(workshopOnly.matchingInputs).toBe(0);
    expect(workshopOnly.items.map((item) => item.id)).toEqual([d1]);
    const one = await synthesis({ source: `consultation:${anonymous.id}` });
    expect(one.matchingNotes).toBe(0);
    expect(one.items.flatMap((item) => item.notes)).toEqual([]);
    expect(one.items.flatMap((item) => item.inputs.map((input) => input.text))).toEqual(['Flere boliger for unge voksne']);
    expect(one.generalInputs.inputCount).toBe(0);
    for (const source of [`consultation:${randomUUID()}`, 'alle', 'consultation:42']) {
      const refused = await call(planner, 'GET', `/api/workshops/${fixture.workshopId}/synthesis?source=${source}`);
      expect(refused.statusCode, source).toBe(400);
      expect(refused.json().error.message).toContain('source');
    }
  });

  it('[CONS-20] pages the inputs per item like the lapper: notesPerItem shown, inputCount tells how many match', async () => {
    const [d1] = fixture.subGoalIds;
    const result = await synthesis({ notesPerItem: 1 });
    const item = result.items.find((entry) => entry.id === d1)!;
    expect(item.inputs).toHaveLength(1);
    expect(item.inputCount).toBe(2);
  });

  it('[CONS-21] search finds høring inputs with the lapper’s Norwegian stemming ("bolig" finds "boliger"), and workshop-only filters leave them out', async () => {
    const result = await synthesis({ q: 'bolig' });
    expect(result.items.flatMap((item) => item.inputs.map((input) => input.text))).toEqual(['Brevets del om boliger', 'Flere boliger for unge voksne']);
    expect(result.matchingNotes).toBe(0);
    const jord = await synthesis({ q: 'matjord' });
    expect(jord.items.flatMap((item) => item.inputs.map((input) => input.text))).toEqual(['Matjorda må vernes mot nedbygging']);
    const byGroup = await synthesis({ groupId: fixture.groups[0]!.id });
    expect(byGroup.matchingInputs).toBe(0);
  });

  it('[CONS-21] themes are computed from the lapper and the published høring inputs, and a theme filter finds both', async () => {
    const summary = await recomputeThemes(fixture.planner.actor, fixture.workshopId, t.database.db);
    expect(summary.themes.reduce((sum, theme) => sum + theme.inputCount, 0)).toBe(5);
    expect(summary.themes.reduce((sum, theme) => sum + theme.noteCount, 0)).toBe(1);
    const result = await synthesis();
    const input = result.items.flatMap((item) => item.inputs).find((entry) => entry.text === 'Flere boliger for unge voksne')!;
    expect(input.theme).not.toBeNull();
    expect(result.facets.themes.find((theme) => theme.key === input.theme!.key)!.inputCount).toBeGreaterThan(0);
    const inTheme = await synthesis({ themeKey: input.theme!.key });
    expect(inTheme.items.flatMap((item) => item.inputs.map((entry) => entry.id))).toContain(input.id);
    expect(inTheme.items.flatMap((item) => item.inputs).every((entry) => entry.theme?.key === input.theme!.key)).toBe(true);
  });

  it('[CONS-22] a planner assesses a høring input from the synthesis, links it to a revision, and its follow link shows both', async () => {
    const [d1] = fixture.subGoalIds;
    const input = (await synthesis()).items.find((item) => item.id === d1)!.inputs[0]!;
    expect((await call(facilitator, 'PUT', `/api/submissions/${input.id}/assessment`, { status: 'accepted', justification: 'x', version: 0 })).statusCode).toBe(403);
    expect((await call(planner, 'PUT', `/api/submissions/${input.id}/assessment`, { status: 'kanskje', justification: 'x', version: 0 })).statusCode).toBe(400);
    expectStatus(await call(planner, 'PUT', `/api/submissions/${input.id}/assessment`, { status: 'accepted', justification: 'Jordvern blir eget delmål', version: 0 }), 200);
    const assessed = await synthesis({ status: 'accepted' });
    expect(assessed.items.flatMap((item) => item.inputs)).toMatchObject([{ id: input.id, assessment: { status: 'accepted', justification: 'Jordvern blir eget delmål', assessedBy: expect.any(String) } }]);
    expect((await synthesis({ status: 'unassessed' })).matchingInputs).toBe(4);

    const plan = expectStatus<Plan>(await call(planner, 'GET', `/api/plans/${fixture.planId}`), 200);
    const item = plan.perspectives.flatMap((p) => p.items).find((entry) => entry.id === d1)!;
    expectStatus(await call(planner, 'PATCH', `/api/items/${d1}`, { text: 'Jordvernet styrkes', version: item.version, noteIds: [], submissionIds: [input.id] }), 200);
    const followed = expectStatus<Follow>(await call(null, 'GET', `/api/follow/${receipts.matjord!.followUrl.split('/follow/')[1]}`), 200);
    expect(followed.parts[0]).toMatchObject({ assessment: { status: 'accepted', justification: 'Jordvern blir eget delmål' }, revisions: [{ itemId: d1, after: 'Jordvernet styrkes' }] });
  });

  it('[CONS-23] the synthesis audience sees the inputs: 401 without a session, 403 to participants and other workshops’ facilitators, read-only to its facilitator', async () => {
    const search = new SearchCache();
    const query = overviewQuerySchema.parse({});
    expect((await call(null, 'GET', `/api/workshops/${fixture.workshopId}/synthesis`)).statusCode).toBe(401);
    await expect(overview(fixture.groups[0]!.participants[0]!.actor, fixture.workshopId, query, t.database.db, search)).rejects.toMatchObject({ code: 'forbidden' });
    const other = await createWorkshopFixture(t.database.db);
    await expect(overview(other.facilitator.actor, fixture.workshopId, query, t.database.db, search)).rejects.toMatchObject({ code: 'forbidden' });
    const own = await overview(fixture.facilitator.actor, fixture.workshopId, query, t.database.db, search);
    expect(own.matchingInputs).toBe(5);
    expect(JSON.stringify(own)).not.toContain('kari@example.no');
    // [CONS-15] Attachments are the planners': not even their names reach a facilitator.
    expect(JSON.stringify(own)).not.toContain('jordvern-Kari.pdf');
  });

  it('[CONS-22] two planners assessing the same høring input: the stale one gets 409 with the assessment as it is now, never overwrites it', async () => {
    const second = await t.user('planner', 'Andre planlegger');
    const url = `/api/submissions/${receipts.boliger!.id}/assessment`;
    const shown = () => (synthesis().then((result) => result.items.flatMap((item) => item.inputs).find((input) => input.id === receipts.boliger!.id)!));
    expect((await shown()).assessment).toBeNull();
    // The version is required: a client that sends none cannot overwrite blindly.
    expect((await call(planner, 'PUT', url, { status: 'accepted', justification: 'Uten versjon' })).statusCode).toBe(400);

    // Both saw no assessment (version 0) and save at the same time: one is stored, the other refused.
    const answers = await Promise.all([
      call(planner, 'PUT', url, { status: 'accepted', justification: 'Boliger for unge blir strategi', version: 0 }),
      call(second, 'PUT', url, { status: 'rejected', justification: 'Dekket av delmål 2', version: 0 }),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409]);
    const won = answers.find((answer) => answer.statusCode === 200)!.json<Submission>();
    const refused = answers.find((answer) => answer.statusCode === 409)!.json<{ error: { code: string; current: unknown } }>();
    expect(refused.error).toMatchObject({ code: 'version_conflict', current: { status: won.assessment!.status, justification: won.assessment!.justification, version: 1 } });
    expect(won.assessment).toMatchObject({ version: 1 });
    expect((await shown()).assessment).toMatchObject({ status: won.assessment!.status, justification: won.assessment!.justification, version: 1 });

    // Keeping one's own after seeing the other's: the version seen is now 1.
    const kept = expectStatus<Submission>(await call(second, 'PUT', url, { status: 'partly', justification: 'Delvis, se strategi 3', version: 1 }), 200);
    expect(kept.assessment).toMatchObject({ status: 'partly', version: 2 });
    const stale = await call(planner, 'PUT', url, { status: 'accepted', justification: 'Gammel', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect((await shown()).assessment).toMatchObject({ status: 'partly', justification: 'Delvis, se strategi 3', version: 2 });
  });
});
