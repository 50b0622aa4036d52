/**
 * One device's live connection to a workshop: a WebSocket to `/api/live` that follows the protocol
 * in `src/contract/protocol.ts`, rebuilds the board with the server's own `applyEvent`, and keeps
 * an outbox of commands the server has not acknowledged yet. The outbox lives in localStorage, so a
 * lapp written on a dropped connection survives a reload and is sent again with its original
 * command id (the server stores each command once). It leaves the outbox only on an ack or a final
 * refusal; a transient one (rate limited, server busy, 5xx, network) waits as long as the server
 * asked and goes again ([LIVE-18]). Where WebSockets are blocked or keep dropping, the same
 * conversation runs over HTTP: events as server-sent events, commands as POSTs ([LIVE-19]).
 * No React here; `useLiveBoard` wraps it.
 */
import { httpStatusOf } from '../../domain/errors.js';
import { applyEvent, applyEvents } from '../../contract/boardState.js';
import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  commandAckSchema,
  serverMessageSchema,
  streamCloseSchema,
  type ClientMessage,
  type Command,
  type LiveEvent,
  type ServerMessage,
  type Snapshot,
  type StreamQuery,
  type Subscription,
} from '../../contract/protocol.js';
import { ApiError, apiRequest } from '../api/client.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'stopped';
/** How this device talks to the server: a WebSocket, or (where that is blocked) HTTP with server-sent events. */
export type Transport = 'websocket' | 'http';
export type You = Extract<ServerMessage, { type: 'welcome' }>['you'];

/**
 * Why the client stopped for good: the page must be reloaded, or the user cannot follow this
 * workshop; `accessChanged`: the server said who this device is changed (4010) and then refused it.
 */
export type FatalReason = 'reload' | 'unauthenticated' | 'forbidden' | 'notFound' | 'accessChanged';

/** A command on its way: queued (not sent on this connection), sent (waiting for its ack), acked (waiting for its event). */
export interface PendingCommand {
  commandId: string;
  command: Command;
  /** When the user made it (ms since epoch); an optimistic timer counts from here. */
  queuedAt: number;
  status: 'queued' | 'sent' | 'acked';
  /** The sequence number of the ack; the entry is dropped once the board has caught up with it. */
  ackSeq?: number;
}

/** A command the server refused, with the error as the API client would throw it (for `describeError`). */
export interface Rejection {
  commandId: string;
  command: Command;
  error: ApiError;
}

export interface LiveClientState {
  /** The board exactly as the server confirmed it (snapshot + events); null before the first snapshot. */
  board: Snapshot | null;
  you: You | null;
  status: ConnectionStatus;
  fatal: FatalReason | null;
  /** Commands made on this device that the board does not show yet, oldest first. */
  pending: readonly PendingCommand[];
  /** Refused commands, newest last, until the UI dismisses them (kept across a reload). */
  rejections: readonly Rejection[];
  transport: Transport;
  /** When the server asked us to wait (rate limited, busy): the outbox goes again at this time (ms since epoch). */
  retryAt: number | null;
}

/** What became of a command sent over HTTP. */
export type CommandOutcome =
  | { kind: 'ack'; seq: number; duplicate: boolean }
  | { kind: 'reject'; error: WireError }
  /** Not the command's fault (5xx, network, a proxy's page): send it again later. */
  | { kind: 'unavailable'; retryAfterSeconds?: number };

type WireError = Extract<ServerMessage, { type: 'reject' }>['error'];

/** The bits of the browser the client uses; tests hand in fakes. */
export interface LiveClientEnvironment {
  createSocket(url: string): WebSocketLike;
  /** Opens the server-sent-events stream (a receive-only socket; its `send` does nothing). */
  createEventStream(url: string): WebSocketLike;
  /** Sends one command over HTTP; never throws. */
  postCommand(workshopId: string, commandId: string, command: Command): Promise<CommandOutcome>;
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  url: string;
  /** Whether the device believes it has a network at all (navigator.onLine). */
  isOnline(): boolean;
  random(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(callback: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  now(): number;
}

/** The part of the WebSocket API the client needs. */
export interface WebSocketLike {
  readonly readyState: number;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface LiveClientOptions {
  workshopId: string;
  subscription: Subscription;
  /** The plenary link's token, for a screen without a login. */
  viewerToken?: string;
  /**
   * Whose outbox this is (participant or user id): the localStorage key holds it with the
   * workshop id, so two people on one browser never send each other's lapper. Null keeps the
   * outbox in memory only (the read-only plenary screen).
   */
  deviceKey: string | null;
  environment?: Partial<LiveClientEnvironment>;
}

export const PING_INTERVAL_MS = 20_000;
export const PONG_TIMEOUT_MS = 10_000;
export const BACKOFF_MIN_MS = 500;
export const BACKOFF_MAX_MS = 10_000;
/** WebSocket failures in a row (not opening, or dropping within STABLE_MS) before falling back to HTTP. */
export const FALLBACK_AFTER_FAILURES = 2;
/** A connection that lasted this long was not "dropping". */
export const STABLE_MS = 30_000;
/** A socket that neither connects nor fails within this long counts as failed. */
export const OPEN_TIMEOUT_MS = 10_000;
/** On HTTP, try the WebSocket again after this long, doubling up to WS_RETRY_MAX_MS. */
export const WS_RETRY_MIN_MS = 60_000;
export const WS_RETRY_MAX_MS = 600_000;
/** After 4029 (too many sockets) wait this long (with jitter up to twice it) before trying again. */
export const TOO_MANY_SOCKETS_MS = 30_000;
/** Close codes the server sends on purpose; any other close is the network's doing. */
const SERVER_CLOSE = (code: number) => code === 1001 || code === 1011 || code === 1013 || (code >= 4000 && code <= 4999);
/** An acknowledged command whose event never comes (it changed nothing) stops showing as pending after this. */
const ACKED_GRACE_MS = 5_000;
const OPEN = 1;

export const outboxKey = (workshopId: string, deviceKey: string) => `innspill.outbox.v1.${workshopId}.${deviceKey}`;
/** Final refusals, so the text of a refused lapp is still there to copy after a reload. */
export const refusedKey = (workshopId: string, deviceKey: string) => `innspill.refused.v1.${workshopId}.${deviceKey}`;
const REFUSALS_KEPT = 50;

interface StoredCommand {
  commandId: string;
  command: Command;
  queuedAt: number;
}

interface StoredRefusal {
  commandId: string;
  command: Command;
  error: WireError;
}

/** A refusal that is not the command's fault: the same command goes again after the wait. */
export function isTransient(error: WireError): boolean {
  return error.code === 'rate_limited' || error.retryAfterSeconds !== undefined;
}


/** `POST /api/workshops/:id/commands` through the app's API client (cookies and CSRF token included). */
export async function postCommand(workshopId: string, commandId: string, command: Command): Promise<CommandOutcome> {
  try {
    const ack = await apiRequest('POST', `/api/workshops/${workshopId}/commands`, commandAckSchema, { commandId, command });
    return { kind: 'ack', ...ack };
  } catch (error) {
    // 5xx, no network, or a body that is not ours (a proxy's error page): not the command's fault.
    if (!(error instanceof ApiError) || error.status === 0 || error.status >= 500 || error.code === 'network' || error.code === 'internal') {
      return { kind: 'unavailable', retryAfterSeconds: error instanceof ApiError ? error.retryAfterSeconds : undefined };
    }
    const { code, message, fields, retryAfterSeconds } = error;
    return { kind: 'reject', error: { code, message, ...(fields.length > 0 ? { fields } : {}), ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) } };
  }
}

/** An EventSource as a receive-only socket: each `message` is a server message; `close` ends it with a close code. */
export function eventStreamSocket(url: string): WebSocketLike {
  const source = new EventSource(url);
  const socket: WebSocketLike & { readyState: number } = {
    readyState: 0,
    onopen: null,
    onmessage: null,
    onclose: null,
    onerror: null,
    send: () => undefined,
    close: () => {
      socket.readyState = 3;
      source.close();
    },
  };
  const end = (code: number, reason: string) => {
    if (socket.readyState === 3) return;
    // Our own backoff and last sequence number decide when and from where to reconnect, not the browser's.
    socket.close();
    socket.onclose?.({ code, reason });
  };
  source.onopen = () => {
    socket.readyState = 1;
    socket.onopen?.({});
  };
  source.onmessage = (event: MessageEvent<string>) => socket.onmessage?.({ data: event.data });
  source.addEventListener('close', (event) => {
    let closing: { code: number; reason: string } = { code: 1006, reason: '' };
    try {
      closing = streamCloseSchema.parse(JSON.parse((event as MessageEvent<string>).data));
    } catch {
      // a close we cannot read: treat it as a dropped connection
    }
    end(closing.code, closing.reason);
  });
  source.onerror = () => end(1006, '');
  return socket;
}

/** A random UUID v4, also on plain http on a LAN address where `crypto.randomUUID` is missing. */
export function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Jittered exponential backoff: 0.5 s, 1 s, 2 s … capped at 10 s, each between half and all of it. */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** attempt);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

function browserEnvironment(): LiveClientEnvironment {
  const location = typeof window === 'undefined' ? null : window.location;
  const scheme = location?.protocol === 'https:' ? 'wss:' : 'ws:';
  return {
    createSocket: (url) => new WebSocket(url) as unknown as WebSocketLike,
    createEventStream: eventStreamSocket,
    postCommand,
    storage: typeof localStorage === 'undefined' ? null : localStorage,
    url: `${scheme}//${location?.host ?? 'localhost'}/api/live`,
    isOnline: () => (typeof navigator === 'undefined' ? true : navigator.onLine !== false),
    random: Math.random,
    setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
    setInterval: (callback, ms) => globalThis.setInterval(callback, ms),
    clearInterval: (handle) => globalThis.clearInterval(handle as ReturnType<typeof setInterval>),
    now: Date.now,
  };
}

type Listener = () => void;
/** `own`: the event is the result of a command from this device (not worth announcing to it); `board` the board after it. */
type EventListener = (event: LiveEvent, own: boolean, board: Snapshot) => void;

export class LiveClient {
  private readonly env: LiveClientEnvironment;
  private readonly key: string | null;
  private readonly refusedStoreKey: string | null;
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  private reconnectTimer: unknown = null;
  private openTimer: unknown = null;
  private pingTimer: unknown = null;
  private pongTimer: unknown = null;
  private graceTimer: unknown = null;
  private holdTimer: unknown = null;
  /** Failed tries of the held command without a wait from the server: the next wait backs off. */
  private holdAttempt = 0;
  /** The connection said welcome and delivered its snapshot or missed events: commands may go. */
  private ready = false;
  private readyAt = 0;
  private stopped = false;
  /** WebSocket tries in a row that did not open or dropped soon after ([LIVE-19]). */
  private socketFailures = 0;
  private probe: WebSocketLike | null = null;
  private probeTimer: unknown = null;
  private probeDelay = WS_RETRY_MIN_MS;
  /** The server closed with 4010: a refusal on the next connect means this device is no longer who it was. */
  private accessChanged = false;
  private current: LiveClientState;
  private readonly listeners = new Set<Listener>();
  private readonly eventListeners = new Set<EventListener>();

  constructor(private readonly options: LiveClientOptions) {
    this.env = { ...browserEnvironment(), ...options.environment };
    this.key = options.deviceKey ? outboxKey(options.workshopId, options.deviceKey) : null;
    this.refusedStoreKey = options.deviceKey ? refusedKey(options.workshopId, options.deviceKey) : null;
    const stored = this.readStore().map((entry): PendingCommand => ({ ...entry, status: 'queued' }));
    const rejections = this.readRefusals().map(({ commandId, command, error }) => ({ commandId, command, error: toApiError(error) }));
    this.current = { board: null, you: null, status: 'connecting', fatal: null, pending: stored, rejections, transport: 'websocket', retryAt: null };
  }

  get state(): LiveClientState {
    return this.current;
  }

  /** Calls `listener` after every change of `state`; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Live events as they arrive one by one (not the catch-up after a reconnect), to announce them. */
  onEvent(listener: EventListener): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  start(): void {
    this.stopped = false;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.handleOnline);
      window.addEventListener('offline', this.handleOffline);
    }
    this.connect();
  }

  /** Closes the connection for good (the page is going away); the outbox stays stored. */
  stop(): void {
    this.stopped = true;
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.handleOnline);
      window.removeEventListener('offline', this.handleOffline);
    }
    this.clearTimers();
    this.dropProbe();
    this.dropSocket(1000, 'bye');
  }

  /**
   * Queues a command: it shows at once (see `applyPending`), is stored in the outbox and sent when
   * the connection allows. Returns its command id.
   */
  send(command: Command, commandId = newId()): string {
    const entry: PendingCommand = { commandId, command, queuedAt: this.env.now(), status: 'queued' };
    this.addToStore(entry);
    this.update({ pending: [...this.current.pending, entry] });
    this.flush();
    return commandId;
  }

  /** Forgets a refusal the user has read. */
  dismiss(commandId: string): void {
    this.writeRefusals(this.readRefusals().filter((r) => r.commandId !== commandId));
    this.update({ rejections: this.current.rejections.filter((r) => r.commandId !== commandId) });
  }

  // ---- the connection ----

  private readonly handleOnline = () => {
    if (this.stopped || this.current.fatal) return;
    // The network is back: try now rather than after the backoff.
    this.attempt = 0;
    if (!this.socket) {
      this.env.clearTimeout(this.reconnectTimer);
      this.reconnectTimer = null;
      this.connect();
    }
  };

  private readonly handleOffline = () => {
    // The browser knows the network is gone: do not wait for the pong to time out.
    if (this.socket) this.connectionLost();
  };

  private connect(): void {
    if (this.stopped || this.current.fatal || this.socket) return;
    if (!this.env.isOnline()) {
      this.update({ status: 'offline' });
      return; // `online` will call us again
    }
    this.update({ status: this.current.status === 'online' ? 'connecting' : this.current.status });
    const overHttp = this.current.transport === 'http';
    let socket: WebSocketLike;
    try {
      socket = overHttp ? this.env.createEventStream(this.streamUrl()) : this.env.createSocket(this.env.url);
    } catch {
      this.connectionLost();
      return;
    }
    this.socket = socket;
    this.ready = false;
    // A blocked upgrade may hang rather than fail.
    this.openTimer = this.env.setTimeout(() => {
      this.openTimer = null;
      if (socket === this.socket && !this.ready) this.connectionLost();
    }, OPEN_TIMEOUT_MS);
    socket.onopen = () => {
      if (socket !== this.socket) return;
      // The stream's query already said what `connect` says.
      if (!overHttp) socket.send(JSON.stringify(this.connectMessage()));
      this.startPing();
    };
    socket.onmessage = (event) => {
      if (socket !== this.socket || typeof event.data !== 'string') return;
      this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (socket !== this.socket) return;
      this.closed(event.code);
    };
    socket.onerror = () => {
      // A close event always follows; nothing to do here.
    };
  }

  private connectMessage(): ClientMessage {
    return {
      type: 'connect',
      protocolVersion: PROTOCOL_VERSION,
      workshopId: this.options.workshopId,
      subscription: this.options.subscription,
      lastSeq: this.current.board?.seq ?? null,
      ...(this.options.viewerToken ? { viewerToken: this.options.viewerToken } : {}),
    };
  }

  /** The event stream's address: the `connect` message as a query. */
  private streamUrl(): string {
    const query: { [K in keyof StreamQuery]: string | undefined } = {
      groupId: this.options.subscription.scope === 'group' ? this.options.subscription.groupId : undefined,
      lastSeq: this.current.board ? String(this.current.board.seq) : undefined,
      viewerToken: this.options.viewerToken,
    };
    const params = new URLSearchParams(Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined));
    const search = params.toString();
    return `/api/workshops/${this.options.workshopId}/stream${search ? `?${search}` : ''}`;
  }

  private closed(code: number): void {
    const wasReady = this.ready;
    this.socket = null;
    this.ready = false;
    this.stopPing();
    this.env.clearTimeout(this.openTimer);
    this.openTimer = null;
    if (code === CLOSE_CODES.accessChanged) {
      // Who this device is changed: ask again at once, and join again if the server now refuses.
      this.accessChanged = true;
      this.attempt = 0;
    }
    const refused = code === CLOSE_CODES.unauthenticated || code === CLOSE_CODES.forbidden;
    const fatal: FatalReason | null =
      refused && this.accessChanged
        ? 'accessChanged'
        : code === CLOSE_CODES.protocolVersion
          ? 'reload'
          : code === CLOSE_CODES.unauthenticated
            ? 'unauthenticated'
            : code === CLOSE_CODES.forbidden
              ? 'forbidden'
              : code === CLOSE_CODES.notFound
                ? 'notFound'
                : null;
    if (fatal) {
      this.dropProbe();
      this.update({ fatal, status: 'stopped', pending: this.unsend() });
      return;
    }
    this.update({ status: this.stopped ? 'stopped' : 'offline', pending: this.unsend() });
    if (code === CLOSE_CODES.tooManySockets) {
      // The server has no room for another socket now: wait well beyond the usual backoff.
      this.scheduleReconnect(TOO_MANY_SOCKETS_MS * (1 + this.env.random()));
      return;
    }
    if (!SERVER_CLOSE(code)) this.transportTrouble(wasReady);
    else if (wasReady) this.socketFailures = 0;
    this.scheduleReconnect();
  }

  /** A dead connection (no pong, never opened, or the browser went offline): drop it and try again. */
  private connectionLost(): void {
    const wasReady = this.ready;
    this.dropSocket(4999, 'connection lost');
    this.ready = false;
    this.stopPing();
    this.env.clearTimeout(this.openTimer);
    this.openTimer = null;
    this.update({ status: 'offline', pending: this.unsend() });
    this.transportTrouble(wasReady);
    this.scheduleReconnect();
  }

  /**
   * The network, not the server, ended the connection. A WebSocket that does not open, or drops soon
   * after it did, twice in a row, is blocked or cut on this network: go on over HTTP ([LIVE-19]).
   */
  private transportTrouble(wasReady: boolean): void {
    if (!this.env.isOnline()) return; // the device is offline; no verdict on the network
    if (wasReady && this.env.now() - this.readyAt >= STABLE_MS) {
      this.socketFailures = 0;
      if (this.current.transport === 'websocket') this.probeDelay = WS_RETRY_MIN_MS;
      return;
    }
    if (this.current.transport !== 'websocket') return;
    this.socketFailures += 1;
    if (this.socketFailures < FALLBACK_AFTER_FAILURES) return;
    this.socketFailures = 0;
    this.attempt = 0;
    this.update({ transport: 'http' });
    this.scheduleProbe();
  }

  /** On HTTP, try a WebSocket now and then; once one opens, switch back to it. */
  private scheduleProbe(): void {
    this.env.clearTimeout(this.probeTimer);
    const delay = this.probeDelay;
    this.probeDelay = Math.min(WS_RETRY_MAX_MS, this.probeDelay * 2);
    this.probeTimer = this.env.setTimeout(() => {
      this.probeTimer = null;
      if (this.stopped || this.current.fatal || this.current.transport !== 'http') return;
      if (!this.env.isOnline()) return this.scheduleProbe();
      let probe: WebSocketLike;
      try {
        probe = this.env.createSocket(this.env.url);
      } catch {
        return this.scheduleProbe();
      }
      this.probe = probe;
      const failed = () => {
        if (this.probe !== probe) return;
        this.dropProbe();
        this.scheduleProbe();
      };
      const giveUp = this.env.setTimeout(failed, OPEN_TIMEOUT_MS);
      probe.onopen = () => {
        this.env.clearTimeout(giveUp);
        if (this.probe !== probe) return;
        this.dropProbe();
        this.switchToSocket();
      };
      probe.onclose = () => {
        this.env.clearTimeout(giveUp);
        failed();
      };
      probe.onerror = () => undefined;
      probe.onmessage = () => undefined;
    }, delay);
  }

  private dropProbe(): void {
    const probe = this.probe;
    this.probe = null;
    this.env.clearTimeout(this.probeTimer);
    this.probeTimer = null;
    if (!probe) return;
    probe.onopen = probe.onmessage = probe.onclose = probe.onerror = null;
    try {
      probe.close(1000, 'probe');
    } catch {
      // already closed
    }
  }

  /** A WebSocket opened again: leave the HTTP stream and resume on a socket from the last sequence number. */
  private switchToSocket(): void {
    this.dropSocket(1000, 'back to WebSocket');
    this.env.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.ready = false;
    this.stopPing();
    this.socketFailures = 0;
    this.attempt = 0;
    this.update({ transport: 'websocket', pending: this.unsend() });
    this.connect();
  }

  private dropSocket(code: number, reason: string): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      // Browsers accept only 1000 and 3000–4999 from the page.
      socket.close(code === 1000 || (code >= 3000 && code <= 4999) ? code : 1000, reason);
    } catch {
      // already closed
    }
  }

  private scheduleReconnect(delay = backoffDelay(this.attempt, this.env.random)): void {
    if (this.stopped || this.current.fatal || this.reconnectTimer) return;
    this.attempt += 1;
    this.reconnectTimer = this.env.setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  /** Commands sent on a connection that died go out again on the next (with the same id). */
  private unsend(): PendingCommand[] {
    return this.current.pending.map((entry) => (entry.status === 'sent' ? { ...entry, status: 'queued' } : entry));
  }

  private startPing(): void {
    this.stopPing();
    // Over HTTP `send` goes nowhere: the server's heartbeat pongs prove the stream alive instead.
    this.pingTimer = this.env.setInterval(() => {
      const socket = this.socket;
      if (!socket || socket.readyState !== OPEN) return;
      socket.send(JSON.stringify({ type: 'ping', at: this.env.now() } satisfies ClientMessage));
      if (!this.pongTimer) this.pongTimer = this.env.setTimeout(() => this.connectionLost(), PONG_TIMEOUT_MS);
    }, PING_INTERVAL_MS);
  }

  private stopPing(): void {
    this.env.clearInterval(this.pingTimer);
    this.env.clearTimeout(this.pongTimer);
    this.pingTimer = null;
    this.pongTimer = null;
  }

  private clearTimers(): void {
    this.stopPing();
    for (const timer of [this.reconnectTimer, this.graceTimer, this.holdTimer, this.openTimer]) this.env.clearTimeout(timer);
    this.reconnectTimer = null;
    this.graceTimer = null;
    this.holdTimer = null;
    this.openTimer = null;
  }

  // ---- what the server says ----

  private receive(frame: string): void {
    let message: ServerMessage;
    try {
      const parsed = serverMessageSchema.safeParse(JSON.parse(frame));
      if (!parsed.success) return;
      message = parsed.data;
    } catch {
      return;
    }
    // Any frame proves the connection alive.
    this.env.clearTimeout(this.pongTimer);
    this.pongTimer = null;
    switch (message.type) {
      case 'welcome':
        this.attempt = 0;
        this.update({ you: message.you });
        return;
      case 'snapshot':
        this.setBoard(message.snapshot);
        this.becomeReady();
        return;
      case 'events':
        if (this.current.board) this.setBoard(applyEvents(this.current.board, message.events));
        this.becomeReady();
        return;
      case 'event': {
        if (!this.current.board) return;
        const before = this.current.board;
        const own = this.current.pending.some((entry) => entry.status === 'acked' && entry.ackSeq === message.event.seq);
        this.setBoard(applyEvent(before, message.event));
        const after = this.current.board;
        if (after !== before) for (const listener of this.eventListeners) listener(message.event, own, after);
        return;
      }
      case 'ack':
        this.acknowledged(message.commandId, message.seq);
        return;
      case 'reject':
        this.rejected(message.commandId, message.error);
        return;
      case 'error':
      case 'pong':
        return;
    }
  }

  private becomeReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.readyAt = this.env.now();
    this.accessChanged = false;
    this.env.clearTimeout(this.openTimer);
    this.openTimer = null;
    this.update({ status: 'online' });
    this.flush();
  }

  private setBoard(board: Snapshot): void {
    // Acknowledged commands are shown from the board once it has caught up with their ack.
    const pending = this.current.pending.filter((entry) => entry.status !== 'acked' || (entry.ackSeq ?? 0) > board.seq);
    this.update({ board, pending: pending.length === this.current.pending.length ? this.current.pending : pending });
  }

  private acknowledged(commandId: string, seq: number): void {
    const entry = this.current.pending.find((p) => p.commandId === commandId);
    if (!entry) return;
    this.removeFromStore(commandId);
    this.holdAttempt = 0;
    const caughtUp = (this.current.board?.seq ?? 0) >= seq;
    this.update({
      pending: caughtUp
        ? this.current.pending.filter((p) => p.commandId !== commandId)
        : this.current.pending.map((p) => (p.commandId === commandId ? { ...p, status: 'acked', ackSeq: seq } : p)),
    });
    if (!caughtUp) this.armGraceTimer();
    this.flush();
  }

  /** Some commands change nothing (their event never comes, or belongs to no group this device follows). */
  private armGraceTimer(): void {
    if (this.graceTimer) return;
    this.graceTimer = this.env.setTimeout(() => {
      this.graceTimer = null;
      const cutoff = this.env.now() - ACKED_GRACE_MS;
      const remaining = this.current.pending.filter((p) => p.status !== 'acked' || p.queuedAt > cutoff);
      if (remaining.length !== this.current.pending.length) this.update({ pending: remaining });
      if (remaining.some((p) => p.status === 'acked')) this.armGraceTimer();
    }, ACKED_GRACE_MS);
  }

  /**
   * [LIVE-18] A transient refusal keeps the command where it is, and the outbox waits as long as the
   * server said; a final one takes it out and shows it, its text kept to copy.
   */
  private rejected(commandId: string, error: WireError): void {
    const entry = this.current.pending.find((p) => p.commandId === commandId);
    if (isTransient(error)) {
      if (entry) this.retryLater(commandId, error.retryAfterSeconds);
      return;
    }
    if (error.code === 'unauthenticated' || error.code === 'csrf_failed') {
      // Not this command's fault but this page's: stop, and keep the outbox for when the person is back.
      this.dropSocket(1000, 'refused');
      this.dropProbe();
      this.update({ fatal: error.code === 'csrf_failed' ? 'reload' : this.accessChanged ? 'accessChanged' : 'unauthenticated', status: 'stopped', pending: this.unsend() });
      return;
    }
    this.removeFromStore(commandId);
    if (!entry) return;
    this.writeRefusals([...this.readRefusals().filter((r) => r.commandId !== commandId), { commandId, command: entry.command, error }].slice(-REFUSALS_KEPT));
    this.update({
      pending: this.current.pending.filter((p) => p.commandId !== commandId),
      rejections: [...this.current.rejections, { commandId, command: entry.command, error: toApiError(error) }],
    });
    this.flush();
  }

  /** Puts a command back at its place in the queue and holds the outbox for the wait (the server's, or a backoff). */
  private retryLater(commandId: string, retryAfterSeconds?: number): void {
    const wait = retryAfterSeconds !== undefined ? Math.max(1, retryAfterSeconds) * 1000 : backoffDelay(this.holdAttempt, this.env.random);
    this.holdAttempt += 1;
    const retryAt = this.env.now() + wait;
    this.env.clearTimeout(this.holdTimer);
    this.holdTimer = this.env.setTimeout(() => {
      this.holdTimer = null;
      this.update({ retryAt: null });
      this.flush();
    }, wait);
    this.update({ retryAt, pending: this.current.pending.map((p) => (p.commandId === commandId && p.status === 'sent' ? { ...p, status: 'queued' } : p)) });
  }

  // ---- sending, one at a time so the server applies them in the order they were made ----

  private flush(): void {
    const socket = this.socket;
    if (!socket || !this.ready || socket.readyState !== OPEN || this.holdTimer) return;
    if (this.current.pending.some((p) => p.status === 'sent')) return;
    const next = this.current.pending.find((p) => p.status === 'queued');
    if (!next) return;
    this.update({ pending: this.current.pending.map((p) => (p === next ? { ...p, status: 'sent' } : p)) });
    if (this.current.transport === 'websocket') {
      socket.send(JSON.stringify({ type: 'command', commandId: next.commandId, command: next.command } satisfies ClientMessage));
      return;
    }
    void this.env.postCommand(this.options.workshopId, next.commandId, next.command).then((outcome) => {
      if (outcome.kind === 'ack') this.acknowledged(next.commandId, outcome.seq);
      else if (outcome.kind === 'reject') this.rejected(next.commandId, outcome.error);
      else if (this.current.pending.some((p) => p.commandId === next.commandId)) this.retryLater(next.commandId, outcome.retryAfterSeconds);
    });
  }

  // ---- the stored outbox: read-modify-write, so two tabs of one device do not overwrite each other ----

  private readStore(): StoredCommand[] {
    return this.readList<StoredCommand>(this.key).filter((e) => typeof e?.commandId === 'string' && e.command);
  }

  private writeStore(entries: StoredCommand[]): void {
    this.writeList(this.key, entries);
  }

  private readRefusals(): StoredRefusal[] {
    return this.readList<StoredRefusal>(this.refusedStoreKey).filter((e) => typeof e?.commandId === 'string' && e.command && typeof e.error?.code === 'string');
  }

  private writeRefusals(entries: StoredRefusal[]): void {
    this.writeList(this.refusedStoreKey, entries);
  }

  private readList<T>(key: string | null): T[] {
    if (!key || !this.env.storage) return [];
    try {
      const value: unknown = JSON.parse(this.env.storage.getItem(key) ?? '[]');
      return Array.isArray(value) ? (value as T[]) : [];
    } catch {
      return [];
    }
  }

  private writeList(key: string | null, entries: unknown[]): void {
    if (!key || !this.env.storage) return;
    try {
      if (entries.length === 0) this.env.storage.removeItem(key);
      else this.env.storage.setItem(key, JSON.stringify(entries));
    } catch {
      // Storage full or blocked (private mode): the outbox still lives in memory.
    }
  }

  private addToStore(entry: PendingCommand): void {
    const stored = this.readStore().filter((e) => e.commandId !== entry.commandId);
    this.writeStore([...stored, { commandId: entry.commandId, command: entry.command, queuedAt: entry.queuedAt }]);
  }

  private removeFromStore(commandId: string): void {
    const stored = this.readStore();
    const rest = stored.filter((e) => e.commandId !== commandId);
    if (rest.length !== stored.length) this.writeStore(rest);
  }

  private update(patch: Partial<LiveClientState>): void {
    const next = { ...this.current, ...patch };
    const changed = (Object.keys(patch) as Array<keyof LiveClientState>).some((key) => this.current[key] !== next[key]);
    if (!changed) return;
    this.current = next;
    for (const listener of this.listeners) listener();
  }
}

/** A refusal as the API client would throw it, so `describeError` words it in the user's language. */
function toApiError(error: WireError): ApiError {
  return new ApiError(httpStatusOf(error.code), error.code, error.message, error.fields ?? [], undefined, error.retryAfterSeconds);
}
