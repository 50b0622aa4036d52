/**
 * The peer: `@y/websocket-server@0.1.1` (`setupWSConnection` from '@y/websocket-server/utils') with
 * yjs@13. One Y.Doc per URL path (= per room), kept in memory: no persistence, no leveldb
 * (YPERSISTENCE is removed from the environment before the utils module is loaded), no callback
 * URL. The server side of awareness is the library's; the bench clients never send awareness.
 *
 * The package's own bin (src/server.js) uses its nested ws@6; this server uses the project's ws@8
 * (the one @fastify/websocket uses) so relay, y-websocket and the product all run on the same ws.
 * Run by targets/yjs.ts: `node --import tsx bench/live/servers/yjsServer.ts`.
 */
import { createServer } from 'node:http';
import { WebSocketServer, wsVersion } from '../ws.js';
import { announceReady, guardChild, LOOPBACK } from './childGuard.js';

delete process.env.YPERSISTENCE;
delete process.env.CALLBACK_URL;
const { setupWSConnection, docs } = await import('@y/websocket-server/utils');

const http = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('y-websocket');
});
const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

wss.on('connection', (socket, req) => {
  // docName defaults to the URL path without the leading '/', e.g. 'room/r017'.
  setupWSConnection(socket, req, { gc: true });
});

http.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => {
    wss.emit('connection', ws, req);
  });
});

guardChild(
  () =>
    new Promise<void>((res) => {
      for (const socket of wss.clients) socket.terminate();
      for (const doc of docs.values()) doc.destroy();
      wss.close(() => http.close(() => res()));
    }),
);

http.listen(0, LOOPBACK, () => {
  const address = http.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  announceReady(address.port, { ws: wsVersion });
});
