import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipE2E, expectAccessible, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

describe.skipIf(skipE2E)('sign-in choices and the audit trail in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The provider is not asked until someone presses its button: the page only needs its name.
    server = await startServer({ OIDC_ISSUER: 'http://127.0.0.1:9/realms/ansatte', OIDC_CLIENT_ID: 'innspill', OIDC_PLANNER_VALUES: 'innspill-planlegger', OIDC_PROVIDER_NAME: 'Bærum kommune' });
    browser = await launchBrowser();
    page = await (await browser.newContext({ locale: 'nb-NO' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('[AUTH-1] the login page offers "Logg inn med Bærum kommune" beside the password form', async () => {
    await page.goto(`${server.url}/login`);
    const button = page.getByRole('link', { name: 'Logg inn med Bærum kommune' });
    await button.waitFor();
    expect(await button.getAttribute('href')).toBe('/api/auth/oidc/start');
    await expect(page.getByLabel('Passord').isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'login with a provider');
    await screenshot(page, 'login-provider-desktop');
    await page.setViewportSize({ width: 320, height: 700 });
    await screenshot(page, 'login-provider-320');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('[AUDIT-3] a planner reaches the audit trail from the plans page, filters it and downloads it as CSV', async () => {
    await page.goto(server.setupUrl);
    await page.getByLabel('E-post').fill('revisor@baerum.kommune.no');
    await page.getByLabel('Navn').fill('Rita Revisor');
    await page.getByLabel('Passord').fill('et langt passord');
    await page.getByRole('button', { name: 'Opprett konto og logg inn' }).click();
    await page.getByRole('heading', { level: 1, name: 'Planer' }).waitFor();
    await page.getByLabel('Tittel').fill('Samfunnsdelen 2040');
    await page.getByLabel('Kommune').fill('Bærum');
    await page.getByLabel('Planhorisont (år)').fill('2040');
    await page.getByRole('button', { name: 'Opprett plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Samfunnsdelen 2040' }).waitFor();
    await page.getByLabel('Navn på perspektivet').fill('Sosial bærekraft');
    await page.getByRole('textbox', { name: 'Hovedmål' }).fill('Alle har et godt liv');
    await page.getByRole('button', { name: 'Legg til perspektiv' }).last().click();
    await page.getByRole('heading', { level: 2, name: /Sosial bærekraft/ }).waitFor();

    await page.goto(`${server.url}/`);
    await page.getByRole('link', { name: 'Revisjonslogg' }).click();
    await page.getByRole('heading', { level: 1, name: 'Revisjonslogg' }).waitFor();
    const rows = page.getByRole('table').locator('tbody tr');
    await rows.first().waitFor();
    expect(await rows.first().textContent()).toContain('Planteksten endret');
    expect(await rows.first().textContent()).toContain('Rita Revisor');
    await expectAccessible(page, 'audit trail');
    await screenshot(page, 'audit-desktop');

    await page.getByLabel('Handling').selectOption('report.downloaded');
    await page.getByRole('button', { name: 'Vis' }).click();
    await page.getByText('Ingen oppføringer med dette filteret.').waitFor();
    // [AUDIT-5] The download is in the page's language, its details readable text.
    const href = await page.getByRole('link', { name: 'Last ned som CSV' }).getAttribute('href');
    expect(href).toBe('/api/audit.csv?action=report.downloaded&lang=nb');
    const csv = await (await page.request.get(`${server.url}/api/audit.csv?lang=nb`)).text();
    expect(csv.startsWith('\uFEFFTidspunkt;Hvem;Rolle;')).toBe(true);
    expect(csv).toContain(';Planteksten endret;');
    expect(csv).not.toContain('{"');
    await page.setViewportSize({ width: 320, height: 700 });
    await expectAccessible(page, 'audit trail at 320 px');
    await screenshot(page, 'audit-320');
  });
});
