import { describe, expect, it } from 'vitest';
import { WriteRateLimiter } from './rateLimit.js';

describe('WriteRateLimiter', () => {
  it('[LIVE-9] allows 30 writes in 10 s and refuses the 31st with the seconds to wait', () => {
    let now = 0;
    const limiter = new WriteRateLimiter(30, 10_000, () => now);
    for (let i = 0; i < 30; i++) {
      now += 100;
      expect(limiter.take('p1')).toBe(0);
    }
    expect(limiter.take('p1')).toBe(8);
    expect(limiter.take('p2')).toBe(0);
    now += 8_000;
    expect(limiter.take('p1')).toBe(0);
  });
});
