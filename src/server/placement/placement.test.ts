import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../contract/imports.schema.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture } from '../testing/workshopFixture.js';
import type { IdentitySuggestions, PlacementSuggestions } from '../../contract/placement.schema.js';
import { acceptSuggestions } from './placement.service.js';

const seed = readFileSync('demo/baerum-2040.txt', 'utf8');

describe.each(testDatabaseKinds)('placement suggestions on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let workshopId: string;
  let placedByImport: number;
  let suggestions: PlacementSuggestions['suggestions'];
  const url = () => `/api/workshops/${workshopId}/placement-suggestions`;
  const move = (user: TestUser, noteId: string, itemIds: string[], extra: Record<string, unknown> = {}) =>
    t.app.inject({
      method: 'POST',
      url: `/api/workshops/${workshopId}/commands`,
      headers: user.headers,
      payload: { commandId: randomUUID(), command: { type: 'note.move', noteId, itemIds, ...extra } },
    });

  const setAuthor = (user: TestUser | null, noteId: string, participantId: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/workshops/${workshopId}/commands`,
      headers: user?.headers ?? {},
      payload: { commandId: randomUUID(), command: { type: 'note.setAuthor', noteId, participantId } },
    });
  const identities = async () =>
    expectStatus<IdentitySuggestions>(await t.app.inject({ method: 'GET', url: `/api/workshops/${workshopId}/identity-suggestions`, headers: planner.headers }), 200);
  const authorOf = async (noteId: string) =>
    (await t.database.db.selectFrom('notes').select('author_participant_id').where('id', '=', noteId).executeTakeFirstOrThrow()).author_participant_id;
  /** An author suggestion for a participant of the lapp's own group (others wait for a merge). */
  const sameGroupSuggestions = async () => {
    const { authors } = await identities();
    const notes = await t.database.db.selectFrom('notes').select(['id', 'group_id']).where('workshop_id', '=', workshopId).execute();
    const people = await t.database.db.selectFrom('participants').select(['id', 'group_id']).where('workshop_id', '=', workshopId).execute();
    const groupOf = new Map([...notes, ...people].map((row) => [row.id, row.group_id]));
    return authors.filter((a) => groupOf.get(a.noteId) === groupOf.get(a.participantId));
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    const response = await t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: planner.headers, payload: { text: seed, municipality: 'Bærum', horizonYear: 2040 } });
    const imported = expectStatus<ImportResult>(response, 201);
    workshopId = imported.workshopId;
    placedByImport = imported.report.notesPlaced;
    suggestions = expectStatus<PlacementSuggestions>(await t.app.inject({ method: 'GET', url: url(), headers: planner.headers }), 200).suggestions;
  }, 240_000);
  afterAll(() => t?.close());

  it('[PLACE-1] answers 401 without a session, 403 to a facilitator, 404 for an unknown workshop', async () => {
    expect((await t.app.inject({ method: 'GET', url: url() })).statusCode).toBe(401);
    const facilitator = await t.user('facilitator');
    expect((await t.app.inject({ method: 'GET', url: url(), headers: facilitator.headers })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: `/api/workshops/${randomUUID()}/placement-suggestions`, headers: planner.headers })).statusCode).toBe(404);
  });

  it('[PLACE-1] suggests for every unplaced lapp of the seed, items best first with the words that matched', async () => {
    const unplaced = await t.database.db.selectFrom('notes').select('id').where('workshop_id', '=', workshopId).where('placed', '=', false).where('kind', '!=', 'facilitator_note').execute();
    expect(suggestions.map((s) => s.noteId).sort()).toEqual(unplaced.map((n) => n.id).sort());
    const likestilt = suggestions.find((s) => s.text.startsWith('Kunne kanskje vært vinklet'))!;
    expect(likestilt.confidence).toBe('high');
    expect(likestilt.items[0]!.matched).toEqual(expect.arrayContaining(['likestilt', 'inkluderende']));
    for (const s of suggestions) {
      expect(s.items.map((i) => i.score)).toEqual([...s.items.map((i) => i.score)].sort((a, b) => b - a));
      if (s.confidence === 'none') expect(s.items).toEqual([]);
    }
    const openApi = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(openApi.paths)).toContain('/api/workshops/{workshopId}/placement-suggestions');
  });

  it('[PLACE-6] accepting for an item not on the lapp’s poster is 400 naming the field; nothing changes', async () => {
    const lapp = suggestions.find((s) => s.confidence === 'high')!;
    const poster = await t.database.db.selectFrom('notes as n').innerJoin('posters as p', 'p.id', 'n.poster_id').select('p.part').where('n.id', '=', lapp.noteId).executeTakeFirstOrThrow();
    // A strategy is never on a Del 1 poster, nor a delmål on a Del 2 poster.
    const foreignItem = (await t.database.db.selectFrom('items').select('id').where('kind', '=', poster.part === 'goals' ? 'strategy' : 'sub_goal').executeTakeFirstOrThrow()).id;
    const response = await move(planner, lapp.noteId, [foreignItem], { fromSuggestion: true, ifUnplaced: true });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ error: { fields: [{ path: 'command.itemIds' }] } });
    const note = await t.database.db.selectFrom('notes').select(['placed', 'placed_via']).where('id', '=', lapp.noteId).executeTakeFirstOrThrow();
    expect(note).toEqual({ placed: false, placed_via: null });
  });

  it('[PLACE-6] two planners accepting one lapp at once: one wins, the other gets 409 with the placement that won, one link (a race only on PostgreSQL; PGlite runs them one by one)', async () => {
    const second = await t.user('planner');
    const lapp = suggestions.find((s) => s.confidence === 'ambiguous' && s.items.length >= 2)!;
    const [a, b] = await Promise.all([
      move(planner, lapp.noteId, [lapp.items[0]!.itemId], { fromSuggestion: true, ifUnplaced: true }),
      move(second, lapp.noteId, [lapp.items[1]!.itemId], { ifUnplaced: true }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const loser = a.statusCode === 409 ? a : b;
    const links = await t.database.db.selectFrom('note_items').select('item_id').where('note_id', '=', lapp.noteId).execute();
    expect(links).toHaveLength(1);
    expect(loser.json()).toMatchObject({ error: { code: 'version_conflict', current: { noteId: lapp.noteId, itemIds: [links[0]!.item_id] } } });
    const placed = (await t.app.inject({ method: 'GET', url: url(), headers: planner.headers })).json<PlacementSuggestions>();
    expect(placed.suggestions.some((s) => s.noteId === lapp.noteId)).toBe(false);
  });

  it('[PLACE-5] an accepted suggestion is recorded as placed by the planner from a suggestion; the import’s own as import', async () => {
    const lapp = suggestions.find((s) => s.confidence === 'high' && s.accept.length === 1 && !s.text.startsWith('Kunne'))!;
    expectStatus(await move(planner, lapp.noteId, lapp.accept, { fromSuggestion: true, ifUnplaced: true }), 200);
    const rows = await t.database.db.selectFrom('notes').select(['id', 'placed_via']).where('workshop_id', '=', workshopId).where('placed', '=', true).where('kind', '!=', 'facilitator_note').execute();
    expect(rows.find((r) => r.id === lapp.noteId)!.placed_via).toBe('suggestion');
    expect(rows.filter((r) => r.placed_via === 'import')).toHaveLength(placedByImport);
  });

  it('[PLACE-3] the import links a lapp that names several items to all of them', async () => {
    const note = await t.database.db.selectFrom('notes').select('id').where('workshop_id', '=', workshopId).where('text', 'like', 'Denne omfatter jo egentlig både strategi 5, 6, 8 og 9%').executeTakeFirstOrThrow();
    const links = await t.database.db.selectFrom('note_items').select('item_id').where('note_id', '=', note.id).execute();
    expect(links).toHaveLength(4);
  });

  it('[PLACE-6] place accept takes every high suggestion once through the write path; a second run finds none left', async () => {
    const before = (await t.database.db.selectFrom('events').select(({ fn }) => fn.countAll<number>().as('n')).where('workshop_id', '=', workshopId).executeTakeFirstOrThrow()).n;
    const highs = (await t.app.inject({ method: 'GET', url: url(), headers: planner.headers })).json<PlacementSuggestions>().suggestions.filter((s) => s.confidence === 'high');
    const first = await acceptSuggestions(workshopId, 'high', t.database.db);
    expect(first.accepted).toBe(highs.length);
    const after = (await t.database.db.selectFrom('events').select(({ fn }) => fn.countAll<number>().as('n')).where('workshop_id', '=', workshopId).executeTakeFirstOrThrow()).n;
    expect(Number(after) - Number(before)).toBe(highs.length);
    const again = await acceptSuggestions(workshopId, 'high', t.database.db);
    expect(again.accepted).toBeLessThan(highs.length / 4);
  });

  it('[PLACE-7] suggests groups for unlabelled posters with reasons, and merges nothing by itself', async () => {
    const identities = expectStatus<IdentitySuggestions>(await t.app.inject({ method: 'GET', url: `/api/workshops/${workshopId}/identity-suggestions`, headers: planner.headers }), 200);
    expect(identities.groups.length).toBeGreaterThan(0);
    for (const g of identities.groups) {
      expect(g.groupName).toMatch(/^Uten gruppe/);
      expect(g.intoGroupName).toMatch(/^Gruppe/);
      expect(g.reasons.length).toBeGreaterThan(0);
    }
    const groups = await t.database.db.selectFrom('groups').select('id').where('workshop_id', '=', workshopId).execute();
    expect(groups).toHaveLength(19);
  });

  it('[PLACE-11] the seed’s author suggestions are the two names alone beside a lapp; no name in a lapp’s text is taken for its author', async () => {
    const { authors } = await identities();
    // docs/benchmarks.md lists them: the export has no signature inside a lapp, and "jfr. Stein",
    // "Bra poeng av Mathias", "enig med Dina" or "Kari møteplasser …" name no author.
    expect(authors.map((a) => a.name).sort()).toEqual(['Dag', 'Hans Kristian']);
  });

  it('[PLACE-8] accepting an author suggestion sets the lapp’s author through the event log, once; the suggestion is gone', async () => {
    const [suggestion] = await sameGroupSuggestions();
    expect(suggestion).toBeDefined();
    expect(await authorOf(suggestion!.noteId)).toBeNull();
    const before = await t.database.db.selectFrom('events').select(({ fn }) => fn.max('seq').as('seq')).where('workshop_id', '=', workshopId).executeTakeFirstOrThrow();
    expectStatus(await setAuthor(planner, suggestion!.noteId, suggestion!.participantId), 200);
    expect(await authorOf(suggestion!.noteId)).toBe(suggestion!.participantId);
    const events = await t.database.db.selectFrom('events').select(['type', 'payload']).where('workshop_id', '=', workshopId).where('seq', '>', Number(before.seq)).execute();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'note.authorSet', payload: { noteId: suggestion!.noteId, participantId: suggestion!.participantId } });
    // The same author again changes nothing and appends nothing.
    expectStatus(await setAuthor(planner, suggestion!.noteId, suggestion!.participantId), 200);
    expect(await t.database.db.selectFrom('events').select('seq').where('workshop_id', '=', workshopId).where('seq', '>', Number(before.seq)).execute()).toHaveLength(1);
    expect((await identities()).authors.some((a) => a.noteId === suggestion!.noteId)).toBe(false);
  });

  it('[PLACE-8] setting an author is 401 without a session, 403 for a facilitator, 400 naming command.participantId for a participant of another group or workshop, 409 when another author won', async () => {
    // Any imported lapp without an author whose group has two people: the command takes any of the group.
    const people = await t.database.db.selectFrom('participants').select(['id', 'group_id']).where('workshop_id', '=', workshopId).orderBy('name').execute();
    const unauthored = await t.database.db
      .selectFrom('notes')
      .select(['id', 'group_id'])
      .where('workshop_id', '=', workshopId)
      .where('author_participant_id', 'is', null)
      .where('kind', '!=', 'facilitator_note')
      .orderBy('created_at')
      .execute();
    const lapp = unauthored.find((n) => people.filter((p) => p.group_id === n.group_id).length >= 2)!;
    const noteId = lapp.id;
    const participantId = people.find((p) => p.group_id === lapp.group_id)!.id;
    expect((await setAuthor(null, noteId, participantId)).statusCode).toBe(401);
    const facilitator = await t.user('facilitator');
    expect((await setAuthor(facilitator, noteId, participantId)).statusCode).toBe(403);
    const elsewhere = people.find((p) => p.group_id !== lapp.group_id)!;
    const otherWorkshop = (await createWorkshopFixture(t.database.db)).groups[0]!.participants[0]!.id;
    for (const stranger of [elsewhere.id, otherWorkshop, randomUUID()]) {
      const refused = await setAuthor(planner, noteId, stranger);
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ error: { fields: [{ path: 'command.participantId' }] } });
    }
    expect(await authorOf(noteId)).toBeNull();
    // Two planners confirming different people at once: one wins, the other sees who.
    const other = people.find((p) => p.group_id === lapp.group_id && p.id !== participantId)!;
    const second = await t.user('planner');
    const [a, b] = await Promise.all([setAuthor(planner, noteId, participantId), setAuthor(second, noteId, other.id)]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = await authorOf(noteId);
    expect((a.statusCode === 409 ? a : b).json()).toMatchObject({ error: { code: 'version_conflict', current: { noteId, participantId: winner } } });
    // A lapp a participant wrote live keeps its author.
    const written = await t.database.db.selectFrom('notes').select(['id', 'author_participant_id']).where('workshop_id', '=', workshopId).where('author_participant_id', 'is not', null).where('id', '!=', noteId).executeTakeFirstOrThrow();
    expect((await setAuthor(planner, written.id, participantId)).statusCode).toBe(409);
  });
});
