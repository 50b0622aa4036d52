import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotSchema } from '../../src/contract/protocol.js';
import { createWorkshopFixture, type WorkshopFixture } from '../../src/server/testing/workshopFixture.js';
import { skipE2E, expectAccessible, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

const phone: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'nb-NO' };

const card = (page: Page, label: string) => page.locator('li.poster-card', { has: page.getByRole('heading', { name: label, exact: true }) });
const lappTexts = (page: Page, label: string) => card(page, label).locator('.lapp-text').allTextContents();
const status = (page: Page, text: string | RegExp) => page.getByRole('status').filter({ hasText: text }).waitFor();
const outboxSize = (page: Page) =>
  page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('innspill.outbox.'))
      .reduce((sum, key) => sum + (JSON.parse(localStorage.getItem(key)!) as unknown[]).length, 0),
  );

/** What a network that blocks WebSocket upgrades looks like to the page: every socket fails before it opens. */
const blockWebSockets = () => {
  class BlockedWebSocket extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSING = 2;
    static readonly CLOSED = 3;
    readyState = 0;
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    onclose: ((event: CloseEvent) => void) | null = null;
    constructor(readonly url: string) {
      super();
      setTimeout(() => {
        this.readyState = 3;
        this.onerror?.(new Event('error'));
        this.onclose?.(new CloseEvent('close', { code: 1006, reason: '' }));
      }, 20);
    }
    send() {
      throw new DOMException('not open', 'InvalidStateError');
    }
    close() {
      this.readyState = 3;
    }
  }
  (window as unknown as { WebSocket: unknown }).WebSocket = BlockedWebSocket;
};

describe.skipIf(skipE2E)('live client in Chromium when the network misbehaves', () => {
  let server: RunningServer;
  let browser: Browser;
  let fixture: WorkshopFixture;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    fixture = await createWorkshopFixture(server.database.db, { starBudget: 5 });
  });
  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  /** A participant's phone, joined through the personal-link endpoint (the cookie lands in the context). */
  const participantDevice = async (groupIndex: number, name: string, options: { blockWebSockets?: boolean } = {}) => {
    const context = await browser.newContext(phone);
    contexts.push(context);
    if (options.blockWebSockets) await context.addInitScript(blockWebSockets);
    const participant = fixture.groups[groupIndex]!.participants.find((p) => p.name === name)!;
    const { access_token } = await server.database.db.selectFrom('participants').select('access_token').where('id', '=', participant.id).executeTakeFirstOrThrow();
    const joined = await context.request.post(`${server.url}/api/join/personal`, { data: { token: access_token } });
    expect(joined.status(), await joined.text()).toBe(200);
    return { context, participant, page: await context.newPage() };
  };
  const posterUrl = (posterId: string) => `${server.url}/w/${fixture.workshopId}/posters/${posterId}`;

  it('[LIVE-18] 45 lapper written offline, a reload while the server asks to wait, back online: exactly 45 stored, each once', async () => {
    const device = await participantDevice(1, fixture.groups[1]!.participants[0]!.name);
    await device.page.goto(posterUrl(fixture.goalsPosterId));
    await status(device.page, 'Tilkoblet');

    await device.context.setOffline(true);
    await status(device.page, 'Frakoblet');
    const texts = Array.from({ length: 45 }, (_, i) => `Frakoblet lapp ${i + 1}`);
    const place = card(device.page, 'Delmål 1');
    for (const text of texts) {
      await place.getByRole('button', { name: 'Skriv lapp: Delmål 1' }).click();
      await place.getByLabel('Tekst').fill(text);
      await place.getByRole('button', { name: 'Legg til lapp' }).click();
    }
    await status(device.page, '45 endringer venter på å bli sendt');
    expect(await outboxSize(device.page)).toBe(45);

    // Back online: 30 go through, then the server's write limit (30 per 10 s) asks the device to wait.
    await device.context.setOffline(false);
    await status(device.page, 'Mange endringer på kort tid');
    const waiting = await outboxSize(device.page);
    expect(waiting).toBeGreaterThan(0);
    expect(waiting).toBeLessThanOrEqual(15);
    // Reloaded during the wait: the rest is still in the stored outbox and goes when the wait is over.
    await device.page.reload();
    await status(device.page, /Tilkoblet/);
    await expect.poll(() => outboxSize(device.page), { timeout: 40_000 }).toBe(0);
    await expect.poll(() => lappTexts(device.page, 'Delmål 1'), { timeout: 10_000 }).toHaveLength(45);
    expect(await device.page.locator('.rejections').count()).toBe(0);

    const stored = await server.database.db.selectFrom('notes').select('text').where('author_participant_id', '=', device.participant.id).execute();
    expect(stored.map((n) => n.text).sort()).toEqual([...texts].sort());
    // And the API (what every device rebuilds from) agrees.
    const board = snapshotSchema.parse(await (await device.context.request.get(`${server.url}/api/workshops/${fixture.workshopId}/board?groupId=${fixture.groups[1]!.id}`)).json());
    expect(board.notes.filter((n) => texts.includes(n.text))).toHaveLength(45);
  }, 180_000);

  it('[LIVE-19] with WebSockets blocked, a participant writes, agrees and stars over HTTP, and another device sees it live', async () => {
    const group = fixture.groups[0]!;
    const blocked = await participantDevice(0, group.participants[0]!.name, { blockWebSockets: true });
    const other = await participantDevice(0, group.participants[1]!.name);
    await blocked.page.goto(posterUrl(fixture.goalsPosterId));
    await other.page.goto(posterUrl(fixture.goalsPosterId));
    await status(blocked.page, 'Tilkoblet via reserveforbindelse');
    await status(other.page, 'Tilkoblet');
    await expectAccessible(blocked.page, 'participant on the HTTP fallback');
    await screenshot(blocked.page, 'live-participant-fallback-360');

    // Writing: seen on the other device through its WebSocket.
    const mine = 'Skrevet der WebSocket er sperret';
    await card(blocked.page, 'Delmål 1').getByRole('button', { name: 'Skriv lapp: Delmål 1' }).click();
    await card(blocked.page, 'Delmål 1').getByLabel('Tekst').fill(mine);
    await card(blocked.page, 'Delmål 1').getByRole('button', { name: 'Legg til lapp' }).click();
    await expect.poll(() => lappTexts(other.page, 'Delmål 1')).toEqual([mine]);
    await expect.poll(() => blocked.page.locator('.badge.unsaved').count()).toBe(0);

    // Events reach the blocked device over the event stream.
    const theirs = 'Skrevet på en vanlig tilkobling';
    await card(other.page, 'Delmål 2').getByRole('button', { name: 'Skriv lapp: Delmål 2' }).click();
    await card(other.page, 'Delmål 2').getByLabel('Tekst').fill(theirs);
    await card(other.page, 'Delmål 2').getByRole('button', { name: 'Legg til lapp' }).click();
    await expect.poll(() => lappTexts(blocked.page, 'Delmål 2')).toEqual([theirs]);

    // Agreeing.
    const agree = card(blocked.page, 'Delmål 2').getByRole('button', { name: `Enig: lappen fra ${group.participants[1]!.name}` });
    await agree.click();
    await expect.poll(() => agree.getAttribute('aria-pressed')).toBe('true');
    await card(other.page, 'Delmål 2').getByText(`Enig: ${group.participants[0]!.name}`).waitFor();

    // Starring.
    await blocked.page.goto(posterUrl(fixture.strategiesPosterId));
    await status(blocked.page, 'Tilkoblet via reserveforbindelse');
    await blocked.page.getByRole('button', { name: 'Gi stjerne: Strategi 1' }).click();
    await expect.poll(() => blocked.page.locator('.stars-left').textContent()).toContain('Du har 4 av 5 stjerner igjen');
    await expect.poll(() => blocked.page.locator('.badge.unsaved').count()).toBe(0);

    // The API agrees: one lapp, one agreement and one star from the blocked device.
    const board = snapshotSchema.parse(await (await other.context.request.get(`${server.url}/api/workshops/${fixture.workshopId}/board?groupId=${group.id}`)).json());
    expect(board.notes.find((n) => n.text === mine)?.author.participantId).toBe(blocked.participant.id);
    expect(board.notes.find((n) => n.text === theirs)?.agreedBy).toEqual([blocked.participant.id]);
    expect(board.stars.filter((s) => s.participantId === blocked.participant.id).map((s) => s.itemId)).toEqual([fixture.strategyIds[0]]);
    await other.page.goto(posterUrl(fixture.strategiesPosterId));
    await expect.poll(() => card(other.page, 'Strategi 1').textContent()).toContain('1 stjerne');
  }, 120_000);
});
