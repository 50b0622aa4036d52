/**
 * `INNSPILL_BENCH_CPU_PROF=<dir>`: a CPU profile of the bench server over each measured window only
 * (not the seeding, the connects or the drain). The harness asks for `stats` on the child's stdin
 * at the start and at the end of every window (statementCounter.ts); the profiler starts on the
 * first of each pair and writes `<dir>/window-<n>.cpuprofile` on the second (one file per `--max`
 * step). Sampling interval `INNSPILL_BENCH_CPU_PROF_US` (default 200 µs). Summarise with
 * `npx tsx bench/live/profile/summarise.ts <file>`. Bench only; off unless the variable is set.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

export function profileWindows(dir: string | undefined): (() => void) | null {
  if (!dir) return null;
  mkdirSync(dir, { recursive: true });
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: Number(process.env.INNSPILL_BENCH_CPU_PROF_US ?? 200) });
  let running = false;
  let windows = 0;
  return () => {
    if (!running) {
      running = true;
      session.post('Profiler.start');
      return;
    }
    running = false;
    windows += 1;
    const file = join(dir, `window-${windows}.cpuprofile`);
    session.post('Profiler.stop', (error, result) => {
      if (error) process.stderr.write(`cpu profile: ${error.message}\n`);
      else writeFileSync(file, JSON.stringify(result.profile));
    });
  };
}
