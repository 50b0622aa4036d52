import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessDatabase, plannerSession, startServerProcess, watchWorkshop, type ServerProcess } from '../testing/serverProcess.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import { RedisBus } from './redisBus.js';

const { DATABASE_URL, REDIS_URL } = process.env;
const canRun = Boolean(DATABASE_URL && REDIS_URL);
if (!canRun && process.env.CI === 'true') throw new Error('CI must set DATABASE_URL and REDIS_URL for the multi-process test');

describe.skipIf(!canRun)('two server processes on one PostgreSQL with Redis', () => {
  let created: Awaited<ReturnType<typeof createProcessDatabase>>;
  let servers: ServerProcess[] = [];
  let fixture: WorkshopFixture;
  let planner: { cookie: string; csrfToken: string };

  beforeAll(async () => {
    created = await createProcessDatabase('innspill_multi');
    fixture = await createWorkshopFixture(created.database.db);
    planner = await plannerSession(created.database.db);
    servers = await Promise.all([1, 2].map(() => startServerProcess({ DATABASE_URL: created.url, REDIS_URL: REDIS_URL! })));
  }, 90_000);

  afterAll(async () => {
    for (const server of servers) server.child.kill('SIGTERM');
    await created?.drop();
  });

  it('[LIVE-13] delivers a lapp written through process A to a device on process B', async () => {
    const [a, b] = servers;
    const device = await watchWorkshop(b!.url, planner.cookie, fixture.workshopId);
    const noteId = randomUUID();
    const response = await fetch(`${a!.url}/api/workshops/${fixture.workshopId}/commands`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: planner.cookie, 'x-csrf-token': planner.csrfToken },
      body: JSON.stringify({
        commandId: randomUUID(),
        command: { type: 'note.create', noteId, posterId: fixture.goalsPosterId, groupId: fixture.groups[0]!.id, itemIds: [], kind: 'facilitator_note', text: 'Via prosess A' },
      }),
    });
    expect(response.status).toBe(200);
    await device.waitFor(() => device.received.some((m) => m.type === 'event' && m.event.type === 'note.created' && m.event.note.id === noteId));
    device.socket.close();
  });

  it('passes events between two Redis buses', async () => {
    const first = new RedisBus(REDIS_URL!);
    const second = new RedisBus(REDIS_URL!);
    const workshopId = randomUUID();
    const got: number[] = [];
    const stop = await second.subscribe(workshopId, (events) => got.push(...events.map((e) => e.seq)));
    await first.publish(workshopId, [{ type: 'workshop.changed', state: 'open', seq: 7, workshopId, groupId: null, at: new Date().toISOString() }]);
    const end = Date.now() + 5000;
    while (got.length === 0 && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(got).toEqual([7]);
    await stop();
    await first.close();
    await second.close();
  });
});
