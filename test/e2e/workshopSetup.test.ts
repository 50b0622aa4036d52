import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipE2E, expectAccessible, launchBrowser, screenshot, startServer, type RunningServer } from './harness.js';

describe.skipIf(skipE2E)('workshop setup and joining in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let planner: Page;
  let phoneContext: BrowserContext;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    planner = await (await browser.newContext({ locale: 'nb-NO', viewport: { width: 1280, height: 900 } })).newPage();
    // Every confirmation ("Åpne verkstedet?") is answered yes.
    planner.on('dialog', (dialog) => void dialog.accept());
    phoneContext = await browser.newContext({ locale: 'nb-NO', viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true });
    // The participant's poster page belongs to the live module; record that we were sent there even if it redirects on.
    await phoneContext.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { visited: string[] }).visited = seen;
      const push = history.pushState.bind(history);
      history.pushState = (...args: Parameters<History['pushState']>) => {
        push(...args);
        seen.push(location.pathname);
      };
      const replace = history.replaceState.bind(history);
      history.replaceState = (...args: Parameters<History['replaceState']>) => {
        replace(...args);
        seen.push(location.pathname);
      };
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A planner's plan with two perspectives, made through the API with the page's own session. */
  async function planThroughApi(): Promise<string> {
    const status = await (await planner.request.get(`${server.url}/api/auth/status`)).json();
    const headers = { 'x-csrf-token': status.session.csrfToken as string };
    const plan = await (
      await planner.request.post(`${server.url}/api/plans`, { headers, data: { title: 'Kommuneplan 2040', municipality: 'Bærum', horizonYear: 2040 } })
    ).json();
    for (const [title, mainGoal] of [
      ['Økonomisk bærekraft', 'I Bærum har vi varig, inkluderende og bærekraftig økonomisk vekst'],
      ['Sosial bærekraft', 'I Bærum har alle mulighet for et godt liv'],
    ]) {
      const response = await planner.request.post(`${server.url}/api/plans/${plan.id}/perspectives`, { headers, data: { title, mainGoal } });
      expect(response.status()).toBe(200);
    }
    return plan.id as string;
  }

  const group = (name: string) => planner.locator('section.group-card', { has: planner.getByRole('heading', { level: 3, name, exact: true }) });
  const visited = (page: Page) => page.evaluate(() => (window as unknown as { visited: string[] }).visited);

  it('a planner sets up a workshop; a participant joins from a phone with the code', async () => {
    // The first planner.
    await planner.goto(server.setupUrl);
    await planner.getByLabel('E-post').fill('planlegger@baerum.kommune.no');
    await planner.getByLabel('Navn').fill('Kari Planlegger');
    await planner.getByLabel('Passord').fill('et langt passord');
    await planner.getByRole('button', { name: 'Opprett konto og logg inn' }).click();
    await planner.getByRole('heading', { level: 1, name: 'Planer' }).waitFor();

    const planId = await planThroughApi();
    await planner.goto(`${server.url}/plans/${planId}`);
    await planner.getByRole('heading', { level: 2, name: 'Verksteder', exact: true }).waitFor();
    await planner.getByText('Ingen verksteder ennå.').waitFor();
    await planner.getByLabel('Navn på verkstedet').fill('Politikerverksted mars');
    await planner.getByLabel('Dato').fill('2025-03-12');
    await planner.getByRole('button', { name: 'Opprett verksted' }).click();
    await planner.getByRole('heading', { level: 1, name: 'Politikerverksted mars' }).waitFor();
    const workshopId = new URL(planner.url()).pathname.split('/').at(-1)!;

    // Four posters, pre-filled with the seed's wording; stars on Del 2.
    const posters = planner.locator('li.poster-card');
    await expect.poll(() => posters.count()).toBe(4);
    expect(await posters.locator('h3').allTextContents()).toEqual([
      'Del 1: Delmål – Økonomisk bærekraft',
      'Del 2: Strategier – Økonomisk bærekraftStjerner',
      'Del 1: Delmål – Sosial bærekraft',
      'Del 2: Strategier – Sosial bærekraftStjerner',
    ]);
    expect(await posters.nth(0).getByLabel('Instruksjon').inputValue()).toMatch(/^Se gjennom forslagene til delmål/);
    expect(await posters.nth(0).getByLabel('Spørsmål i boksen nederst').inputValue()).toBe(
      'Noen delmål du savner? Eller har du noen generelle innspill til delmålene?',
    );
    expect(await posters.nth(1).getByLabel('Deltakerne kan gi stjerner på denne plakaten').isChecked()).toBe(true);
    expect(await posters.nth(0).getByLabel('Deltakerne kan gi stjerner på denne plakaten').isChecked()).toBe(false);

    // Edit one poster's box prompt.
    await posters.nth(2).getByLabel('Spørsmål i boksen nederst').fill('Mangler det et delmål om folkehelse?');
    await posters.nth(2).getByRole('button', { name: 'Lagre: Del 1: Delmål – Sosial bærekraft' }).click();
    await planner.getByRole('status').getByText('Lagret: Del 1: Delmål – Sosial bærekraft').waitFor();

    // Two more groups.
    for (const name of ['Gruppe 2', 'Gruppe 3']) {
      await planner.getByRole('button', { name: 'Legg til gruppe' }).click();
      await planner.getByRole('heading', { level: 3, name }).waitFor();
    }

    // A malformed line is shown by number before anything is sent.
    const paste1 = group('Gruppe 1').getByLabel('Lim inn en liste');
    await paste1.fill('Stein — Rødt — FSK\n; Høyre');
    await group('Gruppe 1').getByText('Linje 2: navnet mangler').waitFor();
    expect(await group('Gruppe 1').getByRole('button', { name: /Legg til fra listen/ }).isDisabled()).toBe(true);

    // Bulk paste in the seed's own format, with tabs and semicolons too.
    await paste1.fill('Stein — Rødt — FSK\nKari Nordmann; Høyre; PLAN\nDina\tMDG');
    await group('Gruppe 1').getByText('3 klare, 0 linjer med feil').waitFor();
    await group('Gruppe 1').getByRole('button', { name: /Legg til fra listen/ }).click();
    await group('Gruppe 1').getByRole('rowheader', { name: 'Kari Nordmann' }).waitFor();
    await group('Gruppe 2').getByLabel('Lim inn en liste').fill('Ola Hansen; Ap\nSigrid; V; Formannskapet');
    await group('Gruppe 2').getByRole('button', { name: /Legg til fra listen/ }).click();
    await group('Gruppe 2').getByRole('rowheader', { name: 'Sigrid' }).waitFor();
    expect(await group('Gruppe 1').locator('tbody tr').count()).toBe(3);

    // Move Sigrid to Gruppe 3 with the keyboard-reachable select and button.
    await group('Gruppe 2').getByLabel('Ny gruppe for Sigrid').selectOption({ label: 'Gruppe 3' });
    await group('Gruppe 2').getByRole('button', { name: 'Flytt Sigrid' }).click();
    await group('Gruppe 3').getByRole('rowheader', { name: 'Sigrid' }).waitFor();

    // Invite a facilitator: a one-time link to copy.
    await planner.getByText('Inviter fasilitator').click();
    await planner.getByLabel('Navn (valgfritt)').fill('Fia Fasilitator');
    await planner.getByRole('button', { name: 'Lag invitasjonslenke' }).click();
    expect(await planner.getByRole('textbox', { name: 'Invitasjonslenke' }).inputValue()).toMatch(/\/setup\?token=/);

    // Open the workshop.
    await planner.getByRole('button', { name: 'Åpne verkstedet' }).click();
    await planner.getByRole('button', { name: 'Avslutt verkstedet' }).waitFor();
    await planner.locator('.workshop-meta .state-badge', { hasText: 'Åpent' }).waitFor();

    const qr = planner.getByRole('img', { name: /^QR-kode som åpner http/ });
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expectAccessible(planner, 'workshop setup');
    await screenshot(planner, 'workshop-setup');
    const joinCode = (await planner.getByTestId('join-code').textContent())!.replace(/\s/g, '');
    expect(joinCode).toMatch(/^[A-Z2-9]{6}$/);
    // Links use INNSPILL_PUBLIC_URL (here the default, not the test server's port).
    expect(await planner.getByRole('textbox', { name: 'Lenke for å bli med' }).inputValue()).toMatch(new RegExp(`^https?://[^/]+/join/${joinCode}$`));
    expect(await planner.getByRole('textbox', { name: 'Plenumslenke' }).inputValue()).toMatch(/^https?:\/\/[^/]+\/view\/[\w-]{20,}$/);

    // A participant on a phone: /join, the code, the group, the name.
    const phone = await phoneContext.newPage();
    await phone.goto(`${server.url}/join`);
    await phone.getByRole('heading', { level: 1, name: 'Bli med i verkstedet' }).waitFor();
    await expectAccessible(phone, 'join: code');
    await phone.setViewportSize({ width: 320, height: 740 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(phone, 'join-320');
    await phone.setViewportSize({ width: 360, height: 740 });

    await phone.getByLabel('Kode').fill('zzz zzz');
    await phone.getByRole('button', { name: 'Fortsett' }).click();
    await phone.getByText('Fant ikke noe verksted med koden ZZZ ZZZ').waitFor();
    await phone.getByRole('link', { name: 'Skriv koden på nytt' }).click();

    await phone.getByLabel('Kode').fill(`${joinCode.slice(0, 3).toLowerCase()} ${joinCode.slice(3)}`);
    await phone.keyboard.press('Enter');
    await phone.getByRole('heading', { level: 1, name: 'Politikerverksted mars' }).waitFor();
    expect(new URL(phone.url()).pathname).toBe(`/join/${joinCode}`);
    await phone.getByRole('heading', { level: 2, name: 'Velg gruppen din' }).waitFor();
    await expectAccessible(phone, 'join: groups');
    await phone.getByRole('button', { name: 'Gruppe 1' }).click();
    await phone.getByRole('heading', { level: 2, name: 'Hvem er du? (Gruppe 1)' }).waitFor();
    // Focus follows to the new step.
    expect(await phone.evaluate(() => document.activeElement?.textContent)).toBe('Hvem er du? (Gruppe 1)');
    // Party and committee never reach the public page.
    const text = await phone.locator('main').textContent();
    expect(text).not.toContain('Rødt');
    expect(text).not.toContain('FSK');
    await expectAccessible(phone, 'join: names');
    await phone.setViewportSize({ width: 320, height: 740 });
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(phone, 'join-names-320');
    await phone.getByRole('button', { name: 'Kari Nordmann' }).click();
    await expect.poll(() => visited(phone)).toContain(`/w/${workshopId}`);

    const session = await (await phone.request.get(`${server.url}/api/participant/session`)).json();
    expect(session.participant).toMatchObject({ name: 'Kari Nordmann', groupName: 'Gruppe 1' });
    expect(session.workshop).toMatchObject({ id: workshopId, state: 'open' });

    // Coming back to the code page offers to continue as Kari.
    await phone.goto(`${server.url}/join/${joinCode}`);
    await phone.getByRole('link', { name: 'Fortsett som Kari Nordmann' }).waitFor();

    // A personal link joins at once, as the person it names.
    const olaLink = await planner.evaluate(async (id) => {
      const response = await fetch(`/api/workshops/${id}`);
      const workshop = await response.json();
      return workshop.groups[1].participants.find((p: { name: string }) => p.name === 'Ola Hansen').personalUrl as string;
    }, workshopId);
    const tablet = await (await browser.newContext({ locale: 'nb-NO', viewport: { width: 768, height: 1024 } })).newPage();
    await tablet.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { visited: string[] }).visited = seen;
      const replace = history.replaceState.bind(history);
      history.replaceState = (...args: Parameters<History['replaceState']>) => {
        replace(...args);
        seen.push(location.pathname);
      };
    });
    await tablet.goto(`${server.url}${new URL(olaLink).pathname}`);
    await expect.poll(() => visited(tablet)).toContain(`/w/${workshopId}`);
    const olaSession = await (await tablet.request.get(`${server.url}/api/participant/session`)).json();
    expect(olaSession.participant).toMatchObject({ name: 'Ola Hansen', groupName: 'Gruppe 2' });

    await tablet.goto(`${server.url}/p/not-a-real-link-at-all`);
    await tablet.getByText('Lenken er ukjent eller ikke lenger gyldig.').waitFor();
    await expectAccessible(tablet, 'personal link: unknown');
  });

  it('keeps the setup page usable at 320 px', async () => {
    await planner.setViewportSize({ width: 320, height: 800 });
    await planner.reload();
    await planner.getByRole('heading', { level: 1, name: 'Politikerverksted mars' }).waitFor();
    expect(await planner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await expectAccessible(planner, 'workshop setup at 320 px');
    await screenshot(planner, 'workshop-setup-320');
  });
});
