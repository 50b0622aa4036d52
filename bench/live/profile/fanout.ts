/**
 * The live fan-out alone, without the database write path: the real app (buildApp on in-memory
 * PGlite) with 10 groups × 10 participant sockets and 10 plenary-screen sockets on one workshop,
 * fed committed `note.created` events straight through its bus, as `hub.publish` does after a
 * commit. Each event goes to its group's 10 sockets and the 10 plenary screens (20 deliveries).
 * The clients run in a worker thread; the figure is the CPU of the server's thread only
 * (/proc/self/task/<pid>/stat, user + system: JSON, ws framing and the send system calls), per event;
 * `systemUsPerEvent` is the kernel's part of it (on loopback a send also does the receiving side's TCP work).
 *
 *   npx tsx bench/live/profile/fanout.ts [--events 6000] [--rate 300] [--per-turn 1]
 *
 * `--per-turn k` publishes k events (of k different groups) in one turn, as one group commit's
 * commands resolve together. Load-independent enough to compare two versions back to back.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { buildApp } from '../../../src/server/app.js';
import { configFromEnv } from '../../../src/server/config.js';
import { InProcessBus } from '../../../src/server/live/bus.js';
import { openTestDatabase } from '../../../src/server/testing/testApp.js';
import { createWorkshopFixture } from '../../../src/server/testing/workshopFixture.js';
import { PARTICIPANT_COOKIE, signParticipantCookie } from '../../../src/server/workshops/participantSession.js';
import type { LiveEvent } from '../../../src/contract/protocol.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const EVENTS = arg('events', 6000);
const RATE = arg('rate', 300);
const PER_TURN = arg('per-turn', 1);
const GROUPS = 10;
const PER_GROUP = 10;
const SCREENS = 10;

/** The server thread's user and system CPU seconds (utime, stime in clock ticks of 100 Hz). */
const threadCpu = (): { user: number; system: number } => {
  const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return { user: Number(fields[11]) / 100, system: Number(fields[12]) / 100 };
};

const database = await openTestDatabase('pglite');
const fixture = await createWorkshopFixture(database.db);
const db = database.db;
const groups: Array<{ id: string; participants: string[] }> = [];
for (let g = 0; g < GROUPS; g++) {
  const id = randomUUID();
  await db.insertInto('groups').values({ id, workshop_id: fixture.workshopId, name: `Bench ${g}`, position: 10 + g, facilitator_user_id: null, timer_ends_at: null }).execute();
  const participants = Array.from({ length: PER_GROUP }, () => randomUUID());
  await db
    .insertInto('participants')
    .values(participants.map((p, i) => ({ id: p, workshop_id: fixture.workshopId, group_id: id, name: `P${g}-${i}`, party: null, committee: null, access_token: randomUUID(), anonymised_at: null })))
    .execute();
  groups.push({ id, participants });
}
const bus = new InProcessBus();
const app = await buildApp({ database, bus, config: { ...configFromEnv({ HOST: '127.0.0.1', LOG_LEVEL: 'warn' }), dataDir: '' } });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const url = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/api/live`;

const clients: Array<{ cookie?: string; groupId?: string }> = [];
for (const group of groups) {
  for (const participantId of group.participants) {
    clients.push({ cookie: `${PARTICIPANT_COOKIE}=${await signParticipantCookie(db, { participantId, workshopId: fixture.workshopId })}`, groupId: group.id });
  }
}
for (let i = 0; i < SCREENS; i++) clients.push({});

const worker = new Worker(
  `
  const { parentPort, workerData } = require('node:worker_threads');
  const WebSocket = require(workerData.ws);
  let events = 0;
  let ready = 0;
  for (const c of workerData.clients) {
    const socket = new WebSocket(workerData.url, { headers: c.cookie ? { cookie: c.cookie } : {} });
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connect', protocolVersion: 1, workshopId: workerData.workshopId,
      subscription: c.groupId ? { scope: 'group', groupId: c.groupId } : { scope: 'workshop' }, lastSeq: null,
      ...(c.groupId ? {} : { viewerToken: workerData.viewerToken }) })));
    socket.on('message', (data) => {
      const text = String(data);
      if (text.startsWith('{"type":"snapshot"')) { if (++ready === workerData.clients.length) parentPort.postMessage({ ready }); }
      else if (text.startsWith('{"type":"event"')) events++;
    });
    socket.on('close', (code) => parentPort.postMessage({ closed: code }));
  }
  parentPort.on('message', () => parentPort.postMessage({ events }));
  `,
  { eval: true, workerData: { url, clients, workshopId: fixture.workshopId, viewerToken: fixture.viewerToken, ws: createRequire(import.meta.url).resolve('ws') } },
);
const fromWorker = (key: string) => new Promise<number>((resolve) => {
  const listen = (message: Record<string, number>) => {
    if (message.closed !== undefined) throw new Error(`a client was closed with ${message.closed}`);
    if (message[key] === undefined) return;
    worker.off('message', listen);
    resolve(message[key]);
  };
  worker.on('message', listen);
});
await fromWorker('ready');

const now = new Date().toISOString();
const note = (seq: number, groupId: string): LiveEvent => ({
  seq,
  workshopId: fixture.workshopId,
  groupId,
  at: now,
  type: 'note.created',
  note: {
    id: randomUUID(), posterId: fixture.goalsPosterId, groupId, itemIds: [fixture.subGoalIds[0]!], kind: 'comment',
    text: `Lapp ${seq}: ${'tekst som er omtrent to hundre byte lang, slik lappene i lasttesten er. '.repeat(2)}`,
    proposedItemKind: null, replyToNoteId: null, author: { participantId: randomUUID(), userId: null, name: 'Deltaker' },
    placed: true, withdrawn: false, agreedBy: [], createdAt: now, updatedAt: now,
  },
});

const expected = EVENTS * (PER_GROUP + SCREENS);
const cpu0 = threadCpu();
const started = performance.now();
let seq = 0;
await new Promise<void>((resolve) => {
  const interval = (1000 * PER_TURN) / RATE;
  const tick = () => {
    for (let k = 0; k < PER_TURN && seq < EVENTS; k++) {
      seq += 1;
      void bus.publish(fixture.workshopId, [note(seq, groups[seq % GROUPS]!.id)]);
    }
    if (seq >= EVENTS) return resolve();
    setTimeout(tick, Math.max(0, started + (seq / PER_TURN) * interval - performance.now()));
  };
  tick();
});
let received = 0;
for (let i = 0; i < 200 && received < expected; i++) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  const answer = fromWorker('events');
  worker.postMessage('count');
  received = await answer;
}
const cpu1 = threadCpu();
const cpu = cpu1.user + cpu1.system - cpu0.user - cpu0.system;
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(
  JSON.stringify({ events: EVENTS, rate: RATE, perTurn: PER_TURN, deliveriesPerEvent: PER_GROUP + SCREENS, received, expected, serverThreadCpuUsPerEvent: Math.round((cpu * 1e6) / EVENTS), systemUsPerEvent: Math.round(((cpu1.system - cpu0.system) * 1e6) / EVENTS), seconds: Math.round((performance.now() - started) / 100) / 10, load }),
);
await worker.terminate();
await app.close();
await database.close();
