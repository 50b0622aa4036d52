import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { executeCommand } from '../live/commands.service.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { createWorkshopFixture, type WorkshopFixture } from '../testing/workshopFixture.js';
import type { AuditAction, AuditPage } from '../../contract/audit.schema.js';

describe.each(testDatabaseKinds)('audit trail on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let facilitator: TestUser;
  let fixture: WorkshopFixture;
  const limiter = new WriteRateLimiter(10_000, 10_000);
  const noteIds = [randomUUID(), randomUUID()];

  const call = (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, user?: TestUser, payload?: unknown) =>
    t.app.inject({ method, url, headers: user?.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const trail = async (query = '') => expectStatus<AuditPage>(await call('GET', `/api/audit${query}`, planner), 200);
  const actionsIn = (page: AuditPage) => page.entries.map((entry) => entry.action);

  beforeAll(async () => {
    t = await createTestApp(kind);
    planner = await t.user('planner', 'Plan Leggersen');
    facilitator = await t.user('facilitator');
    fixture = await createWorkshopFixture(t.database.db);
    const [stein, dina] = fixture.groups[0]!.participants;
    for (const [index, author] of [stein!, dina!].entries()) {
      await executeCommand(t.database.db, limiter, author.actor, fixture.workshopId, randomUUID(), {
        type: 'note.create',
        noteId: noteIds[index]!,
        posterId: fixture.goalsPosterId,
        itemIds: [],
        kind: 'comment',
        text: '=HYPERLINK("http://x") Jordvern',
      });
    }
  });
  afterAll(() => t?.close());

  it('[AUDIT-3] only planners read the trail: 401 without a session, 403 for a facilitator', async () => {
    expect((await call('GET', '/api/audit')).statusCode).toBe(401);
    expect((await call('GET', '/api/audit.csv')).statusCode).toBe(401);
    expect((await call('GET', '/api/audit', facilitator)).statusCode).toBe(403);
    expect((await call('GET', '/api/audit.csv', facilitator)).statusCode).toBe(403);
    expect((await call('GET', '/api/audit', planner)).statusCode).toBe(200);
  });

  it('[AUDIT-1] every planner action that changes data or shows personal data leaves one entry, naming who', async () => {
    const [noteA, noteB] = noteIds as [string, string];
    const [stein, dina] = fixture.groups[0]!.participants;
    const item = await t.database.db.selectFrom('items').select(['id', 'version']).where('id', '=', fixture.subGoalIds[0]!).executeTakeFirstOrThrow();
    const steps: Array<[AuditAction, () => Promise<unknown>]> = [
      ['assessment.set', () => call('PUT', `/api/notes/${noteA}/assessment`, planner, { status: 'accepted', justification: 'Godt innspill' })],
      ['assessment.bulk', () => call('POST', `/api/workshops/${fixture.workshopId}/assessments`, planner, { noteIds: [noteA, noteB], status: 'partly', justification: 'Delvis' })],
      ['assessment.cleared', () => call('DELETE', `/api/notes/${noteB}/assessment`, planner)],
      ['revision.recorded', () => call('PATCH', `/api/items/${item.id}`, planner, { text: 'Jordvern i alle ledd', version: item.version })],
      ['duplicate.merged', () => call('POST', `/api/notes/${noteB}/duplicate-of`, planner, { keepNoteId: noteA })],
      ['duplicate.unmerged', () => call('DELETE', `/api/notes/${noteB}/duplicate-of`, planner)],
      [
        'note.placed',
        () =>
          executeCommand(t.database.db, limiter, fixture.planner.actor, fixture.workshopId, randomUUID(), {
            type: 'note.move',
            noteId: noteA,
            itemIds: [fixture.subGoalIds[1]!],
          }),
      ],
      ['participant.exported', () => call('GET', `/api/participants/${stein!.id}/data`, planner)],
      ['participant.anonymised', () => call('POST', `/api/participants/${dina!.id}/anonymise`, planner)],
      ['report.downloaded', () => call('GET', `/api/workshops/${fixture.workshopId}/report.csv`, planner)],
      ['workshop.exported', () => call('GET', `/api/workshops/${fixture.workshopId}/export.json`, planner)],
      ['invitation.created', () => call('POST', '/api/auth/invitations', planner, { role: 'facilitator' })],
      ['group.merged', () => call('POST', `/api/workshops/${fixture.workshopId}/groups/${fixture.groups[1]!.id}/merge`, planner, { intoGroupId: fixture.groups[0]!.id })],
    ];
    for (const [action, run] of steps) {
      const answer = (await run()) as { statusCode?: number; body?: string };
      if (answer.statusCode !== undefined) expect(answer.statusCode, `${action}: ${answer.body?.slice(0, 200)}`).toBeLessThan(300);
      const newest = (await trail('?limit=1')).entries[0]!;
      expect(newest.action, action).toBe(action);
      expect(newest.workshopId === null || newest.workshopId === fixture.workshopId).toBe(true);
      if (action !== 'note.placed') expect(newest.actorName).toBe('Plan Leggersen');
    }
    // No participant's name or lapp text ever reaches the trail.
    const all = JSON.stringify(await trail('?limit=500'));
    for (const name of ['Stein', 'Dina', 'Jordvern']) expect(all).not.toContain(name);
  });

  it('[AUDIT-1] a refused action leaves no entry', async () => {
    const before = (await trail('?limit=1')).entries[0]!.id;
    expect((await call('PUT', `/api/notes/${noteIds[0]}/assessment`, facilitator, { status: 'rejected', justification: 'Nei' })).statusCode).toBe(403);
    expect((await call('GET', `/api/workshops/${fixture.workshopId}/report.docx`, facilitator)).statusCode).toBe(403);
    expect((await trail('?limit=1')).entries[0]!.id).toBe(before);
  });

  it('[AUDIT-3] filters by who, action and date range, and pages', async () => {
    const planners = await trail();
    const me = planners.actors.find((a) => a.name === 'Plan Leggersen')!;
    expect(me).toBeDefined();
    const mine = await trail(`?actor=${me.id}`);
    expect(mine.entries.length).toBeGreaterThan(5);
    expect(mine.entries.every((e) => e.actorUserId === me.id)).toBe(true);
    const revisions = await trail('?action=revision.recorded');
    expect(actionsIn(revisions)).toEqual(['revision.recorded']);
    const today = new Date().toISOString().slice(0, 10);
    expect((await trail(`?from=${today}&to=${today}`)).entries.length).toBe(planners.entries.length);
    expect((await trail('?from=2000-01-01&to=2000-01-31')).entries).toEqual([]);
    const first = await trail('?limit=2');
    expect(first.nextBefore).toBe(first.entries[1]!.id);
    const next = await trail(`?limit=2&before=${first.nextBefore}`);
    expect(next.entries[0]!.id).toBeLessThan(first.nextBefore!);
    expect((await call('GET', '/api/audit?from=yesterday', planner)).statusCode).toBe(400);
    expect((await call('GET', '/api/audit?action=drop.table', planner)).statusCode).toBe(400);
  });

  it('[AUDIT-4] exports the filtered trail as CSV with a BOM, ";" and formula-looking cells disarmed', async () => {
    await t.database.db
      .insertInto('audit_log')
      .values({ actor_user_id: null, actor_name: '=cmd|calc', actor_role: 'system', action: 'moderation', workshop_id: null, target_type: null, target_id: null, detail: '{}' })
      .execute();
    const answer = await call('GET', '/api/audit.csv?action=moderation', planner);
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toContain('text/csv');
    expect(answer.body.startsWith('\uFEFFTidspunkt;Hvem;')).toBe(true);
    const lines = answer.body.trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(";'=cmd|calc;");
    // Downloading the trail is itself recorded.
    expect((await trail('?limit=1')).entries[0]).toMatchObject({ action: 'report.downloaded', targetType: 'audit_log' });
  });

  it('[AUDIT-5] the CSV writes the details as readable "key: value" text, and the action and headings in the person\'s language', async () => {
    await t.database.db
      .insertInto('audit_log')
      .values({ actor_user_id: null, actor_name: 'Importen', actor_role: 'system', action: 'group.merged', workshop_id: null, target_type: 'group', target_id: 'g-1', detail: JSON.stringify({ intoGroupId: 'g-2', rows: [1, 2] }) })
      .execute();
    const rowOf = (body: string) => body.trim().split('\r\n').find((line) => line.includes(';Importen;'))!;
    const nb = await call('GET', '/api/audit.csv?action=group.merged', planner);
    expect(nb.statusCode).toBe(200);
    expect(rowOf(nb.body)).toContain(';Grupper slått sammen;');
    expect(rowOf(nb.body).split(';').at(-1)).toBe('intoGroupId: g-2, rows: 1, 2');
    expect(nb.body).not.toContain('{"');
    const en = await call('GET', '/api/audit.csv?action=group.merged&lang=en', planner);
    expect(en.body.startsWith('\uFEFFTime;Who;')).toBe(true);
    expect(rowOf(en.body)).toContain(';Groups merged;');
    expect((await call('GET', '/api/audit.csv?lang=xx', planner)).statusCode).toBe(400);
  });

  it('[AUDIT-2] an entry cannot be changed or deleted: no route, and the database refuses', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST'] as const) {
      expect((await call(method, '/api/audit', planner, method === 'DELETE' ? undefined : {})).statusCode).toBe(404);
      expect((await call(method, '/api/audit/1', planner, method === 'DELETE' ? undefined : {})).statusCode).toBe(404);
    }
    const db = t.database.db;
    await expect(db.updateTable('audit_log').set({ actor_name: 'Noen andre' }).execute()).rejects.toThrow(/append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only/);
    expect((await trail('?limit=500')).entries.some((e) => e.actorName === 'Noen andre')).toBe(false);
  });
});
