import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languages } from '../../domain/languages.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { dictionaries } from '../../web/i18n/messages.js';
import { executeCommand } from '../live/commands.service.js';
import { assessNote } from '../synthesis/assessments.service.js';
import { createTestApp, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { noteColumns } from './columns.js';
import { parseExportArgs } from './exportFile.js';
import { reportWords } from './reportTexts.js';
import { unzip } from './zip.js';

const run = promisify(execFile);
const hasPandoc = spawnSync('pandoc', ['--version']).status === 0;

async function docxAsMarkdown(docx: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'innspill-docx-lang-'));
  try {
    const file = path.join(dir, 'report.docx');
    await writeFile(file, docx);
    return (await run('pandoc', ['-f', 'docx', '-t', 'plain', '--wrap=none', file])).stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const docxText = (docx: Buffer) =>
  unzip(docx)
    .find((f) => f.name === 'word/document.xml')!
    .data.toString('utf8')
    .replace(/<[^>]+>/g, '');

describe('the words of a report', () => {
  it.each(languages)('[REPORT-10] every report text exists in %s, none empty: a missing one fails here and in [I18N-1]', (language) => {
    const reportKeys = Object.keys(dictionaries.nb).filter((key) => key.startsWith('report.'));
    expect(reportKeys.length).toBeGreaterThan(50);
    const dictionary = dictionaries[language] as Record<string, string | undefined>;
    expect(reportKeys.filter((key) => !dictionary[key]?.trim())).toEqual([]);
    // The column headers are looked up by a key built at run time: each must be a real text.
    for (const column of noteColumns(true, reportWords(language))) expect(column.header).not.toMatch(/^report\./);
  });

  it('[REPORT-10] English calls a lapp a note everywhere, as the words of DESIGN.md do (lapp → Note): no English text says "lapp" or "lapper"', () => {
    const mixed = Object.entries(dictionaries.en).filter(([, text]) => /\blapp(er)?\b/i.test(text));
    expect(mixed).toEqual([]);
    expect(reportWords('en').t('report.sheet.notes')).toBe('Notes');
  });

  it('[REPORT-10] names a status as the synthesis page does in the same language', () => {
    for (const language of languages) {
      const words = reportWords(language);
      expect(words.status('accepted')).toBe(dictionaries[language]['syn.status.accepted']);
      expect(words.status(null)).toBe(dictionaries[language]['syn.filters.status.unassessed']);
      expect(words.kind('rewording')).toBe(dictionaries[language]['syn.kind.rewording']);
    }
    expect(reportWords('nn').status('accepted')).toBe('Teke til følgje');
    expect(reportWords('en').status('accepted')).toBe('Accepted');
    expect(reportWords('nn').itemLabel('sub_goal', 2, true)).toBe('Delmål (fjerna)');
  });

  it('[REPORT-10] writes dates and numbers the language\'s way', () => {
    const moment = new Date('2025-03-12T10:00:00Z');
    expect(reportWords('nb').longDate(moment)).toBe('12. mars 2025');
    expect(reportWords('nn').longDate(moment)).toBe('12. mars 2025');
    expect(reportWords('en').longDate(moment)).toBe('12 March 2025');
    expect(reportWords('nn').plural('syn.notes', 12500)).toBe('12\u00a0500 lappar');
    expect(reportWords('en').plural('syn.notes', 12500)).toBe('12,500 notes');
  });

  it('[REPORT-10] innspill export takes --lang nb|nn|en and refuses any other', () => {
    const id = randomUUID();
    expect(parseExportArgs(['docx', id], 'r.docx', { lang: 'nn' })).toEqual({ format: 'docx', scope: 'workshop', workshopId: id, out: 'r.docx', language: 'nn' });
    expect(parseExportArgs(['csv', id], undefined)).toEqual({ format: 'csv', scope: 'workshop', workshopId: id, out: undefined });
    const refused = parseExportArgs(['csv', id], undefined, { lang: 'se' });
    expect('error' in refused && refused.error).toMatch(/--lang "se": use nb, nn, en/);
  });
});

describe.each(testDatabaseKinds)('reports in the workshop\'s language, on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let fixture: WorkshopFixture;

  const download = async (format: string, query = '') => {
    const response = await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/report.${format}${query}`, headers: planner.headers });
    expect(response.statusCode, response.body.slice(0, 300)).toBe(200);
    return response.rawPayload;
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    fixture = await createWorkshopFixture(t.database.db);
    const db = t.database.db;
    await db.updateTable('workshops').set({ language: 'nn', opened_at: new Date(Date.now() - 60_000) }).where('id', '=', fixture.workshopId).execute();
    const noteId = randomUUID();
    await executeCommand(db, new WriteRateLimiter(100, 10_000), fixture.groups[0]!.participants[0]!.actor, fixture.workshopId, randomUUID(), {
      type: 'note.create',
      noteId,
      posterId: fixture.goalsPosterId,
      itemIds: [fixture.subGoalIds[0]!],
      kind: 'comment',
      text: 'Jordvern må inn som eige delmål',
    });
    await assessNote(fixture.planner.actor, noteId, { status: 'accepted', justification: 'Teke inn' }, db);
  });
  afterAll(() => t?.close());

  it('[REPORT-10] writes the DOCX in the workshop\'s nynorsk when no language is asked for', async () => {
    const docx = await download('docx');
    const styles = unzip(docx).find((f) => f.name === 'word/styles.xml')!.data.toString('utf8');
    expect(styles).toContain('<w:lang w:val="nn-NO"/>');
    // The title is a Title paragraph, which pandoc keeps as metadata: read it from the XML.
    expect(docxText(docx)).toContain('Innspel frå');
    const text = hasPandoc ? await docxAsMarkdown(docx) : docxText(docx);
    for (const words of ['Samandrag', 'Vurderingar:', 'Teke til følgje', 'Generelle innspel', 'Deltakarar', 'Ingen lappar.', '1 lapp frå 1 gruppe, 1 vurderte.']) {
      expect(text).toContain(words);
    }
    for (const bokmål of ['Sammendrag', 'Tatt til følge', 'Innspill fra', 'Deltakere']) expect(text).not.toContain(bokmål);
  });

  it('[REPORT-10] writes English when ?lang=en, in every format', async () => {
    const docx = await download('docx', '?lang=en');
    const text = docxText(docx);
    for (const words of ['Input from', 'Summary', 'Assessments:', 'Accepted', 'General input']) expect(text).toContain(words);
    const footer = unzip(docx).find((f) => /^word\/footer\d*\.xml$/.test(f.name))!.data.toString('utf8');
    expect(footer).toContain('Page ');
    expect(footer).toContain(' of ');
    expect(text).not.toContain('Samandrag');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await download('xlsx', '?lang=en')) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((sheet) => sheet.name)).toEqual(['Notes', 'Stars']);
    const header = (workbook.getWorksheet('Notes')!.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(expect.arrayContaining(['Perspective', 'Item', 'Input', 'Assessment', 'Justification', 'Written']));
    expect((workbook.getWorksheet('Notes')!.getRow(2).values as unknown[]).slice(1)).toEqual(expect.arrayContaining(['Accepted', 'Comment', 'yes']));

    const csv = (await download('csv', '?lang=en')).toString('utf8');
    expect(csv).toMatch(/^\uFEFFPerspective;Part;Item;/);
    expect(csv).toContain(';Accepted;');
    const nb = (await download('csv', '?lang=nb')).toString('utf8');
    expect(nb).toMatch(/^\uFEFFPerspektiv;Del;Punkt;/);
    expect(nb).toContain(';Tatt til følge;');
  });

  it('[REPORT-10] refuses an unknown language with 400 naming lang', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/report.docx?lang=se`, headers: planner.headers });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/lang/);
  });
});
