/**
 * The floor: a bare `ws` broadcast relay with no storage, no parsing, no validation.
 *   /room/<id>  joins a room: its messages go to every other socket of the room and to every observer
 *   /all        an observer (plenary screen): receives every room, sends nothing
 * Run by targets/relay.ts as a child process: `node --import tsx bench/live/servers/relayServer.ts`.
 */
import { createServer } from 'node:http';
import { WebSocketServer, type WsSocket } from '../ws.js';
import { announceReady, guardChild, LOOPBACK } from './childGuard.js';

const OPEN = 1;
const rooms = new Map<string, Set<WsSocket>>();
const observers = new Set<WsSocket>();

const http = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('relay');
});
const wss = new WebSocketServer({ server: http, perMessageDeflate: false, maxPayload: 64 * 1024 });

wss.on('connection', (socket, req) => {
  const path = (req.url ?? '').split('?')[0] ?? '';
  if (path === '/all') {
    observers.add(socket);
    socket.on('close', () => observers.delete(socket));
    socket.on('error', () => observers.delete(socket));
    return;
  }
  const match = /^\/room\/([\w-]{1,64})$/.exec(path);
  if (match?.[1] === undefined) {
    socket.close(1008, 'unknown path');
    return;
  }
  const roomId = match[1];
  let room = rooms.get(roomId);
  if (room === undefined) {
    room = new Set();
    rooms.set(roomId, room);
  }
  const members = room;
  members.add(socket);
  socket.on('message', (data, isBinary) => {
    for (const peer of members) {
      if (peer !== socket && peer.readyState === OPEN) peer.send(data, { binary: isBinary });
    }
    for (const observer of observers) {
      if (observer.readyState === OPEN) observer.send(data, { binary: isBinary });
    }
  });
  const leave = (): void => {
    members.delete(socket);
  };
  socket.on('close', leave);
  socket.on('error', leave);
});

guardChild(
  () =>
    new Promise<void>((res) => {
      for (const socket of wss.clients) socket.terminate();
      wss.close(() => http.close(() => res()));
    }),
);

http.listen(0, LOOPBACK, () => {
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  announceReady(address.port);
});
