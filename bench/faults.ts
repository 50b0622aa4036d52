/**
 * `npm run bench:faults` — the long fault runs ([SAFE-10]); the fault suite (test/faults) runs
 * short versions of the same code in CI.
 *
 *   npx tsx bench/faults.ts [--kills 20] [--per-round 50] [--junk 10000] [--sockets 1000] [--databases pglite,postgres]
 *
 * PostgreSQL runs need DATABASE_URL (an admin URL; a database is created and dropped). Prints a
 * table on stdout and, as the LAST line, one JSON object with every figure.
 */
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { CLOSE_CODES } from '../src/contract/protocol.js';
import type { ServerProcess } from '../src/server/testing/serverProcess.js';
import { killDuringWrites, prepareTarget, startTarget, type FaultTarget, type KillRunResult } from './faultRun.js';
import { junkRequests } from './junk.js';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '20' },
    'per-round': { type: 'string', default: '50' },
    junk: { type: 'string', default: '10000' },
    sockets: { type: 'string', default: '1000' },
    databases: { type: 'string', default: process.env.DATABASE_URL ? 'pglite,postgres' : 'pglite' },
  },
});
const kills = Number(values.kills);
const perRound = Number(values['per-round']);
const junkCount = Number(values.junk);
const socketCount = Number(values.sockets);
const databases = values.databases.split(',') as Array<'pglite' | 'postgres'>;

const running = new Set<ServerProcess>();
const targets: FaultTarget[] = [];
const stopAll = () => {
  for (const server of running) server.child.kill('SIGKILL');
};
process.on('exit', stopAll);
process.on('SIGINT', () => process.exit(130));

async function junkRun(target: FaultTarget): Promise<{ requests: number; serverErrors: number; statuses: Record<string, number>; seconds: number }> {
  const server = await startTarget(target);
  running.add(server);
  const spec = await (await fetch(`${server.url}/api/openapi.json`)).json();
  const ids = [target.fixture.workshopId, target.fixture.planId, target.fixture.groups[0]!.id, target.fixture.goalsPosterId, target.fixture.subGoalIds[0]!];
  const statuses: Record<string, number> = {};
  let serverErrors = 0;
  const started = performance.now();
  const requests = [...junkRequests(spec, junkCount, { ids, seed: 2026 })];
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const request = requests[next++]!;
      const headers: Record<string, string> = request.authenticated ? { ...target.headers } : {};
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      else delete headers['content-type'];
      const response = await fetch(`${server.url}${request.url}`, { method: request.method, headers, body: request.body });
      await response.arrayBuffer();
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
      if (response.status >= 500) serverErrors += 1;
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const seconds = (performance.now() - started) / 1000;
  server.child.kill('SIGTERM');
  running.delete(server);
  return { requests: requests.length, serverErrors, statuses, seconds };
}

async function socketRun(target: FaultTarget): Promise<{ attempted: number; open: number; refusedTooMany: number; otherCloses: number }> {
  const server = await startTarget(target);
  running.add(server);
  const url = `${server.url.replace('http', 'ws')}/api/live`;
  const sockets: WebSocket[] = [];
  const outcomes = await Promise.all(
    Array.from(
      { length: socketCount },
      () =>
        new Promise<'open' | 'tooMany' | 'other'>((resolve) => {
          const socket = new WebSocket(url, { headers: { cookie: target.headers.cookie! } });
          sockets.push(socket);
          let settled = false;
          socket.on('close', (code) => {
            if (!settled) resolve(code === CLOSE_CODES.tooManySockets ? 'tooMany' : 'other');
            settled = true;
          });
          socket.on('error', () => undefined);
          // A socket still open after a second was accepted.
          socket.on('open', () => setTimeout(() => (settled ? undefined : ((settled = true), resolve('open'))), 1000));
        }),
    ),
  );
  for (const socket of sockets) socket.terminate();
  server.child.kill('SIGTERM');
  running.delete(server);
  return {
    attempted: socketCount,
    open: outcomes.filter((o) => o === 'open').length,
    refusedTooMany: outcomes.filter((o) => o === 'tooMany').length,
    otherCloses: outcomes.filter((o) => o === 'other').length,
  };
}

async function main(): Promise<void> {
  const killRuns: Record<string, KillRunResult> = {};
  for (const kind of databases) {
    const target = await prepareTarget(kind);
    targets.push(target);
    console.error(`kill -9 × ${kills} on ${kind} …`);
    killRuns[kind] = await killDuringWrites(target, kills, perRound, (server) => running.add(server));
  }
  const junkTarget = await prepareTarget('pglite');
  targets.push(junkTarget);
  console.error(`${junkCount} junk requests …`);
  const junk = await junkRun(junkTarget);
  console.error(`${socketCount} sockets with one cookie …`);
  const sockets = await socketRun(junkTarget);

  console.log('| run | figure |');
  console.log('|---|---|');
  for (const [kind, run] of Object.entries(killRuns)) {
    const slowest = Math.max(...run.restartSeconds);
    console.log(`| kill -9 × ${run.kills} on ${kind} | ${run.acknowledged} acknowledged, ${run.lost} lost, ${run.duplicated} duplicated, ${run.sequenceGaps} sequence gaps, ${run.serverErrors} × 5xx; slowest restart ${slowest.toFixed(1)} s |`);
  }
  console.log(`| junk over every operation | ${junk.requests} requests in ${junk.seconds.toFixed(1)} s, ${junk.serverErrors} × 5xx |`);
  console.log(`| sockets with one cookie | ${sockets.attempted} tried, ${sockets.open} open, ${sockets.refusedTooMany} closed with 4029, ${sockets.otherCloses} other |`);
  console.log(JSON.stringify({ bench: 'faults', kills: killRuns, junk, sockets }));
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    stopAll();
    for (const target of targets) await target.remove().catch(() => undefined);
  });
