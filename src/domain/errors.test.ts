import { describe, expect, it } from 'vitest';
import { errorCodes, httpStatusOf } from './errors.js';

describe('httpStatusOf', () => {
  it('gives every error code of the catalogue a 4xx status, so no domain error becomes a 500', () => {
    for (const code of errorCodes) {
      expect(httpStatusOf(code), code).toBeGreaterThanOrEqual(400);
      expect(httpStatusOf(code), code).toBeLessThan(500);
    }
    expect([httpStatusOf('validation_failed'), httpStatusOf('unauthenticated'), httpStatusOf('forbidden'), httpStatusOf('not_found')]).toEqual([400, 401, 403, 404]);
    expect([httpStatusOf('version_conflict'), httpStatusOf('rate_limited')]).toEqual([409, 429]);
  });
});
