import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { LOCK_FILE } from '../../src/server/db/dataDirLock.js';
import { CLOSE_CODES, PROTOCOL_VERSION, type ServerMessage } from '../../src/contract/protocol.js';
import { runCliToEnd, type ServerProcess } from '../../src/server/testing/serverProcess.js';
import { lappFor } from '../../src/server/testing/workshopFixture.js';
import { killDuringWrites, prepareTarget, startTarget, type FaultTarget } from '../../bench/faultRun.js';

/**
 * The fault suite against real `innspill serve` processes ([SAFE-9], [SAFE-10]): small and bounded,
 * the long versions are `npm run bench:faults`.
 */
const KILLS = 2;
const { DATABASE_URL } = process.env;
const kinds = DATABASE_URL ? (['pglite', 'postgres'] as const) : (['pglite'] as const);
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function prepare(kind: 'pglite' | 'postgres'): Promise<FaultTarget> {
  const target = await prepareTarget(kind);
  cleanups.push(() => target.remove());
  return target;
}

async function start(target: FaultTarget): Promise<ServerProcess> {
  const server = await startTarget(target);
  cleanups.push(async () => void server.child.kill('SIGKILL'));
  return server;
}

describe.each(kinds)('kill -9 of a real server on %s', { timeout: 600_000 }, (kind) => {
  it(`[SAFE-10] loses no acknowledged lapp and stores none twice over ${KILLS} kill -9 restarts with resends`, async () => {
    const target = await prepare(kind);
    const result = await killDuringWrites(target, KILLS, 15, (server) => cleanups.push(async () => void server.child.kill('SIGKILL')));
    expect(result.acknowledged).toBeGreaterThanOrEqual(KILLS * 15 + 5);
    expect(result).toMatchObject({ lost: 0, duplicated: 0, sequenceGaps: 0, serverErrors: 0 });
  });
});

describe('one owner of an embedded data folder', { timeout: 600_000 }, () => {
  it('[SAFE-9] refuses a second serve, CLI commands and a busy port with a message and a non-zero exit; takes over a stale lock after kill -9', async () => {
    const target = await prepare('pglite');
    const server = await start(target);
    const holder = JSON.parse(readFileSync(path.join(target.dataDir!, LOCK_FILE), 'utf8')) as { pid: number; role: string };
    expect(holder).toMatchObject({ pid: server.child.pid, role: 'server' });

    const second = await runCliToEnd(['serve', '--no-demo'], { ...target.env, PORT: '0' });
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/in use by a running Innspill server/);
    for (const args of [['user', 'add', '--email', 'ny@example.no', '--name', 'Ny'], ['migrate'], ['export', 'json', target.fixture.workshopId]]) {
      const result = await runCliToEnd(args, target.env);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.output).toMatch(/in use by a running Innspill server/);
    }

    const otherDir = mkdtempSync(path.join(tmpdir(), 'innspill-faults-'));
    cleanups.push(async () => rmSync(otherDir, { recursive: true, force: true }));
    const busy = await runCliToEnd(['serve', '--no-demo'], { INNSPILL_DATA_DIR: otherDir, DATABASE_URL: '', PORT: new URL(server.url).port, HOST: '127.0.0.1' });
    expect(busy.code).toBe(1);
    expect(busy.output).toMatch(/already in use/);
    expect(existsSync(path.join(otherDir, LOCK_FILE))).toBe(false);

    server.child.kill('SIGKILL');
    await new Promise((resolve) => server.child.once('exit', resolve));
    expect(existsSync(path.join(target.dataDir!, LOCK_FILE))).toBe(true);
    const after = await runCliToEnd(['migrate'], target.env);
    expect(after.output).toMatch(/up to date/);
    expect(after.code).toBe(0);
    expect(existsSync(path.join(target.dataDir!, LOCK_FILE))).toBe(false);
  });

  it('[SAFE-1] answers a poisoned lapp on a real socket with a reject and keeps the socket open for the next one', async () => {
    const target = await prepare('pglite');
    const server = await start(target);
    const socket = new WebSocket(`${server.url.replace('http', 'ws')}/api/live`, { headers: target.headers });
    const received: ServerMessage[] = [];
    let closedWith: number | null = null;
    socket.on('message', (data) => received.push(JSON.parse(data.toString()) as ServerMessage));
    socket.on('close', (code) => (closedWith = code));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.send(JSON.stringify({ type: 'connect', protocolVersion: PROTOCOL_VERSION, workshopId: target.fixture.workshopId, subscription: { scope: 'workshop' }, lastSeq: null }));
    const poisoned = ['NUL\u0000', 'halv \uD800', 'ikke-tegn \uFFFF'].map((text) => ({ type: 'command', commandId: randomUUID(), command: lappFor(target.fixture, text) }));
    const good = { type: 'command', commandId: randomUUID(), command: lappFor(target.fixture, 'Lapp etter giften') };
    for (const message of [...poisoned, good]) socket.send(JSON.stringify(message));
    // Generous: the embedded database's first write after a cold start is slow on a busy machine.
    const deadline = Date.now() + 60_000;
    while (!received.some((m) => m.type === 'ack' && m.commandId === good.commandId) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const rejected = received.filter((m) => m.type === 'reject').map((m) => m.type === 'reject' && m.commandId);
    expect(rejected).toEqual(poisoned.map((m) => m.commandId));
    expect(received.some((m) => m.type === 'ack' && m.commandId === good.commandId)).toBe(true);
    expect(closedWith).toBeNull();
    expect(closedWith).not.toBe(CLOSE_CODES.malformed);
    socket.close();
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  });
});
