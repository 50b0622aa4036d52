import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkshopFixture, type WorkshopFixture } from '../../src/server/testing/workshopFixture.js';
import { skipE2E, expectAccessible, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

/** Pairs of the plenary's blocks and cells whose boxes overlap, and cells whose content runs out of them. */
const overlaps = (page: Page) =>
  page.evaluate(() => {
    const problems: string[] = [];
    const name = (e: Element) => `${e.tagName.toLowerCase()}.${e.className || ''}${e.textContent ? ` "${e.textContent.slice(0, 30)}"` : ''}`;
    const boxes = (selector: string) => [...document.querySelectorAll(selector)].map((e) => ({ e, r: e.getBoundingClientRect() })).filter(({ r }) => r.width > 0 && r.height > 0);
    const intersect = (a: DOMRect, b: DOMRect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
    const blocks = boxes('.plenary-header, .plenary-paging, table.plenary-table, .plenary-feed, .plenary-notes-toggle');
    for (let i = 0; i < blocks.length; i++)
      for (let j = i + 1; j < blocks.length; j++) if (intersect(blocks[i]!.r, blocks[j]!.r)) problems.push(`${name(blocks[i]!.e)} × ${name(blocks[j]!.e)}`);
    for (const table of document.querySelectorAll('table.plenary-table')) {
      const cells = [...table.querySelectorAll('th, td')];
      for (const cell of cells) if (cell.scrollWidth > cell.clientWidth + 1) problems.push(`overflows: ${name(cell)}`);
      if (table.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5) problems.push(`wider than the screen: ${name(table)}`);
    }
    if (document.documentElement.scrollWidth > window.innerWidth) problems.push('the page scrolls sideways');
    return problems;
  });

describe.skipIf(skipE2E)('plenary screen with 20 groups in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let fixture: WorkshopFixture;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const db = server.database.db;
    fixture = await createWorkshopFixture(db, { starsHidden: true });
    // 18 more groups, each with a participant, a lapp and a star; three groups' stars stay hidden.
    for (let n = 3; n <= 20; n++) {
      const groupId = randomUUID();
      const participantId = randomUUID();
      await db.insertInto('groups').values({ id: groupId, workshop_id: fixture.workshopId, name: `Gruppe ${n}`, position: n - 1, facilitator_user_id: null, timer_ends_at: null, stars_revealed: n > 3 }).execute();
      await db.insertInto('participants').values({ id: participantId, workshop_id: fixture.workshopId, group_id: groupId, name: `Deltaker ${n}`, party: null, committee: null, access_token: randomUUID(), anonymised_at: null }).execute();
      await db
        .insertInto('notes')
        .values({ id: randomUUID(), workshop_id: fixture.workshopId, poster_id: fixture.goalsPosterId, group_id: groupId, author_participant_id: participantId, author_user_id: null, author_name: null, written_by_user_id: null, kind: 'comment', text: `Innspill fra gruppe ${n} om et langt ord: folkehelsekoordinatorstillingene`, proposed_item_kind: null, reply_to_note_id: null, withdrawn_at: null })
        .execute();
      await db.insertInto('note_items').values({ note_id: (await db.selectFrom('notes').select('id').where('group_id', '=', groupId).executeTakeFirstOrThrow()).id, item_id: fixture.subGoalIds[0]! }).execute();
      await db.insertInto('stars').values({ id: randomUUID(), workshop_id: fixture.workshopId, poster_id: fixture.strategiesPosterId, group_id: groupId, participant_id: participantId, item_id: fixture.strategyIds[0]! }).execute();
    }
    await db
      .insertInto('notes')
      .values({ id: randomUUID(), workshop_id: fixture.workshopId, poster_id: fixture.goalsPosterId, group_id: fixture.groups[0]!.id, author_participant_id: null, author_user_id: fixture.facilitator.id, author_name: null, written_by_user_id: fixture.facilitator.id, kind: 'facilitator_note', text: 'Gruppen ble enige om å løfte folkehelse', proposed_item_kind: null, reply_to_note_id: null, withdrawn_at: null })
      .execute();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  for (const [width, height] of [
    [1280, 720],
    [1920, 1080],
  ] as const) {
    it(`is readable at ${width}×${height}: groups are paged, no element overlaps another, and the totals say whose stars are hidden`, async () => {
      const page = await (await browser.newContext({ viewport: { width, height }, locale: 'nb-NO' })).newPage();
      await page.goto(`${server.url}/view/${fixture.viewerToken}`);
      await page.locator('table.plenary-table').first().waitFor();
      const paging = page.locator('.plenary-paging p');
      await paging.waitFor();
      expect(await paging.textContent()).toMatch(/^Gruppe 1–\d+ av 20$/);
      const columns = await page.locator('table.plenary-table').first().locator('thead th').count();
      expect(columns - 2, 'group columns shown').toBeGreaterThanOrEqual(width >= 1920 ? 6 : 4);
      expect(await overlaps(page)).toEqual([]);
      // Two groups of the fixture and Gruppe 3 have not revealed their stars.
      await page.locator('td.total', { hasText: 'stjerner skjult for 3 grupper' }).first().waitFor();

      await page.getByRole('button', { name: 'Neste grupper' }).click();
      await expect.poll(() => paging.textContent()).not.toMatch(/^Gruppe 1–/);
      expect(await overlaps(page)).toEqual([]);
      await page.getByLabel('Vis fasilitatorenes notater').check();
      await page.getByRole('button', { name: 'Forrige grupper' }).click();
      await page.locator('.plenary-notes').getByText('Gruppen ble enige om å løfte folkehelse').waitFor();
      expect(await overlaps(page)).toEqual([]);
      await expectAccessible(page, `plenary ${width}×${height}`);
      await screenshot(page, `plenary-20-groups-${width}`);
      await page.context().close();
    });
  }

  it('fits a phone at 320 px without sideways scrolling', async () => {
    const page = await (await browser.newContext({ viewport: { width: 320, height: 640 }, isMobile: true, hasTouch: true, locale: 'nb-NO' })).newPage();
    await page.goto(`${server.url}/view/${fixture.viewerToken}`);
    await page.locator('table.plenary-table').first().waitFor();
    expect(await overlaps(page)).toEqual([]);
    await screenshot(page, 'plenary-20-groups-320');
    await page.context().close();
  });
});
