/**
 * One device's live connection to a workshop: a WebSocket to `/api/live` that follows the protocol
 * in `src/server/live/protocol.ts`, rebuilds the board with the server's own `applyEvent`, and keeps
 * an outbox of commands the server has not acknowledged yet. The outbox lives in localStorage, so a
 * lapp written on a dropped connection survives a reload and is sent again with its original
 * command id (the server stores each command once). No React here; `useLiveBoard` wraps it.
 */
import { httpStatusOf, type ErrorCode } from '../../domain/errors.js';
import { applyEvent, applyEvents } from '../../server/live/boardState.js';
import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  serverMessageSchema,
  type ClientMessage,
  type Command,
  type LiveEvent,
  type ServerMessage,
  type Snapshot,
  type Subscription,
} from '../../server/live/protocol.js';
import { ApiError } from '../api/client.js';

export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'stopped';
export type You = Extract<ServerMessage, { type: 'welcome' }>['you'];

/** Why the client stopped for good: the page must be reloaded, or the user cannot follow this workshop. */
export type FatalReason = 'reload' | 'unauthenticated' | 'forbidden' | 'notFound';

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
  /** Refused commands, newest last, until the UI dismisses them. */
  rejections: readonly Rejection[];
}

/** The bits of the browser the client uses; tests hand in fakes. */
export interface LiveClientEnvironment {
  createSocket(url: string): WebSocketLike;
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
/** An acknowledged command whose event never comes (it changed nothing) stops showing as pending after this. */
const ACKED_GRACE_MS = 5_000;
const OPEN = 1;

export const outboxKey = (workshopId: string, deviceKey: string) => `innspill.outbox.v1.${workshopId}.${deviceKey}`;

interface StoredCommand {
  commandId: string;
  command: Command;
  queuedAt: number;
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
  private socket: WebSocketLike | null = null;
  private attempt = 0;
  private reconnectTimer: unknown = null;
  private pingTimer: unknown = null;
  private pongTimer: unknown = null;
  private graceTimer: unknown = null;
  /** The connection said welcome and delivered its snapshot or missed events: commands may go. */
  private ready = false;
  private stopped = false;
  private current: LiveClientState;
  private readonly listeners = new Set<Listener>();
  private readonly eventListeners = new Set<EventListener>();

  constructor(private readonly options: LiveClientOptions) {
    this.env = { ...browserEnvironment(), ...options.environment };
    this.key = options.deviceKey ? outboxKey(options.workshopId, options.deviceKey) : null;
    const stored = this.readStore().map((entry): PendingCommand => ({ ...entry, status: 'queued' }));
    this.current = { board: null, you: null, status: 'connecting', fatal: null, pending: stored, rejections: [] };
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
    let socket: WebSocketLike;
    try {
      socket = this.env.createSocket(this.env.url);
    } catch {
      this.connectionLost();
      return;
    }
    this.socket = socket;
    this.ready = false;
    socket.onopen = () => {
      if (socket !== this.socket) return;
      const connect: ClientMessage = {
        type: 'connect',
        protocolVersion: PROTOCOL_VERSION,
        workshopId: this.options.workshopId,
        subscription: this.options.subscription,
        lastSeq: this.current.board?.seq ?? null,
        ...(this.options.viewerToken ? { viewerToken: this.options.viewerToken } : {}),
      };
      socket.send(JSON.stringify(connect));
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

  private closed(code: number): void {
    this.socket = null;
    this.ready = false;
    this.stopPing();
    const fatal: FatalReason | null =
      code === CLOSE_CODES.protocolVersion
        ? 'reload'
        : code === CLOSE_CODES.unauthenticated
          ? 'unauthenticated'
          : code === CLOSE_CODES.forbidden
            ? 'forbidden'
            : code === CLOSE_CODES.notFound
              ? 'notFound'
              : null;
    if (fatal) {
      this.update({ fatal, status: 'stopped', pending: this.unsend() });
      return;
    }
    this.update({ status: this.stopped ? 'stopped' : 'offline', pending: this.unsend() });
    this.scheduleReconnect();
  }

  /** A dead connection (no pong, or the browser went offline): drop it and try again. */
  private connectionLost(): void {
    this.dropSocket(4999, 'connection lost');
    this.ready = false;
    this.stopPing();
    this.update({ status: 'offline', pending: this.unsend() });
    this.scheduleReconnect();
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

  private scheduleReconnect(): void {
    if (this.stopped || this.current.fatal || this.reconnectTimer) return;
    const delay = backoffDelay(this.attempt, this.env.random);
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
    this.env.clearTimeout(this.reconnectTimer);
    this.env.clearTimeout(this.graceTimer);
    this.reconnectTimer = null;
    this.graceTimer = null;
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

  private rejected(commandId: string, error: { code: ErrorCode; message: string; fields?: Array<{ path: string; message: string }>; retryAfterSeconds?: number }): void {
    const entry = this.current.pending.find((p) => p.commandId === commandId);
    this.removeFromStore(commandId);
    if (!entry) return;
    const apiError = new ApiError(httpStatusOf(error.code), error.code, error.message, error.fields ?? [], undefined, error.retryAfterSeconds);
    this.update({
      pending: this.current.pending.filter((p) => p.commandId !== commandId),
      rejections: [...this.current.rejections, { commandId, command: entry.command, error: apiError }],
    });
    this.flush();
  }

  // ---- sending, one at a time so the server applies them in the order they were made ----

  private flush(): void {
    const socket = this.socket;
    if (!socket || !this.ready || socket.readyState !== OPEN) return;
    if (this.current.pending.some((p) => p.status === 'sent')) return;
    const next = this.current.pending.find((p) => p.status === 'queued');
    if (!next) return;
    socket.send(JSON.stringify({ type: 'command', commandId: next.commandId, command: next.command } satisfies ClientMessage));
    this.update({ pending: this.current.pending.map((p) => (p === next ? { ...p, status: 'sent' } : p)) });
  }

  // ---- the stored outbox: read-modify-write, so two tabs of one device do not overwrite each other ----

  private readStore(): StoredCommand[] {
    if (!this.key || !this.env.storage) return [];
    try {
      const value: unknown = JSON.parse(this.env.storage.getItem(this.key) ?? '[]');
      return Array.isArray(value) ? (value as StoredCommand[]).filter((e) => typeof e?.commandId === 'string' && e.command) : [];
    } catch {
      return [];
    }
  }

  private writeStore(entries: StoredCommand[]): void {
    if (!this.key || !this.env.storage) return;
    try {
      if (entries.length === 0) this.env.storage.removeItem(this.key);
      else this.env.storage.setItem(this.key, JSON.stringify(entries));
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
