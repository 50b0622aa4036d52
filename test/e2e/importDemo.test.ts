import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoIfEmpty } from '../../src/cli/importCommands.js';
import { createUser } from '../../src/server/auth/auth.service.js';
import type { Snapshot } from '../../src/contract/protocol.js';
import { skipE2E, expectAccessible, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

const SEED = path.resolve('demo/baerum-2040.txt');
const PLANNER = { email: 'planlegger@baerum.kommune.no', name: 'Kari Planlegger', password: 'et langt passord' };

async function logIn(page: Page, url: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('E-post').fill(PLANNER.email);
  await page.getByLabel('Passord').fill(PLANNER.password);
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await page.getByRole('heading', { level: 1, name: 'Planer' }).waitFor();
}

/** Checks the page fits a 320 px screen (WCAG 1.4.10 reflow) and keeps a picture of it. */
async function at320(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(320);
  await screenshot(page, `${name}-320`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe.skipIf(skipE2E)('importing a whiteboard export in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let workshopId = '';

  beforeAll(async () => {
    server = await startServer();
    await createUser(server.database.db, { ...PLANNER, role: 'planner' });
    browser = await launchBrowser();
    page = await (await browser.newContext({ locale: 'nb-NO', viewport: { width: 1280, height: 900 } })).newPage();
    // Every confirmation ("Slå sammen …?") is answered yes.
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const board = async (): Promise<Snapshot> => (await page.request.get(`${server.url}/api/workshops/${workshopId}/board`)).json();
  const unplacedOnServer = async () => (await board()).notes.filter((n) => !n.placed && n.kind !== 'facilitator_note').length;

  it('[IMPORT-1] a planner uploads the Bærum export and reads the import report', async () => {
    await logIn(page, server.url);
    await page.getByRole('link', { name: 'Importer verksted' }).click();
    await page.getByRole('heading', { level: 1, name: 'Importer verksted' }).waitFor();
    await expectAccessible(page, 'import page');
    await screenshot(page, 'import-1280');
    await at320(page, 'import');

    await page.getByLabel('Tekstfil fra tavla').setInputFiles(SEED);
    await page.getByLabel('Navn på verkstedet (valgfritt)').fill('Bærum 2040 — politisk verksted');
    await page.getByLabel('Planhorisont, år (valgfritt)').fill('2040');
    await page.getByRole('button', { name: 'Importer', exact: true }).click();

    const report = page.getByRole('region', { name: 'Importrapport' });
    await report.getByRole('heading', { level: 2, name: 'Importrapport' }).waitFor({ timeout: 90_000 });
    // Focus moves to the report, so a screen reader starts reading there.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Importrapport');
    const perspectives = report.getByRole('table', { name: 'Punkter per perspektiv' });
    expect(await perspectives.locator('tbody tr').count()).toBe(4);
    expect(await perspectives.locator('tbody th').allTextContents()).toEqual([
      'Økonomisk bærekraft',
      'Sosial bærekraft',
      'Klima- og miljømessig bærekraft',
      'Bærum som organisasjon',
    ]);
    const figure = (term: string) => report.locator('.report-summary > div', { has: page.getByText(term, { exact: true }) }).locator('.report-number');
    expect(await figure('Plakater i filen').textContent()).toBe('28');
    expect(Number(await figure('Lapper som ikke er plassert (i boksen nederst)').textContent())).toBeGreaterThan(100);
    const groups = report.getByRole('table', { name: 'Grupper og deltakere' });
    await groups.getByRole('rowheader', { name: 'Gruppe 7' }).waitFor();
    await groups.getByRole('rowheader', { name: /^Uten gruppe/ }).first().waitFor();
    expect(await report.locator('.report-warnings li').count()).toBeGreaterThan(3);
    expect(await report.locator('.report-warnings li[data-code="duplicate_number"]').count()).toBeGreaterThan(0);

    const placeLink = report.getByRole('link', { name: 'Plasser lappene som ikke er plassert' });
    workshopId = (await placeLink.getAttribute('href'))!.split('/')[2]!;
    expect(await report.getByRole('link', { name: 'Åpne syntesen' }).getAttribute('href')).toBe(`/workshops/${workshopId}/synthesis`);
    expect(await report.getByRole('link', { name: /^Se over verkstedet/ }).getAttribute('href')).toBe(`/workshops/${workshopId}`);
    await expectAccessible(page, 'import report');
    await screenshot(page, 'import-report-1280');
    await at320(page, 'import-report');
  });

  it('[IMPORT-2] the same file again offers to replace or open the earlier import; a shopping list is refused', async () => {
    await page.goto(`${server.url}/import`);
    await page.getByLabel('Tekstfil fra tavla').setInputFiles(SEED);
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    const heading = page.getByRole('heading', { level: 3, name: 'Denne filen er allerede importert' });
    await heading.waitFor({ timeout: 60_000 });
    await page.getByText('«baerum-2040.txt» er importert før.', { exact: false }).waitFor();
    expect(await page.getByRole('link', { name: 'Åpne verkstedet fra forrige import' }).getAttribute('href')).toBe(`/workshops/${workshopId}`);
    await page.getByRole('button', { name: 'Erstatt den forrige importen' }).waitFor();
    await expectAccessible(page, 'import: already imported');
    await screenshot(page, 'import-already-1280');

    await page.getByLabel('Tekstfil fra tavla').setInputFiles({ name: 'handleliste.txt', mimeType: 'text/plain', buffer: Buffer.from('Handleliste\nmelk\nbrød\n') });
    await page.getByRole('button', { name: 'Importer', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Filen kunne ikke leses som tekst fra en digital tavle.' });
    await alert.waitFor();
    // The server's own Norwegian explanation is shown as it is.
    expect(await alert.textContent()).toContain('fant ingen plakater med Hovedmål');
  });

  it('[IMPORT-1] places two lapper by keyboard, one after the other, and the count goes down', async () => {
    const before = await unplacedOnServer();
    await page.goto(`${server.url}/workshops/${workshopId}/place`);
    await page.getByRole('heading', { level: 1, name: 'Plasser lapper' }).waitFor();
    const remaining = page.getByTestId('place-remaining');
    expect(await remaining.textContent()).toBe(`${before} igjen`);

    const lappText = page.locator('#lapp-text');
    const noteId = () => lappText.getAttribute('data-note-id');
    const first = (await noteId())!;
    const firstNote = (await board()).notes.find((n) => n.id === first)!;
    expect(await lappText.textContent()).toBe(firstNote.text);
    const poster = (await board()).posters.find((p) => p.id === firstNote.posterId)!;
    const items = page.getByRole('group', { name: 'Hvilket punkt gjelder lappen?' }).getByRole('radio');
    expect(await items.count()).toBe(poster.items.length);

    // [PLACE-1] The page opens on the suggestion: preselected; a digit picks another item, Enter places it.
    const suggested = page.getByTestId('place-suggestion');
    expect(await suggested.textContent()).toMatch(/^(Forslag: |Ingen forslag)/);
    await items.first().focus();
    await page.keyboard.press('2');
    expect(await items.nth(1).isChecked()).toBe(true);
    const chosenItem = (await items.nth(1).getAttribute('value'))!;
    await page.keyboard.press('Enter');
    await expect.poll(() => remaining.textContent()).toBe(`${before - 1} igjen`);
    await page.getByRole('status').getByText(/^Plassert på (Hovedmål|Delmål|Strategi|Arealstrategi) \d+\./).waitFor();
    // The next lapp, and focus is back on the list of items.
    expect(await noteId()).not.toBe(first);
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type)).toBe('radio');

    // B keeps the next one in the general box (placed there on purpose).
    const second = (await noteId())!;
    await page.keyboard.press('b');
    await expect.poll(() => remaining.textContent()).toBe(`${before - 2} igjen`);
    await page.getByRole('status').getByText(/^Lappen blir i boksen nederst\./).waitFor();

    // S skips without placing.
    const third = (await noteId())!;
    await page.keyboard.press('s');
    await expect.poll(noteId).not.toBe(third);
    expect(await remaining.textContent()).toBe(`${before - 2} igjen`);

    // Both placements reached the server through note.move.
    await expect.poll(unplacedOnServer).toBe(before - 2);
    const notes = (await board()).notes;
    expect(notes.find((n) => n.id === firstNote.id)).toMatchObject({ placed: true, itemIds: [chosenItem] });
    expect(notes.find((n) => n.id === second)).toMatchObject({ placed: true, itemIds: [] });
    expect(notes.find((n) => n.id === third)).toMatchObject({ placed: false });

    await expectAccessible(page, 'placement');
    await screenshot(page, 'placement-1280');
    await at320(page, 'placement');
  });

  it('[PLACE-8] sets a suggested author with one press in the author list; the server’s board has it', async () => {
    await page.goto(`${server.url}/workshops/${workshopId}/place`);
    await page.getByRole('heading', { level: 1, name: 'Plasser lapper' }).waitFor();
    await page.getByText(/^Foreslåtte forfattere \(\d+\)$/).click();
    const accept = page.getByRole('button', { name: /^Sett .+ som forfatter$/ }).first();
    const name = (await accept.textContent())!.replace(/^Sett (.+) som forfatter$/, '$1');
    const suggested = (await (await page.request.get(`${server.url}/api/workshops/${workshopId}/identity-suggestions`)).json()) as { authors: Array<{ noteId: string; name: string }> };
    const ids = new Set(suggested.authors.map((a) => a.noteId));
    const authored = async () => (await board()).notes.filter((n) => ids.has(n.id) && n.author.participantId).map((n) => n.author.name);
    expect(await authored()).toEqual([]);
    await accept.click();
    await page.getByRole('status').getByText(`${name} er satt som forfatter.`).waitFor();
    await expect.poll(authored).toEqual([name]);
    await expectAccessible(page, 'placement-authors');
    await screenshot(page, 'placement-authors-1280');
  });

  it('[PLACE-1] [PLACE-13] accepts every high suggestion on a poster of more than 30 after a review list, by keyboard; the page says what the server placed; each row is undoable', async () => {
    const { suggestions } = (await (await page.request.get(`${server.url}/api/workshops/${workshopId}/placement-suggestions`)).json()) as {
      suggestions: Array<{ noteId: string; confidence: string; accept: string[] }>;
    };
    const posterOf = new Map((await board()).notes.map((n) => [n.id, n.posterId]));
    const highs = new Map<string, string[]>();
    for (const s of suggestions.filter((x) => x.confidence === 'high')) highs.set(posterOf.get(s.noteId)!, [...(highs.get(posterOf.get(s.noteId)!) ?? []), s.noteId]);
    // The poster with the most: more than a device's write limit (30 per 10 s) in one accept.
    const [posterId, onPoster] = [...highs].sort((a, b) => b[1].length - a[1].length)[0]!;
    expect(onPoster.length).toBeGreaterThan(31);
    await page.goto(`${server.url}/workshops/${workshopId}/place`);
    await page.getByRole('heading', { level: 1, name: 'Plasser lapper' }).waitFor();
    await page.getByLabel('Vis lapper fra').selectOption(posterId);
    const reviewAll = page.getByRole('button', { name: `Godta alle sikre forslag på denne plakaten (${onPoster.length})` });
    await reviewAll.focus();
    await page.keyboard.press('Enter');
    const review = page.getByRole('region', { name: /^Se over \d+ sikre forslag$/ });
    expect(await review.getByRole('heading', { level: 2 }).textContent()).toBe(`Se over ${onPoster.length} sikre forslag`);
    expect(await review.locator('tbody tr').count()).toBe(onPoster.length);
    await expectAccessible(page, 'placement review list');
    await screenshot(page, 'placement-review-1280');
    await at320(page, 'placement-review');

    // A row is left out by pressing Enter: focus stays on the row that took its place.
    await review.getByRole('button', { name: /^Ta ut «/ }).first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => review.locator('tbody tr').count()).toBe(onPoster.length - 1);
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toMatch(/^Ta ut «/);
    const kept = await review.locator('tbody tr').count();
    expect(kept).toBeGreaterThan(30);
    await review.getByRole('button', { name: `Plasser ${kept} lapper` }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText(`${kept} lapper plassert etter forslag.`).waitFor();
    // What the page says is what the server placed: all of them, none refused.
    expect(await page.getByTestId('place-accept-result').textContent()).toBe(`${kept} lapper plassert etter forslag.`);
    const placedOf = async () => (await board()).notes.filter((n) => onPoster.includes(n.id) && n.placed).map((n) => n.id);
    await expect.poll(async () => (await placedOf()).length).toBe(kept);

    // Each accepted row has its own undo: the lapp waits for a place again.
    const accepted = page.getByRole('region', { name: /^Plassert etter forslag \(\d+\)$/ });
    // Focus moved to the list of what was placed.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('place-accepted-heading');
    await accepted.getByRole('button', { name: 'Angre' }).first().focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText(/^Angret: «.+» venter på plass igjen\.$/).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Angre');
    await expect.poll(async () => (await placedOf()).length).toBe(kept - 1);
    // [PLACE-14] The summary line counts what still stands, and says what was undone.
    expect(await page.getByTestId('place-accept-result').textContent()).toBe(`${kept - 1} lapper plassert etter forslag. 1 er angret og venter på plass igjen.`);
    await expectAccessible(page, 'placement after accepting all');
    await screenshot(page, 'placement-accepted-1280');
    await at320(page, 'placement-accepted');
  });

  it('[PLACE-7] a suggested group is merged with one key press, with its reasons shown first', async () => {
    await page.goto(`${server.url}/workshops/${workshopId}/place`);
    const groups = page.getByRole('region', { name: 'Plakater uten gruppe' });
    await groups.waitFor();
    // Plakat 11 is left for the setup page's test below.
    const merge = groups.getByRole('button', { name: /^Slå sammen Uten gruppe \(plakat (?!11:)/ }).first();
    const label = (await merge.textContent())!;
    const [, from, into] = /^Slå sammen (.+) med (.+)$/.exec(label)!;
    expect(await groups.getByRole('listitem').filter({ hasText: from! }).first().textContent()).toMatch(/står på plakaten|har en merket plakat/);
    await merge.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText(`${from} er slått sammen med ${into}.`).waitFor();
    const groupNames = async () => (await board()).groups.map((g) => g.name);
    await expect.poll(async () => (await groupNames()).includes(from!)).toBe(false);
  });

  it('[IMPORT-4] the setup page merges a group without a label, links the open data and shows the report', async () => {
    await page.goto(`${server.url}/workshops/${workshopId}`);
    await page.getByRole('heading', { level: 1, name: 'Bærum 2040 — politisk verksted' }).waitFor();
    const data = page.getByRole('region', { name: 'Import og åpne data' });
    expect(await data.getByRole('link', { name: 'Last ned som åpne data (JSON)' }).getAttribute('href')).toBe(`/api/workshops/${workshopId}/export.json`);
    await data.getByText('Vis importrapporten').click();
    expect(await data.getByRole('table', { name: 'Punkter per perspektiv' }).locator('tbody tr').count()).toBe(4);

    const unlabelled = page.locator('section.group-card', { has: page.getByRole('heading', { level: 3, name: /^Uten gruppe \(plakat 11:/ }) });
    const name = (await unlabelled.locator('h3').textContent())!;
    await unlabelled.getByLabel(/^Slå sammen med/).selectOption({ label: 'Gruppe 3' });
    await unlabelled.getByRole('button', { name: `Slå sammen ${name}` }).click();
    await page.getByRole('status').getByText(`«${name}» er slått sammen med «Gruppe 3».`).waitFor();
    await expect.poll(() => page.getByRole('heading', { level: 3, name }).count()).toBe(0);
    // Focus follows the lapper to the group they went to.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Gruppe 3');
    await expectAccessible(page, 'workshop setup of an imported workshop');
    await screenshot(page, 'workshop-setup-imported-1280');
  });

  it('[IMPORT-3] adds lapper from a CSV, naming each bad row; an open-data file already here is refused', async () => {
    await page.goto(`${server.url}/workshops/${workshopId}`);
    await page.getByRole('link', { name: 'Legg til lapper fra et papirverksted (CSV)' }).click();
    await page.getByRole('heading', { level: 2, name: 'Lapper fra et papirverksted (CSV)' }).waitFor();
    const csv = page.getByRole('region', { name: 'Lapper fra et papirverksted (CSV)' });
    // The workshop we came from is chosen.
    await expect.poll(() => csv.getByLabel('Verksted').inputValue()).toBe(workshopId);
    const header = 'gruppe;plakat;punkt;forfatter;type;tekst\n';
    await csv.getByLabel('CSV-fil').setInputFiles({
      name: 'lapper.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}Gruppe 1;Sosial bærekraft / Del 1;Delmål 9;Signe;;Finnes ikke\nGruppe 1;Sosial bærekraft / Del 1;;Signe;rart;Tekst\n`),
    });
    await csv.getByRole('button', { name: 'Legg til lappene' }).click();
    const problems = csv.getByRole('alert');
    await problems.getByText('Ingen lapper er lagt til.', { exact: false }).waitFor();
    expect(await problems.getByRole('listitem').allTextContents()).toEqual(['Rad 2: plakaten har ikke «Delmål 9»', 'Rad 3: ukjent type «rart»']);

    await csv.getByLabel('CSV-fil').setInputFiles({
      name: 'lapper.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${header}Gruppe 1;Sosial bærekraft / Del 1;Delmål 2;Signe;kommentar;"Bør gjelde alle; også de eldste"\nGruppe 9;Sosial bærekraft / Del 2;;;spørsmål;Hva koster det?\n`),
    });
    await csv.getByRole('button', { name: 'Legg til lappene' }).click();
    await csv.getByText('2 lapper er lagt til i «Bærum 2040 — politisk verksted». Nye grupper: Gruppe 9.').waitFor();
    expect((await board()).notes.some((n) => n.text === 'Bør gjelde alle; også de eldste' && n.itemIds.length === 1)).toBe(true);

    // Its own export is already here: refused, with a link to the workshop.
    const exported = await (await page.request.get(`${server.url}/api/workshops/${workshopId}/export.json`)).body();
    const json = page.getByRole('region', { name: 'Åpne data (JSON)' });
    await json.getByLabel('JSON-fil').setInputFiles({ name: 'verksted.json', mimeType: 'application/json', buffer: exported });
    await json.getByRole('button', { name: 'Importer JSON' }).click();
    await json.getByRole('alert').getByText('Dette verkstedet eller planen finnes allerede her.').waitFor();
    expect(await json.getByRole('link', { name: 'Åpne verkstedet som finnes' }).getAttribute('href')).toBe(`/workshops/${workshopId}`);
    await expectAccessible(page, 'import page with CSV problems and a refused JSON');
  });
});

describe.skipIf(skipE2E)('the demo workshop and its tour in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startServer();
    // What `npm start` does on an empty embedded database.
    expect(await loadDemoIfEmpty(server.database.db)).toMatch(/^[0-9a-f-]{36}$/);
    await createUser(server.database.db, { ...PLANNER, role: 'planner' });
    browser = await launchBrowser();
    page = await (await browser.newContext({ locale: 'nb-NO', viewport: { width: 1280, height: 900 } })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('[DEMO-1] a new planner is welcomed with a tour of the demo that can be dismissed for good', async () => {
    await logIn(page, server.url);
    const tour = page.getByRole('region', { name: 'Velkommen til Innspill' });
    await tour.waitFor();
    await tour.getByText('«Bærum 2040 — politisk verksted (demo)»', { exact: false }).waitFor();
    const steps = tour.getByRole('listitem');
    expect(await steps.count()).toBe(5);
    expect(await tour.getByRole('heading', { level: 3 }).allTextContents()).toEqual(['Planen', 'Verkstedet', 'Syntesen', 'Plasser lappene', 'Plenum og deltakere']);
    await tour.getByText('de 28 plakatene', { exact: false }).waitFor();
    // [PLACE-1] The tour counts what waits for a place and what has a suggestion, and leads to the placement page.
    await tour.getByText(/\d+ lapper venter på plass – \d+ har et forslag\./).waitFor();
    const demoId = (await tour.getByRole('link', { name: 'Syntesen' }).getAttribute('href'))!.split('/')[2]!;
    expect(await tour.getByRole('link', { name: 'Plasser lappene' }).getAttribute('href')).toBe(`/workshops/${demoId}/place`);
    expect(await tour.getByRole('link', { name: 'Verkstedet' }).getAttribute('href')).toBe(`/workshops/${demoId}`);
    await expectAccessible(page, 'plans with the demo tour');
    await screenshot(page, 'plans-tour-1280');
    await at320(page, 'plans-tour');

    // The tour's step to the plan leads to the four perspectives.
    await tour.getByRole('link', { name: 'Planen' }).click();
    await page.getByRole('heading', { level: 1, name: 'Kommuneplanens samfunnsdel 2040' }).waitFor();
    await page.getByRole('heading', { level: 2, name: /Bærum som organisasjon/ }).waitFor();
    await page.goBack();

    await tour.getByRole('button', { name: 'Lukk omvisningen' }).click();
    await expect.poll(() => tour.count()).toBe(0);
    await page.getByRole('status').getByText('Omvisningen er lukket.').waitFor();
    await page.reload();
    await page.getByRole('link', { name: 'Kommuneplanens samfunnsdel 2040' }).waitFor();
    expect(await page.getByRole('region', { name: 'Velkommen til Innspill' }).count()).toBe(0);
  });
});
