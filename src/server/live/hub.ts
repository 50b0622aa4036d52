import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.js';
import { catchUp, eventFor, MAX_RESUME_EVENTS, needsSnapshot, readSnapshot, readVisibility, reauthorise, type Access, type Audience } from './board.service.js';
import type { LiveBus } from './bus.js';
import type { AppendedHandler } from './logListener.js';
import * as q from './live.queries.js';
import { EventFrame, type Outgoing } from './outgoing.js';
import { CLOSE_CODES, type LiveEvent, type ServerMessage } from '../../contract/protocol.js';

/** What the hub needs of a connection; tests use in-memory ones, the server wraps a WebSocket. */
export interface LiveSocket {
  /**
   * Sends one message: a plain one, or one already encoded for every device that gets it
   * ([LIVE-24]), whose bytes are sent as they are.
   */
  send(message: ServerMessage | Outgoing): void;
  close(code: number, reason: string): void;
}

/** How long a gap in the sequence may wait for the missing event before it is read from the database. */
const GAP_WAIT_MS = 150;
/** How long a room stays subscribed after its last device left, to absorb reconnect storms. */
const IDLE_ROOM_MS = 30_000;

interface Member {
  socket: LiveSocket;
  access: Access;
  audience: Audience;
  seenSeq: number;
  /** Live events that arrived while this member was catching up from the database. */
  queue: EventFrame[] | null;
}

/** One workshop's devices in this process; delivers events in sequence order, without gaps. */
class Room {
  readonly members = new Set<Member>();
  lastSeq = -1;
  visibility: { starsHidden: boolean; revealedGroups: Set<string> } = { starsHidden: false, revealedGroups: new Set() };
  /** Settles once `visibility` reflects the latest board change delivered; re-reads run one after another. */
  private visibilityRead: Promise<void> = Promise.resolve();
  unsubscribe: (() => Promise<void>) | null = null;
  idleTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<number, LiveEvent>();
  private gapTimer: NodeJS.Timeout | null = null;
  /** The highest sequence number another process told of ([LIVE-22]); read from the log unless the bus brings it. */
  private toldSeq = 0;

  constructor(
    readonly workshopId: string,
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    /** Removes a member the way its own connection would (the room may then idle). */
    private readonly remove: (member: Member) => void,
    /** Hears each event as it is delivered (the fan-out lag metric). */
    private readonly delivered?: (event: LiveEvent) => void,
  ) {}

  async load(): Promise<void> {
    const [seq, visibility] = await Promise.all([q.currentSeq(this.db, this.workshopId), readVisibility(this.db, this.workshopId)]);
    this.visibility = { starsHidden: visibility.starsHidden, revealedGroups: new Set(visibility.revealedGroups) };
    this.lastSeq = seq;
    this.drain();
  }

  receive(events: LiveEvent[]): void {
    for (const event of events) if (event.seq > this.lastSeq) this.pending.set(event.seq, event);
    if (this.lastSeq >= 0) this.drain();
  }

  private drain(): void {
    if (this.pending.size > 0) for (const seq of [...this.pending.keys()]) if (seq <= this.lastSeq) this.pending.delete(seq);
    let next = this.pending.get(this.lastSeq + 1);
    while (next) {
      this.pending.delete(next.seq);
      this.lastSeq = next.seq;
      this.deliver(next);
      next = this.pending.get(this.lastSeq + 1);
    }
    const behind = this.pending.size > 0 || this.toldSeq > this.lastSeq;
    if (behind && !this.gapTimer) this.gapTimer = setTimeout(() => void this.fillGap(), GAP_WAIT_MS);
  }

  /**
   * [LIVE-22] The log reached `seq` (told by PostgreSQL on commit, whoever wrote it). Usually the bus
   * brings the events first and this is nothing; otherwise they are read from the log after the
   * same wait as a gap, once for all notices that arrive meanwhile.
   */
  told(seq: number): void {
    this.toldSeq = Math.max(this.toldSeq, seq);
    if (this.lastSeq >= 0) this.drain();
  }

  /** Events can overtake each other between processes; a gap that persists is read from the log. */
  private async fillGap(): Promise<void> {
    this.gapTimer = null;
    // The bus may have closed the gap during the wait: then there is nothing to read.
    if (this.lastSeq < 0 || (this.pending.size === 0 && this.toldSeq <= this.lastSeq)) return;
    try {
      const missing = await q.eventsSince(this.db, this.workshopId, this.lastSeq, null, MAX_RESUME_EVENTS);
      this.receive(missing);
    } catch (error) {
      this.log.error({ err: error, workshopId: this.workshopId }, 'could not fill a gap in the event sequence');
    }
  }

  private deliver(event: LiveEvent): void {
    this.delivered?.(event);
    if (event.type === 'group.starsRevealed' && event.groupId) {
      if (event.revealed) this.visibility.revealedGroups.add(event.groupId);
      else this.visibility.revealedGroups.delete(event.groupId);
    }
    // Revealed groups follow their events; whether stars are hidden at all is a setting, read again.
    if (event.type === 'board.changed') {
      this.visibilityRead = this.visibilityRead.then(async () => {
        this.visibility.starsHidden = await q.readStarsHidden(this.db, this.workshopId);
      });
      this.visibilityRead.catch((error: unknown) => this.log.error({ err: error }, 'could not read the star setting again'));
    }
    // [LIVE-24] One message for every device, encoded once by the first socket that sends it.
    // Every device of the workshop is asked: `eventFor` alone decides, its group test first.
    const frame = new EventFrame(event);
    for (const member of this.members) {
      if (member.queue) member.queue.push(frame);
      else this.sendTo(member, frame);
    }
  }

  sendTo(member: Member, frame: EventFrame): void {
    const { event } = frame;
    if (event.seq <= member.seenSeq) return;
    member.seenSeq = event.seq;
    if (!eventFor(member.audience, event, this.visibility)) return;
    member.socket.send(frame);
    if (needsSnapshot(member.audience, event, this.visibility)) this.refresh(member);
  }

  /**
   * Sends the member the whole board again, after a change its events cannot carry ([LIVE-14]).
   * Whether it may still follow is asked in the same transaction ([LIVE-15]): the snapshot may
   * already hold a later roster change, whose own event it then skips.
   */
  private refresh(member: Member): void {
    // Hold back later events until the snapshot is sent: one that overtook it would be lost on the device.
    member.queue ??= [];
    void (async () => {
      try {
        await this.visibilityRead.catch(() => undefined);
        const snapshot = await this.db
          .transaction()
          .setIsolationLevel('repeatable read')
          .execute(async (tx) => ((await reauthorise(tx, member.access, member.audience)) ? readSnapshot(tx, member.audience) : null));
        if (!snapshot) return this.expel(member);
        member.socket.send({ type: 'snapshot', snapshot });
        member.seenSeq = Math.max(member.seenSeq, snapshot.seq);
      } catch (error) {
        // The device must not stay on a board it cannot repair: it reconnects and resumes from before the change.
        this.log.error({ err: error }, 'snapshot after a board change failed');
        this.remove(member);
        member.socket.close(1011, 'server error; reconnect');
      } finally {
        this.flush(member);
      }
    })();
  }

  /** Sends what waited behind a catch-up or refresh; stops where another refresh starts holding back. */
  flush(member: Member): void {
    const queued = member.queue ?? [];
    member.queue = null;
    if (!this.members.has(member)) return;
    for (const [index, frame] of queued.entries()) {
      if (member.queue) {
        (member.queue as EventFrame[]).push(...queued.slice(index));
        return;
      }
      this.sendTo(member, frame);
    }
  }

  expel(member: Member): void {
    if (!this.members.has(member)) return;
    this.remove(member);
    member.socket.close(CLOSE_CODES.accessChanged, 'access changed; reconnect');
  }

  stop(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
  }
}

/** Keeps this process's rooms, joins devices to them and feeds them from the bus. */
export class LiveHub implements AppendedHandler {
  private readonly rooms = new Map<string, Promise<Room>>();
  /** The rooms whose opening finished, for notices from the database ([LIVE-22]). */
  private readonly openRooms = new Map<string, Room>();

  constructor(
    private readonly db: Db,
    private readonly bus: LiveBus,
    private readonly log: FastifyBaseLogger,
    private readonly delivered?: (event: LiveEvent) => void,
  ) {}

  /** Publishes committed events to every process (this one included, through the bus). */
  publish(workshopId: string, events: LiveEvent[]): Promise<void> {
    return events.length > 0 ? this.bus.publish(workshopId, events) : Promise.resolve();
  }

  /** [LIVE-22] A workshop's log reached `seq`; a room here that did not get those events reads them. */
  appended(workshopId: string, seq: number): void {
    this.openRooms.get(workshopId)?.told(seq);
  }

  /** [LIVE-22] Notices may have been lost (the listening connection dropped): every room checks the log. */
  missedSome(): void {
    for (const room of this.openRooms.values()) {
      q.currentSeq(this.db, room.workshopId).then(
        (seq) => room.told(seq),
        (error: unknown) => this.log.error({ err: error, workshopId: room.workshopId }, 'could not read the sequence after listening again'),
      );
    }
  }

  /**
   * Adds a device: it gets exactly what it missed since `lastSeq` (or a snapshot), then every
   * later event once, in order. Returns the function that removes it.
   */
  async join(socket: LiveSocket, access: Access, audience: Audience, lastSeq: number | null): Promise<() => void> {
    const room = await this.room(audience.workshopId);
    if (room.idleTimer) clearTimeout(room.idleTimer);
    room.idleTimer = null;
    const member: Member = { socket, access, audience, seenSeq: -1, queue: [] };
    room.members.add(member);
    try {
      // One consistent read: the state (or the missed events) and the sequence number it belongs to.
      // Asked again with the read: a roster change that slipped in since the caller asked is then not skipped.
      const answer = await this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute(async (tx) => ((await reauthorise(tx, access, audience)) ? catchUp(tx, audience, lastSeq) : null));
      if (!answer) {
        room.expel(member);
        return () => undefined;
      }
      if (answer.type === 'snapshot') socket.send({ type: 'snapshot', snapshot: answer.snapshot });
      else socket.send({ type: 'events', events: answer.events });
      member.seenSeq = answer.type === 'snapshot' ? answer.snapshot.seq : answer.seq;
    } catch (error) {
      room.members.delete(member);
      throw error;
    }
    room.flush(member);
    return () => this.leave(room, member);
  }

  private leave(room: Room, member: Member): void {
    room.members.delete(member);
    if (room.members.size > 0 || room.idleTimer) return;
    room.idleTimer = setTimeout(() => {
      if (room.members.size > 0) return;
      this.rooms.delete(room.workshopId);
      this.openRooms.delete(room.workshopId);
      room.stop();
      void room.unsubscribe?.();
    }, IDLE_ROOM_MS);
    room.idleTimer.unref();
  }

  private room(workshopId: string): Promise<Room> {
    let room = this.rooms.get(workshopId);
    if (!room) {
      room = this.openRoom(workshopId);
      this.rooms.set(workshopId, room);
      room.catch(() => this.rooms.delete(workshopId));
    }
    return room;
  }

  private async openRoom(workshopId: string): Promise<Room> {
    const room = new Room(workshopId, this.db, this.log, (member) => this.leave(room, member), this.delivered);
    // Subscribe before reading the sequence number, so no event falls between the two.
    room.unsubscribe = await this.bus.subscribe(workshopId, (events) => room.receive(events));
    await room.load();
    this.openRooms.set(workshopId, room);
    return room;
  }

  /** Tells every device to reconnect (they resume from their last sequence number) and stops. */
  async close(): Promise<void> {
    for (const pending of this.rooms.values()) {
      const room = await pending.catch(() => null);
      if (!room) continue;
      for (const member of room.members) member.socket.close(1001, 'server shutting down');
      room.stop();
      await room.unsubscribe?.();
    }
    this.rooms.clear();
    this.openRooms.clear();
  }
}
