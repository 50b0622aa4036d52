/**
 * `innspill serve` as a municipality runs it: the compiled CLI (`npm run build` → dist/), plain
 * node, no TypeScript loader in the process (tsx's loader thread alone holds ~40 MB). For benches
 * that measure the server's memory (`bench:consultation --built`). Speaks the harness's protocol of
 * innspillServer.ts: the `{"ready":true,"port":N}` line, stopping when the harness's pipe closes,
 * and `stats` answered empty (the statement counter needs the sources).
 */
import { commands } from '../../../dist/cli/commands.js';

const port = Number.parseInt(process.env.PORT ?? '', 10);
if (!Number.isInteger(port) || port <= 0) throw new Error('builtServer: set PORT to a free port');

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  process.kill(process.pid, 'SIGTERM');
  setTimeout(() => process.exit(0), 3000).unref();
};
process.on('SIGTERM', () => (stopping = true));
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  if (chunk.includes('stats')) process.stdout.write(`${JSON.stringify({ stats: {} })}\n`);
});
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.on('error', stop);

const code = await commands.serve.run({}, []);
if (code !== 0) process.exit(code);
process.stdout.write(`${JSON.stringify({ ready: true, port, pid: process.pid })}\n`);
