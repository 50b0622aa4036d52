/**
 * A sliding-window limit per key (a participant, a user): `limit` writes per `windowMs`.
 * Pure apart from the clock it is given, so it is tested without waiting.
 */
export class WriteRateLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts a write; returns 0 when allowed, else the seconds to wait. */
  take(key: string): number {
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return Math.max(1, Math.ceil((recent[0]! + this.windowMs - now) / 1000));
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.forgetIdle(now);
    return 0;
  }

  private forgetIdle(now: number): void {
    for (const [key, times] of this.hits) if (times.every((at) => at <= now - this.windowMs)) this.hits.delete(key);
  }
}
