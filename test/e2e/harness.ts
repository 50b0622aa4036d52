import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { setupTokenIfEmpty } from '../../src/server/auth/auth.service.js';
import { configFromEnv } from '../../src/server/config.js';
import type { DatabaseHandle } from '../../src/server/db/database.js';
import { openTestDatabase, testDatabaseKinds } from '../../src/server/testing/testApp.js';

/** The browser the tests drive: CHROMIUM_PATH, or the Debian/Ubuntu package's path. */
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Browser tests are skipped only when asked to (INNSPILL_SKIP_E2E=1); otherwise a missing Chromium
 * is a failure with the way to fix it, never a quiet skip.
 */
export const skipE2E = process.env.INNSPILL_SKIP_E2E === '1';
if (!skipE2E && !existsSync(CHROMIUM)) {
  throw new Error(`Chromium is missing at ${CHROMIUM}: install it (apt-get install chromium), point CHROMIUM_PATH at it, or set INNSPILL_SKIP_E2E=1 to skip the browser tests`);
}

export interface RunningServer {
  url: string;
  app: FastifyInstance;
  database: DatabaseHandle;
  /** The one-time link that creates the first planner. */
  setupUrl: string;
  close(): Promise<void>;
}

/** Our real server with the built web app on a free port, on PostgreSQL in CI and PGlite otherwise. */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const webRoot = path.resolve('dist/web');
  if (!existsSync(path.join(webRoot, 'index.html'))) throw new Error('Build the web app first: npm run build');
  const database = await openTestDatabase(testDatabaseKinds.at(-1)!);
  // Printed links and QR codes point at this server, so a test can follow them (traffic stays on 127.0.0.1).
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Consultation attachments in a folder of their own, removed on close.
  const attachmentsDir = mkdtempSync(path.join(tmpdir(), 'innspill-e2e-attachments-'));
  const config = { ...configFromEnv({ PORT: String(port), HOST: '127.0.0.1', INNSPILL_PUBLIC_URL: url, ...env }), dataDir: '', attachmentsDir };
  const app = await buildApp({ database, config, webRoot });
  await app.listen({ port, host: '127.0.0.1' });
  const token = await setupTokenIfEmpty(database.db);
  return {
    url,
    app,
    database,
    setupUrl: `${url}/setup?token=${token}`,
    async close() {
      await app.close();
      await database.close();
      rmSync(attachmentsDir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

const requireHere = createRequire(import.meta.url);
const axeSource = requireHere.resolve('axe-core/axe.min.js');
const htmlcsSource = requireHere.resolve('@pa11y/html_codesniffer/build/HTMLCS.js');

/** The two widths every page is checked at: a small phone (WCAG 1.4.10 reflow) and a desktop. */
export const CHECK_WIDTHS = [
  { name: '320 px', width: 320, height: 640 },
  { name: 'desktop', width: 1280, height: 900 },
] as const;

/** Every page address (path, ids replaced by `:id`) checked by `expectAccessible` in this process. */
export const checkedPages = new Set<string>();

/** A page's address with its ids, codes and tokens as placeholders: `/workshops/:id/synthesis`, `/join/:code`. */
export const pageAddress = (url: string) =>
  new URL(url).pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, ':id')
    .replace(/^\/join\/[^/]+/, '/join/:code')
    .replace(/^\/(view|p)\/[^/]+/, '/$1/:token');

/** axe-core's WCAG 2.1 A/AA violations on the page as it is. */
async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated, not added as a <script>: the page's CSP rightly refuses inline scripts ([SAFE-8]).
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(readFileSync(axeSource, 'utf8'));
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; help: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => `axe ${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  });
}

/** HTML_CodeSniffer's errors (not its warnings and notices, which ask a human to look) for the WCAG2AA standard. */
async function htmlcsErrors(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'HTMLCS' in window))) await page.evaluate(`${readFileSync(htmlcsSource, 'utf8')}\nwindow.HTMLCS = HTMLCS;`);
  return page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        type Message = { type: number; code: string; msg: string; element: Element };
        const htmlcs = (window as unknown as { HTMLCS: { process(standard: string, content: Document, done: () => void, failed: () => void, language: string): void; getMessages(): Message[] } }).HTMLCS;
        const where = (element: Element) => {
          const id = element.id ? `#${element.id}` : '';
          const cls = typeof element.className === 'string' && element.className ? `.${element.className.trim().split(/\s+/).join('.')}` : '';
          return `${element.tagName.toLowerCase()}${id}${cls}`;
        };
        htmlcs.process(
          'WCAG2AA',
          document,
          () => {
            resolve(htmlcs.getMessages().filter((m) => m.type === 1).map((m) => `HTML_CodeSniffer ${m.code}: ${m.msg} — ${where(m.element)}`));
          },
          () => resolve(['HTML_CodeSniffer could not run']),
          // Its messages in English (it has no Norwegian).
          'en',
        );
      }),
  );
}

/**
 * [A11Y-1] Checks the page with axe-core and HTML_CodeSniffer (WCAG 2.1 A/AA) at 320 px and at
 * desktop width, and fails with the rules and elements each engine names. The page gets its own
 * size back afterwards.
 */
export async function expectAccessible(page: Page, context: string): Promise<void> {
  const original = page.viewportSize();
  const problems: string[] = [];
  for (const size of CHECK_WIDTHS) {
    await page.setViewportSize({ width: size.width, height: size.height });
    // Let the layout settle at the new width before the engines measure it.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    for (const problem of [...(await axeViolations(page)), ...(await htmlcsErrors(page))]) problems.push(`${size.name}: ${problem}`);
  }
  if (original) await page.setViewportSize(original);
  checkedPages.add(pageAddress(page.url()));
  expect(problems, `accessibility of ${context}`).toEqual([]);
}

/** Saves a screenshot under screenshots/ for a human to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync('screenshots', { recursive: true });
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}
