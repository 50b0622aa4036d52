import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { WriteRateLimiter } from '../domain/rateLimit.js';
import { ACCEPT_ROWS_MAX } from '../contract/placement.schema.js';

/**
 * A sliding-window budget per key (a participant, a user, an address), shared by every process
 * that uses the same store ([SAFE-6]): Redis when REDIS_URL is set, this process's memory otherwise.
 */
export interface LimitStore {
  /** Counts one hit on `key`; resolves 0 when allowed, else the whole seconds to wait. */
  take(key: string, limit: number, windowMs: number): Promise<number>;
  /** Resolves when the store answers; throws when it does not (health check). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryLimitStore implements LimitStore {
  private readonly windows = new Map<string, WriteRateLimiter>();

  async take(key: string, limit: number, windowMs: number): Promise<number> {
    const name = `${limit}/${windowMs}`;
    let limiter = this.windows.get(name);
    if (!limiter) this.windows.set(name, (limiter = new WriteRateLimiter(limit, windowMs)));
    return limiter.take(key);
  }

  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

// One sorted set per key; Redis's own clock, so processes on hosts with skewed clocks agree.
const SLIDING_WINDOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, math.ceil((tonumber(oldest[2]) + window - now) / 1000))
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return 0`;

export class RedisLimitStore implements LimitStore {
  readonly client: Redis;

  constructor(
    url: string,
    /** Separates deployments (and test runs) sharing one Redis. */
    readonly prefix = 'innspill:limit:',
  ) {
    this.client = new Redis(url, { maxRetriesPerRequest: 2 });
  }

  async take(key: string, limit: number, windowMs: number): Promise<number> {
    // The member must be unique per hit, also across stores and processes hitting in the same millisecond.
    const member = randomUUID();
    const wait = await this.client.eval(SLIDING_WINDOW, 1, `${this.prefix}${limit}/${windowMs}:${key}`, windowMs, limit, member);
    return Number(wait);
  }

  async ping(): Promise<void> {
    await this.client.ping();
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }
}

export function openLimitStore(redisUrl: string | undefined, prefix?: string): LimitStore {
  return redisUrl ? new RedisLimitStore(redisUrl, prefix) : new MemoryLimitStore();
}

/** The live write limit ([LIVE-9]): `writesPer10Seconds` per participant or user, in the shared store. */
export interface WriteLimiter {
  /** 0 when allowed, else the seconds to wait; a plain WriteRateLimiter fits too (tests). */
  take(key: string): number | Promise<number>;
}

export const writeLimiter = (store: LimitStore, writesPer10Seconds: number): WriteLimiter => ({
  take: (key) => store.take(`write:${key}`, writesPer10Seconds, 10_000),
});

/** The most lapper one bulk accept places ([PLACE-12]): a seed workshop has about 550, a large one a few thousand. */
export const BULK_ACCEPT_MAX = ACCEPT_ROWS_MAX;

/**
 * [PLACE-12] The write limit of one bulk accept: its own budget of `count` commands (at most
 * BULK_ACCEPT_MAX), one per lapp, instead of a device's limit per 10 s, which is for people typing.
 * Whatever would go past the budget is refused as any limited write is.
 */
export function bulkAcceptBudget(count: number): WriteLimiter {
  let left = Math.min(count, BULK_ACCEPT_MAX);
  return { take: () => (left-- > 0 ? 0 : 10) };
}
