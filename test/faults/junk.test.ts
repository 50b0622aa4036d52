import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppWithWorkshop, testDatabaseKinds, type TestApp, type TestUser } from '../../src/server/testing/testApp.js';
import type { WorkshopFixture } from '../../src/server/testing/workshopFixture.js';
import { junkRequests, type JunkRequest } from '../../bench/junk.js';

/** [SAFE-10] Junk over every operation the API documents: any answer but a 5xx. */
const REQUESTS = 2000;

describe.each(testDatabaseKinds)('junk over every OpenAPI operation on %s', { timeout: 300_000 }, (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let fixture: WorkshopFixture;
  beforeAll(async () => {
    ({ t, planner, fixture } = await createAppWithWorkshop(kind));
  });
  afterAll(async () => t?.close());

  it(`[SAFE-10] answers ${REQUESTS} junk requests over every operation without a single 5xx`, async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const ids = [fixture.workshopId, fixture.planId, fixture.groups[0]!.id, fixture.goalsPosterId, fixture.subGoalIds[0]!, fixture.groups[0]!.participants[0]!.id];
    const failures: string[] = [];
    const operations = new Set<string>();
    for (const request of junkRequests(spec, REQUESTS, { ids, seed: 9 })) {
      operations.add(request.operation);
      const response = await t.app.inject({
        method: request.method as 'GET',
        url: request.url,
        headers: { ...(request.authenticated ? planner.headers : {}), ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(request.body !== undefined ? { payload: request.body } : {}),
      });
      if (response.statusCode >= 500) failures.push(describeFailure(request, response.statusCode, response.body));
    }
    expect(operations.size).toBe(countOperations(spec));
    expect(failures).toEqual([]);
  });
});

function describeFailure(request: JunkRequest, status: number, body: string): string {
  return `${status} ${request.method} ${request.url.slice(0, 120)} ${String(request.body).slice(0, 120)} → ${body.slice(0, 200)}`;
}

function countOperations(spec: { paths: Record<string, Record<string, unknown>> }): number {
  return Object.values(spec.paths).reduce((sum, methods) => sum + Object.keys(methods).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).length, 0);
}
