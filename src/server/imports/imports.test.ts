import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWorkshopExport } from '../exports/workshopExport.service.js';
import { createTestApp, expectStatus, openTestDatabase, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture } from '../testing/workshopFixture.js';
import { validateExport } from '../testing/exportContract.js';
import { importBoardText } from './boardImport.service.js';
import { importLapperCsv } from './csvImport.service.js';
import type { ImportResult } from '../../contract/imports.schema.js';
import { importWorkshopExport, parseWorkshopExport } from './jsonImport.service.js';
import { mergeGroup } from './mergeGroups.service.js';
import { multipartBody } from '../consultations/consultationFixture.js';

const seed = readFileSync('demo/baerum-2040.txt', 'utf8');

describe.each(testDatabaseKinds)('imports on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let imported: ImportResult;

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    const response = await t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: planner.headers, payload: { text: seed, fileName: 'baerum-2040.txt', title: 'Bærum demo', municipality: 'Bærum', horizonYear: 2040 } });
    imported = expectStatus<ImportResult>(response, 201);
  });
  afterAll(() => t?.close());

  it('[IMPORT-1] answers 401 and 403 to anyone but a planner', async () => {
    // A small body: a stranger's large one is refused by its size before anything else ([SAFE-3]).
    expect((await t.app.inject({ method: 'POST', url: '/api/imports/board-text', payload: { text: 'Gruppe 1' } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/imports/board-text', payload: { text: seed } })).statusCode).toBe(413);
    const facilitator = await t.user('facilitator');
    expect((await t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: facilitator.headers, payload: { text: seed } })).statusCode).toBe(403);
  });

  it('[IMPORT-1] rebuilds the Bærum plan: four hovedmål exactly, and the items of each kind per perspective', async () => {
    const exported = await readWorkshopExport(t.database.db, imported.workshopId);
    expect(exported.plan.perspectives.map((p) => p.items.find((i) => i.kind === 'main_goal')!.text)).toEqual([
      'I Bærum har vi varig, inkluderende og bærekraftig økonomisk vekst',
      'I Bærum er det godt å bo og leve for alle',
      'Bærum er ledende i arbeidet for et klima- og miljøvennlig samfunn',
      'Bærum er en handlekraftig og innovativ kommune',
    ]);
    const counts = exported.plan.perspectives.map((p) => [
      p.items.filter((i) => i.kind === 'sub_goal').length,
      p.items.filter((i) => i.kind === 'strategy').length,
      p.items.filter((i) => i.kind === 'land_use_strategy').length,
    ]);
    expect(counts).toEqual([
      [4, 7, 5],
      [4, 9, 8],
      [4, 7, 10],
      [5, 12, 2],
    ]);
    // Numbered by position: the poster's "Strategi 11" twice became 11 and 12.
    const organisation = exported.plan.perspectives[3]!.items.filter((i) => i.kind === 'strategy');
    expect(organisation.map((i) => i.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(exported.plan).toMatchObject({ municipality: 'Bærum' });
    expect(validateExport(exported), JSON.stringify(validateExport.errors)).toBe(true);
  });

  it('[IMPORT-1] reports the seed exactly: 28 posters, 541 lapper (26 placed, 515 unplaced), 5 facilitator notes, 19 groups, 24 participants, 81 items', async () => {
    const { report } = imported;
    expect(report.posters).toBe(28);
    expect(report.groups).toHaveLength(19);
    expect(report.groups.filter((g) => g.labelled).map((g) => g.name)).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `Gruppe ${n}`));
    expect([report.notesPlaced, report.notesUnplaced, report.facilitatorNotes]).toEqual([26, 515, 5]);
    expect(report.warnings).toHaveLength(28);
    expect(new Set(report.warnings.map((w) => w.code))).toEqual(
      new Set(['template_variant', 'duplicate_number', 'missing_number', 'unrecognised_block', 'poster_without_group', 'suspected_duplicate_note']),
    );
    const exported = await readWorkshopExport(t.database.db, imported.workshopId);
    expect(exported.workshop.notes).toHaveLength(546);
    const kinds = ['comment', 'rewording', 'new_item', 'question', 'facilitator_note'] as const;
    expect(kinds.map((kind) => exported.workshop.notes.filter((n) => n.kind === kind).length)).toEqual([490, 4, 5, 42, 5]);
    expect(exported.workshop.groups.slice(0, 7).map((g) => g.participants.length)).toEqual([4, 4, 5, 1, 4, 0, 6]);
    expect(exported.workshop.groups.flatMap((g) => g.participants)).toHaveLength(24);
    expect(exported.plan.perspectives.flatMap((p) => p.items)).toHaveLength(81);
    expect(exported.workshop.stars).toEqual([]);
    const group5 = exported.workshop.groups.find((g) => g.name === 'Gruppe 5')!;
    expect(group5.participants).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'Stein', party: 'Rødt', committee: 'FSK' })]));
    const group1 = exported.workshop.groups.find((g) => g.name === 'Gruppe 1')!;
    expect(group1.participants.map((p) => [p.name, p.party]).sort()).toEqual([
      ['Dag', 'Høyre'],
      ['Finn Oddvar', 'Sp'],
      ['Kjell', 'Ap'],
      ['Signe', 'MDG'],
    ]);
    const notes = exported.workshop.notes.filter((n) => n.kind !== 'facilitator_note');
    expect(notes.filter((n) => n.placed).length).toBe(report.notesPlaced);
    expect(notes.filter((n) => !n.placed).every((n) => n.itemIds.length === 0)).toBe(true);
    expect(exported.workshop.notes.filter((n) => n.kind === 'facilitator_note').length).toBe(report.facilitatorNotes);
    expect(exported.workshop.state).toBe('closed');
  });

  it('[IMPORT-1] puts lapper that name an item on that item, and a copied item on the klima poster as a lapp', async () => {
    const exported = await readWorkshopExport(t.database.db, imported.workshopId);
    const itemText = new Map(exported.plan.perspectives.flatMap((p) => p.items.map((i) => [i.id, `${p.title}|${i.kind}|${i.number}`])));
    const placedOn = (start: string) =>
      exported.workshop.notes.filter((n) => n.text.startsWith(start)).map((n) => n.itemIds.map((id) => itemText.get(id)));
    const klima = exported.plan.perspectives[2]!;
    expect(klima.items.some((i) => i.text.startsWith('Stille krav om varierte boligtyper'))).toBe(false);
    expect(exported.workshop.notes.some((n) => n.text.includes('Stille krav om varierte boligtyper') && exported.workshop.posters.find((p) => p.id === n.posterId)!.perspectiveId === klima.id)).toBe(true);
    const placed = exported.workshop.notes.filter((n) => n.placed && n.itemIds.length > 0 && /^(Strategi|Arealstrategi|Delmål|delmål)\s*\d/.test(n.text));
    expect(placed.length).toBeGreaterThanOrEqual(12);
    for (const note of placed.slice(0, 12)) {
      const [, label, number] = /^(Strategi|Arealstrategi|Delmål|delmål)\s*(\d+)/.exec(note.text)!;
      const kindByLabel: Record<string, string> = { Strategi: 'strategy', Arealstrategi: 'land_use_strategy', Delmål: 'sub_goal', delmål: 'sub_goal' };
      const where = placedOn(note.text.slice(0, 30))[0]![0]!;
      expect(where.split('|')[1], note.text).toBe(kindByLabel[label!]);
      // Numbers can differ where the poster numbered twice; the kind must match and the number be near.
      expect(Math.abs(Number(where.split('|')[2]) - Number(number)), note.text).toBeLessThanOrEqual(1);
    }
  });

  it('[IMPORT-2] refuses the same file again with a clear 409, and writes nothing', async () => {
    const before = await t.database.db.selectFrom('workshops').select('id').execute();
    const again = await t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: planner.headers, payload: { text: seed } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: 'already_imported', current: { workshopId: imported.workshopId } });
    expect(await t.database.db.selectFrom('workshops').select('id').execute()).toHaveLength(before.length);
  });

  it('[IMPORT-2][LIVE-26] imports of one file at the same time take turns: two replaces both land on the one workshop, two first imports give one 409, never a 500', async () => {
    const board = async (workshopId: string) => ({
      groups: (await t.database.db.selectFrom('groups').select('id').where('workshop_id', '=', workshopId).execute()).length,
      notes: (await t.database.db.selectFrom('notes').select('id').where('workshop_id', '=', workshopId).execute()).length,
    });
    const post = (text: string, title: string, replace: boolean) =>
      t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: planner.headers, payload: { text, fileName: 'samtidig.txt', title, municipality: 'Bærum', horizonYear: 2040, replace } });
    const reportsOf = (text: string) => t.database.db.selectFrom('workshop_imports').select('workshop_id').where('source_sha256', '=', createHash('sha256').update(text).digest('hex')).execute();

    const replaced = `${seed}\n\n`; // its own file: the other tests' imports are not touched
    const first = expectStatus<ImportResult>(await post(replaced, 'Første', false), 201);
    const expected = await board(first.workshopId);
    const answers = await Promise.all([post(replaced, 'Andre', true), post(replaced, 'Tredje', true)]);
    expect(answers.map((answer) => `${answer.statusCode} ${answer.statusCode === 201 ? '' : answer.body}`)).toEqual(['201 ', '201 ']);
    expect(answers.map((answer) => answer.json<ImportResult>().workshopId)).toEqual([first.workshopId, first.workshopId]);
    // The one that went last replaced the other whole: one board's worth, not two, and one plan left.
    expect(await board(first.workshopId)).toEqual(expected);
    expect(await reportsOf(replaced)).toEqual([{ workshop_id: first.workshopId }]);
    const planIds = [first, ...answers.map((answer) => answer.json<ImportResult>())].map((result) => result.planId);
    expect(await t.database.db.selectFrom('plans').select('id').where('id', 'in', planIds).execute()).toHaveLength(1);

    const fresh = `${seed}\n\n\n`;
    const both = await Promise.all([post(fresh, 'Den ene', false), post(fresh, 'Den andre', false)]);
    expect(both.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
    const won = both.find((answer) => answer.statusCode === 201)!.json<ImportResult>();
    expect(both.find((answer) => answer.statusCode === 409)!.json().error).toMatchObject({ code: 'already_imported' });
    expect(await reportsOf(fresh)).toEqual([{ workshop_id: won.workshopId }]);
    expect(await board(won.workshopId)).toEqual(expected);
  });

  it('[IMPORT-2][CONS-1] a replace keeps the earlier plan while a høring is on it: its inputs are never deleted with it', async () => {
    const text = `${seed}\n\n\n\n`;
    const post = (replace: boolean) =>
      t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: planner.headers, payload: { text, fileName: 'med-hoering.txt', municipality: 'Bærum', horizonYear: 2040, replace } });
    const first = expectStatus<ImportResult>(await post(false), 201);
    const consultation = expectStatus<{ id: string }>(
      await t.app.inject({ method: 'POST', url: `/api/plans/${first.planId}/consultations`, headers: planner.headers, payload: { title: 'Høring av den første utgaven' } }),
      201,
    );
    const { payload, headers } = multipartBody({ name: 'Kari', text: 'Mer jordvern' });
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/consultations/${consultation.id}/submissions`, payload, headers }), 201);
    const second = expectStatus<ImportResult>(await post(true), 201);
    expect(second.planId).not.toBe(first.planId);
    expect(await t.database.db.selectFrom('plans').select('id').where('id', '=', first.planId).execute()).toEqual([{ id: first.planId }]);
    const inputs = await t.database.db.selectFrom('submissions').select('text').where('consultation_id', '=', consultation.id).execute();
    expect(inputs).toEqual([{ text: 'Mer jordvern' }]);
  });

  it('[IMPORT-2] refuses a file that is not an export with a 400 and writes nothing', async () => {
    const before = await t.database.db.selectFrom('plans').select('id').execute();
    for (const text of ['Dette er bare en handleliste:\nmelk\nbrød\n', '{"format": "noe annet"}']) {
      const response = await t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: planner.headers, payload: { text } });
      expect(response.statusCode, text).toBe(400);
      expect(response.json().error.code).toBe('not_an_export');
    }
    // Binary junk is refused at the edge, naming the field ([SAFE-1]).
    const binary = await t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: planner.headers, payload: { text: '\u0000\u0001binært' } });
    expect(binary.statusCode).toBe(400);
    expect(binary.json().error).toMatchObject({ code: 'validation_failed', fields: [{ path: 'body.text' }] });
    expect(await t.database.db.selectFrom('plans').select('id').execute()).toHaveLength(before.length);
  });

  it('[IMPORT-4] merges a group without a label into a real group', async () => {
    const groups = await t.database.db.selectFrom('groups').select(['id', 'name']).where('workshop_id', '=', imported.workshopId).orderBy('position').execute();
    const unlabelled = groups.find((g) => g.name.startsWith('Uten gruppe'))!;
    const target = groups.find((g) => g.name === 'Gruppe 1')!;
    const notesBefore = await t.database.db.selectFrom('notes').select('id').where('group_id', '=', unlabelled.id).execute();
    await mergeGroup({ kind: 'user', userId: planner.id, role: 'planner', name: 'P' }, imported.workshopId, unlabelled.id, target.id, t.database.db);
    const moved = await t.database.db.selectFrom('notes').select('id').where('id', 'in', notesBefore.length ? notesBefore.map((n) => n.id) : [randomUUID()]).where('group_id', '=', target.id).execute();
    expect(moved).toHaveLength(notesBefore.length);
    expect(await t.database.db.selectFrom('groups').select('id').where('id', '=', unlabelled.id).execute()).toEqual([]);
  });

  it('[IMPORT-4] a merged group leaves no gap in the positions: the others keep their order, numbered from 0', async () => {
    const positions = () => t.database.db.selectFrom('groups').select(['id', 'position']).where('workshop_id', '=', imported.workshopId).orderBy('position').execute();
    const before = await positions();
    // One from the middle, so a gap would show.
    const [into, merged] = [before[0]!, before[Math.floor(before.length / 2)]!];
    await mergeGroup({ kind: 'user', userId: planner.id, role: 'planner', name: 'P' }, imported.workshopId, merged.id, into.id, t.database.db);
    const after = await positions();
    expect(after.map((group) => group.id)).toEqual(before.filter((group) => group.id !== merged.id).map((group) => group.id));
    expect(after.map((group) => group.position)).toEqual(after.map((_, index) => index));
  });

  it('[EXPORT-2] reads its own export back into an empty database and exports the same document', async () => {
    const first = await readWorkshopExport(t.database.db, imported.workshopId);
    const other = await openTestDatabase(kind);
    try {
      await importWorkshopExport(parseWorkshopExport(JSON.parse(JSON.stringify(first))), other.db);
      const second = await readWorkshopExport(other.db, imported.workshopId);
      expect({ ...second, exportedAt: '' }).toEqual({ ...first, exportedAt: '' });
      await expect(importWorkshopExport(parseWorkshopExport(first), other.db)).rejects.toMatchObject({ code: 'already_imported' });
    } finally {
      await other.close();
    }
    expect(() => parseWorkshopExport({ format: 'innspill.workshop-export', version: 2 })).toThrow(expect.objectContaining({ code: 'not_an_export' }));
  });

  it('[IMPORT-3] adds lapper from a CSV typed in after a paper workshop, refusing a file with a bad line whole', async () => {
    const fixture = await createWorkshopFixture(t.database.db);
    const actor = { kind: 'user' as const, userId: planner.id, role: 'planner' as const, name: 'P' };
    const good = 'gruppe;plakat;punkt;forfatter;type;tekst\nGruppe 1;Sosial bærekraft / Del 1;Delmål 2;Stein;kommentar;"Bør presiseres; gjelder alle"\nGruppe 3;Sosial bærekraft / Del 2;;Ola;spørsmål;Hva menes?\n';
    expect(await importLapperCsv(actor, fixture.workshopId, good, t.database.db)).toEqual({ imported: 2, groupsCreated: ['Gruppe 3'] });
    const notes = await t.database.db.selectFrom('notes').selectAll().where('workshop_id', '=', fixture.workshopId).orderBy('created_at').execute();
    expect(notes.map((n) => [n.text, n.kind, n.author_participant_id !== null])).toEqual([
      ['Bør presiseres; gjelder alle', 'comment', true],
      ['Hva menes?', 'question', false],
    ]);
    const bad = 'gruppe;plakat;punkt;forfatter;type;tekst\nGruppe 1;Sosial bærekraft / Del 1;Delmål 9;Stein;kommentar;Finnes ikke\nGruppe 1;Ukjent / Del 1;;Stein;;Tekst\nGruppe 1;Sosial bærekraft / Del 1;Strategi 1;Stein;;Strategien står på Del 2\n';
    await expect(importLapperCsv(actor, fixture.workshopId, bad, t.database.db)).rejects.toMatchObject({
      code: 'validation_failed',
      details: { fields: [expect.objectContaining({ path: 'line 2' }), expect.objectContaining({ path: 'line 3' }), expect.objectContaining({ path: 'line 4' })] },
    });
    expect(await t.database.db.selectFrom('notes').select('id').where('workshop_id', '=', fixture.workshopId).execute()).toHaveLength(2);
  });

  it('[IMPORT-3] names each bad row by the line of the file it starts on, counting lines inside quotes and empty lines', async () => {
    const fixture = await createWorkshopFixture(t.database.db);
    const actor = { kind: 'user' as const, userId: planner.id, role: 'planner' as const, name: 'P' };
    const text = [
      'gruppe;plakat;punkt;forfatter;type;tekst',
      'Gruppe 1;Sosial bærekraft / Del 1;Delmål 1;Stein;;"Over',
      'tre',
      'linjer"',
      '',
      'Gruppe 1;Sosial bærekraft / Del 1;Delmål 9;Stein;;Finnes ikke',
      'Gruppe 1;Sosial bærekraft / Del 1;;Stein;;Han sa "ja" uten anførselstegn rundt',
      'Gruppe 1;Ukjent / Del 1;;Stein;;Tekst',
    ].join('\r\n');
    await expect(importLapperCsv(actor, fixture.workshopId, text, t.database.db)).rejects.toMatchObject({
      code: 'validation_failed',
      details: { fields: [expect.objectContaining({ path: 'line 6' }), expect.objectContaining({ path: 'line 8' })] },
    });
    expect(await t.database.db.selectFrom('notes').select('id').where('workshop_id', '=', fixture.workshopId).execute()).toHaveLength(0);
  });

  it('[IMPORT-3] refuses a file with a quote that never closes with 400 naming the line it opens on, writing nothing', async () => {
    const fixture = await createWorkshopFixture(t.database.db);
    const text = [
      'gruppe;plakat;punkt;forfatter;type;tekst',
      'Gruppe 1;Sosial bærekraft / Del 1;Delmål 1;Stein;;Første',
      'Gruppe 1;Sosial bærekraft / Del 1;Delmål 2;Stein;;"Glemte å lukke',
      'Gruppe 1;Sosial bærekraft / Del 1;Delmål 3;Stein;;Tredje',
      'Gruppe 1;Sosial bærekraft / Del 2;;Dina;;Fjerde',
    ].join('\n');
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/workshops/${fixture.workshopId}/imports/lapper-csv`,
      headers: planner.headers,
      payload: { text },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ code: 'validation_failed', fields: [expect.objectContaining({ path: 'line 3' })] });
    expect(await t.database.db.selectFrom('notes').select('id').where('workshop_id', '=', fixture.workshopId).execute()).toHaveLength(0);
  });

  it('[IMPORT-3] reads a lapp over several lines, quoted separators and doubled quotes, comma files and a BOM', async () => {
    const fixture = await createWorkshopFixture(t.database.db);
    const actor = { kind: 'user' as const, userId: planner.id, role: 'planner' as const, name: 'P' };
    const semicolons = '\uFEFFgruppe;plakat;punkt;forfatter;type;tekst\r\nGruppe 1;Sosial bærekraft / Del 1;Hovedmål;Stein;;"To\nlinjer; med ""sitat"""\r\n';
    const commas = 'group,poster,item,author,kind,text\nGruppe 1,Sosial bærekraft / Del 2,Strategi 1,Dina,question,"Hva, egentlig?"\n';
    expect(await importLapperCsv(actor, fixture.workshopId, semicolons, t.database.db)).toEqual({ imported: 1, groupsCreated: [] });
    expect(await importLapperCsv(actor, fixture.workshopId, commas, t.database.db)).toEqual({ imported: 1, groupsCreated: [] });
    const notes = await t.database.db.selectFrom('notes').select(['text', 'kind']).where('workshop_id', '=', fixture.workshopId).orderBy('created_at').execute();
    expect(notes).toEqual([
      { text: 'To\nlinjer; med "sitat"', kind: 'comment' },
      { text: 'Hva, egentlig?', kind: 'question' },
    ]);
  });
});

describe('importing another municipality’s export', () => {
  it('[IMPORT-1] discovers the template of a plan it has never seen', async () => {
    const { nordvikExport } = await import('../../domain/boardImport/syntheticBoard.fixture.js');
    const database = await openTestDatabase('pglite');
    try {
      const result = await importBoardText({ text: nordvikExport() }, database.db);
      const exported = await readWorkshopExport(database.db, result.workshopId);
      expect(exported.plan.perspectives.length).toBe(2);
      expect(result.report.groups.length).toBeGreaterThanOrEqual(2);
    } finally {
      await database.close();
    }
  });
});
