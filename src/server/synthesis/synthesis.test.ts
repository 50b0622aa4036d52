import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { readWorkshopExport } from '../exports/workshopExport.service.js';
import { executeCommand } from '../live/commands.service.js';
import type { Command } from '../../contract/protocol.js';
import { editItem, listRevisions } from '../plans/plans.service.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { assessNote, mergeDuplicate } from './assessments.service.js';
import { anonymiseParticipant, myOutcome, participantData } from './privacy.service.js';
import { SearchCache } from './searchCache.js';
import { overviewQuerySchema, type Overview } from '../../contract/synthesis.schema.js';
import { consensus, overview } from './synthesis.service.js';
import { correctTheme, recomputeThemes } from './themes.service.js';

const query = (extra: Record<string, unknown> = {}) => overviewQuerySchema.parse(extra);

describe.each(testDatabaseKinds)('synthesis on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let fixture: WorkshopFixture;
  const limiter = new WriteRateLimiter(10_000, 10_000);
  const search = new SearchCache();
  const notes: Record<string, string> = {};

  const write = async (actor: Actor, command: Command) => executeCommand(t.database.db, limiter, actor, fixture.workshopId, randomUUID(), command);
  const lapp = async (key: string, actor: Actor, text: string, itemIds: string[], kind: 'comment' | 'rewording' = 'comment') => {
    notes[key] = randomUUID();
    await write(actor, { type: 'note.create', noteId: notes[key]!, posterId: fixture.goalsPosterId, itemIds, kind, text });
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    fixture = await createWorkshopFixture(t.database.db);
    await t.database.db.updateTable('workshops').set({ opened_at: new Date(Date.now() - 60_000) }).where('id', '=', fixture.workshopId).execute();
    await t.database.db.updateTable('participants').set({ party: 'Rødt' }).where('name', 'in', ['Stein', 'Ola']).execute();
    await t.database.db.updateTable('participants').set({ party: 'Høyre' }).where('name', 'in', ['Dina', 'Signe']).execute();
    const [stein, dina, kari] = fixture.groups[0]!.participants.map((p) => p.actor);
    const [ola, signe] = fixture.groups[1]!.participants.map((p) => p.actor);
    const [d1, d2, d3] = fixture.subGoalIds;
    await lapp('jordvern', stein!, 'Jordvern må inn som eget delmål', [d1!]);
    await lapp('matjord', ola!, 'Ta vare på dyrket mark og matjord', [d1!]);
    await lapp('boliger', dina!, 'Flere boliger for unge i alle deler av kommunen', [d2!]);
    await lapp('kopi', signe!, 'Flere boliger for unge i alle deler av kommunen', [d2!]);
    await lapp('ordlyd', kari!, 'Delmål 3 for alle innbyggere', [d3!], 'rewording');
    await lapp('boks', stein!, 'Savner et delmål om kultur', []);
    for (const [actor, item] of [[stein, 0], [dina, 0], [ola, 0], [signe, 1]] as const) {
      await write(actor!, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[item]! });
    }
  });
  afterAll(() => t?.close());

  it('[SYN-1] answers 401 without a session and 403 to a participant or another workshop’s facilitator', async () => {
    const url = `/api/workshops/${fixture.workshopId}/synthesis`;
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    const other = await createWorkshopFixture(t.database.db);
    await expect(overview(fixture.groups[0]!.participants[0]!.actor, fixture.workshopId, query(), t.database.db, search)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(overview(other.facilitator.actor, fixture.workshopId, query(), t.database.db, search)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await overview(fixture.facilitator.actor, fixture.workshopId, query(), t.database.db, search)).items.length).toBeGreaterThan(0);
    expect(expectStatus<Overview>(await t.app.inject({ method: 'GET', url, headers: planner.headers }), 200).workshop.id).toBe(fixture.workshopId);
  });

  it('[SYN-1] counts lapper and stars per item as the open-data export does', async () => {
    const result = await overview(fixture.planner.actor, fixture.workshopId, query({ pageSize: 100 }), t.database.db, search);
    const exported = await readWorkshopExport(t.database.db, fixture.workshopId);
    for (const item of result.items) {
      const inExport = exported.workshop.notes.filter((n) => n.itemIds.includes(item.id) && !n.withdrawn).length;
      expect(item.noteCount, item.text).toBe(inExport);
      const starsInExport = exported.workshop.stars.filter((s) => s.itemId === item.id).reduce((sum, s) => sum + s.count, 0);
      expect(item.stars.total, item.text).toBe(starsInExport);
    }
    const strategy1 = result.items.find((i) => i.id === fixture.strategyIds[0])!;
    expect(strategy1).toMatchObject({ groupsStarring: 2, partiesStarring: 2, stars: { total: 3 } });
    expect(result.generalBox[0]!.notes.map((n) => n.text)).toEqual(['Savner et delmål om kultur']);
    expect(result.progress).toEqual({ assessed: 0, total: 6 });
  });

  it('[SYN-1] shows a bounded number of lapper per item, with the full count and a way to see all', async () => {
    const bounded = await overview(fixture.planner.actor, fixture.workshopId, query({ notesPerItem: 1 }), t.database.db, search);
    const first = bounded.items.find((i) => i.id === fixture.subGoalIds[0])!;
    expect(first.noteCount).toBe(2);
    expect(first.notes).toHaveLength(1);
    const all = await overview(fixture.planner.actor, fixture.workshopId, query({ itemId: fixture.subGoalIds[0], notesPerItem: 1000 }), t.database.db, search);
    expect(all.items.map((i) => i.id)).toEqual([fixture.subGoalIds[0]]);
    expect(all.items[0]!.notes).toHaveLength(2);
    expect(all.generalBox).toEqual([]);
  });

  it('[SYN-1] filters by group, party and kind, and finds "bolig" when searching "boliger"', async () => {
    const byParty = await overview(fixture.planner.actor, fixture.workshopId, query({ party: 'Rødt' }), t.database.db, search);
    expect(byParty.matchingNotes).toBe(3);
    const byKind = await overview(fixture.planner.actor, fixture.workshopId, query({ kind: 'rewording' }), t.database.db, search);
    expect(byKind.items.flatMap((i) => i.notes).map((n) => n.text)).toEqual(['Delmål 3 for alle innbyggere']);
    expect(byKind.items[0]!.notes[0]!.diff?.some((s) => s.type === 'added')).toBe(true);
    const found = await overview(fixture.planner.actor, fixture.workshopId, query({ q: 'bolig' }), t.database.db, search);
    expect(found.matchingNotes).toBe(2);
    const inflected = await overview(fixture.planner.actor, fixture.workshopId, query({ q: 'boligene' }), t.database.db, search);
    expect(inflected.matchingNotes).toBe(2);
  });

  it('[SYN-3] records an assessment, shows progress, and answers a stale version with 409', async () => {
    const first = await assessNote(fixture.planner.actor, notes.jordvern!, { status: 'accepted', justification: 'Tatt inn i delmål 1' }, t.database.db);
    await assessNote(fixture.planner.actor, notes.jordvern!, { status: 'partly', justification: 'Delvis', version: first.version }, t.database.db);
    await expect(
      assessNote(fixture.planner.actor, notes.jordvern!, { status: 'rejected', justification: 'Nei', version: first.version }, t.database.db),
    ).rejects.toMatchObject({ code: 'version_conflict' });
    // Version 0: "I saw no assessment"; someone else's first one is then a conflict, not overwritten.
    await expect(assessNote(fixture.planner.actor, notes.jordvern!, { status: 'rejected', justification: 'Nei', version: 0 }, t.database.db)).rejects.toMatchObject({
      code: 'version_conflict',
    });
    await expect(assessNote(fixture.facilitator.actor, notes.jordvern!, { status: 'rejected', justification: 'Nei' }, t.database.db)).rejects.toMatchObject({
      code: 'forbidden',
    });
    const response = await t.app.inject({
      method: 'PUT',
      url: `/api/notes/${notes.matjord}/assessment`,
      headers: planner.headers,
      payload: { status: 'already_covered', justification: 'x'.repeat(4001) },
    });
    expect(response.statusCode).toBe(400);
    const result = await overview(fixture.planner.actor, fixture.workshopId, query({ status: 'assessed' }), t.database.db, search);
    expect(result.progress).toEqual({ assessed: 1, total: 6 });
    expect(result.items.flatMap((i) => i.notes)[0]!.assessment).toMatchObject({ status: 'partly', justification: 'Delvis' });
    const exported = await readWorkshopExport(t.database.db, fixture.workshopId);
    expect(exported.workshop.notes.find((n) => n.id === notes.jordvern)!.assessment).toEqual({ status: 'partly', justification: 'Delvis' });
  });

  it('[SYN-6] links a revision to the lapper behind it and marks the item as changed since the workshop', async () => {
    const before = await overview(fixture.planner.actor, fixture.workshopId, query(), t.database.db, search);
    const item = before.items.find((i) => i.id === fixture.subGoalIds[0])!;
    await editItem(fixture.planner.actor, item.id, { text: 'Delmål 1, med jordvern', version: item.version, noteIds: [notes.jordvern!, notes.matjord!] }, t.database.db);
    const revisions = await listRevisions(fixture.planner.actor, { itemId: item.id }, t.database.db);
    expect(revisions[0]!.notes.map((n) => n.text).sort()).toEqual(['Jordvern må inn som eget delmål', 'Ta vare på dyrket mark og matjord']);
    const after = await overview(fixture.planner.actor, fixture.workshopId, query(), t.database.db, search);
    expect(after.items.find((i) => i.id === item.id)).toMatchObject({ changed: true, originalText: 'Delmål 1', text: 'Delmål 1, med jordvern' });
    const exported = await readWorkshopExport(t.database.db, fixture.workshopId);
    expect(exported.plan.perspectives[0]!.items.find((i) => i.id === item.id)).toMatchObject({ originalText: 'Delmål 1', text: 'Delmål 1, med jordvern' });
  });

  it('[SYN-4] computes themes and keeps a rename through a recomputation', async () => {
    const computed = await recomputeThemes(fixture.planner.actor, fixture.workshopId, t.database.db);
    expect(computed.themes.length).toBeGreaterThan(0);
    const first = computed.themes[0]!;
    await correctTheme(fixture.planner.actor, fixture.workshopId, { type: 'rename', themeKey: first.key, label: 'Mitt navn' }, t.database.db);
    const again = await recomputeThemes(fixture.planner.actor, fixture.workshopId, t.database.db);
    expect(again.themes.find((theme) => theme.key === first.key)?.label).toBe('Mitt navn');
    const result = await overview(fixture.planner.actor, fixture.workshopId, query({ themeKey: first.key }), t.database.db, search);
    expect(result.matchingNotes).toBe(first.noteCount);
  });

  it('[SYN-5] leaves a merged copy out of the counts', async () => {
    await mergeDuplicate(fixture.planner.actor, notes.kopi!, notes.boliger!, t.database.db);
    const result = await overview(fixture.planner.actor, fixture.workshopId, query({ q: 'boliger' }), t.database.db, search);
    expect(result.matchingNotes).toBe(1);
  });

  it('[PRIV-1] exports what is stored about a participant, then anonymises them in every output', async () => {
    const kari = fixture.groups[0]!.participants[2]!;
    const data = await participantData(fixture.planner.actor, kari.id, t.database.db);
    expect(data.participant).toMatchObject({ name: 'Kari', group: 'Gruppe 1' });
    expect(data.notes.map((n) => n.text)).toEqual(['Delmål 3 for alle innbyggere']);
    await expect(participantData(fixture.facilitator.actor, kari.id, t.database.db)).rejects.toMatchObject({ code: 'forbidden' });

    const stein = fixture.groups[0]!.participants[0]!;
    await anonymiseParticipant(fixture.planner.actor, stein.id, t.database.db);
    const exported = await readWorkshopExport(t.database.db, fixture.workshopId);
    const anonymous = exported.workshop.groups[0]!.participants.find((p) => p.id === stein.id)!;
    expect(anonymous).toEqual({ id: stein.id, name: 'Deltaker, Gruppe 1', party: null, committee: null });
    expect(JSON.stringify(exported)).not.toContain('Stein');
    expect(exported.workshop.notes.filter((n) => n.authorId === stein.id).map((n) => n.text)).toContain('Jordvern må inn som eget delmål');
    const result = await overview(fixture.planner.actor, fixture.workshopId, query({ pageSize: 100 }), t.database.db, search);
    expect(JSON.stringify(result)).not.toContain('Stein');
  });

  it('[PRIV-2] shows a participant their own lapper with assessments, and nobody else’s', async () => {
    const dina = fixture.groups[0]!.participants[1]!;
    await assessNote(fixture.planner.actor, notes.boliger!, { status: 'rejected', justification: 'Dekkes av boligstrategien' }, t.database.db);
    const outcome = await myOutcome(dina.actor, t.database.db);
    expect(outcome.notes).toEqual([expect.objectContaining({ text: 'Flere boliger for unge i alle deler av kommunen', assessment: { status: 'rejected', justification: 'Dekkes av boligstrategien' } })]);
    await expect(myOutcome(fixture.planner.actor, t.database.db)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await t.app.inject({ method: 'GET', url: '/api/participant/outcome' })).statusCode).toBe(401);
  });

  it('gives an empty workshop an empty overview, not an error', async () => {
    const empty = await createWorkshopFixture(t.database.db);
    const result = await overview(empty.planner.actor, empty.workshopId, query(), t.database.db, search);
    expect(result).toMatchObject({ matchingNotes: 0, progress: { assessed: 0, total: 0 }, generalBox: [] });
    expect(result.items.every((item) => item.noteCount === 0)).toBe(true);
  });

  it('[SYN-2] ranks starred items by how many groups starred them, then how many parties', async () => {
    const [, , kari] = fixture.groups[0]!.participants.map((p) => p.actor);
    const [, , finn] = fixture.groups[1]!.participants.map((p) => p.actor);
    // Strategi 3: two groups but no party; Strategi 1: two groups and two parties; Strategi 2: one group.
    for (const actor of [kari!, finn!]) {
      await write(actor, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[2]! });
    }
    const ranked = (await consensus(fixture.planner.actor, fixture.workshopId, t.database.db)).filter((row) => row.stars > 0);
    expect(ranked.map((row) => [row.itemId, row.groupsStarring, row.partiesStarring, row.stars])).toEqual([
      [fixture.strategyIds[0], 2, 2, 3],
      [fixture.strategyIds[2], 2, 0, 2],
      [fixture.strategyIds[1], 1, 1, 1],
    ]);
  });
});
