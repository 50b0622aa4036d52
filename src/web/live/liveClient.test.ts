import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES, PROTOCOL_VERSION, type ClientMessage, type Command, type LiveNote, type ServerMessage, type Snapshot } from '../../contract/protocol.js';
import { applyPending, starBudget } from './applyPending.js';
import {
  backoffDelay,
  LiveClient,
  outboxKey,
  PING_INTERVAL_MS,
  PONG_TIMEOUT_MS,
  postCommand,
  refusedKey,
  TOO_MANY_SOCKETS_MS,
  WS_RETRY_MIN_MS,
  type CommandOutcome,
  type LiveClientEnvironment,
  type WebSocketLike,
} from './liveClient.js';

const workshopId = '00000000-0000-4000-8000-000000000001';
const groupId = '00000000-0000-4000-8000-000000000002';
const posterId = '00000000-0000-4000-8000-000000000003';
const itemIds = ['00000000-0000-4000-8000-000000000011', '00000000-0000-4000-8000-000000000012', '00000000-0000-4000-8000-000000000013'];
const dina = '00000000-0000-4000-8000-000000000021';
const stein = '00000000-0000-4000-8000-000000000022';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const snapshot = (seq = 10, extra: Partial<Snapshot> = {}): Snapshot => ({
  seq,
  workshop: { id: workshopId, title: 'Verksted', state: 'open', starBudget: 2, starsPerItem: 1, starsHidden: false, language: 'nb', joinCode: null },
  posters: [
    {
      id: posterId,
      perspectiveId: uuid(99),
      perspectiveTitle: 'Sosial bærekraft',
      part: 'strategies',
      position: 1,
      instructions: '',
      boxPrompt: '',
      starsEnabled: true,
      mainGoal: 'Alle har et godt liv',
      items: itemIds.map((id, i) => ({ id, kind: 'strategy' as const, number: i + 1, text: `Strategi ${i + 1}` })),
    },
  ],
  groups: [{ id: groupId, name: 'Gruppe 1', position: 0, starsRevealed: false, timerEndsAt: null, participants: [{ id: dina, name: 'Dina' }, { id: stein, name: 'Stein' }] }],
  notes: [],
  stars: [],
  ...extra,
});

const lapp = (text: string, noteId = uuid(500 + text.length)): Command => ({ type: 'note.create', noteId, posterId, itemIds: [itemIds[0]!], kind: 'comment', text });

const noteFrom = (command: Extract<Command, { type: 'note.create' }>, author: string): LiveNote => ({
  id: command.noteId,
  posterId,
  groupId,
  itemIds: command.itemIds,
  kind: 'comment',
  text: command.text,
  proposedItemKind: null,
  replyToNoteId: null,
  author: { participantId: author, userId: null, name: 'Dina' },
  placed: true,
  withdrawn: false,
  agreedBy: [],
  createdAt: new Date(0).toISOString(),
  updatedAt: new Date(0).toISOString(),
});

class FakeSocket implements WebSocketLike {
  readyState = 0;
  onopen: WebSocketLike['onopen'] = null;
  onmessage: WebSocketLike['onmessage'] = null;
  onclose: WebSocketLike['onclose'] = null;
  onerror: WebSocketLike['onerror'] = null;
  readonly sent: ClientMessage[] = [];
  closedWith: number | null = null;
  send(data: string) {
    this.sent.push(JSON.parse(data) as ClientMessage);
  }
  close(code = 1000) {
    this.closedWith = code;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(message: ServerMessage) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({ code, reason: '' });
  }
  commands() {
    return this.sent.filter((m): m is Extract<ClientMessage, { type: 'command' }> => m.type === 'command');
  }
}

class MemoryStorage {
  readonly data = new Map<string, string>();
  getItem(key: string) {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.data.set(key, value);
  }
  removeItem(key: string) {
    this.data.delete(key);
  }
}

describe('LiveClient', () => {
  let sockets: FakeSocket[];
  let streams: Array<{ url: string; socket: FakeSocket }>;
  let posts: Array<{ commandId: string; command: Command; answer(outcome: CommandOutcome): void }>;
  let storage: MemoryStorage;
  let online: boolean;
  const environment = (): Partial<LiveClientEnvironment> => ({
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
    createEventStream: (url) => {
      const socket = new FakeSocket();
      streams.push({ url, socket });
      return socket;
    },
    postCommand: (_workshopId, commandId, command) => new Promise((answer) => posts.push({ commandId, command, answer })),
    storage,
    url: 'ws://test/api/live',
    isOnline: () => online,
    random: () => 0.5,
  });
  const client = (deviceKey: string | null = dina) =>
    new LiveClient({ workshopId, subscription: { scope: 'group', groupId }, deviceKey, environment: environment() });
  const welcome = (socket: FakeSocket, board = snapshot()) => {
    socket.open();
    socket.receive({ type: 'welcome', protocolVersion: PROTOCOL_VERSION, you: { kind: 'participant', participantId: dina, groupId, name: 'Dina' } });
    socket.receive({ type: 'snapshot', snapshot: board });
  };
  const last = () => sockets.at(-1)!;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    streams = [];
    posts = [];
    storage = new MemoryStorage();
    online = true;
  });
  afterEach(() => vi.useRealTimers());

  it('connects with the protocol version, the subscription and no sequence number the first time', () => {
    const live = client();
    live.start();
    last().open();
    expect(last().sent[0]).toEqual({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId, subscription: { scope: 'group', groupId }, lastSeq: null });
    expect(live.state.status).toBe('connecting');
    last().receive({ type: 'snapshot', snapshot: snapshot() });
    expect(live.state.status).toBe('online');
    expect(live.state.board?.seq).toBe(10);
    live.stop();
  });

  it('keeps commands written offline in localStorage and sends them on connect with their original id, one at a time', () => {
    const live = client();
    live.start();
    const first = live.send(lapp('Skrevet uten nett'));
    const second = live.send(lapp('Enda en'));
    const stored = JSON.parse(storage.getItem(outboxKey(workshopId, dina))!) as Array<{ commandId: string }>;
    expect(stored.map((entry) => entry.commandId)).toEqual([first, second]);
    expect(last().commands()).toHaveLength(0);

    welcome(last());
    expect(last().commands().map((c) => c.commandId)).toEqual([first]);
    last().receive({ type: 'ack', commandId: first, seq: 11, duplicate: false });
    expect(last().commands().map((c) => c.commandId)).toEqual([first, second]);
    expect((JSON.parse(storage.getItem(outboxKey(workshopId, dina))!) as unknown[]).length).toBe(1);
    live.stop();
  });

  it('sends a stored outbox again after a reload, with the same command ids, and forgets each on its ack', () => {
    const before = client();
    before.start();
    const commandId = before.send(lapp('Overlever en omlasting'));
    before.stop();

    const after = client();
    expect(after.state.pending.map((p) => [p.commandId, p.status])).toEqual([[commandId, 'queued']]);
    after.start();
    welcome(last());
    expect(last().commands()).toEqual([{ type: 'command', commandId, command: lapp('Overlever en omlasting') }]);
    last().receive({ type: 'ack', commandId, seq: 11, duplicate: true });
    expect(storage.getItem(outboxKey(workshopId, dina))).toBeNull();
    after.stop();
  });

  it('keeps an acknowledged lapp on screen until its event arrives, then shows the confirmed one', () => {
    const live = client();
    live.start();
    welcome(last());
    const command = lapp('Straks synlig') as Extract<Command, { type: 'note.create' }>;
    const commandId = live.send(command);
    const me = { participantId: dina, userId: null, name: 'Dina', groupId };
    const shown = () => applyPending(live.state.board!, live.state.pending, me);
    expect(shown().notes.map((n) => n.text)).toEqual(['Straks synlig']);
    expect(shown().unsavedNotes.has(command.noteId)).toBe(true);

    last().receive({ type: 'ack', commandId, seq: 11, duplicate: false });
    expect(shown().notes.map((n) => n.text)).toEqual(['Straks synlig']);
    expect(shown().unsavedNotes.has(command.noteId)).toBe(false);

    const heard: boolean[] = [];
    live.onEvent((_event, own) => heard.push(own));
    last().receive({ type: 'event', event: { seq: 11, workshopId, groupId, at: '', type: 'note.created', note: noteFrom(command, dina) } });
    expect(live.state.pending).toEqual([]);
    expect(shown().notes).toHaveLength(1);
    expect(heard).toEqual([true]);
    live.stop();
  });

  const stored = () => (JSON.parse(storage.getItem(outboxKey(workshopId, dina)) ?? '[]') as Array<{ commandId: string }>).map((e) => e.commandId);

  it('[LIVE-18] keeps a rate-limited command in the stored outbox and sends it again only after the wait the server gave', () => {
    const live = client();
    live.start();
    welcome(last());
    const commandId = live.send(lapp('For fort'));
    const later = live.send(lapp('Skrevet etterpå'));
    last().receive({ type: 'reject', commandId, error: { code: 'rate_limited', message: 'wait', retryAfterSeconds: 7 } });
    expect(live.state.rejections).toEqual([]);
    expect(stored()).toEqual([commandId, later]);
    expect(live.state.retryAt).toBe(Date.now() + 7000);
    vi.advanceTimersByTime(6999);
    expect(last().commands().map((c) => c.commandId)).toEqual([commandId]);
    vi.advanceTimersByTime(1);
    // The same command, first in line again: order is kept.
    expect(last().commands().map((c) => c.commandId)).toEqual([commandId, commandId]);
    expect(live.state.retryAt).toBeNull();
    live.stop();
  });

  it('[LIVE-18] returns online with 45 lapper written offline, is rate limited after 30, survives a reload while waiting, and stores all 45', () => {
    const before = client();
    before.start();
    // Written while the connection is not there yet (a phone without signal).
    const ids = Array.from({ length: 45 }, (_, i) => before.send(lapp(`Lapp ${i + 1}`, uuid(1000 + i))));
    expect(stored()).toEqual(ids);
    welcome(last());
    // A server with the write limit of 30 per 10 s.
    let seq = 10;
    const answer = (socket: FakeSocket, accepted: Set<string>) => {
      const command = socket.commands().at(-1)!;
      if (accepted.size >= 30 && !accepted.has(command.commandId)) {
        socket.receive({ type: 'reject', commandId: command.commandId, error: { code: 'rate_limited', message: 'wait', retryAfterSeconds: 10 } });
        return false;
      }
      accepted.add(command.commandId);
      socket.receive({ type: 'ack', commandId: command.commandId, seq: ++seq, duplicate: false });
      return true;
    };
    const accepted = new Set<string>();
    while (answer(last(), accepted));
    expect(accepted.size).toBe(30);
    expect(stored()).toEqual(ids.slice(30));
    // Nothing goes back to back while the server asked to wait.
    const sentBefore = last().commands().length;
    vi.advanceTimersByTime(5000);
    expect(last().commands()).toHaveLength(sentBefore);
    before.stop();

    // The page is reloaded during the wait: the 15 are still there, in order.
    const after = client();
    expect(after.state.pending.map((p) => p.commandId)).toEqual(ids.slice(30));
    after.start();
    welcome(last(), snapshot(seq));
    const fresh = new Set<string>();
    while (last().commands().length > fresh.size && answer(last(), fresh));
    expect(fresh.size).toBe(15);
    expect([...accepted, ...fresh]).toEqual(ids);
    expect(storage.getItem(outboxKey(workshopId, dina))).toBeNull();
    expect(after.state.rejections).toEqual([]);
    after.stop();
  });

  it('[LIVE-18] takes a finally refused lapp out of the outbox and keeps its text to copy, also after a reload, until dismissed', () => {
    const live = client();
    live.start();
    welcome(last());
    const commandId = live.send(lapp('Verkstedet er stengt'));
    const next = live.send(lapp('Neste'));
    last().receive({ type: 'reject', commandId, error: { code: 'workshop_closed', message: 'closed' } });
    expect(live.state.pending.map((p) => p.commandId)).toEqual([next]);
    expect(stored()).toEqual([next]);
    expect(live.state.rejections.map((r) => [r.commandId, r.error.code])).toEqual([[commandId, 'workshop_closed']]);
    // The queue goes on with the next.
    expect(last().commands().map((c) => c.commandId)).toEqual([commandId, next]);
    live.stop();

    const reloaded = client();
    expect(reloaded.state.rejections.map((r) => r.command)).toEqual([lapp('Verkstedet er stengt')]);
    expect(reloaded.state.rejections[0]!.error).toMatchObject({ code: 'workshop_closed', status: 409 });
    reloaded.dismiss(commandId);
    expect(reloaded.state.rejections).toEqual([]);
    expect(storage.getItem(refusedKey(workshopId, dina))).toBeNull();
  });

  it('reconnects after a drop with jittered backoff, resumes from its last sequence number and resends what was unacknowledged', () => {
    const live = client();
    live.start();
    welcome(last());
    const commandId = live.send(lapp('Underveis'));
    last().drop();
    expect(live.state.status).toBe('offline');
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(backoffDelay(0, () => 0.5));
    expect(sockets).toHaveLength(2);
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'connect', lastSeq: 10 });
    last().receive({ type: 'events', events: [] });
    expect(last().commands().map((c) => c.commandId)).toEqual([commandId]);
    live.stop();
  });

  it('[OPS-4] on 1001 from a draining server reconnects, resumes and resends; drains in a row never switch it to the fallback', () => {
    const live = client();
    live.start();
    welcome(last());
    const commandId = live.send(lapp('Sendt mens serveren stoppet'));
    for (let drain = 0; drain < 3; drain += 1) {
      last().drop(CLOSE_CODES.goingAway);
      expect(live.state.fatal).toBeNull();
      vi.advanceTimersByTime(10_000);
      expect(live.state.transport).toBe('websocket');
      last().open();
      expect(last().sent[0]).toMatchObject({ type: 'connect', lastSeq: 10 });
    }
    last().receive({ type: 'events', events: [] });
    expect(last().commands().map((c) => c.commandId)).toEqual([commandId]);
    expect(streams).toHaveLength(0);
    live.stop();
  });

  it('backs off from half a second up to ten seconds', () => {
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(10, () => 1)).toBe(10_000);
  });

  it('reconnects at once after 4010 and, refused then, says the access changed; after 4029 waits at least 30 s', () => {
    const moved = client();
    moved.start();
    welcome(last());
    last().drop(CLOSE_CODES.accessChanged);
    expect(moved.state.fatal).toBeNull();
    vi.advanceTimersByTime(backoffDelay(0, () => 0.5));
    expect(sockets).toHaveLength(2);
    last().open();
    last().drop(CLOSE_CODES.forbidden);
    expect(moved.state.fatal).toBe('accessChanged');
    moved.stop();

    const crowded = client();
    crowded.start();
    welcome(last());
    const count = sockets.length;
    last().drop(CLOSE_CODES.tooManySockets);
    vi.advanceTimersByTime(TOO_MANY_SOCKETS_MS - 1);
    expect(sockets).toHaveLength(count);
    vi.advanceTimersByTime(TOO_MANY_SOCKETS_MS / 2 + 1);
    expect(sockets).toHaveLength(count + 1);
    expect(crowded.state.transport).toBe('websocket');
    crowded.stop();
  });

  it('[LIVE-19] falls back to the event stream and HTTP commands when the WebSocket cannot connect, says so, and switches back when it can', async () => {
    const live = client();
    live.start();
    welcome(last());
    const early = live.send(lapp('Før bruddet'));
    last().receive({ type: 'ack', commandId: early, seq: 11, duplicate: false });
    last().receive({ type: 'event', event: { seq: 11, workshopId, groupId, at: '', type: 'note.created', note: noteFrom(lapp('Før bruddet') as Extract<Command, { type: 'note.create' }>, dina) } });
    // The network starts cutting upgrades: two sockets in a row never open.
    last().drop(1006);
    vi.advanceTimersByTime(1000);
    last().drop(1006);
    expect(live.state.transport).toBe('http');
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
    expect(streams.map((s) => s.url)).toEqual([`/api/workshops/${workshopId}/stream?groupId=${groupId}&lastSeq=11`]);
    const stream = streams[0]!.socket;
    stream.open();
    expect(stream.sent).toEqual([]); // the query said it all
    stream.receive({ type: 'welcome', protocolVersion: PROTOCOL_VERSION, you: { kind: 'participant', participantId: dina, groupId, name: 'Dina' } });
    stream.receive({ type: 'events', events: [] });
    expect(live.state.status).toBe('online');

    const commandId = live.send(lapp('Over HTTP'));
    expect(posts.map((p) => p.commandId)).toEqual([commandId]);
    // A proxy's 502: kept, and sent again after a backoff.
    posts[0]!.answer({ kind: 'unavailable' });
    await vi.advanceTimersByTimeAsync(0);
    expect(stored()).toEqual([commandId]);
    await vi.advanceTimersByTimeAsync(backoffDelay(0, () => 0.5));
    expect(posts.map((p) => p.commandId)).toEqual([commandId, commandId]);
    posts[1]!.answer({ kind: 'ack', seq: 12, duplicate: false });
    await vi.advanceTimersByTimeAsync(0);
    expect(stored()).toEqual([]);

    // A minute later a WebSocket opens again: back on it, resuming from the last sequence number.
    await vi.advanceTimersByTimeAsync(WS_RETRY_MIN_MS);
    const probe = last();
    probe.open();
    expect(probe.closedWith).toBe(1000);
    expect(stream.closedWith).not.toBeNull();
    expect(live.state.transport).toBe('websocket');
    last().open();
    expect(last().sent[0]).toMatchObject({ type: 'connect', lastSeq: 11 });
    live.stop();
  });

  it('[LIVE-19] keeps a WebSocket that drops after a long, stable session: no fallback for ordinary drops', () => {
    const live = client();
    live.start();
    for (let i = 0; i < 3; i++) {
      welcome(last());
      for (let ping = 0; ping < 3; ping++) {
        vi.advanceTimersByTime(PING_INTERVAL_MS);
        last().receive({ type: 'pong' });
      }
      last().drop(1006);
      vi.advanceTimersByTime(1000);
    }
    expect(live.state.transport).toBe('websocket');
    expect(streams).toEqual([]);
    live.stop();
  });

  it('stops for good on a forbidden close and asks for a reload on a protocol mismatch', () => {
    const forbidden = client();
    forbidden.start();
    last().open();
    last().drop(CLOSE_CODES.forbidden);
    expect(forbidden.state.fatal).toBe('forbidden');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);

    const old = client();
    old.start();
    last().open();
    last().drop(CLOSE_CODES.protocolVersion);
    expect(old.state.fatal).toBe('reload');
  });

  it('treats a missing pong as a dead connection', () => {
    const live = client();
    live.start();
    welcome(last());
    vi.advanceTimersByTime(PING_INTERVAL_MS);
    expect(last().sent.at(-1)).toMatchObject({ type: 'ping' });
    vi.advanceTimersByTime(PONG_TIMEOUT_MS);
    expect(sockets[0]!.closedWith).not.toBeNull();
    expect(live.state.status).toBe('offline');
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
    live.stop();
  });

  it('waits for the network when the browser says it is offline', () => {
    online = false;
    const live = client();
    live.start();
    expect(sockets).toHaveLength(0);
    expect(live.state.status).toBe('offline');
    live.send(lapp('Offline'));
    expect(live.state.pending).toHaveLength(1);
    live.stop();
  });

  it('keeps outboxes of different people on one browser apart', () => {
    const a = client(dina);
    a.send(lapp('Dinas'));
    expect(client(stein).state.pending).toEqual([]);
    expect(client(dina).state.pending).toHaveLength(1);
  });
});

describe('postCommand', () => {
  afterEach(() => vi.unstubAllGlobals());
  const answer = (status: number, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    vi.stubGlobal('fetch', vi.fn(async () => new Response(body, { status, headers })));
  const send = () => postCommand(workshopId, uuid(1), lapp('Over HTTP'));

  it('[LIVE-18] tells an ack, a transient refusal, a final one and an unavailable server apart', async () => {
    answer(200, JSON.stringify({ seq: 12, duplicate: false }));
    expect(await send()).toEqual({ kind: 'ack', seq: 12, duplicate: false });
    answer(429, JSON.stringify({ error: { code: 'rate_limited', message: 'wait', retryAfterSeconds: 4 } }));
    expect(await send()).toEqual({ kind: 'reject', error: { code: 'rate_limited', message: 'wait', retryAfterSeconds: 4 } });
    answer(409, JSON.stringify({ error: { code: 'workshop_closed', message: 'closed' } }));
    expect(await send()).toEqual({ kind: 'reject', error: { code: 'workshop_closed', message: 'closed' } });
    answer(503, JSON.stringify({ error: { code: 'internal', message: 'busy', retryAfterSeconds: 3 } }));
    expect(await send()).toEqual({ kind: 'unavailable', retryAfterSeconds: 3 });
    // A proxy's own error page is not ours to read: try again later.
    answer(502, '<html>Bad gateway</html>', { 'content-type': 'text/html' });
    expect(await send()).toEqual({ kind: 'unavailable', retryAfterSeconds: undefined });
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    expect(await send()).toEqual({ kind: 'unavailable', retryAfterSeconds: undefined });
  });
});

describe('applyPending', () => {
  const me = { participantId: dina, userId: null, name: 'Dina', groupId };
  const pending = (command: Command, status: 'queued' | 'acked' = 'queued') => ({ commandId: uuid(Math.floor(Math.random() * 1e9)), command, queuedAt: 0, status });

  it('counts pending stars against the budget and takes back the newest', () => {
    const board = snapshot(10, { stars: [{ id: uuid(700), posterId, groupId, itemId: itemIds[0]!, participantId: dina }] });
    const give = pending({ type: 'star.give', starId: uuid(701), posterId, itemId: itemIds[1]! });
    const view = applyPending(board, [give], me);
    expect(starBudget(view, posterId, dina)).toMatchObject({ used: 2, left: 0 });
    expect(view.unsavedStars.size).toBe(1);
    const taken = applyPending(board, [give, pending({ type: 'star.take', posterId, itemId: itemIds[1]! })], me);
    expect(starBudget(taken, posterId, dina).left).toBe(1);
  });

  it('shows a lapp written for a participant under their name, and agreements', () => {
    const command = { ...lapp('For Stein'), onBehalfOf: stein } as Command;
    const view = applyPending(snapshot(), [pending(command)], { participantId: null, userId: uuid(800), name: 'Fasilitator', groupId: null });
    expect(view.notes).toHaveLength(0); // a facilitator must name the group
    const withGroup = applyPending(snapshot(), [pending({ ...command, groupId } as Command)], { participantId: null, userId: uuid(800), name: 'Fasilitator', groupId: null });
    expect(withGroup.notes[0]!.author).toEqual({ participantId: stein, userId: null, name: 'Stein' });
    const noteId = (command as { noteId: string }).noteId;
    const agreed = applyPending(withGroup, [pending({ type: 'agreement.set', noteId, agreed: true })], me);
    expect(agreed.notes[0]!.agreedBy).toEqual([dina]);
  });

  it('moves and withdraws lapper optimistically', () => {
    const command = lapp('Flyttes') as Extract<Command, { type: 'note.create' }>;
    const board = snapshot(10, { notes: [noteFrom(command, dina)] });
    const moved = applyPending(board, [pending({ type: 'note.move', noteId: command.noteId, itemIds: [] })], me);
    expect(moved.notes[0]!.itemIds).toEqual([]);
    expect(moved.unsavedNotes.has(command.noteId)).toBe(true);
    const withdrawn = applyPending(board, [pending({ type: 'note.withdraw', noteId: command.noteId }, 'acked')], me);
    expect(withdrawn.notes[0]!.withdrawn).toBe(true);
    expect(withdrawn.unsavedNotes.size).toBe(0);
  });
});
