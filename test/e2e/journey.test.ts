import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipE2E, expectAccessible, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

const laptop: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'nb-NO' };
const phone: BrowserContextOptions = { viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true, locale: 'nb-NO' };
const LAPP = 'Delmålet må nevne psykisk helse for unge';
const REPLY = 'Godt poeng, tar det med i plenum';
const REVISED = 'Alle har et godt liv, også den psykiske helsen';

const card = (page: Page, label: string) => page.locator('li.poster-card', { has: page.getByRole('heading', { name: label, exact: true }) });
const noHorizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

/** A screenshot at 320 px of the page as it is, for a human to look at; the page keeps its own size afterwards. */
async function phoneShot(page: Page, name: string) {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: 320, height: 700 });
  await screenshot(page, name);
  const tooWide = await page.evaluate(() =>
    [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5).map((e) => `${e.tagName}.${e.className}`).slice(0, 8),
  );
  expect(tooWide, `${name} fits 320 px`).toEqual([]);
  await page.setViewportSize(size);
}

describe.skipIf(skipE2E)('the whole journey in Chromium, by links only after the first address', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    // A small plan to hold the workshop: one perspective with its hovedmål and two delmål.
    const db = server.database.db;
    const planId = randomUUID();
    const perspectiveId = randomUUID();
    await db.insertInto('plans').values({ id: planId, title: 'Kommuneplan 2040', municipality: 'Bærum', horizon_year: 2040 }).execute();
    await db.insertInto('perspectives').values({ id: perspectiveId, plan_id: planId, position: 0, title: 'Sosial bærekraft' }).execute();
    await db
      .insertInto('items')
      .values([
        { id: randomUUID(), perspective_id: perspectiveId, kind: 'main_goal', position: 0, text: 'I Bærum har alle mulighet for et godt liv' },
        { id: randomUUID(), perspective_id: perspectiveId, kind: 'sub_goal', position: 0, text: 'Alle har et godt liv' },
        { id: randomUUID(), perspective_id: perspectiveId, kind: 'sub_goal', position: 1, text: 'Gode møteplasser i nærmiljøet' },
      ])
      .execute();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('planner, facilitator table, plenary, a participant by the printed card, a second phone, closing, assessing and revising, and the outcome page', async () => {
    const planner = await (await browser.newContext(laptop)).newPage();
    planner.on('dialog', (dialog) => void dialog.accept());

    // The only address typed: the one-time setup link.
    await planner.goto(server.setupUrl);
    await planner.getByLabel('E-post').fill('planlegger@baerum.kommune.no');
    await planner.getByLabel('Navn').fill('Per Planlegger');
    await planner.getByLabel('Passord').fill('et langt passord');
    await planner.getByRole('button', { name: 'Opprett konto og logg inn' }).click();
    await planner.getByRole('heading', { level: 1, name: 'Planer' }).waitFor();

    await planner.getByRole('link', { name: 'Kommuneplan 2040' }).click();
    await planner.getByLabel('Navn på verkstedet').fill('Politikerverksted');
    await planner.getByRole('button', { name: 'Opprett verksted' }).click();
    await planner.getByRole('heading', { level: 1, name: 'Politikerverksted' }).waitFor();
    // Every planner page says where it is.
    expect(await planner.getByRole('navigation', { name: 'Du er her' }).getByRole('link').allTextContents()).toEqual(['Planer', 'Kommuneplan 2040', 'Politikerverksted']);

    const groupCard = (name: string) => planner.locator('section.group-card', { has: planner.getByRole('heading', { level: 3, name, exact: true }) });
    await groupCard('Gruppe 1').getByLabel('Lim inn en liste').fill('Stein; Rødt; FSK\nDina; MDG');
    await groupCard('Gruppe 1').getByRole('button', { name: /Legg til fra listen/ }).click();
    await groupCard('Gruppe 1').getByRole('rowheader', { name: 'Dina' }).waitFor();
    await planner.getByRole('button', { name: 'Legg til gruppe' }).click();
    await groupCard('Gruppe 2').getByLabel('Lim inn en liste').fill('Ola; Høyre');
    await groupCard('Gruppe 2').getByRole('button', { name: /Legg til fra listen/ }).click();
    await groupCard('Gruppe 2').getByRole('rowheader', { name: 'Ola' }).waitFor();
    // Party stays out of reports until a planner turns it on (GDPR art. 9).
    expect(await planner.getByLabel(/Vis parti i rapporter/).isChecked()).toBe(false);
    await planner.getByRole('button', { name: 'Åpne verkstedet' }).click();
    await planner.locator('.state-badge', { hasText: 'Åpent' }).waitFor();
    const joinUrl = await planner.getByRole('textbox', { name: 'Lenke for å bli med' }).inputValue();

    // The printed cards: one page per group, each participant's QR code and personal link.
    await planner.getByRole('navigation', { name: 'Verkstedets sider' }).getByRole('link', { name: 'Deltakerkort' }).click();
    await planner.getByRole('heading', { level: 1, name: 'Deltakerkort: Politikerverksted' }).waitFor();
    const steinCard = planner.locator('li.participant-card', { hasText: 'Stein' });
    await expect.poll(() => steinCard.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const steinLink = await steinCard.getByRole('link').getAttribute('href');
    expect(steinLink).toMatch(new RegExp(`^${server.url}/p/[\\w-]{20,}$`));
    expect(await steinCard.textContent()).toContain('og skriv koden');
    await expectAccessible(planner, 'participant cards');
    await planner.emulateMedia({ media: 'print' });
    await screenshot(planner, 'journey-cards-print');
    const pdf = await planner.pdf({ format: 'A4' });
    expect((pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length, 'one A4 page per group').toBe(2);
    await planner.emulateMedia({ media: 'screen' });
    await phoneShot(planner, 'journey-cards-320');

    // The facilitator table of Gruppe 1, from the workshop page.
    await planner.getByRole('navigation', { name: 'Verkstedets sider' }).getByRole('link', { name: 'Oppsett' }).click();
    await planner.getByRole('link', { name: 'Fasilitatorbordet for Gruppe 1' }).click();
    await planner.getByRole('status').filter({ hasText: 'Tilkoblet' }).waitFor();

    // A participant on a phone follows the card's link.
    const stein = await (await browser.newContext(phone)).newPage();
    await stein.goto(steinLink!);
    await stein.getByRole('link', { name: /Del 1: Delmål/ }).click();
    await card(stein, 'Delmål 1').getByRole('button', { name: 'Skriv lapp: Delmål 1' }).click();
    await card(stein, 'Delmål 1').getByLabel('Tekst').fill(LAPP);
    await card(stein, 'Delmål 1').getByRole('button', { name: 'Legg til lapp' }).click();

    // The facilitator sees it and replies; the phone receives the reply.
    const lappAtTable = card(planner, 'Delmål 1').locator('li.lapp', { hasText: LAPP });
    await lappAtTable.getByRole('button', { name: 'Svar: lappen fra Stein' }).click();
    await lappAtTable.getByLabel('Svar til Stein').fill(REPLY);
    await lappAtTable.getByRole('button', { name: 'Send svar' }).click();
    await card(stein, 'Delmål 1').getByText(REPLY).waitFor();

    // A second phone picks Stein's name: warned, it waits until the facilitator confirms.
    const second = await (await browser.newContext(phone)).newPage();
    await second.goto(joinUrl);
    await second.getByRole('button', { name: 'Gruppe 1' }).click();
    await second.getByRole('button', { name: 'Stein' }).click();
    await second.getByRole('heading', { name: '«Stein» er allerede med på en annen enhet' }).waitFor();
    await expectAccessible(second, 'join page, name in use');
    await second.getByRole('button', { name: 'Be fasilitatoren slippe meg inn' }).click();
    await second.getByRole('status').filter({ hasText: 'Venter på at fasilitatoren' }).waitFor();
    await screenshot(second, 'journey-join-claimed-320');
    const request = planner.locator('section.join-requests');
    await request.getByText('En annen enhet vil bli med som Stein (Gruppe 1).').waitFor();
    await expectAccessible(planner, 'facilitator table with a join request');
    await phoneShot(planner, 'journey-facilitator-request-320');
    await request.getByRole('button', { name: 'Ja, slipp inn Stein' }).click();
    await second.getByRole('link', { name: /Del 1: Delmål/ }).waitFor();

    // The plenary screen, from the workshop navigation.
    await planner.getByRole('navigation', { name: 'Verkstedets sider' }).getByRole('link', { name: 'Storskjerm' }).click();
    await planner.locator('table.plenary-table').first().waitFor();
    expect(await planner.locator('table.plenary-table thead th').allTextContents()).toContain('Gruppe 2');
    await expectAccessible(planner, 'plenary screen');
    await phoneShot(planner, 'journey-plenary-320');
    await planner.goBack();

    // The workshop closes; the phone says so and leads to the outcome page.
    await planner.getByRole('navigation', { name: 'Verkstedets sider' }).getByRole('link', { name: 'Oppsett' }).click();
    await planner.getByRole('button', { name: 'Avslutt verkstedet' }).click();
    await planner.locator('.state-badge', { hasText: 'Avsluttet' }).waitFor();
    const closedNotice = stein.locator('.notice', { hasText: 'Verkstedet er avsluttet.' });
    await closedNotice.waitFor();

    // The planner assesses and revises from the synthesis, reached by a link.
    await planner.getByRole('navigation', { name: 'Verkstedets sider' }).getByRole('link', { name: 'Syntese' }).click();
    // The lapp's own card: its reply sits in a card nested inside it.
    const note = planner.locator('.syn-main li.syn-note', { has: planner.locator(':scope > .syn-note-text', { hasText: LAPP }) });
    const assessment = note.getByRole('group', { name: /^Vurdering av lappen «Delmålet må nevne/ });
    await assessment.getByLabel('Vurdering', { exact: true }).selectOption({ label: 'Tatt til følge' });
    await assessment.getByLabel('Begrunnelse').fill('Psykisk helse tas inn i delmålet.');
    await assessment.getByRole('button', { name: 'Lagre vurdering' }).click();
    await note.getByText('Vurdert: Tatt til følge').waitFor();
    const item = planner.locator('li.syn-item', { has: planner.getByRole('heading', { level: 3, name: 'Delmål 1', exact: true }) });
    await item.getByRole('button', { name: 'Revider teksten: Delmål 1' }).click();
    await item.getByLabel('Ny tekst').fill(REVISED);
    await item.getByRole('checkbox', { name: new RegExp(LAPP) }).check();
    await item.getByRole('button', { name: 'Lagre revisjonen' }).click();
    await item.getByText('Endret siden verkstedet').waitFor();
    // "Rapporter" leads to the downloads.
    await planner.getByRole('navigation', { name: 'Verkstedets sider' }).getByRole('link', { name: 'Rapporter' }).click();
    await expect.poll(() => planner.evaluate(() => document.activeElement?.id)).toBe('rapporter');

    // The participant follows the link in the closed notice and sees the revision and the reply.
    await closedNotice.getByRole('link', { name: 'Se hva som skjedde med innspillene dine' }).click();
    await stein.getByRole('heading', { level: 1, name: 'Hva skjedde med innspillene dine' }).waitFor();
    const outcome = stein.locator('li.outcome-note', { hasText: LAPP });
    await outcome.getByText('Tatt til følge', { exact: true }).waitFor();
    expect(await outcome.locator('.outcome-revision ins').allTextContents()).toEqual([expect.stringContaining('psykiske helsen')]);
    expect(await outcome.locator('.outcome-replies').textContent()).toContain(REPLY);
    await expectAccessible(stein, 'outcome page');
    expect(await noHorizontalOverflow(stein)).toBe(true);
    await screenshot(stein, 'journey-outcome-320');
    // …and back to the posters, where the same link waits under the list.
    await stein.getByRole('link', { name: 'Tilbake til plakatene' }).click();
    await stein.getByRole('link', { name: 'Se hva som skjedde med innspillene dine' }).first().waitFor();
  });
});
