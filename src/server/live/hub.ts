import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.js';
import { eventFor, readSnapshot, type Audience } from './board.service.js';
import type { LiveBus } from './bus.js';
import * as q from './live.queries.js';
import type { LiveEvent, ServerMessage } from './protocol.js';

/** What the hub needs of a connection; tests use in-memory ones, the server wraps a WebSocket. */
export interface LiveSocket {
  send(message: ServerMessage): void;
  close(code: number, reason: string): void;
}

/** A device further behind than this gets a fresh snapshot instead of the events it missed. */
const MAX_RESUME_EVENTS = 1000;
/** How long a gap in the sequence may wait for the missing event before it is read from the database. */
const GAP_WAIT_MS = 150;
/** How long a room stays subscribed after its last device left, to absorb reconnect storms. */
const IDLE_ROOM_MS = 30_000;

interface Member {
  socket: LiveSocket;
  audience: Audience;
  seenSeq: number;
  /** Live events that arrived while this member was catching up from the database. */
  queue: LiveEvent[] | null;
}

/** One workshop's devices in this process; delivers events in sequence order, without gaps. */
class Room {
  readonly members = new Set<Member>();
  lastSeq = -1;
  starsHidden = false;
  revealedGroups = new Set<string>();
  unsubscribe: (() => Promise<void>) | null = null;
  idleTimer: NodeJS.Timeout | null = null;
  private readonly pending = new Map<number, LiveEvent>();
  private gapTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly workshopId: string,
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
  ) {}

  async load(): Promise<void> {
    const workshop = await this.db.selectFrom('workshops').select(['last_seq', 'stars_hidden']).where('id', '=', this.workshopId).executeTakeFirst();
    const revealed = await this.db.selectFrom('groups').select('id').where('workshop_id', '=', this.workshopId).where('stars_revealed', '=', true).execute();
    this.starsHidden = workshop?.stars_hidden ?? false;
    this.revealedGroups = new Set(revealed.map((g) => g.id));
    this.lastSeq = Number(workshop?.last_seq ?? 0);
    this.drain();
  }

  receive(events: LiveEvent[]): void {
    for (const event of events) if (event.seq > this.lastSeq) this.pending.set(event.seq, event);
    if (this.lastSeq >= 0) this.drain();
  }

  private drain(): void {
    for (const seq of [...this.pending.keys()]) if (seq <= this.lastSeq) this.pending.delete(seq);
    let next = this.pending.get(this.lastSeq + 1);
    while (next) {
      this.pending.delete(next.seq);
      this.lastSeq = next.seq;
      this.deliver(next);
      next = this.pending.get(this.lastSeq + 1);
    }
    if (this.pending.size > 0 && !this.gapTimer) this.gapTimer = setTimeout(() => void this.fillGap(), GAP_WAIT_MS);
  }

  /** Events can overtake each other between processes; a gap that persists is read from the log. */
  private async fillGap(): Promise<void> {
    this.gapTimer = null;
    try {
      const missing = await q.eventsSince(this.db, this.workshopId, this.lastSeq, null, MAX_RESUME_EVENTS);
      this.receive(missing);
    } catch (error) {
      this.log.error({ err: error, workshopId: this.workshopId }, 'could not fill a gap in the event sequence');
    }
  }

  private deliver(event: LiveEvent): void {
    if (event.type === 'group.starsRevealed' && event.groupId) {
      if (event.revealed) this.revealedGroups.add(event.groupId);
      else this.revealedGroups.delete(event.groupId);
    }
    for (const member of this.members) {
      if (member.queue) member.queue.push(event);
      else this.sendTo(member, event);
    }
  }

  sendTo(member: Member, event: LiveEvent): void {
    if (event.seq <= member.seenSeq) return;
    member.seenSeq = event.seq;
    if (!eventFor(member.audience, event, this.starsHidden, this.revealedGroups)) return;
    member.socket.send({ type: 'event', event });
    // Revealed stars: the participant now may see everyone's, so send the whole picture again.
    if (event.type === 'group.starsRevealed' && this.starsHidden && member.audience.viewer.kind !== 'user') {
      // Hold back later events until the snapshot is sent: one that overtook it would be lost on the device.
      member.queue ??= [];
      void this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((tx) => readSnapshot(tx, member.audience))
        .then(
          (snapshot) => {
            member.socket.send({ type: 'snapshot', snapshot });
            member.seenSeq = Math.max(member.seenSeq, snapshot.seq);
          },
          (error: unknown) => this.log.error({ err: error }, 'snapshot after reveal failed'),
        )
        .finally(() => {
          const queued = member.queue ?? [];
          member.queue = null;
          for (const later of queued) this.sendTo(member, later);
        });
    }
  }

  stop(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
  }
}

/** Keeps this process's rooms, joins devices to them and feeds them from the bus. */
export class LiveHub {
  private readonly rooms = new Map<string, Promise<Room>>();

  constructor(
    private readonly db: Db,
    private readonly bus: LiveBus,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Publishes committed events to every process (this one included, through the bus). */
  publish(workshopId: string, events: LiveEvent[]): Promise<void> {
    return events.length > 0 ? this.bus.publish(workshopId, events) : Promise.resolve();
  }

  /**
   * Adds a device: it gets exactly what it missed since `lastSeq` (or a snapshot), then every
   * later event once, in order. Returns the function that removes it.
   */
  async join(socket: LiveSocket, audience: Audience, lastSeq: number | null): Promise<() => void> {
    const room = await this.room(audience.workshopId);
    if (room.idleTimer) clearTimeout(room.idleTimer);
    room.idleTimer = null;
    const member: Member = { socket, audience, seenSeq: -1, queue: [] };
    room.members.add(member);
    try {
      member.seenSeq = await this.catchUp(member, lastSeq);
    } catch (error) {
      room.members.delete(member);
      throw error;
    }
    const queued = member.queue ?? [];
    member.queue = null;
    for (const event of queued) room.sendTo(member, event);
    return () => this.leave(room, member);
  }

  private async catchUp(member: Member, lastSeq: number | null): Promise<number> {
    // One consistent read: the state (or the missed events) and the sequence number it belongs to.
    return this.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (tx) => {
        const current = await q.currentSeq(tx, member.audience.workshopId);
        const resumable = lastSeq !== null && lastSeq <= current && current - lastSeq <= MAX_RESUME_EVENTS;
        if (!resumable) {
          const snapshot = await readSnapshot(tx, member.audience);
          member.socket.send({ type: 'snapshot', snapshot });
          return snapshot.seq;
        }
        const room = await this.room(member.audience.workshopId);
        const missed = (await q.eventsSince(tx, member.audience.workshopId, lastSeq, member.audience.groupIds, MAX_RESUME_EVENTS)).filter(
          (event) => event.seq <= current && eventFor(member.audience, event, room.starsHidden, room.revealedGroups),
        );
        member.socket.send({ type: 'events', events: missed });
        return current;
      });
  }

  private leave(room: Room, member: Member): void {
    room.members.delete(member);
    if (room.members.size > 0 || room.idleTimer) return;
    room.idleTimer = setTimeout(() => {
      if (room.members.size > 0) return;
      this.rooms.delete(room.workshopId);
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
    const room = new Room(workshopId, this.db, this.log);
    // Subscribe before reading the sequence number, so no event falls between the two.
    room.unsubscribe = await this.bus.subscribe(workshopId, (events) => room.receive(events));
    await room.load();
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
  }
}
