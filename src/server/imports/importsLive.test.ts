import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { applyEvents } from '../../contract/boardState.js';
import { PROTOCOL_VERSION, type ServerMessage, type Snapshot, type Subscription } from '../../contract/protocol.js';
import type { ImportResult } from '../../contract/imports.schema.js';
import { readWorkshopExport } from '../exports/workshopExport.service.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { executeCommand } from '../live/commands.service.js';
import { createTestApp, listenOnLoopback, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';

const seed = readFileSync('demo/baerum-2040.txt', 'utf8');

/** A device on the app's real socket: what it received, the board it rebuilt, and a wait. */
async function openDevice(url: string, cookie: string, workshopId: string, subscription: Subscription, lastSeq: number | null = null) {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/live`, { headers: { cookie } });
  const received: ServerMessage[] = [];
  let closed: number | null = null;
  socket.on('message', (data) => received.push(JSON.parse(data.toString()) as ServerMessage));
  socket.on('close', (code) => (closed = code));
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  socket.send(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId, subscription, lastSeq }));
  const board = (): Snapshot | null => {
    let built: Snapshot | null = null;
    for (const message of received) {
      if (message.type === 'snapshot') built = message.snapshot;
      if (message.type === 'events' && built) built = applyEvents(built, message.events);
      if (message.type === 'event' && built) built = applyEvents(built, [message.event]);
    }
    return built;
  };
  const waitFor = async (check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000) => {
    const end = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}; received ${JSON.stringify(received.map((m) => m.type))}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await waitFor(() => board() !== null, 'the first snapshot');
  return { received, board, waitFor, closed: () => closed, close: () => socket.close() };
}

/** What a device shows, without what legitimately differs: the order of sets and the seq. */
const normalise = (board: Snapshot | null) =>
  board && JSON.stringify({ ...board, seq: 0, notes: [...board.notes].sort((a, b) => a.id.localeCompare(b.id)), stars: [...board.stars].sort((a, b) => a.id.localeCompare(b.id)) });

describe.each(testDatabaseKinds)('imports and merges reach open devices on %s', (kind) => {
  let t: TestApp;
  let url: string;
  let planner: TestUser;

  beforeAll(async () => {
    t = await createTestApp(kind);
    url = await listenOnLoopback(t.app);
    planner = await t.user('planner');
  }, 180_000);
  afterAll(() => t?.close());

  /** A device that connects now: the fresh snapshot the others must equal. */
  const freshBoard = async (workshopId: string, subscription: Subscription) => {
    const device = await openDevice(url, planner.headers.cookie!, workshopId, subscription);
    device.close();
    return device.board();
  };
  const settles = (device: Awaited<ReturnType<typeof openDevice>>, workshopId: string, subscription: Subscription, what: string) =>
    device.waitFor(async () => normalise(device.board()) === normalise(await freshBoard(workshopId, subscription)), what);

  /** Input of a participant of the group that is merged away: a lapp, a star and an agreement, through the live commands. */
  const write = async (fixture: WorkshopFixture, text: string) => {
    const limiter = new WriteRateLimiter(1000, 10_000);
    const [stein, ola] = fixture.groups[1]!.participants;
    const noteId = randomUUID();
    await executeCommand(t.database.db, limiter, stein!.actor, fixture.workshopId, randomUUID(), { type: 'note.create', noteId, posterId: fixture.goalsPosterId, itemIds: [fixture.subGoalIds[0]!], kind: 'comment', text });
    await executeCommand(t.database.db, limiter, stein!.actor, fixture.workshopId, randomUUID(), { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[0]! });
    await executeCommand(t.database.db, limiter, ola!.actor, fixture.workshopId, randomUUID(), { type: 'agreement.set', noteId, agreed: true });
  };

  it('[LIVE-25][IMPORT-4] a group merged through the route reaches open devices of the workshop and of the target group, and a resume across it', async () => {
    const fixture = await createWorkshopFixture(t.database.db);
    const wid = fixture.workshopId;
    const [from, into] = [fixture.groups[1]!, fixture.groups[0]!];
    // "Stein" in both groups: the merge makes them one person.
    await t.database.db.updateTable('participants').set({ name: 'Stein' }).where('id', '=', from.participants[0]!.id).execute();
    await write(fixture, 'Skrevet i gruppe 2');
    const whole: Subscription = { scope: 'workshop' };
    const target: Subscription = { scope: 'group', groupId: into.id };
    const workshopDevice = await openDevice(url, planner.headers.cookie!, wid, whole);
    const groupDevice = await openDevice(url, planner.headers.cookie!, wid, target);
    const before = workshopDevice.board()!.seq;

    const response = await t.app.inject({ method: 'POST', url: `/api/workshops/${wid}/groups/${from.id}/merge`, headers: planner.headers, payload: { intoGroupId: into.id } });
    expect(response.statusCode, response.body).toBe(204);

    await settles(workshopDevice, wid, whole, 'the workshop device to equal a fresh snapshot');
    await settles(groupDevice, wid, target, 'the target group device to equal a fresh snapshot');
    const merged = groupDevice.board()!;
    expect(merged.groups.map((g) => g.name)).toEqual(['Gruppe 1']);
    expect(merged.groups[0]!.participants.map((p) => p.name).sort()).toEqual(['Dina', 'Finn', 'Kari', 'Signe', 'Stein']);
    expect(merged.notes.map((n) => [n.text, n.groupId, n.author.name])).toEqual([['Skrevet i gruppe 2', into.id, 'Stein']]);
    expect(merged.stars.map((s) => [s.groupId, s.participantId])).toEqual([[into.id, into.participants[0]!.id]]);
    expect(workshopDevice.closed()).toBeNull();
    // A device that saw the board before the merge resumes with its last seq and ends equal too.
    const resumed = await openDevice(url, planner.headers.cookie!, wid, whole, before);
    await settles(resumed, wid, whole, 'the resumed device to equal a fresh snapshot');
    for (const device of [workshopDevice, groupDevice, resumed]) device.close();
  });

  it('[LIVE-26][IMPORT-1] a board-text import replacing an earlier one rewrites that workshop in place: open devices and a resume end equal to the snapshot', async () => {
    const text = `${seed}\n`; // its own file: this test's import is not the other tests'
    const post = (replace: boolean) =>
      t.app.inject({ method: 'POST', url: '/api/imports/board-text', headers: planner.headers, payload: { text, fileName: 'erstattes.txt', title: replace ? 'Andre utgave' : 'Første utgave', municipality: 'Bærum', horizonYear: 2040, replace } });
    const first = expectStatus<ImportResult>(await post(false), 201);
    const wid = first.workshopId;
    const whole: Subscription = { scope: 'workshop' };
    const device = await openDevice(url, planner.headers.cookie!, wid, whole);
    const before = device.board()!.seq;
    expect(device.board()!.workshop.title).toBe('Første utgave');

    const second = expectStatus<ImportResult>(await post(true), 201);
    expect(second.workshopId, 'the devices’ workshop is the one replaced').toBe(wid);
    await device.waitFor(() => device.board()!.workshop.title === 'Andre utgave', 'the replaced workshop on the open device');
    await settles(device, wid, whole, 'the open device to equal a fresh snapshot');
    expect(device.closed()).toBeNull();
    const resumed = await openDevice(url, planner.headers.cookie!, wid, whole, before);
    await settles(resumed, wid, whole, 'the resumed device to equal a fresh snapshot');
    // One import report and one plan: the replaced one is gone.
    const reports = await t.database.db.selectFrom('workshop_imports').select('workshop_id').where('source_name', '=', 'erstattes.txt').execute();
    expect(reports).toEqual([{ workshop_id: wid }]);
    expect((await t.database.db.selectFrom('plans').select('id').where('id', '=', first.planId).execute()).length).toBe(0);
    for (const open of [device, resumed]) open.close();
  });

  it('[LIVE-26][EXPORT-2] a JSON import never writes a workshop devices have open: it is refused and appends nothing, and the one it creates opens on its snapshot', async () => {
    const fixture = await createWorkshopFixture(t.database.db);
    await write(fixture, 'Før eksporten');
    const exported = await readWorkshopExport(t.database.db, fixture.workshopId);
    const whole: Subscription = { scope: 'workshop' };
    const device = await openDevice(url, planner.headers.cookie!, fixture.workshopId, whole);
    const seqBefore = device.board()!.seq;
    const refused = await t.app.inject({ method: 'POST', url: '/api/imports/json', headers: planner.headers, payload: exported });
    expect(refused.statusCode, refused.body).toBe(409);
    const events = await t.database.db.selectFrom('events').select('seq').where('workshop_id', '=', fixture.workshopId).where('seq', '>', seqBefore).execute();
    expect(events).toEqual([]);
    await settles(device, fixture.workshopId, whole, 'the untouched device to equal a fresh snapshot');
    device.close();

    // The workshop it creates: exported, gone from here, then imported. A device opening it gets
    // the board it had (what an import makes anew: star ids, join code and seq, set aside).
    const other = await createWorkshopFixture(t.database.db);
    await write(other, 'Med i importen');
    const original = await freshBoard(other.workshopId, whole);
    const document = await readWorkshopExport(t.database.db, other.workshopId);
    await t.database.db.deleteFrom('workshops').where('id', '=', other.workshopId).execute();
    await t.database.db.deleteFrom('plans').where('id', '=', document.plan.id).execute();
    const created = await t.app.inject({ method: 'POST', url: '/api/imports/json', headers: planner.headers, payload: document });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({ workshopId: other.workshopId, planId: document.plan.id });
    const opened = await freshBoard(other.workshopId, whole);
    const comparable = (board: Snapshot | null) => {
      const { workshop, stars } = board!;
      return normalise({ ...board!, workshop: { ...workshop, joinCode: null }, stars: stars.map((star) => ({ ...star, id: '' })) });
    };
    expect(opened!.notes.map((note) => note.text)).toEqual(['Med i importen']);
    expect(opened!.stars).toHaveLength(1);
    expect(comparable(opened)).toEqual(comparable(original));
  });
});
