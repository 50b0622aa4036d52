import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import type { Actor } from '../../domain/actors.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import type { DatabaseHandle } from '../db/database.js';
import { createTestApp, openTestDatabase, testDatabaseKinds, type TestApp } from '../testing/testApp.js';
import { until } from '../testing/memorySocket.js';
import { createWorkshopFixture, lappFor, type WorkshopFixture } from '../testing/workshopFixture.js';
import { PARTICIPANT_COOKIE, signParticipantCookie } from '../workshops/participantSession.js';
import { InProcessBus } from './bus.js';
import { LiveConnection } from './connection.js';
import { LiveHub, type LiveSocket } from './hub.js';
import { Outgoing, outgoing } from './outgoing.js';
import { WriteBatch } from './writeBatch.js';
import { PROTOCOL_VERSION, type Command, type ServerMessage, type Subscription } from '../../contract/protocol.js';

const log = pino({ level: 'silent' });

/** A device that sends like the WebSocket route: a shared message's JSON, or its own encoding. */
class EncodingSocket implements LiveSocket {
  readonly frames: Array<{ type: ServerMessage['type']; json: string; shared: Outgoing | undefined }> = [];
  send(message: ServerMessage | Outgoing) {
    const out = outgoing(message);
    this.frames.push({ type: out.message.type, json: out.json, shared: message instanceof Outgoing ? message : undefined });
  }
  close() {}
  events() {
    return this.frames.filter((f) => f.type === 'event');
  }
}

describe.each(testDatabaseKinds)('fan-out on %s', (kind) => {
  let database: DatabaseHandle;
  let hub: LiveHub;
  beforeAll(async () => {
    database = await openTestDatabase(kind);
    hub = new LiveHub(database.db, new InProcessBus(), log);
  });
  afterAll(async () => {
    await hub?.close();
    await database?.close();
  });
  afterEach(() => vi.restoreAllMocks());

  const connect = async (fixture: WorkshopFixture, actor: Actor | null, subscription: Subscription, viewerToken?: string) => {
    const socket = new EncodingSocket();
    const connection = new LiveConnection({ db: database.db, hub, limiter: new WriteRateLimiter(1000, 10_000), log }, socket, actor);
    await connection.receive(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: fixture.workshopId, subscription, lastSeq: null, viewerToken }));
    expect(socket.frames.map((f) => f.type)).toEqual(['welcome', 'snapshot']);
    return { socket, connection };
  };
  const command = (connection: LiveConnection, body: Command) => connection.receive(JSON.stringify({ type: 'command', commandId: randomUUID(), command: body }));

  it('[LIVE-24] encodes a lapp event once for the writer, the group, its facilitator, the planner and the plenary screen, and sends other groups nothing', async () => {
    const fixture = await createWorkshopFixture(database.db);
    const [group1, group2] = fixture.groups as [WorkshopFixture['groups'][0], WorkshopFixture['groups'][0]];
    const own = { scope: 'group', groupId: group1.id } as const;
    const writer = await connect(fixture, group1.participants[0]!.actor, own);
    const peer = await connect(fixture, group1.participants[1]!.actor, own);
    const facilitator = await connect(fixture, fixture.facilitator.actor, { scope: 'workshop' });
    const planner = await connect(fixture, fixture.planner.actor, { scope: 'workshop' });
    const plenary = await connect(fixture, null, { scope: 'workshop' }, fixture.viewerToken);
    const otherGroup = await connect(fixture, group2.participants[0]!.actor, { scope: 'group', groupId: group2.id });
    const receivers = [writer, peer, facilitator, planner, plenary];

    const stringify = vi.spyOn(JSON, 'stringify');
    await command(writer.connection, lappFor(fixture, 'Én gang for alle'));
    await until(() => receivers.every((device) => device.socket.events().length === 1));
    const eventEncodings = stringify.mock.calls.filter(([value]) => (value as { type?: unknown } | null)?.type === 'event');
    stringify.mockRestore();

    expect(eventEncodings).toHaveLength(1);
    const frames = receivers.map((device) => device.socket.events()[0]!);
    expect(new Set(frames.map((f) => f.shared)).size).toBe(1);
    expect(new Set(frames.map((f) => f.json)).size).toBe(1);
    expect(JSON.parse(frames[0]!.json)).toMatchObject({ type: 'event', event: { type: 'note.created', note: { text: 'Én gang for alle' } } });
    // The writer gets its ack before the echo, as before.
    expect(writer.socket.frames.slice(2).map((f) => f.type)).toEqual(['ack', 'event']);
    expect(otherGroup.socket.events()).toHaveLength(0);
    for (const device of [...receivers, otherGroup]) device.connection.disconnected();
  });

  it('[LIVE-24][STAR-4] with stars hidden, one shared star event still reaches only the giver and the users, not the group or the plenary screen', async () => {
    const fixture = await createWorkshopFixture(database.db, { starsHidden: true });
    const group1 = fixture.groups[0]!;
    const own = { scope: 'group', groupId: group1.id } as const;
    const giver = await connect(fixture, group1.participants[0]!.actor, own);
    const peer = await connect(fixture, group1.participants[1]!.actor, own);
    const facilitator = await connect(fixture, fixture.facilitator.actor, own);
    const planner = await connect(fixture, fixture.planner.actor, { scope: 'workshop' });
    const plenary = await connect(fixture, null, { scope: 'workshop' }, fixture.viewerToken);

    await command(giver.connection, { type: 'star.give', starId: randomUUID(), posterId: fixture.strategiesPosterId, itemId: fixture.strategyIds[0]! });
    await until(() => [giver, facilitator, planner].every((device) => device.socket.events().length === 1));
    // A lapp after it shows the others were served in order and left out of the star only.
    await command(peer.connection, lappFor(fixture, 'Etter stjernen'));
    await until(() => [giver, peer, facilitator, planner, plenary].every((device) => device.socket.events().some((f) => f.json.includes('Etter stjernen'))));

    const starFrames = [giver, facilitator, planner].map((device) => device.socket.events()[0]!);
    expect(starFrames.every((f) => JSON.parse(f.json).event.type === 'star.given')).toBe(true);
    expect(new Set(starFrames.map((f) => f.shared)).size).toBe(1);
    for (const device of [peer, plenary]) expect(device.socket.events().map((f) => JSON.parse(f.json).event.type)).toEqual(['note.created']);
    for (const device of [giver, peer, facilitator, planner, plenary]) device.connection.disconnected();
  });

  describe('over a WebSocket', () => {
    let t: TestApp;
    let url: string;
    beforeAll(async () => {
      t = await createTestApp(kind);
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const address = t.app.server.address();
      url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/live`;
    });
    afterAll(async () => t?.close());

    /** A participant's socket, and the writes the server makes to its end of the connection. */
    const open = async (fixture: WorkshopFixture, participant: { id: string }, groupId: string) => {
      const cookie = await signParticipantCookie(t.database.db, { participantId: participant.id, workshopId: fixture.workshopId });
      const socket = new WebSocket(url, { headers: { cookie: `${PARTICIPANT_COOKIE}=${cookie}` } });
      const messages: Array<{ message: ServerMessage; raw: string; binary: boolean }> = [];
      await once(socket, 'open');
      socket.on('message', (data, binary) => messages.push({ message: JSON.parse(String(data)) as ServerMessage, raw: String(data), binary }));
      // The server's end of this connection: the stream whose local port is our remote one.
      const port = (socket as unknown as { _socket: Socket })._socket.localPort;
      const serverEnd = [...t.app.websocketServer.clients].map((ws) => (ws as unknown as { _socket: Socket })._socket).find((s) => s.remotePort === port)!;
      const writes: string[] = [];
      const stream = serverEnd as unknown as { _write: (...a: unknown[]) => void; _writev: (...a: unknown[]) => void };
      const write = stream._write.bind(serverEnd);
      const writev = stream._writev.bind(serverEnd);
      stream._write = (chunk, ...rest) => (writes.push(String(chunk)), write(chunk, ...rest));
      stream._writev = (chunks, ...rest) => (writes.push((chunks as Array<{ chunk: Buffer }>).map(({ chunk }) => String(chunk)).join('')), writev(chunks, ...rest));
      socket.send(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: fixture.workshopId, subscription: { scope: 'group', groupId }, lastSeq: null }));
      await until(() => messages.some((m) => m.message.type === 'snapshot'));
      return { socket, messages, writes, extensions: socket.extensions };
    };

    it('[LIVE-24] writes the ack and the echo of a command to the socket in one write, sends a peer the same event bytes, and uses no permessage-deflate', async () => {
      const fixture = await createWorkshopFixture(t.database.db);
      const group = fixture.groups[0]!;
      const writer = await open(fixture, group.participants[0]!, group.id);
      const peer = await open(fixture, group.participants[1]!, group.id);
      expect(writer.extensions).toBe('');

      const commandId = randomUUID();
      const before = writer.writes.length;
      writer.socket.send(JSON.stringify({ type: 'command', commandId, command: lappFor(fixture, 'Over nettet') }));
      await until(() => writer.messages.some((m) => m.message.type === 'event') && peer.messages.some((m) => m.message.type === 'event'));

      const ack = writer.messages.find((m) => m.message.type === 'ack')!;
      const echo = writer.messages.find((m) => m.message.type === 'event')!;
      expect(ack.message).toMatchObject({ type: 'ack', commandId, duplicate: false });
      expect(writer.messages.indexOf(ack)).toBeLessThan(writer.messages.indexOf(echo));
      const written = writer.writes.slice(before);
      expect(written).toHaveLength(1);
      expect(written[0]).toContain(ack.raw);
      expect(written[0]).toContain(echo.raw);
      expect(peer.messages.find((m) => m.message.type === 'event')!.raw).toBe(echo.raw);
      // The shared encoding is a Buffer: it must still go out as text frames (a browser would get a Blob).
      expect([...writer.messages, ...peer.messages].filter((m) => m.binary)).toEqual([]);
      for (const device of [writer, peer]) device.socket.close();
    });
  });
});

describe('WriteBatch', () => {
  const recorder = () => {
    const writes: string[][] = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        writes.push([chunk.toString()]);
        done();
      },
      writev(chunks, done) {
        writes.push(chunks.map(({ chunk }) => (chunk as Buffer).toString()));
        done();
      },
    });
    return { stream, writes };
  };

  it('[LIVE-24] writes what one run of code sent to a stream in one write, in order, once it has finished', async () => {
    const batch = new WriteBatch();
    const a = recorder();
    const b = recorder();
    for (const [stream, text] of [[a.stream, 'a1'], [b.stream, 'b1'], [a.stream, 'a2'], [a.stream, 'a3']] as const) {
      batch.hold(stream);
      stream.write(text);
    }
    expect(a.writes).toEqual([]);
    await Promise.resolve();
    expect(a.writes).toEqual([['a1', 'a2', 'a3']]);
    expect(b.writes).toEqual([['b1']]);
    // What comes after the flush starts a new batch.
    batch.hold(a.stream);
    a.stream.write('a4');
    await Promise.resolve();
    expect(a.writes).toEqual([['a1', 'a2', 'a3'], ['a4']]);
  });
});

describe('Outgoing', () => {
  it('[LIVE-24] a shared message is encoded once, whatever the number of devices', () => {
    const shared = new Outgoing({ type: 'pong' });
    expect(shared.utf8).toBe(shared.utf8);
    expect(outgoing(shared)).toBe(shared);
    expect(outgoing({ type: 'pong' }).json).toBe('{"type":"pong"}');
  });
});
