/**
 * The contract between the load generator and a server under test.
 *
 * A target is a small adapter: it starts its server in a CHILD process (so the generator can read
 * the server's CPU and RSS from /proc/<pid>) and knows how to open the two kinds of client.
 * The generator owns all bookkeeping (which write was sent when, who should receive it); a client
 * only has to put the writeId into what it sends and report every writeId it finds in what it
 * receives, with `performance.now()` of arrival read as early as possible in its frame handler.
 */

/** What the generator is about to ask for; targets that need seeding (workshops, groups, tokens) do it in start(). */
export interface LivePlan {
  /** Room names, e.g. 'r000'..'r099' — one poster of one group each. */
  rooms: string[];
  /** Writer clients per room. */
  perRoom: number;
  /** Plenary screens that receive every room. */
  observers: number;
}

export interface RunningServer {
  /** Base URL, loopback only (the generator refuses anything but 127.0.0.1). */
  url: string;
  /** pid of the child process actually serving (not of an npx/tsx wrapper), for /proc sampling. */
  pid?: number;
  stop(): Promise<void>;
  /** Settles if the child dies by itself; the generator counts that as an error. */
  exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Callbacks the generator hands to each client; each client gets its own object. */
export interface ClientEvents {
  /** One call per write found in a received frame. `arrivedAt` = performance.now() on arrival. */
  onDelivery(writeId: number, arrivedAt: number): void;
  /** The server acknowledged (durably committed) a write this client sent. Optional: see LiveTarget.acknowledges. */
  onAck(writeId: number, ackedAt: number): void;
  /** Anything that went wrong: socket error, unexpected close, rejected write, unparsable frame. */
  onError(kind: string, detail?: string): void;
}

export interface LiveClient {
  /** Number of sockets this client holds (y-websocket observers hold one per room). */
  readonly sockets: number;
  close(): Promise<void>;
}

export interface WriterClient extends LiveClient {
  /**
   * Send one write (~200 bytes) whose payload carries `writeId` (see payload.ts: `notePayload`).
   * `sentAt` is performance.now() read by the generator just before this call.
   */
  send(writeId: number, sentAt: number): void;
}

export type ObserverClient = LiveClient;

export interface LiveTarget {
  /** Short name used in flags, table rows and JSON keys (relay, yjs, innspill). */
  readonly name: string;
  /** One line for the report: what the server is and how clients talk to it. */
  readonly describe: string;
  /** True if the server acknowledges each write to its sender after commit (ack latency is then measured). */
  readonly acknowledges: boolean;
  /** Start the server (child process) and seed what the plan needs. Called once per session. */
  start(plan: LivePlan): Promise<RunningServer>;
  /** A device in one room: sends writes there and receives that room's writes. Resolve once subscribed. */
  connectWriter(room: string, clientIndex: number, events: ClientEvents): Promise<WriterClient>;
  /** A plenary screen: receives the given rooms, or every room. Resolve once subscribed. */
  connectObserver(rooms: string[] | 'all', observerIndex: number, events: ClientEvents): Promise<ObserverClient>;
  /**
   * Cumulative counters of the server's database, read at the start and the end of each measured
   * window (targets with a database only): CPU seconds of its database processes (null when the
   * database runs inside the server process, as PGlite does), statements and committed
   * transactions the server sent.
   */
  counters?(): Promise<TargetCounters>;
}

export interface TargetCounters {
  dbCpuSeconds: number | null;
  statements: number | null;
  transactions: number | null;
}

/** targets/index.ts maps flag names to factories; a factory makes a fresh adapter per session. */
export type LiveTargetFactory = () => LiveTarget;
