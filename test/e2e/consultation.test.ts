import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/server/auth/auth.routes.js';
import { createUser, startSession } from '../../src/server/auth/auth.service.js';
import type { Consultation } from '../../src/contract/consultation.schema.js';
import { pdfFile, planForConsultation } from '../../src/server/consultations/consultationFixture.js';
import { expectStatus, type TestApp } from '../../src/server/testing/testApp.js';
import { expectAccessible, launchBrowser, screenshot, skipE2E, startServer, type RunningServer } from './harness.js';

const hasSoffice = spawnSync('soffice', ['--version']).status === 0;

describe.skipIf(skipE2E)('public consultation (høring) in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let plannerHeaders: Record<string, string>;
  let consultation: Consultation;
  let reference = '';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const user = await createUser(server.database.db, { email: 'planlegger@example.no', name: 'Kari Planlegger', role: 'planner', password: 'et langt passord' });
    const { session, token } = await startSession(server.database.db, user);
    plannerHeaders = { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': session.csrfToken };
    const t = { app: server.app, database: server.database } as unknown as TestApp;
    const plan = await planForConsultation(t, { id: user.id, headers: plannerHeaders });
    consultation = expectStatus<Consultation>(
      await server.app.inject({ method: 'POST', url: `/api/plans/${plan.id}/consultations`, headers: plannerHeaders, payload: { title: 'Høring av samfunnsdelen', introduction: 'Si din mening om forslaget.' } }),
      201,
    );
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('[CONS-5] a citizen on a 320 px phone gives input on a strategy with a PDF and gets a receipt with a reference and a follow link', async () => {
    const phone = await browser.newContext({ locale: 'nb-NO', viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await page.goto(`${server.url}/consultations/${consultation.id}`);
    await page.getByRole('heading', { level: 1, name: 'Høring av samfunnsdelen' }).waitFor();
    await expectAccessible(page, 'public consultation page');
    await screenshot(page, 'consultation-public-320');
    // Nothing wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

    await page.getByRole('button', { name: 'Gi innspill på Strategi 2' }).click();
    const form = page.getByRole('form', { name: 'Innspill på Strategi 2' });
    await form.getByLabel('Navn').fill('Ola <b>Nordmann</b>');
    await form.getByLabel('E-post (valgfritt)').fill('ola@example.no');
    await form.getByLabel('Jeg skriver som').selectOption('organisation');
    await form.getByLabel('Innspill', { exact: true }).fill('Møteplassene må være åpne for alle, også på kveldstid.\nSe vedlagt brev.');
    const dir = mkdtempSync(path.join(tmpdir(), 'innspill-e2e-pdf-'));
    writeFileSync(path.join(dir, 'brev.pdf'), pdfFile(4000));
    await form.getByLabel('Vedlegg (valgfritt)').setInputFiles(path.join(dir, 'brev.pdf'));
    await expectAccessible(page, 'submission form');
    await screenshot(page, 'consultation-form-320');
    await form.getByRole('button', { name: 'Send innspill' }).click();

    await page.getByRole('heading', { level: 1, name: 'Takk for innspillet' }).waitFor();
    reference = (await page.locator('.cons-reference strong').textContent()) ?? '';
    expect(reference).toMatch(/^\d{4}-\d{4}$/);
    await expectAccessible(page, 'receipt');
    await screenshot(page, 'consultation-receipt-320');
    const followUrl = (await page.locator('.cons-follow-link a').getAttribute('href'))!;
    await page.goto(followUrl);
    await page.getByText('Mottatt, venter på gjennomgang.').waitFor();
    await expectAccessible(page, 'follow page');
    rmSync(dir, { recursive: true, force: true });
    await phone.close();
  });

  it('[CONS-9] [CONS-11] [CONS-18] a planner publishes, splits, assesses and downloads the report', async () => {
    const desktop = await browser.newContext({ locale: 'nb-NO', viewport: { width: 1280, height: 900 } });
    await desktop.addCookies([{ name: SESSION_COOKIE, value: plannerHeaders.cookie!.split('=')[1]!, url: server.url }]);
    const page: Page = await desktop.newPage();
    await page.goto(`${server.url}/consultations/${consultation.id}/moderate`);
    const card = page.locator('li.cons-card', { hasText: reference });
    await card.waitFor();
    // Markup shows as the text typed.
    expect(await card.getByRole('heading').textContent()).toContain('Ola <b>Nordmann</b>');
    await expectAccessible(page, 'moderation queue');
    await screenshot(page, 'consultation-moderation');

    await card.getByRole('button', { name: 'Publiser' }).click();
    await page.getByLabel('Vis').selectOption('all');
    await page.locator('li.cons-card', { hasText: reference }).getByRole('button', { name: 'Del opp' }).click();
    const split = page.getByRole('form', { name: 'Del opp' });
    await split.getByLabel('Sammendrag av denne delen').first().fill('Møteplasser åpne for alle');
    await split.getByLabel('Gjelder').first().selectOption({ label: 'Strategi 2: Vi bygger flere møteplasser' });
    await split.getByLabel('Sammendrag av denne delen').nth(1).fill('Åpent på kveldstid');
    await split.getByRole('button', { name: 'Lagre' }).click();
    const part = page.locator('li.cons-card', { hasText: `${reference}-1` });
    await part.waitFor();
    await part.getByRole('button', { name: 'Vurder' }).click();
    const assess = page.getByRole('form', { name: 'Vurder' });
    await assess.getByLabel('Vurdering').selectOption('partly');
    await assess.getByLabel('Begrunnelse').fill('Tas inn i strategi 2');
    await assess.getByRole('button', { name: 'Lagre' }).click();
    await part.getByText('Delvis tatt til følge').waitFor();
    await expectAccessible(page, 'moderation after split and assessment');
    await screenshot(page, 'consultation-moderation-split');

    const download = await page.request.get(`${server.url}/api/plans/${consultation.planId}/report.docx`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-disposition']).toMatch(/^attachment;/);
    const body = await download.body();
    const dir = mkdtempSync(path.join(tmpdir(), 'innspill-e2e-docx-'));
    writeFileSync(path.join(dir, 'rapport.docx'), body);
    if (hasSoffice) {
      // LibreOffice opens what we wrote and renders it; the pages are kept for a human to look at.
      execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'rapport.docx')], { timeout: 90_000 });
      expect(readdirSync(dir)).toContain('rapport.pdf');
      // Table cells wrap their lines: compare with whitespace folded.
      const text = execFileSync('pdftotext', [path.join(dir, 'rapport.pdf'), '-']).toString('utf8').replace(/\s+/g, ' ');
      mkdirSync('screenshots', { recursive: true });
      execFileSync('pdftoppm', ['-png', '-r', '60', path.join(dir, 'rapport.pdf'), 'screenshots/consultation-report']);
      expect(text).toContain('Møteplasser åpne for alle');
      expect(text).toContain('Tas inn i strategi 2');
      expect(text).not.toContain('ola@example.no');
    }
    rmSync(dir, { recursive: true, force: true });

    // [CONS-13] One synthesis: the part stands under its item, filtered by source.
    await page.goto(`${server.url}/plans/${consultation.planId}/inputs`);
    await page.getByRole('heading', { level: 1, name: 'Alle innspill til Kommuneplanens samfunnsdel' }).waitFor();
    await page.getByRole('cell', { name: 'Møteplasser åpne for alle' }).waitFor();
    await page.getByLabel('Kilde').selectOption({ label: 'Høring: Høring av samfunnsdelen' });
    await page.getByRole('cell', { name: 'Møteplasser åpne for alle' }).waitFor();
    await expectAccessible(page, 'plan inputs');
    await screenshot(page, 'consultation-plan-inputs');
    await desktop.close();
  });
});
