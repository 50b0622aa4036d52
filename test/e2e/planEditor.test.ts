import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipE2E, expectAccessible, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

describe.skipIf(skipE2E)('plan editor in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let planPath = '/';

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await (await browser.newContext({ locale: 'nb-NO' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const subGoalTexts = (perspective: string) =>
    page
      .locator('section.perspective', { has: page.getByRole('heading', { name: perspective }) })
      .getByRole('list', { name: 'Delmål', exact: true })
      .locator('.item-text')
      .allTextContents();

  it('sets up the first planner, builds a plan, reorders by keyboard and shows a diff in the history', async () => {
    await page.goto(server.setupUrl);
    await expectAccessible(page, 'setup');
    await page.getByLabel('E-post').fill('planlegger@baerum.kommune.no');
    await page.getByLabel('Navn').fill('Kari Planlegger');
    await page.getByLabel('Passord').fill('et langt passord');
    await page.getByRole('button', { name: 'Opprett konto og logg inn' }).click();

    await page.getByRole('heading', { level: 1, name: 'Planer' }).waitFor();
    await expectAccessible(page, 'plans');
    await page.getByLabel('Tittel').fill('Kommuneplanens samfunnsdel 2040');
    await page.getByLabel('Kommune').fill('Bærum');
    await page.getByLabel('Planhorisont (år)').fill('2040');
    await page.getByRole('button', { name: 'Opprett plan' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kommuneplanens samfunnsdel 2040' }).waitFor();
    planPath = new URL(page.url()).pathname;

    for (const [title, mainGoal] of [
      ['Økonomisk bærekraft', 'I Bærum har vi varig, inkluderende og bærekraftig økonomisk vekst'],
      ['Sosial bærekraft', 'I Bærum har alle mulighet for et godt liv'],
    ]) {
      await page.getByLabel('Navn på perspektivet').fill(title!);
      await page.getByRole('textbox', { name: 'Hovedmål' }).fill(mainGoal!);
      await page.getByRole('button', { name: 'Legg til perspektiv' }).last().click();
      await page.getByRole('heading', { level: 2, name: new RegExp(title!) }).waitFor();
    }

    const social = page.locator('section.perspective', { has: page.getByRole('heading', { name: '2. Sosial bærekraft' }) });
    for (const text of ['Alle barn og unge har en trygg oppvekst', 'Innbyggerne opplever god helse', 'Alle har et godt sted å bo']) {
      await social.getByLabel('Tekst for ny delmål').fill(text);
      await social.getByRole('button', { name: 'Legg til delmål' }).click();
      await social.getByText(text).waitFor();
    }
    await expectAccessible(page, 'plan editor');
    await screenshot(page, 'plan-editor');

    // Reorder by keyboard: focus the third delmål's edit button and press Alt+ArrowUp twice.
    const third = social.locator('li.item', { hasText: 'Alle har et godt sted å bo' });
    await third.getByRole('button', { name: 'Rediger: Delmål 3' }).focus();
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => subGoalTexts('2. Sosial bærekraft')).toEqual([
      'Alle barn og unge har en trygg oppvekst',
      'Alle har et godt sted å bo',
      'Innbyggerne opplever god helse',
    ]);
    // Focus follows the moved item, so the next Alt+ArrowUp moves it again.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Rediger: Delmål 2');
    await page.keyboard.press('Alt+ArrowUp');
    await expect.poll(() => subGoalTexts('2. Sosial bærekraft')).toEqual([
      'Alle har et godt sted å bo',
      'Alle barn og unge har en trygg oppvekst',
      'Innbyggerne opplever god helse',
    ]);
    // The move buttons work with Enter as well.
    await social.getByRole('button', { name: 'Flytt ned: Delmål 1' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => subGoalTexts('2. Sosial bærekraft')).toEqual([
      'Alle barn og unge har en trygg oppvekst',
      'Alle har et godt sted å bo',
      'Innbyggerne opplever god helse',
    ]);

    // Edit a text and read its diff in the history.
    await social.getByRole('button', { name: 'Rediger: Delmål 3' }).click();
    await social.getByLabel('Tekst: Delmål 3').fill('Innbyggerne opplever god fysisk og psykisk helse');
    await social.getByRole('button', { name: 'Lagre' }).click();
    await social.getByText('Innbyggerne opplever god fysisk og psykisk helse').waitFor();
    await social.getByRole('button', { name: 'Historikk: Delmål 3' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Endret').waitFor();
    expect(await dialog.locator('ins').allTextContents()).toEqual([expect.stringContaining('fysisk og psykisk')]);
    await expectAccessible(page, 'history dialog');
    await screenshot(page, 'history');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);

    // The plan survives a reload and stays usable at 320 px.
    await page.setViewportSize({ width: 320, height: 800 });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Kommuneplanens samfunnsdel 2040' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectAccessible(page, 'plan editor at 320 px');
    await screenshot(page, 'plan-editor-320');
  });

  it('logs out and in again, with a clear message for a wrong password, and returns to the page asked for', async () => {
    await page.setViewportSize({ width: 1200, height: 900 });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Logg ut' }).click();
    await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
    await page.goto(`${server.url}${planPath}`);
    await page.getByRole('heading', { level: 1, name: 'Logg inn' }).waitFor();
    await expectAccessible(page, 'login');
    await page.getByLabel('E-post').fill('planlegger@baerum.kommune.no');
    await page.getByLabel('Passord').fill('feil passord her');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('alert').getByText('Feil e-post eller passord.').waitFor();
    await page.getByLabel('Passord').fill('et langt passord');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kommuneplanens samfunnsdel 2040' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(planPath);
  });
});
