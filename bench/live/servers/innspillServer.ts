/**
 * The product under test: exactly what `innspill serve` runs (src/cli/commands.ts → `serve.run`:
 * configFromEnv, open + migrate the database, buildApp, listen), in this process so the harness
 * samples the server's own pid. All configuration comes from the environment the target sets
 * (PORT, HOST, DATABASE_URL, LOG_LEVEL, INNSPILL_WRITES_PER_10S, …).
 *
 * Added for the bench only: the `{"ready":true,"port":N}` line the harness waits for, exiting
 * when the generator's pipe closes (the CLI's own SIGTERM handler closes the app and the pool), and
 * the statement counter (statementCounter.ts) the harness asks through that pipe, and with
 * `INNSPILL_BENCH_CPU_PROF=<dir>` a CPU profile of each measured window (windowProfile.ts).
 * Run by targets/innspill.ts as `node --import tsx bench/live/servers/innspillServer.ts`.
 */
import { commands } from '../../../src/cli/commands.js';
import { announceReady } from './childGuard.js';
import { answerStatsRequests } from './statementCounter.js';
import { profileWindows } from './windowProfile.js';

const port = Number.parseInt(process.env.PORT ?? '', 10);
if (!Number.isInteger(port) || port <= 0) throw new Error('innspillServer: set PORT to a free port (the target picks one)');

let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
const stopOnParentGone = (): void => {
  if (stopping) return;
  stopping = true;
  // The CLI's `serve` handles SIGTERM: app.close() (devices get 1001), pool closed, exit 0.
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
};
process.stdin.on('end', stopOnParentGone);
process.stdin.on('close', stopOnParentGone);
process.stdin.on('error', stopOnParentGone);
process.stdin.resume();
answerStatsRequests(profileWindows(process.env.INNSPILL_BENCH_CPU_PROF) ?? undefined);

const serve = commands.serve;
if (serve === undefined) throw new Error('innspillServer: the CLI has no serve command');
const code = await serve.run({}, []);
if (code !== 0) process.exit(code);
announceReady(port);
