import { randomUUID } from 'node:crypto';
import { openTestDatabase } from '../src/server/testing/testApp.js';
import { createWorkshopFixture } from '../src/server/testing/workshopFixture.js';
import { executeCommand } from '../src/server/live/commands.service.js';
import { WriteRateLimiter } from '../src/domain/rateLimit.js';
const kind = (process.argv[2] ?? 'postgres') as 'postgres' | 'pglite';
const database = await openTestDatabase(kind);
const fixture = await createWorkshopFixture(database.db);
const limiter = new WriteRateLimiter(1_000_000, 10_000);
const p = fixture.groups[0]!.participants[0]!;
const times: number[] = [];
for (let i = 0; i < 1500; i++) {
  const t0 = performance.now();
  await executeCommand(database.db, limiter, p.actor, fixture.workshopId, randomUUID(), { type: 'note.create', noteId: randomUUID(), posterId: fixture.goalsPosterId, itemIds: [fixture.subGoalIds[0]!], kind: 'comment', text: 'x'.repeat(200) });
  if (i >= 500) times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.floor(q * (times.length - 1))]!.toFixed(3);
console.log(kind, 'sequential note.create ms: p50', at(0.5), 'p90', at(0.9), 'p99', at(0.99));
await database.close();
