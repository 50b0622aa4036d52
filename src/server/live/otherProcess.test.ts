import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProcessDatabase, plannerSession, runCliToEnd, startServerProcess, watchWorkshop, type ServerProcess } from '../testing/serverProcess.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';

const { DATABASE_URL } = process.env;
if (!DATABASE_URL && process.env.CI === 'true') throw new Error('CI must set DATABASE_URL for the test of writes from another process');

// PostgreSQL only: an embedded PGlite folder has one owning process, so no other process writes to it.
describe.skipIf(!DATABASE_URL)('[LIVE-22] writes of another process on PostgreSQL (the CLI) reach a running server’s devices', () => {
  let created: Awaited<ReturnType<typeof createProcessDatabase>>;
  let server: ServerProcess;
  let fixture: WorkshopFixture;
  let planner: { cookie: string; csrfToken: string };

  beforeAll(async () => {
    created = await createProcessDatabase('innspill_cli');
    fixture = await createWorkshopFixture(created.database.db);
    // Items a lapp can be placed on by its words.
    await created.database.db.updateTable('items').set({ text: 'Alle barn og unge skal ha trygge oppvekstvilkår i nærmiljøet' }).where('id', '=', fixture.subGoalIds[0]!).execute();
    await created.database.db.updateTable('items').set({ text: 'Kollektivtransport og sykkelveier til alle skoler' }).where('id', '=', fixture.subGoalIds[1]!).execute();
    planner = await plannerSession(created.database.db);
    // No REDIS_URL: only PostgreSQL can tell this server what the CLI wrote.
    server = await startServerProcess({ DATABASE_URL: created.url, REDIS_URL: '' });
  }, 90_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await created?.drop();
  });

  it('[LIVE-22][IMPORT-5] a lapper CSV imported and placements accepted by the CLI reach an open socket', async () => {
    const device = await watchWorkshop(server.url, planner.cookie, fixture.workshopId);
    const folder = await mkdtemp(path.join(tmpdir(), 'innspill-cli-'));
    const csv = path.join(folder, 'lapper.csv');
    await writeFile(csv, 'gruppe;plakat;punkt;forfatter;type;tekst\nGruppe 1;Sosial bærekraft / Del 1;;Stein;;Trygge oppvekstvilkår for barn og unge (delmål 1)\n', 'utf8');
    const env = { DATABASE_URL: created.url, REDIS_URL: '' };

    const imported = await runCliToEnd(['import', 'csv', fixture.workshopId, csv], env);
    expect(imported.code, imported.output).toBe(0);
    await device.waitFor(() => device.received.some((m) => m.type === 'snapshot' && m.snapshot.notes.some((n) => n.text.startsWith('Trygge oppvekstvilkår'))));
    const noteId = (await created.database.db.selectFrom('notes').select('id').where('workshop_id', '=', fixture.workshopId).executeTakeFirstOrThrow()).id;
    // As a board-text import leaves a lapp found beside the poster: not placed yet.
    await created.database.db.updateTable('notes').set({ placed: false }).where('id', '=', noteId).execute();

    const accepted = await runCliToEnd(['place', 'accept', fixture.workshopId], env);
    expect(accepted.code, accepted.output).toBe(0);
    expect(accepted.output, 'placed by the CLI').toMatch(/^1$/m);
    await device.waitFor(() => device.received.some((m) => m.type === 'event' && m.event.type === 'note.moved' && m.event.noteId === noteId));
    const moved = device.received.find((m) => m.type === 'event' && m.event.type === 'note.moved');
    expect(moved).toMatchObject({ event: { itemIds: [fixture.subGoalIds[0]] } });
    device.socket.close();
  }, 60_000);
});
