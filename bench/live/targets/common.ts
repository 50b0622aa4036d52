/** Helpers shared by the bench targets: opening a `ws` client socket with a timeout and wiring its errors. */
import { WebSocket, type WsSocket } from '../ws.js';
import type { ClientEvents } from '../types.js';

export const CONNECT_TIMEOUT_MS = 15000;

/** Opens a client socket on loopback (with e.g. a cookie header); resolves on 'open', rejects on error/timeout. */
export function openSocket(url: string, headers: Record<string, string> = {}): Promise<WsSocket> {
  const parsed = new URL(url);
  if (parsed.hostname !== '127.0.0.1') return Promise.reject(new Error(`refusing non-loopback URL ${url}`));
  return new Promise<WsSocket>((res, rej) => {
    // No compression: the servers would refuse it anyway; say so explicitly.
    const socket = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: CONNECT_TIMEOUT_MS, headers });
    const timer = setTimeout(() => {
      socket.terminate();
      rej(new Error(`connect timeout ${url}`));
    }, CONNECT_TIMEOUT_MS);
    socket.once('open', () => {
      clearTimeout(timer);
      res(socket);
    });
    socket.once('error', (err) => {
      clearTimeout(timer);
      rej(err);
    });
  });
}

/** After open: report errors and closes we did not ask for. Returns a function that closes on purpose. */
export function watchSocket(socket: WsSocket, events: ClientEvents, label: string): () => Promise<void> {
  let closing = false;
  socket.on('error', (err) => events.onError('socket-error', `${label}: ${err.message}`));
  const closed = new Promise<void>((res) => {
    socket.on('close', (code) => {
      if (!closing) events.onError('unexpected-close', `${label}: code ${code}`);
      res();
    });
  });
  return async () => {
    if (socket.readyState === WebSocket.CLOSED) return;
    closing = true;
    socket.close(1000);
    const timer = setTimeout(() => socket.terminate(), 2000);
    await closed;
    clearTimeout(timer);
  };
}

/** Sends, counting a socket that is not open or a failed write as an error. */
export function sendOrReport(socket: WsSocket, data: string | Uint8Array, events: ClientEvents, binary: boolean): void {
  if (socket.readyState !== WebSocket.OPEN) {
    events.onError('send-on-closed-socket');
    return;
  }
  socket.send(data, { binary }, (err) => {
    if (err) events.onError('send-failed', err.message);
  });
}
