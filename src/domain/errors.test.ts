import { describe, expect, it } from 'vitest';
import { errorCodes, httpStatusOf } from './errors.js';

describe('httpStatusOf', () => {
  it('gives every error code of the catalogue a 4xx status, so no domain error becomes a 500; only a lost race is a transient 503', () => {
    for (const code of errorCodes.filter((c) => c !== 'server_busy')) {
      expect(httpStatusOf(code), code).toBeGreaterThanOrEqual(400);
      expect(httpStatusOf(code), code).toBeLessThan(500);
    }
    expect(httpStatusOf('server_busy')).toBe(503);
    expect([httpStatusOf('validation_failed'), httpStatusOf('unauthenticated'), httpStatusOf('forbidden'), httpStatusOf('not_found')]).toEqual([400, 401, 403, 404]);
    expect([httpStatusOf('version_conflict'), httpStatusOf('rate_limited')]).toEqual([409, 429]);
  });
});
