import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/domain/actors.js';
import { WriteRateLimiter } from '../../src/domain/rateLimit.js';
import { createUser } from '../../src/server/auth/auth.service.js';
import { executeCommand } from '../../src/server/live/commands.service.js';
import type { Command } from '../../src/contract/protocol.js';
import { assessNote } from '../../src/server/synthesis/assessments.service.js';
import { createWorkshopFixture, type WorkshopFixture } from '../../src/server/testing/workshopFixture.js';
import { skipE2E, expectAccessible, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

const PLANNER = { email: 'per@baerum.kommune.no', password: 'et langt passord', name: 'Per Planlegger' };
const FACILITATOR = { email: 'frida@baerum.kommune.no', password: 'et langt passord', name: 'Frida Fasilitator' };
const TEXT = {
  jordvern: 'Jordvern må inn som eget delmål',
  matjord: 'Ta vare på dyrket mark og matjord',
  bolig: 'Mer bolig for unge i alle deler av kommunen',
  ordlyd: 'Delmål 3 for alle innbyggere',
  boks: 'Savner et delmål om kultur',
};

const noteTexts = (page: Page) => page.locator('.syn-main .syn-note-text').allTextContents();
const progressText = (page: Page) => page.locator('.syn-progress label').textContent();
const announcements = (page: Page) => page.locator('.visually-hidden[aria-live="polite"]').textContent();
const itemCard = (page: Page, label: string) => page.locator('li.syn-item', { has: page.getByRole('heading', { level: 3, name: label, exact: true }) });
/** The card of the lapp with this text itself, not of a lapp it answers (replies are nested inside their lapp's card). */
const noteCard = (page: Page, text: string) => page.locator('.syn-main li.syn-note', { has: page.locator(':scope > .syn-note-text', { hasText: new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });

describe.skipIf(skipE2E)('synthesis in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let fixture: WorkshopFixture;
  let context: BrowserContext;
  let page: Page;
  const notes: Record<string, string> = {};

  const overviewUrl = () => `${server.url}/workshops/${fixture.workshopId}/synthesis`;

  const login = async (target: Page, user: { email: string; password: string }) => {
    await target.goto(`${server.url}/login`);
    await target.getByLabel('E-post').fill(user.email);
    await target.getByLabel('Passord').fill(user.password);
    await target.getByRole('button', { name: 'Logg inn' }).click();
    await target.getByRole('heading', { level: 1, name: 'Planer' }).waitFor();
  };

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const db = server.database.db;
    fixture = await createWorkshopFixture(db);
    await db.updateTable('workshops').set({ opened_at: new Date(Date.now() - 60_000) }).where('id', '=', fixture.workshopId).execute();
    await db.updateTable('participants').set({ party: 'Rødt' }).where('name', 'in', ['Stein', 'Ola']).execute();
    await db.updateTable('participants').set({ party: 'Høyre' }).where('name', 'in', ['Dina', 'Signe']).execute();

    const limiter = new WriteRateLimiter(10_000, 10_000);
    const write = (actor: Actor, command: Command) => executeCommand(db, limiter, actor, fixture.workshopId, randomUUID(), command);
    // The near-duplicate kept is the one whose id sorts first: Dina's lapp, not Signe's copy.
    const ids: Record<string, string> = { bolig: `0${randomUUID().slice(1)}`, kopi: `f${randomUUID().slice(1)}` };
    const lapp = async (key: string, actor: Actor, text: string, itemIds: string[], kind: 'comment' | 'rewording' = 'comment') => {
      notes[key] = ids[key] ?? randomUUID();
      await write(actor, { type: 'note.create', noteId: notes[key]!, posterId: fixture.goalsPosterId, itemIds, kind, text });
    };
    const [stein, dina, kari] = fixture.groups[0]!.participants.map((p) => p.actor);
    const [ola, signe] = fixture.groups[1]!.participants.map((p) => p.actor);
    const [d1, d2, d3] = fixture.subGoalIds;
    await lapp('jordvern', stein!, TEXT.jordvern, [d1!]);
    await lapp('matjord', ola!, TEXT.matjord, [d1!]);
    await lapp('bolig', dina!, TEXT.bolig, [d2!]);
    await lapp('kopi', signe!, TEXT.bolig, [d2!]);
    await lapp('ordlyd', kari!, TEXT.ordlyd, [d3!], 'rewording');
    await lapp('boks', stein!, TEXT.boks, []);
    for (const [actor, item] of [[stein, 0], [dina, 0], [ola, 0], [signe, 1]] as const) {
      await write(actor!, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[item]! });
    }

    await createUser(db, { ...PLANNER, role: 'planner' });
    const facilitator = await createUser(db, { ...FACILITATOR, role: 'facilitator' });
    await db.updateTable('groups').set({ facilitator_user_id: facilitator.id }).where('id', '=', fixture.groups[0]!.id).execute();

    context = await browser.newContext({ locale: 'nb-NO', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows every lapp per item with stars, filters by group in the URL, and finds "bolig" when searching "boliger"', async () => {
    await login(page, PLANNER);
    await page.goto(overviewUrl());
    await page.getByRole('heading', { level: 1, name: 'Syntese: Politisk verksted' }).waitFor();
    expect(await progressText(page)).toBe('0 av 6 vurdert');
    expect(await noteTexts(page)).toEqual([TEXT.jordvern, TEXT.matjord, TEXT.bolig, TEXT.bolig, TEXT.ordlyd, TEXT.boks]);

    // Strategi 1: three stars from two groups and two parties, each bar with its number as text.
    const strategy1 = itemCard(page, 'Strategi 1');
    await strategy1.getByText('3 stjerner').waitFor();
    const byGroup = strategy1.getByRole('table', { name: 'Stjerner per gruppe' });
    expect(await byGroup.getByRole('row').allTextContents()).toEqual(['Gruppe 12', 'Gruppe 21']);
    expect(await strategy1.getByRole('table', { name: 'Stjerner per parti' }).getByRole('row').allTextContents()).toEqual(['Rødt2', 'Høyre1']);
    // The alternative wording is shown as a word diff against the current text.
    expect(await noteCard(page, TEXT.ordlyd).locator('ins').allTextContents()).toEqual([expect.stringContaining('for alle innbyggere')]);
    await expectAccessible(page, 'synthesis overview');
    await screenshot(page, 'synthesis-1280');

    await page.getByLabel('Gruppe', { exact: true }).selectOption({ label: 'Gruppe 2' });
    await expect.poll(() => new URL(page.url()).searchParams.get('groupId')).toBe(fixture.groups[1]!.id);
    await expect.poll(() => noteTexts(page)).toEqual([TEXT.matjord, TEXT.bolig]);
    await page.reload();
    await expect.poll(() => noteTexts(page)).toEqual([TEXT.matjord, TEXT.bolig]);
    expect(await page.getByLabel('Gruppe', { exact: true }).inputValue()).toBe(fixture.groups[1]!.id);

    await page.getByRole('button', { name: 'Nullstill filtrene' }).click();
    await expect.poll(() => noteTexts(page)).toHaveLength(6);
    await page.getByLabel('Søk i lappene').fill('boliger');
    await page.getByLabel('Søk i lappene').press('Enter');
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('boliger');
    await expect.poll(() => noteTexts(page)).toEqual([TEXT.bolig, TEXT.bolig]);
    await page.getByText('2 lapper passer').first().waitFor();
  });

  it('computes themes, shows the time it took, filters by a theme and merges a near-duplicate', async () => {
    await page.goto(overviewUrl());
    await page.getByRole('button', { name: 'Beregn temaer' }).click();
    await page.getByText(/beregnet på \d+ ms/).waitFor();
    const themeLinks = page.locator('.syn-theme-list a');
    await expect.poll(() => themeLinks.count()).toBeGreaterThan(0);
    await themeLinks.first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('themeKey')).not.toBeNull();
    await page.getByRole('heading', { name: /^Valgt tema:/ }).waitFor();
    await page.getByRole('link', { name: 'Vis lapper fra alle temaer' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('themeKey')).toBeNull();

    await page.getByRole('button', { name: 'Finn nesten like lapper' }).click();
    const pair = page.locator('.syn-pairs li').first();
    await pair.getByText('Likhet: 100 %').waitFor();
    await pair.getByRole('button', { name: /^Slå sammen:/ }).click();
    await expect.poll(() => progressText(page)).toBe('0 av 5 vurdert');
    await page.getByText('Fant ingen nesten like lapper.').or(page.locator('.syn-pairs li')).first().waitFor();
  });

  it('walks through the unassessed lapper by keyboard: 1–5, the justification, Ctrl+Enter, "Hopp over"', async () => {
    await page.getByRole('link', { name: 'Gå gjennom uvurderte' }).click();
    const heading = page.getByRole('heading', { level: 2 });
    await expect.poll(() => heading.textContent()).toBe('Delmål 1 · Sosial bærekraft');
    await page.locator('.syn-walk-text', { hasText: TEXT.jordvern }).waitFor();
    await expectAccessible(page, 'walk-through');
    await screenshot(page, 'synthesis-walk-1280');

    await page.keyboard.press('2');
    expect(await page.getByRole('radio', { name: 'Delvis tatt til følge' }).isChecked()).toBe(true);
    // A choice moves focus to the justification; digits typed there are text, not choices.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    // Another choice: back to the radios with Shift+Tab, then a digit.
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('1');
    expect(await page.getByRole('radio', { name: 'Tatt til følge', exact: true }).isChecked()).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.type('Tatt inn i delmål 1 fra 2025');
    expect(await page.getByRole('radio', { name: 'Tatt til følge', exact: true }).isChecked()).toBe(true);
    await page.keyboard.press('Control+Enter');

    await page.locator('.syn-walk-text', { hasText: TEXT.matjord }).waitFor();
    await expect.poll(() => progressText(page)).toBe('1 av 5 vurdert');
    await expect.poll(() => announcements(page)).toContain('Vurdering lagret: Tatt til følge. 1 av 5 vurdert');
    // Focus moved to the next lapp's heading, so the screen reader reads where we are.
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H2');

    await page.getByRole('button', { name: 'Hopp over' }).click();
    await page.locator('.syn-walk-text', { hasText: TEXT.bolig }).waitFor();
    await expect.poll(() => announcements(page)).toContain('Hoppet over');

    await page.getByRole('link', { name: 'Oversikt' }).click();
    await noteCard(page, TEXT.jordvern).getByText('Vurdert: Tatt til følge av Per Planlegger').waitFor();
  });

  it('assesses a lapp in the overview and shows a newer assessment instead of overwriting it (409)', async () => {
    const bolig = noteCard(page, TEXT.bolig);
    await bolig.getByLabel('Vurdering', { exact: true }).selectOption({ label: 'Ikke tatt til følge' });
    await bolig.getByLabel('Begrunnelse').fill('Dekkes av boligstrategien');
    await bolig.getByRole('button', { name: 'Lagre vurdering' }).click();
    await bolig.getByText('Vurdert: Ikke tatt til følge').waitFor();
    await expect.poll(() => progressText(page)).toBe('2 av 5 vurdert');

    // Another planner changes it meanwhile; our next save is refused and theirs is shown.
    await assessNote(fixture.planner.actor, notes.bolig!, { status: 'partly', justification: 'Delvis, se strategi 2', version: 1 }, server.database.db);
    await bolig.getByLabel('Begrunnelse').fill('Dekkes av boligstrategien, se kapittel 4');
    await bolig.getByRole('button', { name: 'Lagre vurdering' }).click();
    await bolig.getByRole('alert').getByText('Noen andre vurderte lappen først:').waitFor();
    expect(await bolig.getByRole('alert').textContent()).toContain('Delvis tatt til følge: «Delvis, se strategi 2»');
    await bolig.getByRole('button', { name: 'Lagre min vurdering likevel' }).click();
    await bolig.getByText('Vurdert: Ikke tatt til følge').waitFor();
  });

  it('revises an item linking a lapp, marks it changed, and shows the lapp in the history', async () => {
    const card = itemCard(page, 'Delmål 1');
    await card.getByRole('button', { name: 'Revider teksten: Delmål 1' }).click();
    await card.getByLabel('Ny tekst').fill('Delmål 1, med jordvern');
    await card.getByRole('checkbox', { name: new RegExp(TEXT.jordvern) }).check();
    await card.getByRole('button', { name: 'Lagre revisjonen' }).click();
    await card.getByText('Endret siden verkstedet').waitFor();
    expect(await card.locator('.syn-item-text').textContent()).toBe('Delmål 1, med jordvern');
    expect(await card.locator('.syn-original ins').allTextContents()).toEqual([expect.stringContaining('med jordvern')]);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Revider teksten: Delmål 1');

    await card.getByRole('button', { name: 'Historikk: Delmål 1' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Lapper som begrunnet endringen:').waitFor();
    expect(await dialog.locator('.revision-notes li').allTextContents()).toEqual([`«${TEXT.jordvern}» – Gruppe 1, Stein`]);
    await expectAccessible(page, 'history with linked lapper');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
  });

  it('ranks items by groups and parties starring them on the consensus page', async () => {
    await page.getByRole('link', { name: 'Konsensus' }).click();
    const table = page.getByRole('table', { name: 'Punkter med stjerner, rangert' });
    await table.waitFor();
    const rows = await table.locator('tbody tr').allTextContents();
    expect(rows[0]).toMatch(/^1Strategi 1 · Sosial bærekraftStrategi 1223$/);
    expect(rows[1]).toMatch(/^2Strategi 2 · Sosial bærekraftStrategi 2111$/);
    await expectAccessible(page, 'consensus');
    await screenshot(page, 'synthesis-consensus-1280');
  });

  it('exports a participant’s data and anonymises them after a confirmation', async () => {
    await page.goto(overviewUrl());
    await page.getByText('Vis deltakerne').click();
    const kari = page.locator('.syn-participants li', { hasText: 'Kari' });
    const href = await kari.getByRole('link', { name: 'Last ned data: Kari' }).getAttribute('href');
    const data = await page.request.get(`${server.url}${href}`);
    expect(data.status()).toBe(200);
    expect((await data.json()).notes.map((n: { text: string }) => n.text)).toEqual([TEXT.ordlyd]);

    await kari.getByRole('button', { name: 'Anonymiser: Kari' }).click();
    const dialog = page.getByRole('dialog', { name: 'Anonymisere Kari?' });
    await dialog.getByText('«Deltaker, Gruppe 1»', { exact: false }).waitFor();
    await expectAccessible(page, 'anonymise confirmation');
    await dialog.getByRole('button', { name: 'Anonymiser deltakeren' }).click();
    await page.locator('.syn-participants li', { hasText: 'Deltaker, Gruppe 1' }).getByText('Anonymisert').waitFor();
    await noteCard(page, TEXT.ordlyd).getByText('Gruppe 1 · Deltaker, Gruppe 1').waitFor();
  });

  it('stays usable at 320 px', async () => {
    await page.setViewportSize({ width: 320, height: 800 });
    for (const [path, name] of [
      ['', 'synthesis-320'],
      ['/assess', 'synthesis-walk-320'],
      ['/consensus', 'synthesis-consensus-320'],
    ] as const) {
      await page.goto(`${overviewUrl()}${path}`);
      await page.locator('.syn-progress').waitFor();
      await page.waitForLoadState('networkidle');
      expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(320);
      await expectAccessible(page, `${name}`);
      await screenshot(page, name);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('renames a theme (kept through a recomputation) and assesses the rest of a theme at once', async () => {
    await page.goto(overviewUrl());
    await page.locator('.syn-theme-list a').first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('themeKey')).not.toBeNull();
    const themeKey = new URL(page.url()).searchParams.get('themeKey')!;
    const tools = page.getByRole('group', { name: /^Valgt tema:/ });
    await tools.getByText('Gi temaet navn (blir overskrift i rapporten)').click();
    await tools.getByLabel('Navn', { exact: true }).fill('Arealbruk og boliger');
    await tools.getByRole('button', { name: 'Lagre navnet' }).click();
    await page.locator('.syn-theme-list a', { hasText: 'Arealbruk og boliger' }).waitFor();
    await page.getByRole('button', { name: 'Beregn temaer' }).click();
    await page.getByText(/beregnet på \d+ ms/).waitFor();
    await page.locator('.syn-theme-list a', { hasText: 'Arealbruk og boliger' }).waitFor();

    await tools.getByText('Vurder hele temaet').click();
    await tools.getByLabel('Vurdering', { exact: true }).selectOption({ label: 'Allerede ivaretatt' });
    await tools.getByLabel('Begrunnelse').fill('Dekket av planens strategier');
    await expectAccessible(page, 'theme tools');
    await screenshot(page, 'synthesis-themes-1280');
    await tools.getByRole('button', { name: 'Vurder lappene i temaet' }).click();
    await expect.poll(() => announcements(page)).toMatch(/\d+ lapp(er)? er vurdert\./);
    await page.goto(`${overviewUrl()}?themeKey=${encodeURIComponent(themeKey)}&status=unassessed`);
    await page.getByText('0 lapper passer').first().waitFor();
    // What was assessed before keeps its own assessment.
    await page.goto(`${overviewUrl()}?q=bolig`);
    await noteCard(page, TEXT.bolig).getByText('Vurdert: Ikke tatt til følge').waitFor();
  });

  it('shows a facilitator the synthesis without assessment or revision controls', async () => {
    const facilitatorContext = await browser.newContext({ locale: 'nb-NO' });
    const facilitatorPage = await facilitatorContext.newPage();
    await login(facilitatorPage, FACILITATOR);
    await facilitatorPage.goto(overviewUrl());
    await facilitatorPage.getByText('Bare planleggere kan vurdere innspill').waitFor();
    await noteCard(facilitatorPage, TEXT.jordvern).getByText('Tatt til følge', { exact: true }).waitFor();
    expect(await facilitatorPage.getByRole('button', { name: 'Lagre vurdering' }).count()).toBe(0);
    expect(await facilitatorPage.getByRole('button', { name: /^Revider teksten/ }).count()).toBe(0);
    expect(await facilitatorPage.getByRole('button', { name: 'Beregn temaer' }).count()).toBe(0);
    expect(await facilitatorPage.getByRole('heading', { name: 'Personvern' }).count()).toBe(0);
    await facilitatorContext.close();
  });

  it('shows a participant what happened to their input, and a stranger the way to join', async () => {
    const participantContext = await browser.newContext({ locale: 'nb-NO', viewport: { width: 320, height: 800 } });
    const dina = fixture.groups[0]!.participants.find((p) => p.name === 'Dina')!;
    const { access_token } = await server.database.db.selectFrom('participants').select('access_token').where('id', '=', dina.id).executeTakeFirstOrThrow();
    expect((await participantContext.request.post(`${server.url}/api/join/personal`, { data: { token: access_token } })).status()).toBe(200);
    const participantPage = await participantContext.newPage();
    await participantPage.goto(`${server.url}/outcome`);
    await participantPage.getByRole('heading', { level: 1, name: 'Hva skjedde med innspillene dine' }).waitFor();
    const lapp = participantPage.locator('.outcome-note', { hasText: TEXT.bolig });
    await lapp.getByText('Ikke tatt til følge', { exact: true }).waitFor();
    await lapp.getByText('Dekkes av boligstrategien, se kapittel 4').waitFor();
    await participantPage.getByText('1 av 1 lapp er vurdert.').waitFor();
    expect(await participantPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectAccessible(participantPage, 'outcome');
    await screenshot(participantPage, 'outcome-320');
    await participantContext.close();

    const strangerContext = await browser.newContext({ locale: 'nb-NO' });
    const stranger = await strangerContext.newPage();
    await stranger.goto(`${server.url}/outcome`);
    await stranger.getByRole('link', { name: 'Bli med i et verksted' }).waitFor();
    await expectAccessible(stranger, 'outcome without a session');
    await strangerContext.close();
  });
});
