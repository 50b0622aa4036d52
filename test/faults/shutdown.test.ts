import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CLOSE_CODES, PROTOCOL_VERSION, type ServerMessage } from '../../src/contract/protocol.js';
import { openDatabase } from '../../src/server/db/database.js';
import { prepareTarget, startTarget, type FaultTarget } from '../../bench/faultRun.js';
import { lappFor } from '../../src/server/testing/workshopFixture.js';

/** [OPS-4] SIGTERM to a real `innspill serve`: running commands are answered, devices told to reconnect, exit 0. */
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe('graceful shutdown of a real server', { timeout: 300_000 }, () => {
  it('[OPS-4] on SIGTERM a command already sent is stored and acknowledged, the socket closes with 1001, the process exits 0', async () => {
    const target: FaultTarget = await prepareTarget('pglite');
    cleanups.push(() => target.remove());
    const server = await startTarget(target);
    cleanups.push(async () => void server.child.kill('SIGKILL'));

    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/live`, { headers: target.headers });
    const received: ServerMessage[] = [];
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.on('message', (data) => received.push(JSON.parse(data.toString()) as ServerMessage));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: target.fixture.workshopId, subscription: { scope: 'workshop' }, lastSeq: null }));
    const deadline = Date.now() + 60_000;
    while (!received.some((m) => m.type === 'snapshot') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));

    const commandId = randomUUID();
    const command = lappFor(target.fixture, 'Skrevet rett før serveren stoppet');
    socket.send(JSON.stringify({ type: 'command', commandId, command }));
    // The signal follows the command at once: the command is in flight, or just done.
    await new Promise((r) => setTimeout(r, 5));
    const exited = new Promise<number | null>((resolve) => server.child.once('exit', (code) => resolve(code)));
    server.child.kill('SIGTERM');

    expect(await closed).toBe(CLOSE_CODES.goingAway);
    expect(received.find((m) => m.type === 'ack' && m.commandId === commandId)).toBeDefined();
    expect(await exited).toBe(0);

    // Stored once, and the folder is free for the next start.
    const database = await openDatabase({ dataDir: target.dataDir! });
    try {
      const notes = await database.db.selectFrom('notes').select('text').where('id', '=', command.noteId).execute();
      expect(notes).toEqual([{ text: 'Skrevet rett før serveren stoppet' }]);
    } finally {
      await database.close();
    }
  });
});
