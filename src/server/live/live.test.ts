import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/actors.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import type { DatabaseHandle } from '../db/database.js';
import { importLapperCsv } from '../imports/csvImport.service.js';
import { openTestDatabase, testDatabaseKinds } from '../testing/testApp.js';
import { MemorySocket, until } from '../testing/memorySocket.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { audienceFor, readSnapshot } from './board.service.js';
import { InProcessBus } from './bus.js';
import { executeCommand } from './commands.service.js';
import { LiveConnection } from './connection.js';
import { LiveHub } from './hub.js';
import { CLOSE_CODES, PROTOCOL_VERSION, type Command, type Snapshot } from '../../contract/protocol.js';

const log = pino({ level: 'silent' });

describe.each(testDatabaseKinds)('live workshop on %s', (kind) => {
  let database: DatabaseHandle;
  let bus: InProcessBus;
  let hub: LiveHub;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    bus = new InProcessBus();
    hub = new LiveHub(database.db, bus, log);
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });

  const run = async (actor: Actor | null, fixture: WorkshopFixture, command: Command, commandId = randomUUID(), limiter = new WriteRateLimiter(1000, 10_000)) => {
    const result = await executeCommand(database.db, limiter, actor, fixture.workshopId, commandId, command);
    await hub.publish(fixture.workshopId, result.events);
    return result;
  };
  const attempt = (actor: Actor | null, fixture: WorkshopFixture, command: Command) =>
    run(actor, fixture, command).then(
      () => 'ok',
      (error: { code?: string }) => error.code ?? 'crash',
    );
  const lapp = (fixture: WorkshopFixture, text = 'Bør presiseres', itemIds = [fixture.subGoalIds[0]!]): Command => ({
    type: 'note.create',
    noteId: randomUUID(),
    posterId: fixture.goalsPosterId,
    itemIds,
    kind: 'comment',
    text,
  });

  describe('stars', () => {
    it('[STAR-2] accepts exactly 5 of 50 parallel star requests against a budget of 5 (a race only on PostgreSQL; PGlite runs them one by one)', async () => {
      const fixture = await createWorkshopFixture(database.db, { starBudget: 5 });
      const stein = fixture.groups[0]!.participants[0]!.actor;
      // Spread over the items, with the per-item limit raised so only the budget can stop them.
      await database.db.updateTable('workshops').set({ stars_per_item: 50 }).where('id', '=', fixture.workshopId).execute();
      const outcomes = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          attempt(stein, fixture, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[i % 3]! }),
        ),
      );
      expect(outcomes.filter((o) => o === 'ok')).toHaveLength(5);
      expect(outcomes.filter((o) => o !== 'ok').every((o) => o === 'star_budget_exhausted')).toBe(true);
      const stored = await database.db.selectFrom('stars').select('id').where('participant_id', '=', fixture.groups[0]!.participants[0]!.id).execute();
      expect(stored).toHaveLength(5);
    });

    it('[STAR-3] refuses a second star on the same item, and gives the star back on take', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const dina = fixture.groups[0]!.participants[1]!.actor;
      const give = (): Command => ({ type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[0]! });
      expect(await attempt(dina, fixture, give())).toBe('ok');
      expect(await attempt(dina, fixture, give())).toBe('star_limit_per_item');
      expect(await attempt(dina, fixture, { type: 'star.take', posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[0]! })).toBe('ok');
      expect(await attempt(dina, fixture, give())).toBe('ok');
    });

    it('refuses stars on a poster without stars, and on an item of another poster', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const kari = fixture.groups[0]!.participants[2]!.actor;
      expect(await attempt(kari, fixture, { type: 'star.give', starId: randomUUID(), posterId: fixture.goalsPosterId, itemId: fixture.subGoalIds[0]! })).toBe('stars_disabled');
      expect(await attempt(kari, fixture, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.subGoalIds[0]! })).toBe(
        'validation_failed',
      );
    });
  });

  describe('lapper', () => {
    it('[LIVE-7] stores a lapp sent three times with one command id once', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const stein = fixture.groups[0]!.participants[0]!.actor;
      const command = lapp(fixture, 'Sendt tre ganger');
      const commandId = randomUUID();
      const results = [await run(stein, fixture, command, commandId), await run(stein, fixture, command, commandId), await run(stein, fixture, command, commandId)];
      expect(results.map((r) => r.duplicate)).toEqual([false, true, true]);
      expect(new Set(results.map((r) => r.seq)).size).toBe(1);
      // Even under a fresh command id (the browser lost it in a reload) the same lapp id is stored once.
      await run(stein, fixture, command);
      const notes = await database.db.selectFrom('notes').select('id').where('text', '=', 'Sendt tre ganger').execute();
      expect(notes).toHaveLength(1);
    });

    it('[LIVE-7] answers a repeated withdrawal with the first answer, not a refusal', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const stein = fixture.groups[0]!.participants[0]!.actor;
      const note = lapp(fixture) as Extract<Command, { type: 'note.create' }>;
      await run(stein, fixture, note);
      const commandId = randomUUID();
      const first = await run(stein, fixture, { type: 'note.withdraw', noteId: note.noteId }, commandId);
      const again = await run(stein, fixture, { type: 'note.withdraw', noteId: note.noteId }, commandId);
      expect(again).toEqual({ seq: first.seq, duplicate: true, events: [] });
    });

    it('[LIVE-17] refuses a lapp id that belongs to another participant’s lapp instead of acknowledging it, and keeps both texts', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const [stein, dina] = fixture.groups[0]!.participants.map((p) => p.actor);
      const original = lapp(fixture, 'Steins lapp') as Extract<Command, { type: 'note.create' }>;
      await run(stein!, fixture, original);
      await expect(run(dina!, fixture, { ...original, text: 'Dinas lapp' })).rejects.toMatchObject({ code: 'validation_failed', details: { fields: [{ path: 'command.noteId' }] } });
      // Nor may the author reuse the id for a lapp on another poster.
      await expect(run(stein!, fixture, { ...original, posterId: fixture.strategiesPosterId, itemIds: [] })).rejects.toMatchObject({ code: 'validation_failed' });
      const row = await database.db.selectFrom('notes').select('text').where('id', '=', original.noteId).executeTakeFirstOrThrow();
      expect(row.text).toBe('Steins lapp');
    });

    it('[LIVE-17] refuses a star id that belongs to another participant’s star', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const [stein, dina] = fixture.groups[0]!.participants.map((p) => p.actor);
      const give: Command = { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[0]! };
      await run(stein!, fixture, give);
      expect((await run(stein!, fixture, give)).events).toEqual([]);
      expect(await attempt(dina!, fixture, give)).toBe('validation_failed');
    });

    it('[LIVE-7] stores a lapp sent in parallel with one command id once (a race only on PostgreSQL; PGlite runs them one by one)', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const stein = fixture.groups[0]!.participants[0]!.actor;
      const command = lapp(fixture, 'Parallelt');
      const commandId = randomUUID();
      const results = await Promise.all([1, 2, 3].map(() => run(stein, fixture, command, commandId)));
      expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
      expect(await database.db.selectFrom('notes').select('id').where('text', '=', 'Parallelt').execute()).toHaveLength(1);
    });

    it('keeps markup as typed text', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const text = '<img src=x onerror=alert(1)>';
      await run(fixture.groups[0]!.participants[0]!.actor, fixture, lapp(fixture, text));
      const snapshot = await readSnapshot(database.db, await audienceFor(database.db, fixture.planner.actor, fixture.workshopId, { scope: 'workshop' }));
      expect(snapshot.notes.map((n) => n.text)).toContain(text);
    });

    it('[LIVE-6] lets an author edit and withdraw their own lapp, and nobody else', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const [stein, dina] = fixture.groups[0]!.participants.map((p) => p.actor);
      const command = lapp(fixture) as Extract<Command, { type: 'note.create' }>;
      await run(stein!, fixture, command);
      expect(await attempt(dina!, fixture, { type: 'note.edit', noteId: command.noteId, text: 'Kapret' })).toBe('forbidden');
      expect(await attempt(fixture.facilitator.actor, fixture, { type: 'note.edit', noteId: command.noteId, text: 'Kapret' })).toBe('forbidden');
      expect(await attempt(stein!, fixture, { type: 'note.edit', noteId: command.noteId, text: 'Bedre formulert' })).toBe('ok');
      expect(await attempt(stein!, fixture, { type: 'note.withdraw', noteId: command.noteId })).toBe('ok');
      const row = await database.db.selectFrom('notes').selectAll().where('id', '=', command.noteId).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ text: 'Bedre formulert' });
      expect(row.withdrawn_at).not.toBeNull();
    });

    it('lets the facilitator move a lapp to another item or to the general box, but not a participant’s neighbour', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const [stein, dina] = fixture.groups[0]!.participants.map((p) => p.actor);
      const command = lapp(fixture) as Extract<Command, { type: 'note.create' }>;
      await run(stein!, fixture, command);
      expect(await attempt(dina!, fixture, { type: 'note.move', noteId: command.noteId, itemIds: [] })).toBe('forbidden');
      expect(await attempt(fixture.facilitator.actor, fixture, { type: 'note.move', noteId: command.noteId, itemIds: [fixture.subGoalIds[2]!] })).toBe('ok');
      expect(await attempt(fixture.facilitator.actor, fixture, { type: 'note.move', noteId: command.noteId, itemIds: [] })).toBe('ok');
    });

    it('lets group members agree once, never with their own lapp', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const [stein, dina] = fixture.groups[0]!.participants.map((p) => p.actor);
      const command = lapp(fixture) as Extract<Command, { type: 'note.create' }>;
      await run(stein!, fixture, command);
      expect(await attempt(dina!, fixture, { type: 'agreement.set', noteId: command.noteId, agreed: true })).toBe('ok');
      const again = await run(dina!, fixture, { type: 'agreement.set', noteId: command.noteId, agreed: true });
      expect(again.events).toEqual([]);
      expect(await attempt(stein!, fixture, { type: 'agreement.set', noteId: command.noteId, agreed: true })).toBe('forbidden');
      expect(await attempt(fixture.groups[1]!.participants[0]!.actor, fixture, { type: 'agreement.set', noteId: command.noteId, agreed: true })).toBe('forbidden');
    });

    it('lets a facilitator write on behalf of a participant of their group', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const kari = fixture.groups[0]!.participants[2]!;
      const command = { ...lapp(fixture, 'Skrevet av fasilitator'), groupId: fixture.groups[0]!.id, onBehalfOf: kari.id } as Command;
      const result = await run(fixture.facilitator.actor, fixture, command);
      expect(result.events[0]).toMatchObject({ type: 'note.created', note: { author: { participantId: kari.id, name: 'Kari' } } });
      const stranger = { ...lapp(fixture), groupId: fixture.groups[0]!.id, onBehalfOf: fixture.groups[1]!.participants[0]!.id } as Command;
      expect(await attempt(fixture.facilitator.actor, fixture, stranger)).toBe('validation_failed');
    });
  });

  describe('who may write', () => {
    it('[LIVE-1][LIVE-2][LIVE-4] enforces the role × action matrix on a group’s poster', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const other = await createWorkshopFixture(database.db);
      const group1 = fixture.groups[0]!;
      const actors: Array<[string, Actor | null, string]> = [
        ['nobody', null, 'unauthenticated'],
        ['the plenary view', { kind: 'viewer', workshopId: fixture.workshopId }, 'forbidden'],
        ['a participant of another group', fixture.groups[1]!.participants[0]!.actor, 'forbidden'],
        ['a participant of another workshop', other.groups[0]!.participants[0]!.actor, 'forbidden'],
        ['a facilitator of another workshop', other.facilitator.actor, 'forbidden'],
        ['a participant of the group', group1.participants[0]!.actor, 'ok'],
        ['the group’s facilitator', fixture.facilitator.actor, 'ok'],
        ['a planner', fixture.planner.actor, 'ok'],
      ];
      for (const [who, actor, expected] of actors) {
        const command = { ...lapp(fixture), groupId: group1.id, kind: actor?.kind === 'user' ? 'facilitator_note' : 'comment' } as Command;
        expect(await attempt(actor, fixture, command), who).toBe(expected);
      }
      expect(await attempt(fixture.facilitator.actor, fixture, { type: 'group.revealStars', groupId: fixture.groups[1]!.id, revealed: true })).toBe('forbidden');
      expect(await attempt(group1.participants[0]!.actor, fixture, { type: 'group.timer', groupId: group1.id, seconds: 600 })).toBe('forbidden');
      expect(await attempt(fixture.facilitator.actor, fixture, { type: 'group.timer', groupId: group1.id, seconds: 600 })).toBe('ok');
    });

    it('[LIVE-3] refuses writes in a closed workshop with a clear code', async () => {
      const fixture = await createWorkshopFixture(database.db, { state: 'closed' });
      expect(await attempt(fixture.groups[0]!.participants[0]!.actor, fixture, lapp(fixture))).toBe('workshop_closed');
    });

    it('[LIVE-9] answers the 31st write in 10 s with rate_limited and a retry time', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const stein = fixture.groups[0]!.participants[0]!.actor;
      const limiter = new WriteRateLimiter(30, 10_000);
      for (let i = 0; i < 30; i++) await executeCommand(database.db, limiter, stein, fixture.workshopId, randomUUID(), lapp(fixture, `Lapp ${i}`));
      await expect(executeCommand(database.db, limiter, stein, fixture.workshopId, randomUUID(), lapp(fixture))).rejects.toMatchObject({
        code: 'rate_limited',
        details: { retryAfterSeconds: expect.any(Number) },
      });
    });

    it('[LIVE-7][LIVE-9] answers a repeated command id from its record before the write limit counts it', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const stein = fixture.groups[0]!.participants[0]!.actor;
      const limiter = new WriteRateLimiter(3, 10_000);
      const sent = Array.from({ length: 3 }, (_, i) => ({ commandId: randomUUID(), command: lapp(fixture, `Lapp ${i}`) }));
      const first = [];
      for (const { commandId, command } of sent) first.push(await executeCommand(database.db, limiter, stein, fixture.workshopId, commandId, command));
      // The budget is spent; a device resending its whole outbox after a drop still gets its answers.
      for (const [i, { commandId, command }] of sent.entries()) {
        expect(await executeCommand(database.db, limiter, stein, fixture.workshopId, commandId, command)).toEqual({ seq: first[i]!.seq, duplicate: true, events: [] });
      }
      await expect(executeCommand(database.db, limiter, stein, fixture.workshopId, randomUUID(), lapp(fixture))).rejects.toMatchObject({ code: 'rate_limited' });
    });
  });

  describe('devices', () => {
    const connect = async (actor: Actor | null, fixture: WorkshopFixture, subscription: { scope: 'group'; groupId: string } | { scope: 'workshop' }, lastSeq: number | null = null, viewerToken?: string) => {
      const socket = new MemorySocket();
      const connection = new LiveConnection({ db: database.db, hub, limiter: new WriteRateLimiter(1000, 10_000), log }, socket, actor);
      await connection.receive(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: fixture.workshopId, subscription, lastSeq, viewerToken }));
      return { socket, connection };
    };

    it('[LIVE-10] shows a lapp on every device of the group and the plenary screen, not on other groups', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const group1 = fixture.groups[0]!;
      const a = await connect(group1.participants[0]!.actor, fixture, { scope: 'group', groupId: group1.id });
      const b = await connect(group1.participants[1]!.actor, fixture, { scope: 'group', groupId: group1.id });
      const plenary = await connect(null, fixture, { scope: 'workshop' }, null, fixture.viewerToken);
      const otherGroup = await connect(fixture.groups[1]!.participants[0]!.actor, fixture, { scope: 'group', groupId: fixture.groups[1]!.id });

      const command = lapp(fixture, 'Synlig for alle') as Extract<Command, { type: 'note.create' }>;
      await a.connection.receive(JSON.stringify({ type: 'command', commandId: randomUUID(), command }));
      await until(() => b.socket.of('event').length > 0 && plenary.socket.of('event').length > 0);
      expect(a.socket.of('ack')).toHaveLength(1);
      expect(b.socket.board().notes.map((n) => n.text)).toEqual(['Synlig for alle']);
      expect(plenary.socket.board().notes.map((n) => n.text)).toEqual(['Synlig for alle']);
      expect(otherGroup.socket.of('event')).toHaveLength(0);
      for (const device of [a, b, plenary, otherGroup]) device.connection.disconnected();
    });

    it('[LIVE-8] sends a device that reconnects with an old sequence number exactly the events it missed', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const group = fixture.groups[0]!;
      const [stein, dina] = group.participants.map((p) => p.actor);
      const first = await connect(dina!, fixture, { scope: 'group', groupId: group.id });
      await run(stein!, fixture, lapp(fixture, 'Før'));
      await until(() => first.socket.of('event').length === 1);
      const seenSeq = first.socket.board().seq;
      first.connection.disconnected();

      const missed = [await run(stein!, fixture, lapp(fixture, 'Mens du var borte 1')), await run(stein!, fixture, lapp(fixture, 'Mens du var borte 2'))];
      await run(fixture.groups[1]!.participants[0]!.actor, fixture, lapp(fixture, 'Annen gruppe'));
      const again = await connect(dina!, fixture, { scope: 'group', groupId: group.id }, seenSeq);
      const resumed = again.socket.of('events');
      expect(again.socket.of('snapshot')).toHaveLength(0);
      expect(resumed).toHaveLength(1);
      expect(resumed[0]!.events.map((e) => e.seq)).toEqual(missed.map((r) => r.seq));
      again.connection.disconnected();
    });

    it('[LIVE-11] rebuilds from a snapshot plus events exactly the state of a fresh snapshot, updatedAt included', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const group = fixture.groups[0]!;
      const [stein, dina, kari] = group.participants.map((p) => p.actor);
      const device = await connect(kari!, fixture, { scope: 'group', groupId: group.id });
      const note = lapp(fixture) as Extract<Command, { type: 'note.create' }>;
      await run(stein!, fixture, note);
      await run(dina!, fixture, { type: 'agreement.set', noteId: note.noteId, agreed: true });
      await run(stein!, fixture, { type: 'note.edit', noteId: note.noteId, text: 'Endret tekst' });
      await run(fixture.facilitator.actor, fixture, { type: 'note.move', noteId: note.noteId, itemIds: [fixture.subGoalIds[1]!, fixture.subGoalIds[2]!] });
      await run(kari!, fixture, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[1]! });
      await run(fixture.facilitator.actor, fixture, { type: 'group.timer', groupId: group.id, seconds: 300 });
      const finalSeq = (await run(stein!, fixture, lapp(fixture, 'Siste'))).seq;
      await until(() => device.socket.board().seq === finalSeq);
      const fresh = await readSnapshot(database.db, await audienceFor(database.db, kari!, fixture.workshopId, { scope: 'group', groupId: group.id }));
      const normalise = (s: Snapshot) => ({ ...s, notes: [...s.notes].sort((x, y) => x.id.localeCompare(y.id)) });
      expect(normalise(device.socket.board())).toEqual(normalise(fresh));
      device.connection.disconnected();
    });

    it('[PLACE-8] shows an imported lapp’s confirmed author on the group’s devices, as a fresh snapshot does', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const group = fixture.groups[0]!;
      const csv = `gruppe;plakat;punkt;forfatter;type;tekst\n${group.name};Sosial bærekraft / Del 1;Delmål 1;Ukjent;kommentar;Fra papiret\n`;
      await importLapperCsv(fixture.planner.actor, fixture.workshopId, csv, database.db, (workshopId, events) => hub.publish(workshopId, events));
      const imported = await database.db.selectFrom('notes').select(['id', 'author_participant_id']).where('workshop_id', '=', fixture.workshopId).executeTakeFirstOrThrow();
      expect(imported.author_participant_id).toBeNull();
      const kari = group.participants[2]!;
      const device = await connect(kari.actor, fixture, { scope: 'group', groupId: group.id });
      const { seq } = await run(fixture.planner.actor, fixture, { type: 'note.setAuthor', noteId: imported.id, participantId: kari.id });
      await until(() => device.socket.board().seq === seq);
      expect(device.socket.board().notes.find((n) => n.id === imported.id)!.author).toEqual({ participantId: kari.id, userId: null, name: kari.name });
      const fresh = await readSnapshot(database.db, await audienceFor(database.db, kari.actor, fixture.workshopId, { scope: 'group', groupId: group.id }));
      expect(device.socket.board().notes).toEqual(fresh.notes);
      // Planners only: the facilitator of the group and the participant are refused.
      expect(await attempt(fixture.facilitator.actor, fixture, { type: 'note.setAuthor', noteId: imported.id, participantId: kari.id })).toBe('forbidden');
      expect(await attempt(kari.actor, fixture, { type: 'note.setAuthor', noteId: imported.id, participantId: kari.id })).toBe('forbidden');
      device.connection.disconnected();
    });

    it('[STAR-4] hides other participants’ stars until the facilitator reveals them', async () => {
      const fixture = await createWorkshopFixture(database.db, { starsHidden: true });
      const group = fixture.groups[0]!;
      const [stein, dina] = group.participants.map((p) => p.actor);
      const device = await connect(dina!, fixture, { scope: 'group', groupId: group.id });
      await run(stein!, fixture, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[0]! });
      await run(dina!, fixture, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[1]! });
      await until(() => device.socket.board().stars.length === 1);
      expect(device.socket.board().stars.map((s) => s.itemId)).toEqual([fixture.strategyIds[1]]);
      await run(fixture.facilitator.actor, fixture, { type: 'group.revealStars', groupId: group.id, revealed: true });
      await until(() => device.socket.board().stars.length === 2);
      device.connection.disconnected();
    });

    it('[LIVE-12] answers a malformed frame with an error, closes after ten, and leaves other devices alone', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const group = fixture.groups[0]!;
      const bad = await connect(group.participants[0]!.actor, fixture, { scope: 'group', groupId: group.id });
      const good = await connect(group.participants[1]!.actor, fixture, { scope: 'group', groupId: group.id });
      await bad.connection.receive('this is not json');
      expect(bad.socket.of('error').at(-1)?.error.code).toBe('malformed');
      await bad.connection.receive(JSON.stringify({ type: 'command', commandId: randomUUID(), command: { type: 'note.create', text: 'x'.repeat(2001) } }));
      expect(bad.socket.of('reject').at(-1)?.error.code).toBe('validation_failed');
      for (let i = 0; i < 10; i++) await bad.connection.receive('{"type":"nonsense"}');
      expect(bad.socket.closedWith?.code).toBe(CLOSE_CODES.malformed);
      await run(group.participants[2]!.actor, fixture, lapp(fixture, 'Fortsatt her'));
      await until(() => good.socket.board().notes.length === 1);
      good.connection.disconnected();
    });

    it('closes a connection for another workshop, an unknown viewer token and an old protocol with documented codes', async () => {
      const fixture = await createWorkshopFixture(database.db);
      const other = await createWorkshopFixture(database.db);
      const stranger = await connect(other.groups[0]!.participants[0]!.actor, fixture, { scope: 'group', groupId: fixture.groups[0]!.id });
      expect(stranger.socket.closedWith?.code).toBe(CLOSE_CODES.forbidden);
      const anonymous = await connect(null, fixture, { scope: 'workshop' }, null, 'wrong-token');
      expect(anonymous.socket.closedWith?.code).toBe(CLOSE_CODES.unauthenticated);
      const socket = new MemorySocket();
      const old = new LiveConnection({ db: database.db, hub, limiter: new WriteRateLimiter(10, 1000), log }, socket, fixture.planner.actor);
      await old.receive(JSON.stringify({ type: 'connect', protocolVersion: 0, workshopId: fixture.workshopId, subscription: { scope: 'workshop' }, lastSeq: null }));
      expect(socket.closedWith?.code).toBe(CLOSE_CODES.protocolVersion);
    });
  });
});
