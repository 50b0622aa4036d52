import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPosterTexts } from '../../src/domain/workshops.js';
import { createUser } from '../../src/server/auth/auth.service.js';
import { createWorkshopFixture, type WorkshopFixture } from '../../src/server/testing/workshopFixture.js';
import { skipE2E, expectAccessible, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

const phone: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'nb-NO' };
const tablet: BrowserContextOptions = { viewport: { width: 820, height: 1180 }, isMobile: true, hasTouch: true, locale: 'nb-NO' };
const laptop: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'nb-NO' };
const projector: BrowserContextOptions = { viewport: { width: 1920, height: 1080 }, locale: 'nb-NO' };
const FACILITATOR = { email: 'frida@baerum.kommune.no', password: 'et langt passord', name: 'Frida Fasilitator' };

/** Every lapp text per card (and the general box), in order: what a person at the table sees. */
const lapperPerPlace = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('li.poster-card, section.general-box')].map((place) => ({
      place: place.querySelector('h3, h2')?.textContent ?? '',
      lapper: [...place.querySelectorAll('.lapp-text')].map((text) => text.textContent ?? ''),
    })),
  );

const card = (page: Page, label: string) => page.locator('li.poster-card', { has: page.getByRole('heading', { name: label, exact: true }) });
const lappTexts = (page: Page, label: string) => card(page, label).locator('.lapp-text').allTextContents();
const announcements = (page: Page) => page.locator('.visually-hidden[aria-live="polite"]').textContent();
const connected = (page: Page) => page.getByRole('status').filter({ hasText: 'Tilkoblet' }).waitFor();

describe.skipIf(skipE2E)('live workshop in Chromium: four devices at one table and the plenary screen', () => {
  let server: RunningServer;
  let browser: Browser;
  let fixture: WorkshopFixture;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const db = server.database.db;
    fixture = await createWorkshopFixture(db, { starBudget: 5 });
    // Room for five stars and one more: six strategies and an arealstrategi on Del 2.
    await db
      .insertInto('items')
      .values([
        ...[4, 5, 6].map((n) => ({ id: randomUUID(), perspective_id: fixture.perspectiveId, kind: 'strategy' as const, position: n - 1, text: `Strategi ${n}` })),
        { id: randomUUID(), perspective_id: fixture.perspectiveId, kind: 'land_use_strategy' as const, position: 0, text: 'Fortetting rundt kollektivknutepunkter' },
      ])
      .execute();
    for (const [part, texts] of Object.entries(defaultPosterTexts)) {
      await db.updateTable('posters').set({ instructions: texts.instructions, box_prompt: texts.boxPrompt }).where('workshop_id', '=', fixture.workshopId).where('part', '=', part as 'goals').execute();
    }
    const facilitator = await createUser(db, { ...FACILITATOR, role: 'facilitator' });
    await db.updateTable('groups').set({ facilitator_user_id: facilitator.id }).where('id', '=', fixture.groups[0]!.id).execute();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  const newContext = async (options: BrowserContextOptions) => {
    const context = await browser.newContext(options);
    contexts.push(context);
    return context;
  };

  /** A participant's device, joined through the personal-link endpoint (the cookie lands in the context). */
  const participantDevice = async (name: string, options: BrowserContextOptions) => {
    const context = await newContext(options);
    const participant = fixture.groups[0]!.participants.find((p) => p.name === name)!;
    const { access_token } = await server.database.db.selectFrom('participants').select('access_token').where('id', '=', participant.id).executeTakeFirstOrThrow();
    const joined = await context.request.post(`${server.url}/api/join/personal`, { data: { token: access_token } });
    expect(joined.status(), await joined.text()).toBe(200);
    return { context, participant, page: await context.newPage() };
  };

  it('A writes, B sees it live, B spends the star budget, the facilitator moves A’s lapp, A writes offline, and everyone converges', async () => {
    const { workshopId, goalsPosterId, strategiesPosterId } = fixture;
    const posterUrl = (posterId: string) => `${server.url}/w/${workshopId}/posters/${posterId}`;

    const a = await participantDevice('Stein', phone);
    const b = await participantDevice('Dina', phone);
    const c = await participantDevice('Kari', tablet);
    const f = { context: await newContext(laptop) } as { context: BrowserContext; page: Page };
    const login = await f.context.request.post(`${server.url}/api/auth/login`, { data: { email: FACILITATOR.email, password: FACILITATOR.password } });
    expect(login.status()).toBe(200);
    f.page = await f.context.newPage();

    // The participant's start page lists the group's posters by perspective.
    await b.page.goto(`${server.url}/w/${workshopId}`);
    await b.page.getByRole('heading', { level: 2, name: 'Sosial bærekraft' }).waitFor();
    await connected(b.page);
    await expectAccessible(b.page, 'participant poster list');
    await b.page.getByRole('link', { name: /Del 1: Delmål/ }).click();
    await b.page.getByRole('heading', { level: 1, name: 'Sosial bærekraft – Del 1: Delmål' }).waitFor();

    for (const device of [a, c]) await device.page.goto(posterUrl(goalsPosterId));
    await f.page.goto(`${server.url}/facilitate/${workshopId}?poster=${goalsPosterId}`);
    for (const page of [a.page, b.page, c.page, f.page]) await connected(page);

    // ---- A writes a lapp on Delmål 1; B, C and the facilitator see it without reloading ----
    const first = 'Delmålet bør nevne psykisk helse';
    await card(a.page, 'Delmål 1').getByRole('button', { name: 'Skriv lapp: Delmål 1' }).click();
    await card(a.page, 'Delmål 1').getByLabel('Tekst').fill(first);
    await card(a.page, 'Delmål 1').getByRole('button', { name: 'Legg til lapp' }).click();
    await expect.poll(() => lappTexts(a.page, 'Delmål 1')).toEqual([first]);
    const focusedBefore = await b.page.evaluate(() => document.activeElement?.tagName);
    for (const page of [b.page, c.page, f.page]) await expect.poll(() => lappTexts(page, 'Delmål 1')).toEqual([first]);
    await expect.poll(() => announcements(b.page)).toBe('Ny lapp fra Stein på Delmål 1');
    expect(await b.page.evaluate(() => document.activeElement?.tagName)).toBe(focusedBefore);
    await expect.poll(() => a.page.locator('.badge.unsaved').count()).toBe(0);
    await expectAccessible(b.page, 'participant poster at 360 px');

    // ---- B stars until the budget is spent; the sixth star is disabled with the reason, and the server refuses it too ----
    await b.page.goto(posterUrl(strategiesPosterId));
    await connected(b.page);
    const starsLeft = b.page.locator('.stars-left');
    await expect.poll(() => starsLeft.textContent()).toContain('Du har 5 av 5 stjerner igjen');
    for (const n of [1, 2, 3, 4, 5]) await b.page.getByRole('button', { name: `Gi stjerne: Strategi ${n}` }).click();
    await expect.poll(() => starsLeft.textContent()).toContain('Du har 0 av 5 stjerner igjen');
    expect(await b.page.getByRole('button', { name: 'Ta tilbake stjerne: Strategi 3' }).getAttribute('aria-pressed')).toBe('true');
    const sixth = b.page.getByRole('button', { name: 'Gi stjerne: Strategi 6' });
    expect(await sixth.isDisabled()).toBe(true);
    expect(await sixth.getAttribute('aria-pressed')).toBe('false');
    await b.page.getByText('Du har brukt alle stjernene dine på denne plakaten.').waitFor();
    expect(await b.page.getByRole('button', { name: 'Gi stjerne: Arealstrategi 1' }).isDisabled()).toBe(true);
    await expect.poll(() => b.page.locator('.badge.unsaved').count()).toBe(0);
    const stored = await server.database.db.selectFrom('stars').select('id').where('participant_id', '=', b.participant.id).execute();
    expect(stored).toHaveLength(5);
    const session = (await (await b.context.request.get(`${server.url}/api/participant/session`)).json()) as { csrfToken: string };
    const extra = await b.context.request.post(`${server.url}/api/workshops/${workshopId}/commands`, {
      headers: { 'x-csrf-token': session.csrfToken },
      data: { commandId: randomUUID(), command: { type: 'star.give', starId: randomUUID(), posterId: strategiesPosterId, itemId: await lastStrategy() } },
    });
    expect(extra.status()).toBe(409);
    expect(((await extra.json()) as { error: { code: string } }).error.code).toBe('star_budget_exhausted');
    await expectAccessible(b.page, 'participant star poster');
    await screenshot(b.page, 'live-participant-stars-360');

    // ---- With no stars left, B can still agree with A's lapp ("Enig") ----
    await b.page.getByRole('link', { name: /Alle plakatene/ }).click();
    await b.page.getByRole('link', { name: /Del 1: Delmål/ }).click();
    const agree = card(b.page, 'Delmål 1').getByRole('button', { name: 'Enig: lappen fra Stein' });
    await agree.click();
    await expect.poll(() => agree.getAttribute('aria-pressed')).toBe('true');
    await card(a.page, 'Delmål 1').getByText('Enig: Dina').waitFor();

    // ---- The facilitator moves A's lapp to Delmål 2 by keyboard-operable select; it moves on A's screen ----
    const lappOnF = card(f.page, 'Delmål 1').locator('li.lapp', { hasText: first });
    await lappOnF.getByLabel('Flytt til').selectOption({ label: 'Delmål 2' });
    await lappOnF.getByRole('button', { name: 'Flytt: lappen fra Stein' }).click();
    await expect.poll(() => lappTexts(a.page, 'Delmål 2')).toEqual([first]);
    await expect.poll(() => lappTexts(a.page, 'Delmål 1')).toEqual([]);
    await expect.poll(() => announcements(a.page)).toContain('er flyttet til Delmål 2');

    // ---- The facilitator writes a Notat, writes for Kari in the box, and starts the round timer ----
    await f.page.getByLabel('Skriv notat').fill('Gruppen er enig om at psykisk helse må med.');
    await f.page.getByRole('button', { name: 'Lagre notat' }).click();
    await f.page.getByLabel('Skriv for:').selectOption({ label: 'Kari' });
    const box = f.page.locator('section.general-box');
    await box.getByRole('button', { name: 'Skriv lapp: Boksen nederst' }).click();
    await box.getByLabel('Type lapp').selectOption({ label: 'Forslag til nytt delmål' });
    await box.getByLabel('Tekst').fill('Alle skal ha en meningsfull fritid');
    await box.getByRole('button', { name: 'Legg til lapp' }).click();
    await f.page.getByLabel('Minutter').fill('10');
    await f.page.getByRole('button', { name: 'Start runden' }).click();
    await c.page.locator('section.general-box').getByText('Alle skal ha en meningsfull fritid').waitFor();
    await c.page.locator('section.notes-panel').getByText('Gruppen er enig om at psykisk helse må med.').waitFor();
    await c.page.getByRole('timer').waitFor();
    await expect.poll(() => c.page.getByRole('timer').textContent()).toMatch(/^(10:00|9:\d\d)$/);
    await expectAccessible(f.page, 'facilitator view');
    await screenshot(f.page, 'live-facilitator-1280');

    // ---- A goes offline and writes: shown at once as not yet saved, kept in localStorage ----
    const offlineText = 'Skrevet mens nettet var borte';
    await a.context.setOffline(true);
    await a.page.getByRole('status').filter({ hasText: 'Frakoblet' }).waitFor();
    await card(a.page, 'Delmål 3').getByRole('button', { name: 'Skriv lapp: Delmål 3' }).click();
    await card(a.page, 'Delmål 3').getByLabel('Tekst').fill(offlineText);
    await card(a.page, 'Delmål 3').getByRole('button', { name: 'Legg til lapp' }).click();
    const pendingLapp = card(a.page, 'Delmål 3').locator('li.lapp', { hasText: offlineText });
    await pendingLapp.getByText('Ikke lagret ennå').waitFor();
    await a.page.getByRole('status').filter({ hasText: '1 endring venter på å bli sendt' }).waitFor();
    await card(a.page, 'Delmål 1').getByRole('button', { name: 'Skriv lapp: Delmål 1' }).click();
    await expectAccessible(a.page, 'participant offline, with a pending lapp and an open form');
    await screenshot(a.page, 'live-participant-offline-360');
    await card(a.page, 'Delmål 1').getByRole('button', { name: 'Avbryt' }).click();
    const outbox = await a.page.evaluate(() =>
      Object.keys(localStorage)
        .filter((key) => key.startsWith('innspill.outbox.'))
        .map((key) => JSON.parse(localStorage.getItem(key)!) as Array<{ commandId: string; command: { text?: string } }>),
    );
    expect(outbox.flat().map((entry) => entry.command.text)).toEqual([offlineText]);
    const commandId = outbox.flat()[0]!.commandId;
    // Nobody else has it yet.
    expect(await server.database.db.selectFrom('notes').select('id').where('text', '=', offlineText).execute()).toHaveLength(0);

    // A's page goes away while offline (a reload cannot load a page without network); the network
    // comes back and a new page on the same device sends the stored lapp, exactly once.
    await a.page.close();
    await a.context.setOffline(false);
    a.page = await a.context.newPage();
    await a.page.goto(posterUrl(goalsPosterId));
    await connected(a.page);
    await expect.poll(() => lappTexts(a.page, 'Delmål 3')).toEqual([offlineText]);
    await expect.poll(() => a.page.locator('.badge.unsaved').count()).toBe(0);
    await expect.poll(() => a.page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith('innspill.outbox.')).length)).toBe(0);
    expect(await server.database.db.selectFrom('notes').select('id').where('text', '=', offlineText).execute()).toHaveLength(1);
    expect(await server.database.db.selectFrom('processed_commands').select('seq').where('command_id', '=', commandId).execute()).toHaveLength(1);
    for (const page of [b.page, c.page, f.page]) await expect.poll(() => lappTexts(page, 'Delmål 3')).toEqual([offlineText]);

    // ---- All four show the same poster ----
    const expected = await lapperPerPlace(a.page);
    expect(expected.find((p) => p.place === 'Delmål 2')?.lapper).toEqual([first]);
    expect(expected.find((p) => p.place === 'Boksen nederst')?.lapper).toEqual(['Alle skal ha en meningsfull fritid']);
    for (const page of [b.page, c.page, f.page]) await expect.poll(() => lapperPerPlace(page)).toEqual(expected);

    // ---- Phones: no horizontal scroll at 360 or 320 px, and axe-core is clean at 320 px ----
    expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    await screenshot(a.page, 'live-participant-360');
    await a.page.setViewportSize({ width: 320, height: 740 });
    expect(await a.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectAccessible(a.page, 'participant poster at 320 px');
    await screenshot(a.page, 'live-participant-320');

    // ---- The plenary screen shows every group's counts live, and the join code ----
    const v = await newContext(projector);
    const plenary = await v.newPage();
    await plenary.goto(`${server.url}/view/${fixture.viewerToken}`);
    await connected(plenary);
    const cell = (poster: string, row: string, group = 'Gruppe 1') => plenary.locator(`table[data-poster-id="${poster}"] td[data-group="${group}"][data-row="${row}"]`);
    await expect.poll(() => cell(goalsPosterId, 'Delmål 2').textContent()).toContain('1 lapp');
    await expect.poll(() => cell(goalsPosterId, 'Delmål 3').textContent()).toContain('1 lapp');
    await expect.poll(() => cell(goalsPosterId, 'Boksen nederst').textContent()).toContain('1 lapp');
    await expect.poll(() => cell(strategiesPosterId, 'Strategi 1').textContent()).toContain('1 stjerne');
    await expect.poll(() => cell(strategiesPosterId, 'Strategi 6').textContent()).toContain('0 stjerner');
    const code = await server.database.db.selectFrom('workshops').select('join_code').where('id', '=', workshopId).executeTakeFirstOrThrow();
    await plenary.getByText(`${code.join_code.slice(0, 3)} ${code.join_code.slice(3)}`).waitFor();
    // Live: a new lapp from C shows up on the projector without a reload.
    await card(c.page, 'Delmål 1').getByRole('button', { name: 'Skriv lapp: Delmål 1' }).click();
    await card(c.page, 'Delmål 1').getByLabel('Tekst').fill('<img src=x onerror=alert(1)>');
    await card(c.page, 'Delmål 1').getByRole('button', { name: 'Legg til lapp' }).click();
    await expect.poll(() => cell(goalsPosterId, 'Delmål 1').textContent()).toContain('1 lapp');
    await plenary.locator('.feed').getByText('<img src=x onerror=alert(1)>').waitFor();
    await expect.poll(() => lappTexts(a.page, 'Delmål 1')).toEqual(['<img src=x onerror=alert(1)>']);
    // An alternative wording starts from the item's own text and shows as a word diff on every device.
    const reword = card(c.page, 'Delmål 2');
    await reword.getByRole('button', { name: 'Skriv lapp: Delmål 2' }).click();
    await reword.getByLabel('Type lapp').selectOption({ label: 'Alternativ formulering' });
    const wording = reword.getByLabel('Din formulering (rediger teksten)');
    expect(await wording.inputValue()).toBe('Delmål 2');
    await wording.fill('Delmål 2, også for eldre');
    await reword.getByRole('button', { name: 'Legg til lapp' }).click();
    await expect.poll(() => card(a.page, 'Delmål 2').locator('li.lapp-rewording ins').allTextContents()).toEqual([expect.stringContaining('også for eldre')]);
    await expect.poll(() => cell(goalsPosterId, 'Delmål 2').textContent()).toContain('2 lapper');
    await expectAccessible(plenary, 'plenary screen');
    await screenshot(plenary, 'live-plenary-1920');

    // ---- The workshop closes: a write is refused with a clear message (the text is kept), then the poster is read-only ----
    await server.database.db.updateTable('workshops').set({ state: 'closed' }).where('id', '=', workshopId).execute();
    await card(a.page, 'Delmål 1').getByRole('button', { name: 'Skriv lapp: Delmål 1' }).click();
    await card(a.page, 'Delmål 1').getByLabel('Tekst').fill('For sent');
    await card(a.page, 'Delmål 1').getByRole('button', { name: 'Legg til lapp' }).click();
    const refusal = a.page.locator('.rejections[role="alert"]');
    await refusal.getByText('Lappen «For sent» ble ikke lagret. Verkstedet er avsluttet, og kan ikke lenger endres.').waitFor();
    await expect.poll(() => lappTexts(a.page, 'Delmål 1')).toEqual(['<img src=x onerror=alert(1)>']);
    // [LIVE-18] The refused text stays there to copy, also after a reload, until it is closed.
    expect(await refusal.getByRole('textbox', { name: 'Teksten din, til å kopiere' }).inputValue()).toBe('For sent');
    await refusal.getByRole('button', { name: 'Kopier: Teksten din, til å kopiere' }).waitFor();
    await expectAccessible(a.page, 'a refused lapp with its text to copy');
    await screenshot(a.page, 'live-participant-refused-360');
    await a.page.reload();
    await refusal.getByText('Lappen «For sent» ble ikke lagret.').waitFor();
    await refusal.getByRole('button', { name: 'Lukk' }).click();
    await a.page.reload();
    await a.page.getByText('Verkstedet er avsluttet. Du kan lese alt, men ikke endre noe.').waitFor();
    expect(await a.page.getByRole('button', { name: /Skriv lapp/ }).count()).toBe(0);
    expect(await a.page.getByRole('button', { name: /Enig/ }).count()).toBe(0);
    expect(await lapperPerPlace(a.page)).toEqual(await lapperPerPlace(c.page));
  });

  /** The last strategy on Del 2, which B has not starred. */
  async function lastStrategy(): Promise<string> {
    const row = await server.database.db
      .selectFrom('items')
      .select('id')
      .where('perspective_id', '=', fixture.perspectiveId)
      .where('kind', '=', 'strategy')
      .where('text', '=', 'Strategi 6')
      .executeTakeFirstOrThrow();
    return row.id;
  }
});
