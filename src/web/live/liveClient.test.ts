import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLOSE_CODES, PROTOCOL_VERSION, type ClientMessage, type Command, type LiveNote, type ServerMessage, type Snapshot } from '../../server/live/protocol.js';
import { applyPending, starBudget } from './applyPending.js';
import { backoffDelay, LiveClient, outboxKey, PING_INTERVAL_MS, PONG_TIMEOUT_MS, type LiveClientEnvironment, type WebSocketLike } from './liveClient.js';

const workshopId = '00000000-0000-4000-8000-000000000001';
const groupId = '00000000-0000-4000-8000-000000000002';
const posterId = '00000000-0000-4000-8000-000000000003';
const itemIds = ['00000000-0000-4000-8000-000000000011', '00000000-0000-4000-8000-000000000012', '00000000-0000-4000-8000-000000000013'];
const dina = '00000000-0000-4000-8000-000000000021';
const stein = '00000000-0000-4000-8000-000000000022';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const snapshot = (seq = 10, extra: Partial<Snapshot> = {}): Snapshot => ({
  seq,
  workshop: { id: workshopId, title: 'Verksted', state: 'open', starBudget: 2, starsPerItem: 1, starsHidden: false, joinCode: null },
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
  let storage: MemoryStorage;
  let online: boolean;
  const environment = (): Partial<LiveClientEnvironment> => ({
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
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

  it('reports a refusal with the error code and the seconds to wait, and drops the command', () => {
    const live = client();
    live.start();
    welcome(last());
    const commandId = live.send(lapp('For fort'));
    last().receive({ type: 'reject', commandId, error: { code: 'rate_limited', message: 'wait', retryAfterSeconds: 7 } });
    expect(live.state.pending).toEqual([]);
    expect(storage.getItem(outboxKey(workshopId, dina))).toBeNull();
    expect(live.state.rejections).toHaveLength(1);
    expect(live.state.rejections[0]!.error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 7 });
    live.dismiss(commandId);
    expect(live.state.rejections).toEqual([]);
    live.stop();
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

  it('backs off from half a second up to ten seconds', () => {
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(10, () => 1)).toBe(10_000);
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
