import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import '@fastify/websocket';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import type { Actor } from '../../domain/actors.js';
import type { AppContext } from '../context.js';
import { audienceFor, eventsForAudience, readSnapshot } from './board.service.js';
import { executeCommand } from './commands.service.js';
import { LiveConnection, type LiveServices } from './connection.js';
import type { LiveSocket } from './hub.js';
import { outgoing, type Outgoing } from './outgoing.js';
import { WriteBatch } from './writeBatch.js';
import { DomainError, fail } from '../../domain/errors.js';
import {
  CLOSE_CODES,
  PROTOCOL_VERSION,
  STREAM_HEARTBEAT_MS,
  commandAckSchema,
  commandRequestSchema,
  eventSchema,
  lastEventIdSchema,
  scopeQuerySchema,
  snapshotSchema,
  streamQuerySchema,
  type ServerMessage,
} from '../../contract/protocol.js';

/** A device that cannot keep up (megabytes unsent) is dropped; it resumes from its sequence number. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

const tags = ['live'];
const workshopParams = z.object({ workshopId: z.uuid() });

export function liveRoutes(context: AppContext, services: LiveServices) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    const writes = new WriteBatch();

    r.get('/api/live', { websocket: true, schema: { hide: true } }, (socket: WebSocket, request) => {
      if (!sameOrigin(request.headers.origin, request.headers.host)) {
        socket.close(CLOSE_CODES.forbidden, 'cross-site connection refused');
        return;
      }
      const release = admitSocket(services, request.actor, request.ip);
      if (!release) {
        socket.close(CLOSE_CODES.tooManySockets, 'too many open connections; retry later');
        return;
      }
      socket.once('close', release);
      services.metrics?.liveSockets.inc({ transport: 'websocket' });
      socket.once('close', () => services.metrics?.liveSockets.dec({ transport: 'websocket' }));
      // The upgraded request's socket is the stream the WebSocket writes its frames to.
      const connection = new LiveConnection(services, wrap(socket, request.raw.socket, writes), request.actor);
      socket.on('message', (data, isBinary) => {
        if (isBinary) return void connection.receive('');
        connection.receive(data.toString()).catch((error: unknown) => {
          request.log.error({ err: error }, 'live frame failed');
          socket.close(1011, 'server error');
        });
      });
      socket.on('close', () => connection.disconnected());
      socket.on('error', () => connection.disconnected());
    });

    // The same conversation as /api/live for networks that block WebSockets: events as server-sent
    // events, commands over POST .../commands. It joins the hub like a socket, so the audience,
    // snapshots, resume and close codes are the socket's own ([LIVE-19]).
    const streams = new Set<LiveSocket>();
    app.addHook('preClose', async () => {
      for (const stream of streams) stream.close(CLOSE_CODES.goingAway, 'server shutting down');
    });
    r.get(
      '/api/workshops/:workshopId/stream',
      {
        schema: {
          tags,
          summary: 'Follow a workshop live as server-sent events (where WebSockets are blocked)',
          description:
            'Each `message` event carries one live server message as JSON (welcome, snapshot or events, then event, and a pong every few seconds); `id` is its sequence number, so `Last-Event-ID` resumes. The stream ends with a `close` event `{ code, reason }` using the WebSocket close codes.',
          params: workshopParams,
          querystring: streamQuerySchema,
          produces: ['text/event-stream'],
        },
      },
      async (request, reply) => {
        if (!sameOrigin(request.headers.origin, request.headers.host)) throw fail.forbidden('Cross-site stream refused');
        const { groupId, lastSeq, viewerToken } = request.query;
        const lastEventId = lastEventIdSchema.safeParse(request.headers['last-event-id']);
        reply.hijack();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          // Proxies must pass each event on at once.
          'x-accel-buffering': 'no',
        });
        const stream = eventStream(reply.raw);
        streams.add(stream);
        services.metrics?.liveSockets.inc({ transport: 'sse' });
        const connection = new LiveConnection(services, stream, request.actor);
        const heartbeat = setInterval(() => stream.send({ type: 'pong' }), STREAM_HEARTBEAT_MS);
        reply.raw.on('close', () => {
          clearInterval(heartbeat);
          streams.delete(stream);
          services.metrics?.liveSockets.dec({ transport: 'sse' });
          connection.disconnected();
        });
        try {
          await connection.connect({
            type: 'connect',
            protocolVersion: PROTOCOL_VERSION,
            workshopId: request.params.workshopId,
            subscription: groupId ? { scope: 'group', groupId } : { scope: 'workshop' },
            lastSeq: lastEventId.success ? lastEventId.data : (lastSeq ?? null),
            ...(viewerToken ? { viewerToken } : {}),
          });
        } catch (error) {
          request.log.error({ err: error }, 'live stream failed');
          stream.close(1011, 'server error; reconnect');
        }
      },
    );

    // The same write path over HTTP, for simple clients, scripts and devices on the event stream.
    r.post(
      '/api/workshops/:workshopId/commands',
      // A command is at most a lapp of NOTE_TEXT_MAX characters, each up to six bytes escaped.
      { bodyLimit: 32 * 1024, schema: { tags, params: workshopParams, body: commandRequestSchema, response: { 200: commandAckSchema } } },
      async (request) => {
        const { workshopId } = request.params;
        const { commandId, command } = request.body;
        const { drain, metrics } = services;
        const started = performance.now();
        const seconds = () => (performance.now() - started) / 1000;
        try {
          const run = () => executeCommand(context.db, services.limiter, request.actor, workshopId, commandId, command);
          const result = await (drain ? drain.track(run) : run());
          metrics?.observeCommand(command.type, result.duplicate ? 'duplicate' : 'ack', seconds());
          await services.hub.publish(workshopId, result.events);
          return { seq: result.seq, duplicate: result.duplicate };
        } catch (error) {
          metrics?.observeCommand(command.type, error instanceof DomainError ? 'reject' : 'error', seconds());
          throw error;
        }
      },
    );

    r.get(
      '/api/workshops/:workshopId/board',
      { schema: { tags, params: workshopParams, querystring: scopeQuerySchema, response: { 200: snapshotSchema } } },
      async (request) => {
        const subscription = request.query.groupId ? { scope: 'group' as const, groupId: request.query.groupId } : { scope: 'workshop' as const };
        const audience = await audienceFor(context.db, request.actor, request.params.workshopId, subscription);
        return readSnapshot(context.db, audience);
      },
    );

    r.get(
      '/api/workshops/:workshopId/events',
      {
        schema: {
          tags,
          params: workshopParams,
          querystring: scopeQuerySchema.extend({ after: z.coerce.number().int().min(0) }),
          response: { 200: z.array(eventSchema) },
        },
      },
      async (request) => {
        const { groupId, after } = request.query;
        const audience = await audienceFor(context.db, request.actor, request.params.workshopId, groupId ? { scope: 'group', groupId } : { scope: 'workshop' });
        return eventsForAudience(context.db, audience, after);
      },
    );
  };
}

/** Takes the socket's places under the per-person and per-address caps ([SAFE-5]); null when one is full. */
function admitSocket({ sockets }: LiveServices, actor: Actor | null, address: string): (() => void) | null {
  if (!sockets) return () => {};
  const person = actor?.kind === 'participant' ? actor.participantId : actor?.kind === 'user' ? actor.userId : null;
  return sockets.admit([
    { key: `address:${address}`, max: sockets.limits.perAddress },
    ...(person ? [{ key: `person:${person}`, max: sockets.limits.perPerson }] : []),
  ]);
}

/** A LiveSocket over a WebSocket: a shared message's bytes as they are ([LIVE-24]), this turn's frames in one write. */
function wrap(socket: WebSocket, stream: Duplex, writes: WriteBatch): LiveSocket {
  return {
    send(message: ServerMessage | Outgoing) {
      if (socket.readyState !== socket.OPEN) return;
      if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return socket.close(1013, 'too far behind; reconnect');
      writes.hold(stream);
      socket.send(outgoing(message).utf8, { binary: false });
    },
    close(code, reason) {
      socket.close(code, reason.slice(0, 120));
    },
  };
}

/** A LiveSocket over a server-sent-events response: one `message` per server message, `close` as its last event. */
function eventStream(response: ServerResponse): LiveSocket {
  let ended = false;
  const stream: LiveSocket = {
    send(sendable: ServerMessage | Outgoing) {
      if (ended || response.destroyed) return;
      if (response.writableLength > MAX_BUFFERED_BYTES) return stream.close(1013, 'too far behind; reconnect');
      const { message, json } = outgoing(sendable);
      const seq = message.type === 'snapshot' ? message.snapshot.seq : message.type === 'event' ? message.event.seq : message.type === 'events' ? message.events.at(-1)?.seq : undefined;
      // JSON has no raw line breaks, so one data line holds the whole message.
      response.write(`${seq === undefined ? '' : `id: ${seq}\n`}data: ${json}\n\n`);
    },
    close(code, reason) {
      if (ended) return;
      ended = true;
      if (!response.destroyed) response.end(`event: close\ndata: ${JSON.stringify({ code, reason: reason.slice(0, 120) })}\n\n`);
    },
  };
  return stream;
}

/** Browsers always send Origin on a WebSocket upgrade; other clients (tests, benchmarks) send none. */
function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
