/**
 * Shared by the bench servers: exit when the parent goes away (stdin closes) or on SIGTERM/SIGINT,
 * and announce readiness as the JSON line the parent waits for.
 */
export function guardChild(onStop: () => Promise<void> | void): void {
  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    const hard = setTimeout(() => process.exit(code), 1500);
    hard.unref();
    void Promise.resolve()
      .then(onStop)
      .finally(() => process.exit(code));
  };
  process.stdin.on('end', () => stop(0));
  process.stdin.on('close', () => stop(0));
  process.stdin.on('error', () => stop(0));
  process.stdin.resume();
  process.on('SIGTERM', () => stop(0));
  process.on('SIGINT', () => stop(0));
  process.on('disconnect', () => stop(0));
}

export function announceReady(port: number, extra: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ ready: true, port, pid: process.pid, ...extra })}\n`);
}

/** Bind address of every bench server: loopback only. */
export const LOOPBACK = '127.0.0.1';
