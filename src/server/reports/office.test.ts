import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { executeCommand } from '../live/commands.service.js';
import type { Command } from '../../contract/protocol.js';
import { editItem } from '../plans/plans.service.js';
import { assessNote } from '../synthesis/assessments.service.js';
import { correctTheme, recomputeThemes } from '../synthesis/themes.service.js';
import { createTestApp, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { unzip } from './zip.js';

/**
 * The reports as a case officer sees them: LibreOffice prints the DOCX and the XLSX to PDF and
 * pdftotext reads the pages back. CI installs both (`.ci/run`), with Carlito, which has Calibri's
 * metrics, so a column that fits here fits in Word. Set INNSPILL_REPORT_PDF_DIR to keep the PDFs.
 */
const run = promisify(execFile);
const hasOffice = spawnSync('soffice', ['--version']).status === 0 && spawnSync('pdftotext', ['-v']).status === 0;
if (!hasOffice && process.env.CI === 'true') throw new Error('LibreOffice or poppler-utils is missing; CI must install them (see .ci/run)');

/** Words, as letters and digits between anything else. */
const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((word) => word !== '' && !/^\d+$/.test(word));
/** Every text a file holds: DOCX runs, XLSX cell values and strings. */
const textsOf = (file: Buffer) =>
  unzip(file)
    .filter((entry) => entry.name.endsWith('.xml'))
    .flatMap((entry) => [...entry.data.toString('utf8').matchAll(/<(w:t|t|v)(?: [^>]*)?>([^<]*)<\/\1>/g)].map((m) => m[2]!))
    .join(' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');

/** Words on the printed pages that are in no text of the file: a word broken across lines ("Kommenta r"). */
function brokenWords(pdfText: string, file: Buffer, extra: string[]): string[] {
  const known = new Set([...words(textsOf(file)), ...extra]);
  return [...new Set(words(pdfText).filter((word) => !known.has(word)))];
}

describe.skipIf(!hasOffice)('reports as LibreOffice prints them', () => {
  let t: TestApp;
  let planner: TestUser;
  let fixture: WorkshopFixture;
  let dir: string;
  const pdfs: Record<'docx' | 'xlsx', { text: string; pages: Array<{ width: number; height: number; text: string }>; file: Buffer }> = {} as never;

  beforeAll(async () => {
    t = await createTestApp(testDatabaseKinds[0]!);
    planner = await t.user('planner');
    fixture = await createWorkshopFixture(t.database.db);
    const db = t.database.db;
    await db.updateTable('workshops').set({ opened_at: new Date(Date.now() - 60_000), party_in_reports: true }).where('id', '=', fixture.workshopId).execute();
    await db.updateTable('participants').set({ party: 'Arbeiderpartiet', committee: 'Formannskapet' }).where('workshop_id', '=', fixture.workshopId).execute();
    const limiter = new WriteRateLimiter(10_000, 10_000);
    const write = (actor: Actor, command: Command) => executeCommand(db, limiter, actor, fixture.workshopId, randomUUID(), command);
    const people = fixture.groups.flatMap((group) => group.participants.map((p) => p.actor));
    const texts = [
      'Arealstrategien må sikre kollektivknutepunktene og fortetting rundt dem',
      'Jordvern må inn som eget delmål, matjorda er en ikke-fornybar ressurs',
      'Flere rimelige boliger for unge i alle deler av kommunen',
      'Samfunnssikkerhet og beredskap mangler i delmålene',
      'Naturmangfold bør vektlegges tydeligere i arealplanleggingen',
      'Kommunen bør samarbeide med frivilligheten om møteplasser',
      'Folkehelse og fysisk aktivitet for alle aldersgrupper',
      'Sykkelveinettet må bygges ut mellom kommunedelsentrene',
      'Klimagassutslippene fra transport må ned, også fra anleggsmaskiner',
      'Barnehagekapasiteten må følge boligbyggingen',
      'Kulturtilbud for ungdom i alle kommunedeler',
      'Næringsarealer nær kollektivknutepunkter',
      'Universell utforming i alle nye bygg og uterom',
      'Eldre skal kunne bo hjemme lenger med velferdsteknologi',
      'Grønnstrukturen må sikres mot nedbygging',
      'Digital innbyggerdialog gjennom hele planprosessen',
    ];
    const ids = texts.map(() => randomUUID());
    for (const [i, text] of texts.entries()) {
      const item = i % 4 === 3 ? [] : [fixture.subGoalIds[i % 3]!];
      await write(people[i % people.length]!, { type: 'note.create', noteId: ids[i]!, posterId: fixture.goalsPosterId, itemIds: item, kind: i === 5 ? 'rewording' : 'comment', text });
    }
    // The 17th row: a reply.
    await write(people[1]!, { type: 'note.create', noteId: randomUUID(), posterId: fixture.goalsPosterId, itemIds: [fixture.subGoalIds[0]!], kind: 'comment', text: 'Helt enig, og kollektivknutepunktene må prioriteres', replyToNoteId: ids[0]! });
    for (const [actor, item] of [[people[0], 0], [people[1], 0], [people[3], 0], [people[4], 1]] as const) {
      await write(actor!, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[item]! });
    }
    await assessNote(fixture.planner.actor, ids[1]!, { status: 'accepted', justification: 'Jordvern er tatt inn i revidert delmål 2.' }, db);
    await assessNote(fixture.planner.actor, ids[2]!, { status: 'partly', justification: 'Følges opp i boligprogrammet.' }, db);
    await editItem(fixture.planner.actor, fixture.subGoalIds[1]!, { text: 'Delmål 2, med jordvern og matjord', version: 1, noteIds: [ids[1]!] }, db);
    await recomputeThemes(fixture.planner.actor, fixture.workshopId, db);
    const theme = await db.selectFrom('note_themes').select('theme_key').where('note_id', '=', ids[1]!).executeTakeFirstOrThrow();
    await correctTheme(fixture.planner.actor, fixture.workshopId, { type: 'rename', themeKey: theme.theme_key, label: 'Jordvern og matjord' }, db);

    dir = await mkdtemp(path.join(tmpdir(), 'innspill-office-'));
    for (const format of ['docx', 'xlsx'] as const) {
      const response = await t.app.inject({ method: 'GET', url: `/api/workshops/${fixture.workshopId}/report.${format}`, headers: planner.headers });
      expect(response.statusCode).toBe(200);
      await writeFile(path.join(dir, `rapport-${format}.${format}`), response.rawPayload);
      pdfs[format] = { file: response.rawPayload, text: '', pages: [] };
    }
    // One LibreOffice for both files, with its own profile so parallel runs do not share one.
    await run(
      'soffice',
      [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'rapport-docx.docx'), path.join(dir, 'rapport-xlsx.xlsx')],
      { timeout: 240_000 },
    );
    for (const format of ['docx', 'xlsx'] as const) {
      const pdf = path.join(dir, `rapport-${format}.pdf`);
      const info = (await run('pdfinfo', ['-f', '1', '-l', '999', pdf])).stdout;
      const sizes = [...info.matchAll(/^Page +\d+ size: +([\d.]+) x ([\d.]+) pts/gm)].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
      pdfs[format].pages = await Promise.all(
        sizes.map(async (size, i) => ({ ...size, text: (await run('pdftotext', ['-f', `${i + 1}`, '-l', `${i + 1}`, '-layout', pdf, '-'])).stdout })),
      );
      pdfs[format].text = pdfs[format].pages.map((page) => page.text).join('\n');
      if (process.env.INNSPILL_REPORT_PDF_DIR) {
        await mkdir(process.env.INNSPILL_REPORT_PDF_DIR, { recursive: true });
        await copyFile(pdf, path.join(process.env.INNSPILL_REPORT_PDF_DIR, `rapport-${format}.pdf`));
        await copyFile(path.join(dir, `rapport-${format}.${format}`), path.join(process.env.INNSPILL_REPORT_PDF_DIR, `rapport.${format}`));
      }
    }
  }, 360_000);
  afterAll(async () => {
    await t?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('[REPORT-2] prints the DOCX on A4 with every section and no word broken across lines', () => {
    const { pages, text, file } = pdfs.docx;
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect(page.height).toBeGreaterThan(page.width);
    for (const heading of ['Sammendrag', 'Deltakere', 'Prioritering', 'Endringer i planteksten', 'Sosial bærekraft', 'Generelle innspill', 'Jordvern og matjord']) {
      expect(text).toContain(heading);
    }
    expect(text).toContain('Lapp bak endringen (1):');
    expect(text).toContain('Svar til');
    expect(text).toMatch(/Side 1 av \d+/);
    expect(brokenWords(text, file, ['Side', 'av'])).toEqual([]);
  });

  it('[REPORT-7] prints the 17 lapper of the XLSX on at most 2 landscape pages, with no word broken', () => {
    const { pages, text, file } = pdfs.xlsx;
    for (const page of pages) expect(page.width).toBeGreaterThan(page.height);
    // The footer names the sheet: "Lapper" pages, then "Stjerner".
    const lapperPages = pages.filter((page) => /Lapper\s+Side \d+ av \d+/.test(page.text));
    expect(lapperPages.length).toBeGreaterThanOrEqual(1);
    expect(lapperPages.length).toBeLessThanOrEqual(2);
    // The header row repeats on every page.
    for (const page of lapperPages) expect(page.text).toMatch(/Perspektiv\s+Del\s+Punkt/);
    expect(text).toContain('Helt enig, og kollektivknutepunktene må prioriteres');
    // Only the printed columns: ids stay on screen.
    expect(text).not.toContain('Lapp-id');
    expect(brokenWords(text, file, ['Side', 'av', 'Lapper', 'Stjerner'])).toEqual([]);
  });
});
