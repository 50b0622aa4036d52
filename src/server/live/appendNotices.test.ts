import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import type { DatabaseHandle } from '../db/database.js';
import { MemorySocket, openDatabaseWithHub, until } from '../testing/memorySocket.js';
import { testDatabaseKinds } from '../testing/testApp.js';
import { createWorkshopFixture, lappFor } from '../testing/workshopFixture.js';
import { executeCommand } from './commands.service.js';
import { LiveConnection } from './connection.js';
import { InProcessBus } from './bus.js';
import { LiveHub } from './hub.js';
import { PROTOCOL_VERSION } from '../../contract/protocol.js';

const log = pino({ level: 'silent' });

// The hub's side of [LIVE-22]; the notice itself (PostgreSQL's NOTIFY from another process) is in otherProcess.test.ts.
describe.each(testDatabaseKinds)('[LIVE-22] a room told that the log grew, on %s', (kind) => {
  let database: DatabaseHandle;
  let hub: LiveHub;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ database, hub, close } = await openDatabaseWithHub(kind));
  }, 180_000);
  afterAll(() => close?.());

  it('reads from the log what no bus brought, and delivers what the bus brought too only once', async () => {
    const fixture = await createWorkshopFixture(database.db);
    const socket = new MemorySocket();
    const limiter = new WriteRateLimiter(1000, 10_000);
    const connection = new LiveConnection({ db: database.db, hub, limiter, log }, socket, fixture.planner.actor);
    await connection.receive(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: fixture.workshopId, subscription: { scope: 'workshop' }, lastSeq: null }));
    const created = () => socket.of('event').filter((m) => m.event.type === 'note.created').map((m) => m.event.seq);

    // Written as another process would: committed, never published here; only the notice arrives.
    const elsewhere = await executeCommand(database.db, limiter, fixture.planner.actor, fixture.workshopId, randomUUID(), lappFor(fixture, 'Fra CLI'));
    hub.appended(fixture.workshopId, elsewhere.seq);
    await until(() => created().length === 1);
    expect(created()).toEqual([elsewhere.seq]);

    // Written here: the bus brings it and the notice comes too; the device gets it once.
    const here = await executeCommand(database.db, limiter, fixture.planner.actor, fixture.workshopId, randomUUID(), lappFor(fixture, 'Herfra'));
    await hub.publish(fixture.workshopId, here.events);
    hub.appended(fixture.workshopId, here.seq);
    await until(() => created().length === 2);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(created()).toEqual([elsewhere.seq, here.seq]);

    // After the listening connection dropped, the room checks the log by itself.
    const missed = await executeCommand(database.db, limiter, fixture.planner.actor, fixture.workshopId, randomUUID(), lappFor(fixture, 'Mens forbindelsen var borte'));
    hub.missedSome();
    await until(() => created().length === 3);
    expect(created()).toEqual([elsewhere.seq, here.seq, missed.seq]);
    connection.disconnected();
  });

  it('reads nothing from the log when the bus brought the told events during the wait', async () => {
    const fixture = await createWorkshopFixture(database.db);
    // A hub of its own whose every query is counted (the shared one serves the other test).
    let reads = 0;
    const counted = database.db.withPlugin({
      transformQuery: ({ node }) => {
        reads += 1;
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    const own = new LiveHub(counted, new InProcessBus(), log);
    const socket = new MemorySocket();
    const limiter = new WriteRateLimiter(1000, 10_000);
    const connection = new LiveConnection({ db: database.db, hub: own, limiter, log }, socket, fixture.planner.actor);
    await connection.receive(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: fixture.workshopId, subscription: { scope: 'workshop' }, lastSeq: null }));
    const created = () => socket.of('event').filter((m) => m.event.type === 'note.created').map((m) => m.event.seq);

    // The notice comes first, the bus a moment later: the gap closes before the wait ends.
    const written = await executeCommand(database.db, limiter, fixture.planner.actor, fixture.workshopId, randomUUID(), lappFor(fixture, 'Varselet først'));
    own.appended(fixture.workshopId, written.seq);
    const before = reads;
    await own.publish(fixture.workshopId, written.events);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(created()).toEqual([written.seq]);
    expect(reads).toBe(before);
    connection.disconnected();
    await own.close();
  });
});
