import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consultation, SubmissionReceipt } from '../../src/contract/consultation.schema.js';
import { WriteRateLimiter } from '../../src/domain/rateLimit.js';
import { SESSION_COOKIE } from '../../src/server/auth/auth.routes.js';
import { createUser, startSession } from '../../src/server/auth/auth.service.js';
import { multipartBody } from '../../src/server/consultations/consultationFixture.js';
import { executeCommand } from '../../src/server/live/commands.service.js';
import { expectStatus } from '../../src/server/testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../../src/server/testing/workshopFixture.js';
import { expectAccessible, launchBrowser, screenshot, skipE2E, startServer, type RunningServer } from './harness.js';

const PLANNER = { email: 'pia@baerum.kommune.no', password: 'et langt passord', name: 'Pia Planlegger' };
const LAPP = 'Jordvern må inn som eget delmål';
const INPUT = 'Matjorda må vernes mot nedbygging, også ved nye boligfelt.';
const OTHER_INPUT = 'Flere møteplasser for ungdom';

const inputTexts = (page: Page) => page.locator('.syn-main li.syn-input .syn-note-text').allTextContents();
const lappTexts = (page: Page) => page.locator('.syn-main li.syn-note:not(.syn-input) .syn-note-text').allTextContents();

describe.skipIf(skipE2E)('høring inputs in the workshop synthesis, in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let fixture: WorkshopFixture;
  let consultation: Consultation;
  let receipt: SubmissionReceipt;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const db = server.database.db;
    fixture = await createWorkshopFixture(db);
    const user = await createUser(db, { ...PLANNER, role: 'planner' });
    const { session, token } = await startSession(db, user);
    const headers = { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': session.csrfToken };
    const [d1, d2] = fixture.subGoalIds;
    await executeCommand(db, new WriteRateLimiter(100, 100), fixture.groups[0]!.participants[0]!.actor, fixture.workshopId, randomUUID(), {
      type: 'note.create',
      noteId: randomUUID(),
      posterId: fixture.goalsPosterId,
      itemIds: [d1!],
      kind: 'comment',
      text: LAPP,
    });
    consultation = expectStatus<Consultation>(
      await server.app.inject({ method: 'POST', url: `/api/plans/${fixture.planId}/consultations`, headers, payload: { title: 'Høring av samfunnsdelen' } }),
      201,
    );
    const submit = async (text: string, itemId: string) => {
      const form = multipartBody({ name: 'Bondelaget i Bærum', email: 'post@bondelaget.example', role: 'organisation', itemIds: [itemId], text });
      const sent = expectStatus<SubmissionReceipt>(
        await server.app.inject({ method: 'POST', url: `/api/consultations/${consultation.id}/submissions`, payload: form.payload, headers: form.headers }),
        201,
      );
      expectStatus(await server.app.inject({ method: 'POST', url: `/api/submissions/${sent.id}/publish`, headers, payload: { version: 1 } }), 200);
      return sent;
    };
    receipt = await submit(INPUT, d1!);
    await submit(OTHER_INPUT, d2!);
    page = await (await browser.newContext({ locale: 'nb-NO', viewport: { width: 1280, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('[CONS-20] [CONS-22] a planner sees høring inputs beside the lapper, filters by source, assesses one, links it to a revision, and the follow link shows both', async () => {
    await page.goto(`${server.url}/login`);
    await page.getByLabel('E-post').fill(PLANNER.email);
    await page.getByLabel('Passord').fill(PLANNER.password);
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('heading', { level: 1, name: 'Planer' }).waitFor();

    await page.goto(`${server.url}/workshops/${fixture.workshopId}/synthesis`);
    await page.getByRole('heading', { level: 1, name: 'Syntese: Politisk verksted' }).waitFor();
    await expect.poll(() => inputTexts(page)).toEqual([INPUT, OTHER_INPUT]);
    expect(await lappTexts(page)).toEqual([LAPP]);
    const input = page.locator('li.syn-input', { hasText: INPUT });
    expect(await input.locator('.syn-note-head').textContent()).toContain(`Høringsinnspill ${receipt.reference}`);
    expect(await input.locator('.syn-note-head').textContent()).toContain('Høringen «Høring av samfunnsdelen»');
    expect(await page.content()).not.toContain('post@bondelaget.example');
    await expectAccessible(page, 'synthesis with høring inputs');
    await screenshot(page, 'synthesis-inputs-1280');
    await page.setViewportSize({ width: 320, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(page, 'synthesis-inputs-320');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Source: this workshop's lapper only, then this consultation only.
    await page.getByLabel('Kilde', { exact: true }).selectOption({ label: 'Dette verkstedets lapper' });
    await expect.poll(() => new URL(page.url()).searchParams.get('source')).toBe('workshop');
    await expect.poll(() => inputTexts(page)).toEqual([]);
    expect(await lappTexts(page)).toEqual([LAPP]);
    await page.getByLabel('Kilde', { exact: true }).selectOption({ label: 'Høringen «Høring av samfunnsdelen»' });
    await expect.poll(() => lappTexts(page)).toEqual([]);
    await expect.poll(() => inputTexts(page)).toEqual([INPUT, OTHER_INPUT]);

    // Search finds the input by a stem ("matjord" in "Matjorda").
    await page.getByLabel('Søk i lappene og høringsinnspillene').fill('matjord');
    await page.getByLabel('Søk i lappene og høringsinnspillene').press('Enter');
    await expect.poll(() => inputTexts(page)).toEqual([INPUT]);

    // The same status select and justification as a lapp's.
    const form = page.getByRole('group', { name: `Vurdering av høringsinnspill ${receipt.reference}` });
    await form.getByLabel('Vurdering', { exact: true }).selectOption({ label: 'Tatt til følge' });
    await form.getByLabel('Begrunnelse').fill('Jordvern blir eget delmål.');
    await form.getByRole('button', { name: 'Lagre vurdering' }).click();
    await page.locator('li.syn-input', { hasText: INPUT }).getByText('Vurdert: Tatt til følge', { exact: false }).waitFor();

    // A revision of Delmål 1 linked to the input.
    const item = page.locator('li.syn-item', { has: page.getByRole('heading', { level: 3, name: 'Delmål 1', exact: true }) });
    await item.getByRole('button', { name: 'Revider teksten: Delmål 1' }).click();
    await item.getByLabel('Ny tekst').fill('Jordvernet styrkes, og matjorda vernes mot nedbygging');
    await item.getByRole('group', { name: 'Høringsinnspill som begrunner endringen' }).getByRole('checkbox').check();
    await expectAccessible(page, 'revision form with høring inputs');
    await item.getByRole('button', { name: 'Lagre revisjonen' }).click();
    await item.getByText('Jordvernet styrkes, og matjorda vernes mot nedbygging', { exact: true }).first().waitFor();

    // The submitter's follow link shows the assessment and the change it led to.
    await page.goto(`${server.url}/follow/${receipt.followUrl.split('/follow/')[1]}`);
    await page.getByText('Jordvern blir eget delmål.', { exact: false }).waitFor();
    expect(await page.locator('.cons-parts').textContent()).toContain('Tatt til følge');
    await page.locator('.cons-change ins', { hasText: 'styrkes' }).first().waitFor();
  });
});
