import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { PARTICIPANT_COOKIE } from '../workshops/participantSession.js';
import type { Outcome } from '../../contract/synthesis.schema.js';

describe.each(testDatabaseKinds)('the outcome page on %s', (kind) => {
  let t: TestApp;
  let fixture: WorkshopFixture;
  let planner: TestUser;
  const device: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    fixture = await createWorkshopFixture(t.database.db);
    planner = await t.user('planner');
    for (const participant of fixture.groups[0]!.participants.slice(0, 2)) {
      const { access_token } = await t.database.db.selectFrom('participants').select('access_token').where('id', '=', participant.id).executeTakeFirstOrThrow();
      const joined = await t.app.inject({ method: 'POST', url: '/api/join/personal', payload: { token: access_token } });
      const cookie = joined.cookies.find((c) => c.name === PARTICIPANT_COOKIE)!;
      device[participant.name] = { cookie: `${PARTICIPANT_COOKIE}=${cookie.value}`, 'x-csrf-token': joined.json().csrfToken };
    }
  });
  afterAll(() => t?.close());

  const write = (who: Record<string, string>, noteId: string, text: string, replyToNoteId?: string) =>
    t.app.inject({
      method: 'POST',
      url: `/api/workshops/${fixture.workshopId}/commands`,
      headers: who,
      payload: { commandId: randomUUID(), command: { type: 'note.create', noteId, posterId: fixture.goalsPosterId, itemIds: [fixture.subGoalIds[0]], kind: 'comment', text, ...(replyToNoteId && { replyToNoteId }) } },
    });

  it('[PRIV-2][SYN-6] shows per lapp its assessment, the revision it motivated (before and after) and the replies under it', async () => {
    const stein = device.Stein!;
    const dina = device.Dina!;
    const lapp = randomUUID();
    const ownReply = randomUUID();
    const dinaReply = randomUUID();
    const dinaLapp = randomUUID();
    const steinOnDina = randomUUID();
    expectStatus(await write(stein, lapp, 'Delmål 1 må nevne psykisk helse'), 200);
    expectStatus(await write(dina, dinaReply, 'Helt enig med Stein', lapp), 200);
    expectStatus(await write(stein, ownReply, 'Og rus', lapp), 200);
    expectStatus(await write(dina, dinaLapp, 'Flere møteplasser'), 200);
    expectStatus(await write(stein, steinOnDina, 'Ja, for unge', dinaLapp), 200);

    const assessed = await t.app.inject({ method: 'PUT', url: `/api/notes/${lapp}/assessment`, headers: planner.headers, payload: { status: 'accepted', justification: 'Tatt inn', version: 0 } });
    expectStatus(assessed, 200);
    const plan = await t.app.inject({ method: 'GET', url: `/api/plans/${fixture.planId}`, headers: planner.headers });
    const item = expectStatus<{ perspectives: Array<{ items: Array<{ id: string; version: number }> }> }>(plan, 200).perspectives[0]!.items.find((i) => i.id === fixture.subGoalIds[0])!;
    const revised = await t.app.inject({ method: 'PATCH', url: `/api/items/${item.id}`, headers: planner.headers, payload: { text: 'Delmål 1 med psykisk helse', version: item.version, noteIds: [lapp] } });
    expectStatus(revised, 200);

    const outcome = expectStatus<Outcome>(await t.app.inject({ method: 'GET', url: '/api/participant/outcome', headers: { cookie: stein.cookie! } }), 200);
    const mine = outcome.notes.find((n) => n.id === lapp)!;
    expect(mine.assessment).toEqual({ status: 'accepted', justification: 'Tatt inn' });
    expect(mine.revisions.map((r) => [r.before, r.after])).toEqual([['Delmål 1', 'Delmål 1 med psykisk helse']]);
    expect(mine.replies.map((r) => [r.text, r.authorName, r.mine])).toEqual([
      ['Helt enig med Stein', 'Dina', false],
      ['Og rus', 'Stein', true],
    ]);
    // My reply to someone else's lapp carries that lapp for context; my reply to my own is nested (replyTo.mine).
    expect(outcome.notes.find((n) => n.id === steinOnDina)!.replyTo).toMatchObject({ text: 'Flere møteplasser', authorName: 'Dina', mine: false });
    expect(outcome.notes.find((n) => n.id === ownReply)!.replyTo).toMatchObject({ mine: true });
    // Only Stein's own lapper are listed.
    expect(outcome.notes.map((n) => n.id).sort()).toEqual([lapp, ownReply, steinOnDina].sort());
  });
});
