import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { executeCommand } from '../live/commands.service.js';
import type { Command } from '../../contract/protocol.js';
import { editItem } from '../plans/plans.service.js';
import { assessNote, mergeDuplicate } from '../synthesis/assessments.service.js';
import { anonymiseParticipant } from '../synthesis/privacy.service.js';
import { correctTheme, recomputeThemes } from '../synthesis/themes.service.js';
import { createTestApp, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { PARTICIPANT_COOKIE, signParticipantCookie } from '../workshops/participantSession.js';
import { reportContentTypes, reportFormatSchema, reportText } from '../../contract/reports.schema.js';
import { nb } from '../../web/i18n/nb.js';

const NO_INPUT = nb['syn.empty'];
import { unzip } from './zip.js';

const run = promisify(execFile);

/** pandoc reads the DOCX independently of the code that wrote it. CI always has it (`.ci/run` installs it). */
const hasPandoc = spawnSync('pandoc', ['--version']).status === 0;
if (!hasPandoc && process.env.CI === 'true') throw new Error('pandoc is missing; CI must install it (see .ci/run)');
if (!hasPandoc) console.warn('reports.test.ts: pandoc is not installed, so the DOCX checks that read it back are skipped');

async function docxAsMarkdown(docx: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'innspill-docx-'));
  try {
    const file = path.join(dir, 'report.docx');
    await writeFile(file, docx);
    return (await run('pandoc', ['-f', 'docx', '-t', 'markdown', '--wrap=none', file])).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const documentXml = (docx: Buffer) => unzip(docx).find((f) => f.name === 'word/document.xml')!.data.toString('utf8');

async function readXlsx(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = (name: string) => {
    const worksheet = workbook.getWorksheet(name)!;
    const rows: string[][] = [];
    // Array.from: exceljs leaves empty cells as holes, which map() would skip.
    worksheet.eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1), (v) => (v instanceof Date ? v.toISOString() : String(v ?? '')))));
    return { worksheet, rows };
  };
  return { lapper: sheet('Lapper'), stjerner: sheet('Stjerner') };
}

/** The report's CSV read strictly as RFC 4180 with `;` and CR LF, by a kept parser rather than our own. */
const parseCsv = (text: string): string[][] => parse(text, { delimiter: ';', record_delimiter: '\r\n' });

describe.each(testDatabaseKinds)('reports on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let facilitator: TestUser;
  let fixture: WorkshopFixture;
  const limiter = new WriteRateLimiter(10_000, 10_000);
  const notes: Record<string, string> = {};

  const write = (actor: Actor, command: Command) => executeCommand(t.database.db, limiter, actor, fixture.workshopId, randomUUID(), command);
  const lapp = async (key: string, actor: Actor, text: string, itemIds: string[], options: { kind?: 'comment' | 'rewording'; poster?: string; replyTo?: string } = {}) => {
    notes[key] = randomUUID();
    await write(actor, {
      type: 'note.create',
      noteId: notes[key]!,
      posterId: options.poster ?? fixture.goalsPosterId,
      itemIds,
      kind: options.kind ?? 'comment',
      text,
      ...(options.replyTo ? { replyToNoteId: notes[options.replyTo]! } : {}),
    });
  };
  const download = async (format: string, workshopId = fixture.workshopId, headers = planner.headers) => {
    const response = await t.app.inject({ method: 'GET', url: `/api/workshops/${workshopId}/report.${format}`, headers });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    return response;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    facilitator = await t.user('facilitator');
    fixture = await createWorkshopFixture(t.database.db);
    const db = t.database.db;
    // Party is off by default ([PRIV-3]); this workshop's planner turned it on.
    await db.updateTable('workshops').set({ opened_at: new Date(Date.now() - 60_000), party_in_reports: true }).where('id', '=', fixture.workshopId).execute();
    await db.updateTable('participants').set({ party: 'Rødt' }).where('id', '=', fixture.groups[0]!.participants[0]!.id).execute();
    await db.updateTable('participants').set({ party: 'Høyre' }).where('id', '=', fixture.groups[0]!.participants[1]!.id).execute();
    await db.updateTable('participants').set({ party: 'Senterpartiet' }).where('id', '=', fixture.groups[1]!.participants[0]!.id).execute();
    const [stein, dina, kari] = fixture.groups[0]!.participants.map((p) => p.actor);
    const [ola, signe] = fixture.groups[1]!.participants.map((p) => p.actor);
    const [d1, d2, d3] = fixture.subGoalIds;
    await lapp('jordvern', stein!, 'Jordvern må inn som eget delmål', []);
    await lapp('matjord', ola!, 'Ta vare på dyrket mark og matjord', [d1!]);
    await lapp('boliger', dina!, 'Flere boliger for unge i alle deler av kommunen', [d2!]);
    await lapp('kopi', signe!, 'Flere boliger for unge i alle deler av kommunen', [d2!]);
    await lapp('trukket', kari!, 'Denne lappen er trukket tilbake', [d3!]);
    await lapp('ordlyd', kari!, 'Delmål 3 for alle innbyggere', [d3!], { kind: 'rewording' });
    await lapp('formel', signe!, '=SUM(A1:A9) er ikke et innspill; "sitat" & <b>\nny linje', [d3!]);
    await lapp('boks', stein!, 'Savner et delmål om kultur', []);
    // Written while Stein's lapp was in the general box; the facilitator then moved it to Delmål 1, and the reply with it.
    await lapp('svar', dina!, 'Helt enig, jordvern er viktig', [], { replyTo: 'jordvern' });
    await write(fixture.facilitator.actor, { type: 'note.move', noteId: notes.jordvern!, itemIds: [d1!] });
    await write(kari!, { type: 'note.withdraw', noteId: notes.trukket! });
    await db.updateTable('participants').set({ committee: 'Formannskapet' }).where('id', '=', fixture.groups[0]!.participants[0]!.id).execute();
    await write(dina!, { type: 'agreement.set', noteId: notes.jordvern!, agreed: true });
    for (const [actor, item] of [[stein, 0], [dina, 0], [ola, 0], [signe, 1]] as const) {
      await write(actor!, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[item]! });
    }
    await mergeDuplicate(fixture.planner.actor, notes.kopi!, notes.boliger!, db);
    await assessNote(fixture.planner.actor, notes.jordvern!, { status: 'accepted', justification: 'Tatt inn i revidert delmål 1' }, db);
    await assessNote(fixture.planner.actor, notes.boliger!, { status: 'out_of_scope', justification: 'Hører hjemme i boligplanen' }, db);
    await editItem(fixture.planner.actor, d1!, { text: 'Delmål 1, med jordvern', version: 1, noteIds: [notes.jordvern!] }, db);
    await recomputeThemes(fixture.planner.actor, fixture.workshopId, db);
    // Ola asked to be forgotten: his lapp stays as "Deltaker, Gruppe 2".
    await anonymiseParticipant(fixture.planner.actor, fixture.groups[1]!.participants[0]!.id, db);
  });
  afterAll(() => t?.close());

  it('[REPORT-1] answers 401 without a session and 403 to a participant or a facilitator, on every format', async () => {
    const kari = fixture.groups[0]!.participants[2]!;
    const participantCookie = `${PARTICIPANT_COOKIE}=${await signParticipantCookie(t.database.db, { participantId: kari.id, workshopId: fixture.workshopId })}`;
    for (const format of reportFormatSchema.options) {
      const url = `/api/workshops/${fixture.workshopId}/report.${format}`;
      expect((await t.app.inject({ method: 'GET', url })).statusCode, format).toBe(401);
      const asParticipant = await t.app.inject({ method: 'GET', url, headers: { cookie: participantCookie } });
      expect(asParticipant.statusCode, format).toBe(403);
      const asFacilitator = await t.app.inject({ method: 'GET', url, headers: facilitator.headers });
      expect(asFacilitator.statusCode, format).toBe(403);
      expect(asFacilitator.json().error.code).toBe('forbidden');
    }
    const unknown = await t.app.inject({ method: 'GET', url: `/api/workshops/${randomUUID()}/report.docx`, headers: planner.headers });
    expect(unknown.statusCode).toBe(404);
    const malformed = await t.app.inject({ method: 'GET', url: '/api/workshops/not-a-uuid/report.docx', headers: planner.headers });
    expect(malformed.statusCode).toBe(400);
  });

  it('[REPORT-1] gives a planner each format with its content type and a file name from the workshop title', async () => {
    for (const format of reportFormatSchema.options) {
      const response = await download(format);
      expect(response.headers['content-type']).toBe(reportContentTypes[format]);
      expect(response.headers['content-disposition']).toBe(`attachment; filename="innspill-politisk-verksted.${format}"`);
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('[REPORT-2] writes a DOCX that pandoc reads: perspective and item headings, lapper by theme, assessments in Norwegian', async (ctx) => {
    const docx = (await download('docx')).rawPayload;
    const xml = documentXml(docx);
    expect(xml).toContain('<w:tblHeader/>');
    // Typed text stays text: escaped, its line break a Word line break.
    expect(xml).toContain('er ikke et innspill; "sitat" &amp; &lt;b&gt;</w:t><w:br/><w:t xml:space="preserve">ny linje');
    const styles = unzip(docx).find((f) => f.name === 'word/styles.xml')!.data.toString('utf8');
    expect(styles).toMatch(/w:styleId="Heading1">.*?<w:outlineLvl w:val="0"\/>/);
    expect(styles).toContain('<w:lang w:val="nb-NO"/>');
    if (!hasPandoc) return ctx.skip();

    const markdown = await docxAsMarkdown(docx);
    const headings = markdown.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toContain('# Sammendrag');
    expect(headings).toContain('# Sosial bærekraft');
    expect(headings).toEqual(
      expect.arrayContaining(['## Hovedmål: Alle har et godt liv', '## Delmål 1: Delmål 1, med jordvern', '## Delmål 3: Delmål 3', '## Strategi 1: Strategi 1', '## Generelle innspill']),
    );
    // [REPORT-9] No planner named a theme: no theme headings, whatever the computed themes are.
    expect(headings.filter((h) => h.startsWith('### '))).toEqual([]);
    // 8 written (one a reply), one withdrawn, one merged copy: 7 lapper from both groups, 2 assessed.
    expect(markdown).toContain('7 lapper fra 2 grupper, 2 vurdert.');
    expect(markdown).toMatch(/\*\*Opprinnelig: \*\*Delmål 1|\*\*Opprinnelig:\*\* Delmål 1/);
    expect(markdown).toMatch(/Revidert:.*Delmål 1, med jordvern/);
    expect(markdown).toContain('Jordvern må inn som eget delmål');
    expect(markdown).toContain('Tatt til følge');
    expect(markdown).toContain('Tatt inn i revidert delmål 1');
    expect(markdown).toContain('Utenfor planens tema');
    expect(markdown).toContain('Hører hjemme i boligplanen');
    expect(markdown).toContain('Savner et delmål om kultur');
    expect(markdown).toContain('Alternativ formulering');
    expect(markdown).toContain('1 enig');
    expect(markdown).toContain('Stein (Rødt)');
    expect(markdown).not.toContain('Denne lappen er trukket tilbake');
    expect(markdown.split('Flere boliger for unge').length - 1).toBe(1);
  });

  it('[REPORT-3] writes an XLSX with one row per lapp and every field, and a sheet of stars per item and group', async () => {
    const { lapper, stjerner } = await readXlsx((await download('xlsx')).rawPayload);
    const [header, ...rows] = lapper.rows;
    expect(header).toEqual([
      'Perspektiv', 'Del', 'Punkt', 'Punktets tekst', 'Gruppe', 'Deltaker', 'Parti', 'Type', 'Innspill', 'Enige', 'Tema', 'Vurdering', 'Begrunnelse', 'Plassert', 'Skrevet', 'Lapp-id', 'Svar på (lapp-id)',
    ]);
    expect(lapper.worksheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(lapper.worksheet.autoFilter).toBe('A1:Q8');
    expect(rows).toHaveLength(7);
    const byId = new Map(rows.map((row) => [row[15], row]));
    expect(byId.get(notes.jordvern)).toEqual(
      expect.arrayContaining(['Sosial bærekraft', 'Del 1: Delmål', 'Delmål 1', 'Delmål 1, med jordvern', 'Gruppe 1', 'Stein', 'Rødt', 'Kommentar', 'Jordvern må inn som eget delmål', '1', 'Tatt til følge', 'Tatt inn i revidert delmål 1', 'ja']),
    );
    // No planner named a theme: the computed label is no column value either.
    expect(byId.get(notes.jordvern)![10]).toBe('');
    expect(byId.get(notes.boks)![2]).toBe('Generelle innspill');
    expect(byId.has(notes.trukket)).toBe(false);
    expect(byId.has(notes.kopi)).toBe(false);
    expect(lapper.worksheet.getCell('O2').numFmt).toBe('dd.mm.yyyy hh:mm');

    expect(stjerner.rows[0]).toEqual(['Perspektiv', 'Punkt', 'Punktets tekst', 'Gruppe 1', 'Gruppe 2', 'Sum']);
    expect(stjerner.rows.find((row) => row[1] === 'Strategi 1')).toEqual(['Sosial bærekraft', 'Strategi 1', 'Strategi 1', '2', '1', '3']);
    expect(stjerner.rows.find((row) => row[1] === 'Strategi 2')).toEqual(['Sosial bærekraft', 'Strategi 2', 'Strategi 2', '0', '1', '1']);
  });

  it('[REPORT-3] writes a CSV for Norwegian Excel: BOM, ";", RFC 4180 quoting, the XLSX columns, formulas disarmed', async () => {
    const response = await download('csv');
    const raw = response.rawPayload;
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8').slice(1);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text);
    const { lapper } = await readXlsx((await download('xlsx')).rawPayload);
    expect(header).toEqual(lapper.rows[0]);
    expect(rows).toHaveLength(7);
    const jordvern = rows.find((row) => row[15] === notes.jordvern)!;
    expect(jordvern.slice(0, 14)).toEqual(lapper.rows.find((row) => row[15] === notes.jordvern)!.slice(0, 14));
    expect(jordvern[14]).toMatch(/^\d\d\.\d\d\.\d{4} \d\d:\d\d$/);
    const formula = rows.find((row) => row[15] === notes.formel)!;
    expect(formula[8]).toBe('\'=SUM(A1:A9) er ikke et innspill; "sitat" & <b>\nny linje');
  });

  it('[REPORT-4] shows party when the workshop allows it, and nowhere in any format when it does not', async (ctx) => {
    const db = t.database.db;
    try {
      await db.updateTable('workshops').set({ party_in_reports: false }).where('id', '=', fixture.workshopId).execute();
      const docx = (await download('docx')).rawPayload;
      const xlsx = (await download('xlsx')).rawPayload;
      const csv = (await download('csv')).rawPayload.toString('utf8');
      const { lapper } = await readXlsx(xlsx);
      const xlsxText = JSON.stringify(unzip(xlsx).map((f) => f.data.toString('utf8')));
      for (const party of ['Rødt', 'Høyre']) {
        expect(documentXml(docx)).not.toContain(party);
        expect(xlsxText).not.toContain(party);
        expect(csv).not.toContain(party);
      }
      expect(lapper.rows[0]).not.toContain('Parti');
      expect(parseCsv(csv.slice(1))[0]).not.toContain('Parti');
      if (!hasPandoc) return ctx.skip();
      const markdown = await docxAsMarkdown(docx);
      expect(markdown).toContain('Partitilhørighet er utelatt');
      expect(markdown).not.toMatch(/Rødt|Høyre/);
    } finally {
      await db.updateTable('workshops').set({ party_in_reports: true }).where('id', '=', fixture.workshopId).execute();
    }
  });

  it('[PRIV-1] names an anonymised participant only as "Deltaker, Gruppe 2", in every format', async () => {
    const docx = documentXml((await download('docx')).rawPayload);
    const xlsx = JSON.stringify(unzip((await download('xlsx')).rawPayload).map((f) => f.data.toString('utf8')));
    const csv = (await download('csv')).rawPayload.toString('utf8');
    for (const text of [docx, xlsx, csv]) {
      expect(text).not.toMatch(/\bOla\b/);
      expect(text).not.toContain('Senterpartiet');
      expect(text).toContain('Deltaker, Gruppe 2');
      expect(text).toContain('Ta vare på dyrket mark og matjord');
    }
  });

  it('[REPLY-1] puts a reply right under the lapp it answers in every report, moved with it', async (ctx) => {
    const { lapper } = await readXlsx((await download('xlsx')).rawPayload);
    const ids = lapper.rows.map((row) => row[15]);
    const at = ids.indexOf(notes.jordvern);
    expect(ids[at + 1]).toBe(notes.svar);
    const reply = lapper.rows[at + 1]!;
    // Shown where its lapp is: moved from the general box with it.
    expect(reply.slice(2, 4)).toEqual(['Delmål 1', 'Delmål 1, med jordvern']);
    expect(reply[7]).toBe('Svar (kommentar)');
    expect(reply[16]).toBe(notes.jordvern);
    expect(lapper.worksheet.getRow(at + 2).getCell(9).alignment?.indent).toBe(1);
    expect(lapper.worksheet.getRow(at + 1).getCell(9).alignment?.indent ?? 0).toBe(0);

    const csv = parseCsv((await download('csv')).rawPayload.toString('utf8').slice(1));
    const csvIds = csv.map((row) => row[15]);
    expect(csvIds[csvIds.indexOf(notes.jordvern) + 1]).toBe(notes.svar);

    if (!hasPandoc) return ctx.skip();
    const markdown = await docxAsMarkdown((await download('docx')).rawPayload);
    const item = markdown.slice(markdown.indexOf('## Delmål 1:'), markdown.indexOf('## Delmål 2:'));
    const [lapp, answer, next] = ['Jordvern må inn som eget delmål', 'Helt enig, jordvern er viktig', 'Ta vare på dyrket mark'].map((text) => item.indexOf(text)) as [number, number, number];
    expect(lapp).toBeGreaterThan(-1);
    expect(answer).toBeGreaterThan(lapp);
    expect(next).toBeGreaterThan(answer);
    expect(item).toContain('Svar til Stein');
    const box = markdown.slice(markdown.indexOf('## Generelle innspill'));
    expect(box).not.toContain('Helt enig, jordvern er viktig');
  });

  it('[REPORT-8] lists who took part per group, with committee, and party only where the workshop allows it', async (ctx) => {
    if (!hasPandoc) return ctx.skip();
    const markdown = await docxAsMarkdown((await download('docx')).rawPayload);
    const section = markdown.slice(markdown.indexOf('# Deltakere'), markdown.indexOf('# Prioritering'));
    expect(section).toContain('6 deltakere i 2 grupper.');
    for (const text of ['Gruppe 1', 'Gruppe 2', 'Stein', 'Dina', 'Formannskapet', 'Rødt', 'Høyre', 'Fasilitator: ', 'Deltaker, Gruppe 2']) expect(section).toContain(text);
  });

  it('[SYN-2] ranks the starred items by how many groups starred them', async (ctx) => {
    if (!hasPandoc) return ctx.skip();
    const markdown = await docxAsMarkdown((await download('docx')).rawPayload);
    const section = markdown.slice(markdown.indexOf('# Prioritering'), markdown.indexOf('# Endringer i planteksten'));
    expect(section.indexOf('Strategi 1')).toBeGreaterThan(-1);
    // Strategi 1: 3 stars from 2 groups; Strategi 2: 1 star from 1 group.
    expect(section.indexOf('Strategi 2')).toBeGreaterThan(section.indexOf('Strategi 1'));
    expect(section).not.toContain('Strategi 3');
  });

  it('[SYN-6] shows each revision before and after, with the lapper behind it', async (ctx) => {
    if (!hasPandoc) return ctx.skip();
    const markdown = await docxAsMarkdown((await download('docx')).rawPayload);
    const section = markdown.slice(markdown.indexOf('# Endringer i planteksten'), markdown.indexOf('\n# Sosial bærekraft'));
    expect(section).toContain('## Sosial bærekraft, Delmål 1: endret tekst');
    expect(section).toMatch(/Før:.*Delmål 1\b/);
    expect(section).toMatch(/Etter:.*Delmål 1, med jordvern/);
    expect(section).toContain('Lapp bak endringen (1):');
    expect(section).toContain('Jordvern må inn som eget delmål');
    expect(section).not.toContain('Ta vare på dyrket mark');
  });

  it('[REPORT-7] sets the XLSX up for print: A4 landscape, one page wide, header row on every page, frozen, filtered', async () => {
    const files = unzip((await download('xlsx')).rawPayload);
    const sheet = files.find((f) => f.name === 'xl/worksheets/sheet1.xml')!.data.toString('utf8');
    const workbookXml = files.find((f) => f.name === 'xl/workbook.xml')!.data.toString('utf8');
    expect(sheet).toContain('<pageSetUpPr fitToPage="1"/>');
    expect(sheet).toMatch(/<pageSetup [^>]*paperSize="9"/);
    expect(sheet).toMatch(/<pageSetup [^>]*orientation="landscape"/);
    expect(sheet).toMatch(/<pageSetup [^>]*fitToWidth="1"/);
    expect(sheet).toMatch(/<pageSetup [^>]*fitToHeight="0"/);
    expect(sheet).toContain('<autoFilter ref="A1:Q8"/>');
    expect(sheet).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    expect(workbookXml).toContain('<definedName name="_xlnm.Print_Titles" localSheetId="0">&apos;Lapper&apos;!$1:$1</definedName>');
    // Printed: the columns a case officer reads, up to "Begrunnelse"; the ids stay for filtering.
    expect(workbookXml).toContain('<definedName name="_xlnm.Print_Area" localSheetId="0">&apos;Lapper&apos;!$A:$M</definedName>');
  });

  it('[REPORT-9] makes a theme a heading and a column value once a planner named it', async (ctx) => {
    const db = t.database.db;
    const theme = await db.selectFrom('note_themes').select('theme_key').where('note_id', '=', notes.jordvern!).executeTakeFirstOrThrow();
    await correctTheme(fixture.planner.actor, fixture.workshopId, { type: 'rename', themeKey: theme.theme_key, label: 'Jordvern' }, db);
    const { lapper } = await readXlsx((await download('xlsx')).rawPayload);
    expect(lapper.rows.find((row) => row[15] === notes.jordvern)![10]).toBe('Jordvern');
    expect(lapper.rows.filter((row) => row[10] !== '' && row[10] !== 'Jordvern' && row[10] !== 'Tema')).toEqual([]);
    if (!hasPandoc) return ctx.skip();
    const markdown = await docxAsMarkdown((await download('docx')).rawPayload);
    const headings = markdown.split('\n').filter((line) => line.startsWith('### '));
    expect(headings).toContain('### Jordvern');
    // Only under an item with a named theme: the others' lapper stay in one table without headings.
    expect(headings.filter((heading) => heading !== '### Jordvern' && heading !== '### Uten tema')).toEqual([]);
  });

  it('[REPORT-5] gives an empty workshop a valid DOCX that says there is no input, and header-only spreadsheets', async (ctx) => {
    const empty = await createWorkshopFixture(t.database.db);
    const docx = (await download('docx', empty.workshopId)).rawPayload;
    expect(documentXml(docx)).toContain(NO_INPUT);
    const { lapper } = await readXlsx((await download('xlsx', empty.workshopId)).rawPayload);
    expect(lapper.rows).toHaveLength(1);
    expect(parseCsv((await download('csv', empty.workshopId)).rawPayload.toString('utf8').slice(1))).toHaveLength(1);
    if (!hasPandoc) return ctx.skip();
    const markdown = await docxAsMarkdown(docx);
    expect(markdown).toContain('# Sammendrag');
    expect(markdown).toContain(NO_INPUT);
  });
});

describe('reportText', () => {
  it('[REPORT-6] drops what XML cannot hold and marks a lone surrogate, keeping tab, line breaks and real emoji', () => {
    expect(reportText('a\u0000b\u0001c\u0008d\u000Be\u000Cf\u001Fg\uFFFEh\uFFFFi')).toBe('abcdefghi');
    expect(reportText('tab\there\nline\r\nend')).toBe('tab\there\nline\r\nend');
    expect(reportText('lone \uD800 high, lone \uDC00 low')).toBe('lone \uFFFD high, lone \uFFFD low');
    expect(reportText('emoji 🌱 stays')).toBe('emoji 🌱 stays');
  });
});

describe.each(testDatabaseKinds)('reports of stored text their format cannot hold, on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
  });
  afterAll(() => t?.close());

  it('[REPORT-6] writes well-formed DOCX and XLSX even when a stored lapp holds U+FFFE, U+FFFF or C0 controls', async () => {
    const fixture = await createWorkshopFixture(t.database.db);
    const participant = fixture.groups[0]!.participants[0]!;
    // Stored before input hygiene refused such text: written straight to the database.
    await t.database.db
      .insertInto('notes')
      .values({
        id: randomUUID(),
        workshop_id: fixture.workshopId,
        poster_id: fixture.goalsPosterId,
        group_id: fixture.groups[0]!.id,
        author_participant_id: participant.id,
        author_user_id: null,
        author_name: null,
        written_by_user_id: null,
        kind: 'comment',
        text: 'Før\uFFFE og\uFFFF etter\u0001\u0007\u001B slutt',
        proposed_item_kind: null,
        reply_to_note_id: null,
        withdrawn_at: null,
      })
      .execute();
    const forbidden = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/; // eslint-disable-line no-control-regex
    for (const format of ['docx', 'xlsx'] as const) {
      const response = await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/report.${format}`, headers: planner.headers });
      expect(response.statusCode).toBe(200);
      for (const file of unzip(response.rawPayload)) expect(forbidden.test(file.data.toString('utf8')), `${format} ${file.name}`).toBe(false);
      const text = unzip(response.rawPayload).map((f) => f.data.toString('utf8')).join('');
      expect(text).toContain('Før og etter slutt');
    }
    // exceljs reads it back with a strict XML parser.
    const { lapper } = await readXlsx((await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/report.xlsx`, headers: planner.headers })).rawPayload);
    expect(lapper.rows[1]![lapper.rows[0]!.indexOf('Innspill')]).toBe('Før og etter slutt');
    const csv = (await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/report.csv`, headers: planner.headers })).rawPayload.toString('utf8');
    expect(csv).toContain('Før og etter slutt');
  });
});

describe('innspill export (CLI)', () => {
  let dir: string;
  let workshopId: string;
  const cli = (...args: string[]) => {
    // The data dir, not the PostgreSQL of the test run: the CLI must read the same PGlite files.
    const env: NodeJS.ProcessEnv = { ...process.env, INNSPILL_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
    return run(process.execPath, ['--import', 'tsx', 'src/cli/innspill.ts', 'export', ...args], { env, timeout: 60_000 }).then(
      (result) => ({ code: 0, ...result }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'innspill-cli-'));
    const database = await openDatabase({ dataDir: path.join(dir, 'data') });
    try {
      await migrateToLatest(database.db);
      const fixture = await createWorkshopFixture(database.db);
      workshopId = fixture.workshopId;
      await executeCommand(database.db, new WriteRateLimiter(100, 10_000), fixture.groups[0]!.participants[0]!.actor, workshopId, randomUUID(), {
        type: 'note.create',
        noteId: randomUUID(),
        posterId: fixture.goalsPosterId,
        itemIds: [fixture.subGoalIds[0]!],
        kind: 'comment',
        text: 'Jordvern fra kommandolinjen',
      });
    } finally {
      await database.close();
    }
  }, 60_000);
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('writes the CSV of a workshop in a PGlite data dir with --out', async () => {
    const out = path.join(dir, 'rapport.csv');
    const result = await cli('csv', workshopId, '--out', out);
    expect(result.code, result.stderr).toBe(0);
    const csv = await readFile(out, 'utf8');
    expect(csv.startsWith('\uFEFFPerspektiv;Del;Punkt;')).toBe(true);
    expect(csv).toContain('Jordvern fra kommandolinjen');
  }, 60_000);

  it('prints the open-data JSON to stdout without --out', async () => {
    const result = await cli('json', workshopId);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ format: 'innspill.workshop-export', workshop: { id: workshopId } });
  }, 60_000);

  it('exits 1 with a clear message for an unknown workshop', async () => {
    const unknown = await cli('docx', randomUUID(), '--out', path.join(dir, 'x.docx'));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No workshop with id');
  }, 60_000);

  it('exits 1 with a clear message for a bad format or a binary format without --out', async () => {
    const badFormat = await cli('pdf', workshopId);
    expect(badFormat.code).toBe(1);
    expect(badFormat.stderr).toContain('Unknown format "pdf"');
    const noOut = await cli('xlsx', workshopId);
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toContain('--out FILE');
  }, 60_000);
});
