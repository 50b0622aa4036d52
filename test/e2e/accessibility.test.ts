import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, startSession } from '../../src/server/auth/auth.service.js';
import { SESSION_COOKIE } from '../../src/server/auth/auth.routes.js';
import type { Workshop } from '../../src/contract/workshops.schema.js';
import { checkedPages, CHECK_WIDTHS, expectAccessible, launchBrowser, screenshot, skipE2E, startServer, type RunningServer } from './harness.js';

/**
 * [A11Y-1] Every page of the app, in nynorsk, checked by axe-core and HTML_CodeSniffer at 320 px
 * and desktop width; [A11Y-2] a keyboard-only journey with focus visible at each step. The pages
 * checked are written to dist/accessibility-check.json for the release routine
 * (`npm run release:accessibility`), which puts them in the accessibility statement.
 */

const LAPP = 'Delmålet må nemne psykisk helse for unge';
const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;

/** The focused element: visibly marked (an outline or box shadow it does not have unfocused), and matching :focus-visible. */
async function expectFocusVisible(page: Page, step: string) {
  const focus = await page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    if (!element || element === document.body) return null;
    const look = (e: Element) => {
      const style = getComputedStyle(e);
      return { outline: style.outlineStyle === 'none' || style.outlineWidth === '0px' ? 'none' : `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}`, shadow: style.boxShadow };
    };
    // The same element unfocused: a copy beside it, removed at once.
    const copy = element.cloneNode(true) as HTMLElement;
    copy.removeAttribute('id');
    element.parentElement!.insertBefore(copy, element);
    const unfocused = look(copy);
    copy.remove();
    return { focused: look(element), unfocused, focusVisible: element.matches(':focus-visible'), what: element.outerHTML.slice(0, 100) };
  });
  expect(focus, `${step}: something has focus`).not.toBeNull();
  expect(focus!.focusVisible, `${step}: ${focus!.what} matches :focus-visible`).toBe(true);
  expect(focus!.focused.outline !== 'none' || focus!.focused.shadow !== 'none', `${step}: ${focus!.what} has an outline or shadow`).toBe(true);
  expect(focus!.focused, `${step}: ${focus!.what} looks different focused`).not.toEqual(focus!.unfocused);
}

/** Presses Tab until the focused element fits `matches`, at most `limit` times. */
async function tabTo(page: Page, matches: (element: { text: string; label: string; tag: string }) => boolean, what: string, limit = 60) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement as HTMLElement | null;
      return { text: e?.innerText?.trim() ?? '', label: e?.getAttribute('aria-label') ?? '', tag: e?.tagName.toLowerCase() ?? '' };
    });
    if (matches(focused)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

describe.skipIf(skipE2E)('accessibility of every page, in nynorsk', () => {
  let server: RunningServer;
  let browser: Browser;
  let plannerContext: BrowserContext;
  let participantContext: BrowserContext;
  let workshop: Workshop;
  let plannerHeaders: Record<string, string>;
  let planId: string;

  const api = async <T,>(method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object): Promise<T> => {
    const response = await server.app.inject({ method, url, headers: plannerHeaders, payload });
    if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json() as T;
  };

  /** A browser that has chosen nynorsk. */
  async function nynorskContext(): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nn-NO' });
    await context.addInitScript(() => localStorage.setItem('innspill.language', 'nn'));
    return context;
  }

  /** Opens a page, waits for its h1 (and `ready`, when given), checks it and remembers that it did. */
  async function check(page: Page, path: string, name: string, ready?: () => Promise<unknown>) {
    if (path) await page.goto(`${server.url}${path}`);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    if (ready) await ready();
    expect(await page.evaluate(() => document.documentElement.lang), `${name}: <html lang>`).toBe('nn');
    await expectAccessible(page, name);
  }

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const db = server.database.db;
    planId = randomUUID();
    const perspectiveId = randomUUID();
    await db.insertInto('plans').values({ id: planId, title: 'Kommuneplan 2040', municipality: 'Voss', horizon_year: 2040 }).execute();
    await db.insertInto('perspectives').values({ id: perspectiveId, plan_id: planId, position: 0, title: 'Sosial berekraft' }).execute();
    await db
      .insertInto('items')
      .values([
        { id: randomUUID(), perspective_id: perspectiveId, kind: 'main_goal', position: 0, text: 'På Voss har alle høve til eit godt liv' },
        { id: randomUUID(), perspective_id: perspectiveId, kind: 'sub_goal', position: 0, text: 'Alle har eit godt liv' },
        { id: randomUUID(), perspective_id: perspectiveId, kind: 'strategy', position: 0, text: 'Vi byggjer gode møteplassar i nærmiljøet' },
      ])
      .execute();
    const planner = await createUser(db, { email: 'planleggjar@voss.kommune.no', name: 'Pål Planleggjar', role: 'planner', password: 'eit langt passord' });
    const { session, token } = await startSession(db, planner);
    plannerHeaders = { cookie: `${SESSION_COOKIE}=${token}`, 'x-csrf-token': session.csrfToken };
    workshop = await api<Workshop>('POST', '/api/workshops', { planId, title: 'Politikarverkstad', language: 'nn', groupCount: 1 });
    workshop = await api<Workshop>('POST', `/api/workshops/${workshop.id}/groups/${workshop.groups[0]!.id}/participants`, { name: 'Dina', party: 'MDG' });
    // A second group, so that joining asks which group first.
    workshop = await api<Workshop>('POST', `/api/workshops/${workshop.id}/groups`, {});
    workshop = await api<Workshop>('POST', `/api/workshops/${workshop.id}/state`, { state: 'open' });

    plannerContext = await nynorskContext();
    await plannerContext.addCookies([{ name: SESSION_COOKIE, value: token, url: server.url }]);
    // The participant has chosen no language: the workshop's (nynorsk) is the one they see first.
    participantContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nb-NO' });
  });
  afterAll(async () => {
    writeCheckedPages();
    await browser?.close();
    await server?.close();
  });

  function writeCheckedPages() {
    if (checkedPages.size === 0) return;
    writeFileSync('dist/accessibility-check.json', `${JSON.stringify({ checkedAt: new Date().toISOString().slice(0, 10), widths: CHECK_WIDTHS.map((w) => w.width), pages: [...checkedPages].sort() }, null, 2)}\n`);
  }

  it('[A11Y-1] [I18N-3] a participant joins in the workshop\'s language; the join pages and the posters pass both engines at both widths', async () => {
    const page = await participantContext.newPage();
    await page.goto(`${server.url}/join`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    await expectAccessible(page, 'the join page');
    await page.getByLabel('Kode', { exact: true }).fill(workshop.joinCode);
    await page.getByRole('button', { name: 'Fortsett' }).click();
    // The code is known: from here the workshop's language, nynorsk.
    await page.getByRole('button', { name: /Gruppe 1/ }).waitFor();
    await page.waitForFunction(() => document.documentElement.lang === 'nn');
    await check(page, '', 'picking a group');
    await page.getByRole('button', { name: /Gruppe 1/ }).click();
    await page.getByRole('button', { name: /Dina/ }).waitFor();
    await check(page, '', 'picking a name');
    await page.getByRole('button', { name: /Dina/ }).click();
    await page.waitForURL(/\/w\//);
    await check(page, '', 'the posters of a group', () => page.getByRole('link', { name: /Del 1/ }).first().waitFor());
    await screenshot(page, 'nn-posters-desktop');
    await page.getByRole('link', { name: /Del 1/ }).first().click();
    await check(page, '', 'a poster', () => page.getByRole('button', { name: /^Skriv lapp/ }).first().waitFor());
    await page.setViewportSize({ width: 320, height: 700 });
    await screenshot(page, 'nn-poster-320');
    await page.setViewportSize({ width: 1280, height: 900 });
    await check(page, '/accessibility', 'the accessibility statement');
    await screenshot(page, 'nn-accessibility-desktop');
  });

  it('[A11Y-2] keyboard only: write a lapp, give a star and assess a lapp, with focus visible at each step', async () => {
    const page = await participantContext.newPage();
    const goals = workshop.posters.find((poster) => poster.part === 'goals')!;
    const strategies = workshop.posters.find((poster) => poster.part === 'strategies')!;

    // Write a lapp.
    await page.goto(`${server.url}/w/${workshop.id}/posters/${goals.id}`);
    await page.getByRole('button', { name: /^Skriv lapp/ }).first().waitFor();
    await tabTo(page, (e) => e.label.startsWith('Skriv lapp: Delmål'), 'the button that writes a lapp on Delmål 1');
    await expectFocusVisible(page, 'the "Skriv lapp" button');
    await page.keyboard.press('Enter');
    await page.getByRole('textbox', { name: 'Tekst' }).waitFor();
    await expectFocusVisible(page, 'the text of the new lapp');
    await page.keyboard.type(LAPP);
    await tabTo(page, (e) => e.text === 'Legg til lapp', 'the button that adds the lapp');
    await expectFocusVisible(page, 'the "Legg til lapp" button');
    await page.keyboard.press('Enter');
    await page.locator('.lapp', { hasText: LAPP }).first().waitFor();
    await page.getByText('Tilkopla').first().waitFor();

    // Give a star.
    await page.goto(`${server.url}/w/${workshop.id}/posters/${strategies.id}`);
    await page.getByRole('status').filter({ hasText: /stjerner att/ }).first().waitFor();
    const before = await page.getByRole('status').filter({ hasText: /stjerner att/ }).first().innerText();
    await tabTo(page, (e) => e.text.startsWith('Gi stjerne') || e.label.startsWith('Gi stjerne'), 'the star button');
    await expectFocusVisible(page, 'the "Gi stjerne" button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('status').filter({ hasText: /stjerner att/ }).first().innerText()).not.toBe(before);
    await expectFocusVisible(page, 'the star button after giving the star');

    // Assess the lapp (the planner).
    const planner = await plannerContext.newPage();
    await planner.goto(`${server.url}/workshops/${workshop.id}/synthesis/assess`);
    await planner.getByText(LAPP).first().waitFor();
    await tabTo(planner, (e) => e.tag === 'input', 'the first assessment choice');
    await expectFocusVisible(planner, 'the first assessment choice');
    await planner.keyboard.press('1');
    await expect.poll(() => planner.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await expectFocusVisible(planner, 'the justification');
    await planner.keyboard.type('Teke med i delmål 1.');
    await tabTo(planner, (e) => e.text === 'Lagre og gå vidare', 'the save button');
    await expectFocusVisible(planner, 'the "Lagre og gå vidare" button');
    await planner.keyboard.press('Enter');
    await planner.getByText('Alle lappane er vurderte.', { exact: true }).waitFor();
  });

  it('[A11Y-1] every planner and facilitator page passes both engines at both widths', async () => {
    const page = await plannerContext.newPage();
    page.on('dialog', (dialog) => void dialog.dismiss());
    const id = workshop.id;
    await check(page, '/', 'the plans');
    await check(page, `/plans/${planId}`, 'the plan editor', () => page.getByText('Sosial berekraft').first().waitFor());
    await screenshot(page, 'nn-plan-editor-desktop');
    await check(page, `/workshops/${id}`, 'the workshop setup', () => page.getByRole('heading', { name: 'Grupper og deltakarar' }).waitFor());
    await screenshot(page, 'nn-workshop-setup-desktop');
    await page.setViewportSize({ width: 320, height: 700 });
    await screenshot(page, 'nn-workshop-setup-320');
    await page.setViewportSize({ width: 1280, height: 900 });
    await check(page, `/workshops/${id}/cards`, 'the participant cards', () => page.locator('img').first().waitFor());
    await check(page, `/facilitate/${id}`, 'the facilitator table');
    await check(page, `/workshops/${id}/synthesis`, 'the synthesis', () => page.getByText(LAPP).first().waitFor());
    await screenshot(page, 'nn-synthesis-desktop');
    await page.setViewportSize({ width: 320, height: 700 });
    await screenshot(page, 'nn-synthesis-320');
    await page.setViewportSize({ width: 1280, height: 900 });
    await check(page, `/workshops/${id}/synthesis/consensus`, 'the consensus ranking');
    await check(page, `/workshops/${id}/synthesis/assess`, 'the assessment walk-through');
    await check(page, '/import', 'the import page');
    await check(page, `/workshops/${id}/place`, 'the placement page');
    const viewerToken = new URL(workshop.viewerUrl!).pathname.split('/').at(-1)!;
    await check(page, `/view/${viewerToken}`, 'the plenary screen', () => page.getByText(LAPP).first().waitFor());
  });

  it('[A11Y-1] the pages without an account pass both engines at both widths', async () => {
    const context = await nynorskContext();
    const page = await context.newPage();
    await check(page, '/login', 'the login page');
    await check(page, '/setup', 'the setup page');
    const participant = await participantContext.newPage();
    await check(participant, '/outcome', 'the outcome page', () => participant.getByText(LAPP).first().waitFor());
    await participant.setViewportSize({ width: 320, height: 700 });
    await screenshot(participant, 'nn-outcome-320');
    expect([...checkedPages].some((path) => uuidPattern.test(path)), 'ids are replaced by :id').toBe(false);
    await context.close();
  });
});
