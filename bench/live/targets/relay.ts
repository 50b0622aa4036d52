/**
 * Baseline 1 (the floor): a bare `ws` broadcast relay, no storage. JSON text frames of ~200 bytes;
 * the relay forwards each to the room's other sockets and to every `/all` observer (no echo).
 */
import { spawnServer } from '../proc.js';
import { asBuffer, forEachWriteId, notePayload } from '../payload.js';
import type { ClientEvents, LiveTarget, ObserverClient, RunningServer, WriterClient } from '../types.js';
import { openSocket, sendOrReport, watchSocket } from './common.js';

export function createRelayTarget(): LiveTarget {
  let server: RunningServer | undefined;
  const base = (): string => {
    if (server === undefined) throw new Error('relay: start() first');
    return server.url;
  };

  return {
    name: 'relay',
    describe: 'bare ws@8 broadcast relay, no storage; one socket per device, observers one /all socket each; no echo',
    acknowledges: false,

    async start() {
      server = await spawnServer({ script: 'bench/live/servers/relayServer.ts', label: 'relay' });
      return server;
    },

    async connectWriter(room: string, clientIndex: number, events: ClientEvents): Promise<WriterClient> {
      const socket = await openSocket(`${base()}/room/${room}`);
      socket.on('message', (data) => {
        const at = performance.now();
        if (forEachWriteId(asBuffer(data), (id) => events.onDelivery(id, at)) === 0) events.onError('frame-without-writeId');
      });
      const close = watchSocket(socket, events, `relay ${room}/${clientIndex}`);
      return {
        sockets: 1,
        send(writeId: number) {
          sendOrReport(socket, notePayload(writeId, room, clientIndex), events, false);
        },
        close,
      };
    },

    async connectObserver(rooms: string[] | 'all', observerIndex: number, events: ClientEvents): Promise<ObserverClient> {
      if (rooms !== 'all') throw new Error('relay: observers receive all rooms (/all) only');
      const socket = await openSocket(`${base()}/all`);
      socket.on('message', (data) => {
        const at = performance.now();
        if (forEachWriteId(asBuffer(data), (id) => events.onDelivery(id, at)) === 0) events.onError('frame-without-writeId');
      });
      return { sockets: 1, close: watchSocket(socket, events, `relay observer ${observerIndex}`) };
    },
  };
}
