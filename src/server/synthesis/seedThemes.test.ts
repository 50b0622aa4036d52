import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/database.js';
import { importBoardText } from '../imports/boardImport.service.js';
import { openTestDatabase } from '../testing/testApp.js';
import { recomputeThemes } from './themes.service.js';

describe('themes on the imported Bærum workshop', () => {
  let database: DatabaseHandle;
  let workshopId: string;
  const planner = { kind: 'user' as const, userId: '00000000-0000-4000-8000-000000000001', role: 'planner' as const, name: 'P' };

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
    ({ workshopId } = await importBoardText({ text: readFileSync('demo/baerum-2040.txt', 'utf8') }, database.db));
  });
  afterAll(() => database?.close());

  it('[SYN-4] finds a theme about jordvern, matproduksjon and dyrket mark, the same way twice', async () => {
    const first = await recomputeThemes(planner, workshopId, database.db);
    const labels = first.themes.map((theme) => theme.label);
    const farmland = first.themes.find((theme) => ['jordvern', 'matproduksjon', 'dyrket mark', 'matjord', 'landbruk'].filter((term) => theme.label.includes(term)).length >= 2);
    expect(farmland, labels.join('\n')).toBeDefined();
    const second = await recomputeThemes(planner, workshopId, database.db);
    expect(second.themes).toEqual(first.themes);
  });
});
