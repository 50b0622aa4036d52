import { describe, expect, it } from 'vitest';
import { poolMaxFromEnv, writeLanesFromEnv } from './database.js';

describe('database settings from the environment', () => {
  it('uses 20 connections and 4 write lanes when nothing is set', () => {
    expect(poolMaxFromEnv({})).toBe(20);
    expect(writeLanesFromEnv({ INNSPILL_WRITE_LANES: '' })).toBe(4);
  });

  it('takes a whole number within the limits', () => {
    expect(poolMaxFromEnv({ INNSPILL_DB_POOL_MAX: '30' })).toBe(30);
    expect(writeLanesFromEnv({ INNSPILL_WRITE_LANES: '8' })).toBe(8);
  });

  it.each(['0', '65', '2.5', 'many'])('refuses INNSPILL_WRITE_LANES=%s, naming the setting', (value) => {
    expect(() => writeLanesFromEnv({ INNSPILL_WRITE_LANES: value })).toThrow(`INNSPILL_WRITE_LANES must be a whole number from 1 to 64, got "${value}"`);
  });

  it('refuses a pool of 1,001 connections', () => {
    expect(() => poolMaxFromEnv({ INNSPILL_DB_POOL_MAX: '1001' })).toThrow('INNSPILL_DB_POOL_MAX must be a whole number from 1 to 1000');
  });
});
