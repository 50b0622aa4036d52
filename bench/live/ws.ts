/**
 * The `ws` package as the bench uses it (ws@8 with @types/ws): one place that names the types and
 * reports the version actually loaded (printed with the results).
 */
import { createRequire } from 'node:module';
import { WebSocket, WebSocketServer } from 'ws';

export { WebSocket, WebSocketServer };
export type WsSocket = WebSocket;

const require = createRequire(import.meta.url);
export const wsVersion: string = (require('ws/package.json') as { version: string }).version;
