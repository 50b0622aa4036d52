/**
 * Baseline 2 (the peer): @y/websocket-server@0.1.1 with yjs@13, LIGHT clients (BENCHMARKING.md trap 2).
 *
 * Writer: a local Y.Doc per device; each write pushes a JSON note string (carrying `wid:<id>`) onto
 * its Y.Array 'notes', and the resulting update is sent as the real y-websocket frame
 * [varUint messageSync=0][varUint messageYjsUpdate=2][varUint8Array update] (y-protocols/sync
 * `writeUpdate`) over a plain ws socket. The writer never applies what it receives, so its next
 * push only references its own previous item, which the server already has: every update
 * integrates on the server without pending structs.
 *
 * Receivers do not decode: they search the frame's bytes for `wid:` (the note string sits verbatim
 * in the update). The server's initial sync step 1 carries no writeId and is ignored.
 *
 * y-websocket uses ONE CONNECTION PER DOCUMENT: an observer of all rooms holds one socket per room
 * (trap 7), and the server echoes each update to its sender (counted separately as echo).
 * Awareness is off: clients never send awareness messages, so the server has no states to
 * broadcast (trap 4). No BroadcastChannel is involved: there are no providers (trap 3).
 */
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { spawnServer } from '../proc.js';
import { asBuffer, forEachWriteId, notePayload } from '../payload.js';
import type { ClientEvents, LiveTarget, ObserverClient, RunningServer, WriterClient } from '../types.js';
import { openSocket, sendOrReport, watchSocket } from './common.js';
import type { WsSocket } from '../ws.js';

const messageSync = 0;

export function createYjsTarget(): LiveTarget {
  let server: RunningServer | undefined;
  let allRooms: string[] = [];
  const base = (): string => {
    if (server === undefined) throw new Error('yjs: start() first');
    return server.url;
  };

  const listen = (socket: WsSocket, events: ClientEvents): void => {
    socket.on('message', (data) => {
      const at = performance.now();
      // Frames without a writeId (sync step 1 on connect) are protocol chatter, not errors.
      forEachWriteId(asBuffer(data), (id) => events.onDelivery(id, at));
    });
  };

  return {
    name: 'yjs',
    describe:
      '@y/websocket-server@0.1.1 + yjs@13 on ws@8, light clients (real sync-update frames, no providers), awareness off; ' +
      'one socket per document: each observer holds one socket per room; the server echoes updates to the sender',
    acknowledges: false,

    async start(plan) {
      allRooms = [...plan.rooms];
      server = await spawnServer({
        script: 'bench/live/servers/yjsServer.ts',
        label: 'yjs',
        env: { YPERSISTENCE: undefined, CALLBACK_URL: undefined },
      });
      return server;
    },

    async connectWriter(room: string, clientIndex: number, events: ClientEvents): Promise<WriterClient> {
      const socket = await openSocket(`${base()}/room/${room}`);
      listen(socket, events);
      const close = watchSocket(socket, events, `yjs ${room}/${clientIndex}`);
      const doc = new Y.Doc();
      const notes = doc.getArray<string>('notes');
      let lastUpdate: Uint8Array | null = null;
      doc.on('update', (update: Uint8Array) => {
        lastUpdate = update;
      });
      return {
        sockets: 1,
        send(writeId: number) {
          lastUpdate = null;
          notes.push([notePayload(writeId, room, clientIndex)]);
          const update = lastUpdate as Uint8Array | null;
          if (update === null) {
            events.onError('no-yjs-update');
            return;
          }
          const encoder = encoding.createEncoder();
          encoding.writeVarUint(encoder, messageSync);
          syncProtocol.writeUpdate(encoder, update);
          sendOrReport(socket, encoding.toUint8Array(encoder), events, true);
        },
        async close() {
          await close();
          doc.destroy();
        },
      };
    },

    async connectObserver(rooms: string[] | 'all', observerIndex: number, events: ClientEvents): Promise<ObserverClient> {
      const list = rooms === 'all' ? allRooms : rooms;
      const sockets = await Promise.all(list.map((room) => openSocket(`${base()}/room/${room}`)));
      const closers = sockets.map((socket, i) => {
        listen(socket, events);
        return watchSocket(socket, events, `yjs observer ${observerIndex} ${list[i] ?? ''}`);
      });
      return {
        sockets: sockets.length,
        async close() {
          await Promise.all(closers.map((c) => c()));
        },
      };
    },
  };
}
