import { applyEvents } from '../../contract/boardState.js';
import pino from 'pino';
import type { DatabaseHandle } from '../db/database.js';
import { InProcessBus } from '../live/bus.js';
import { LiveHub, type LiveSocket } from '../live/hub.js';
import { outgoing, type Outgoing } from '../live/outgoing.js';
import { openTestDatabase, type DatabaseKind } from './testApp.js';
import type { ServerMessage, Snapshot } from '../../contract/protocol.js';

/** An in-memory device: records what the server sends it and rebuilds its board as the web client does. */
export class MemorySocket implements LiveSocket {
  readonly received: ServerMessage[] = [];
  closedWith: { code: number; reason: string } | null = null;
  send(message: ServerMessage | Outgoing) {
    this.received.push(structuredClone(outgoing(message).message));
  }
  close(code: number, reason: string) {
    this.closedWith = { code, reason };
  }
  of<T extends ServerMessage['type']>(type: T) {
    return this.received.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }
  /** The board this device has rebuilt from its snapshots and events. */
  board(): Snapshot {
    let board: Snapshot | null = null;
    for (const message of this.received) {
      if (message.type === 'snapshot') board = message.snapshot;
      if (message.type === 'events' && board) board = applyEvents(board, message.events);
      if (message.type === 'event' && board) board = applyEvents(board, [message.event]);
    }
    if (!board) throw new Error('no snapshot received');
    return board;
  }
}

/** Waits until `check` holds, polling every 10 ms. */
export const until = async (check: () => boolean | Promise<boolean>, ms = 3000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** A fresh test database with a hub on an in-process bus, for tests of rooms with in-memory devices; `close` ends both. */
export async function openDatabaseWithHub(kind: DatabaseKind): Promise<{ database: DatabaseHandle; hub: LiveHub; close(): Promise<void> }> {
  const database = await openTestDatabase(kind);
  const hub = new LiveHub(database.db, new InProcessBus(), pino({ level: 'silent' }));
  return {
    database,
    hub,
    async close() {
      await hub.close();
      await database.close();
    },
  };
}
