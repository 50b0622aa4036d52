/**
 * [OPS-4] Graceful shutdown: once draining, the process takes no new work (new requests get 503
 * and /readyz fails, so a load balancer moves traffic), lets the commands already running commit
 * and answer, then closes every live socket with 1001 ("going away": reconnect, to another process).
 */
export class Drain {
  private draining = false;
  private active = 0;
  private waiters: Array<() => void> = [];

  get isDraining(): boolean {
    return this.draining;
  }

  /** Commands running now (metrics and tests). */
  get inFlight(): number {
    return this.active;
  }

  /** Runs one command; shutdown waits for it. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.active += 1;
    try {
      return await work();
    } finally {
      this.active -= 1;
      if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Stops taking work and resolves when the running commands are done, or after `timeoutMs`. */
  async start(timeoutMs: number): Promise<{ unfinished: number }> {
    this.draining = true;
    if (this.active > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => this.waiters.push(resolve)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
      ]);
      clearTimeout(timer);
    }
    return { unfinished: this.active };
  }
}
