import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult } from '../../contract/imports.schema.js';
import type { AcceptPlacementsResult, PlacementSuggestions } from '../../contract/placement.schema.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';

const seed = readFileSync('demo/baerum-2040.txt', 'utf8');

describe.each(testDatabaseKinds)('accepting a reviewed poster in one request on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let workshopId: string;
  let suggestions: PlacementSuggestions['suggestions'];
  const accept = (user: TestUser | null, rows: { noteId: string; itemIds: string[] }[], id = workshopId) =>
    t.app.inject({ method: 'POST', url: `/api/workshops/${id}/placement-suggestions/accept`, headers: user?.headers ?? {}, payload: { rows } });
  const linksOf = (noteId: string) => t.database.db.selectFrom('note_items').select('item_id').where('note_id', '=', noteId).execute();
  const postersOfNotes = async () =>
    new Map((await t.database.db.selectFrom('notes').select(['id', 'poster_id']).where('workshop_id', '=', workshopId).execute()).map((n) => [n.id, n.poster_id]));
  const highRows = () => suggestions.filter((s) => s.confidence === 'high').map((s) => ({ noteId: s.noteId, itemIds: s.accept }));

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner');
    const response = await t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: planner.headers, payload: { text: seed, municipality: 'Bærum', horizonYear: 2040 } });
    workshopId = expectStatus<ImportResult>(response, 201).workshopId;
    suggestions = expectStatus<PlacementSuggestions>(await t.app.inject({ method: 'GET', url: `/api/workshops/${workshopId}/placement-suggestions`, headers: planner.headers }), 200).suggestions;
  }, 240_000);
  afterAll(() => t?.close());

  it('[PLACE-13] is 401 without a session, 403 for a facilitator, 404 for an unknown workshop, and in the OpenAPI document', async () => {
    const rows = highRows().slice(0, 1);
    expect((await accept(null, rows)).statusCode).toBe(401);
    expect((await accept(await t.user('facilitator'), rows)).statusCode).toBe(403);
    expect((await accept(planner, rows, randomUUID())).statusCode).toBe(404);
    const openApi = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(openApi.paths)).toContain('/api/workshops/{workshopId}/placement-suggestions/accept');
  });

  it('[PLACE-13] an item not on the lapp’s poster, or a lapp of another workshop, is 400 naming the row’s field; nothing is placed', async () => {
    const rows = highRows().slice(0, 3);
    const posterOf = await postersOfNotes();
    const wrongItem = suggestions.find((s) => s.items.length > 0 && posterOf.get(s.noteId) !== posterOf.get(rows[1]!.noteId))!.items[0]!.itemId;
    const bad = await accept(planner, [rows[0]!, { ...rows[1]!, itemIds: [wrongItem] }, rows[2]!]);
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: 'validation_failed', fields: [{ path: 'rows.1.itemIds' }] } });
    const unknownLapp = await accept(planner, [{ noteId: randomUUID(), itemIds: rows[0]!.itemIds }]);
    expect(unknownLapp.json()).toMatchObject({ error: { fields: [{ path: 'rows.0.noteId' }] } });
    for (const row of rows) expect(await linksOf(row.noteId)).toEqual([]);
  });

  it('[PLACE-13] [PLACE-12] places a whole poster of more than 30 in one request past the per-device limit: one event and one audit entry each; a lapp another planner placed first is reported, not doubled', async () => {
    const byPoster = new Map<string, ReturnType<typeof highRows>>();
    const posterOf = await postersOfNotes();
    for (const row of highRows()) byPoster.set(posterOf.get(row.noteId)!, [...(byPoster.get(posterOf.get(row.noteId)!) ?? []), row]);
    const poster = [...byPoster.values()].sort((a, b) => b.length - a.length)[0]!;
    expect(poster.length).toBeGreaterThanOrEqual(49);

    // Someone else was faster with the first row, and chose another item.
    const other = await t.user('planner');
    const raced = suggestions.find((s) => s.noteId === poster[0]!.noteId)!;
    const winnerItem = raced.items.find((i) => !raced.accept.includes(i.itemId))?.itemId ?? raced.accept[0]!;
    const first = await t.app.inject({
      method: 'POST',
      url: `/api/workshops/${workshopId}/commands`,
      headers: other.headers,
      payload: { commandId: randomUUID(), command: { type: 'note.move', noteId: raced.noteId, itemIds: [winnerItem], ifUnplaced: true } },
    });
    expectStatus(first, 200);

    const before = await t.database.db.selectFrom('events').select(({ fn }) => fn.max('seq').as('seq')).where('workshop_id', '=', workshopId).executeTakeFirstOrThrow();
    const auditBefore = await t.database.db.selectFrom('audit_log').select(({ fn }) => fn.max('id').as('id')).executeTakeFirstOrThrow();
    const answer = expectStatus<AcceptPlacementsResult>(await accept(planner, poster), 200);

    expect(answer).toMatchObject({ placed: poster.length - 1, alreadyPlaced: 1, refused: 0 });
    expect(answer.rows.map((r) => r.noteId)).toEqual(poster.map((r) => r.noteId));
    expect(answer.rows[0]).toMatchObject({ outcome: 'alreadyPlaced', itemIds: [winnerItem] });
    expect(await linksOf(raced.noteId)).toEqual([{ item_id: winnerItem }]);

    const placedIds = poster.slice(1).map((r) => r.noteId);
    const events = await t.database.db.selectFrom('events').select(['type', 'payload']).where('workshop_id', '=', workshopId).where('seq', '>', Number(before.seq)).execute();
    const moved = events.filter((e) => e.type === 'note.moved').map((e) => (e.payload as { noteId: string }).noteId);
    for (const noteId of placedIds) expect(moved.filter((id) => id === noteId)).toHaveLength(1);
    expect(moved).not.toContain(raced.noteId);

    const audit = await t.database.db.selectFrom('audit_log').select(['action', 'target_id', 'detail', 'actor_user_id']).where('id', '>', Number(auditBefore.id ?? 0)).execute();
    const placedAudit = audit.filter((a) => a.action === 'note.placed');
    expect(placedAudit.map((a) => a.target_id).sort()).toEqual([...placedIds].sort());
    for (const entry of placedAudit) expect(entry).toMatchObject({ actor_user_id: planner.id, detail: { via: 'suggestion', placed: true } });

    const notes = await t.database.db.selectFrom('notes').select(['id', 'placed_via']).where('id', 'in', placedIds).execute();
    expect(new Set(notes.map((n) => n.placed_via))).toEqual(new Set(['suggestion']));

    // The same list again places nothing twice: every row is now placed already.
    const again = expectStatus<AcceptPlacementsResult>(await accept(planner, poster), 200);
    expect(again).toMatchObject({ placed: 0, alreadyPlaced: poster.length, refused: 0 });
  }, 120_000);
});
