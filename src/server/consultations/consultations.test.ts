import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Consultation, Follow, ModerationEntry, PublicConsultation, Submission, SubmissionReceipt, TimelineStep } from '../../contract/consultation.schema.js';
import type { Plan, Revision } from '../../contract/plans.schema.js';
import { WriteRateLimiter } from '../../domain/rateLimit.js';
import { executeCommand } from '../live/commands.service.js';
import { editItem } from '../plans/plans.service.js';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { MemoryLimitStore, RedisLimitStore } from '../limits.js';
import { validateConsultationExport } from '../testing/exportContract.js';
import { createWorkshopFixture, lappFor } from '../testing/workshopFixture.js';
import { PARTICIPANT_COOKIE, participantCsrfToken, signParticipantCookie } from '../workshops/participantSession.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { multipartBody, pdfFile, planForConsultation, type FormFile } from './consultationFixture.js';
import { submissionCommitOf, type NewSubmission } from './submissionCommit.js';

describe.each(testDatabaseKinds)('consultations on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  let facilitator: TestUser;
  let plan: Plan;
  let open: Consultation;

  beforeAll(async () => {
    // A generous address budget here; [CONS-7] has its own app with a small one.
    t = await createTestApp(kind, { submissionsPerHour: 10_000 });
    planner = await t.user('planner');
    facilitator = await t.user('facilitator');
    plan = await planForConsultation(t, planner);
    open = await openConsultation({ title: 'Høring av samfunnsdelen' });
  });
  afterAll(() => t?.close());

  const call = (user: TestUser | null, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: user?.headers, payload });

  async function openConsultation(body: object): Promise<Consultation> {
    return expectStatus<Consultation>(await call(planner, 'POST', `/api/plans/${plan.id}/consultations`, body), 201);
  }

  /** A checked submission as the route hands it to the group commit. */
  const newSubmission = (consultationId: string, name: string): NewSubmission => ({
    row: {
      id: randomUUID(),
      consultation_id: consultationId,
      follow_token_hash: randomUUID(),
      name,
      email: null,
      organisation: null,
      role: 'private',
      text: `Innspill fra ${name}`,
      hidden_reason: null,
      copy_of: null,
      split_from: null,
      submitted_at: new Date(),
    },
    itemIds: [],
    attachments: [],
  });

  const items = () => plan.perspectives[0]!.items;
  const strategy = (n: number) => items().filter((item) => item.kind === 'strategy')[n - 1]!;

  function submit(consultationId: string, fields: Record<string, string | string[]>, files: FormFile[] = []) {
    const { payload, headers } = multipartBody(fields, files);
    return t.app.inject({ method: 'POST', url: `/api/consultations/${consultationId}/submissions`, payload, headers });
  }

  describe('opening and closing', () => {
    it('[CONS-2] opens now and closes six weeks later by default, with a public address', async () => {
      const opensAt = new Date(open.opensAt).getTime();
      expect(new Date(open.closesAt).getTime() - opensAt).toBe(42 * 24 * 3600 * 1000);
      expect(open.state).toBe('open');
      expect(open.publicUrl).toMatch(new RegExp(`/consultations/${open.id}$`));
    });

    it('answers 401 to strangers and 403 to facilitators who try to open one', async () => {
      expect((await call(null, 'POST', `/api/plans/${plan.id}/consultations`, { title: 'x' })).statusCode).toBe(401);
      const refused = await call(facilitator, 'POST', `/api/plans/${plan.id}/consultations`, { title: 'x' });
      expect(refused.statusCode).toBe(403);
    });

    it('refuses a closing before the opening, naming the field', async () => {
      const response = await call(planner, 'POST', `/api/plans/${plan.id}/consultations`, {
        title: 'Baklengs',
        opensAt: '2030-01-10T00:00:00Z',
        closesAt: '2030-01-01T00:00:00Z',
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.fields[0].path).toBe('closesAt');
    });

    it('[CONS-1] keeps the text it opened on when the plan is revised later, with the same item ids', async () => {
      const consultation = await openConsultation({ title: 'Frosset' });
      const item = strategy(1);
      expectStatus(await call(planner, 'PATCH' as 'PUT', `/api/items/${item.id}`, { text: 'Ny tekst etter høringen', version: item.version }), 200);
      const publicView = expectStatus<PublicConsultation>(await call(null, 'GET', `/api/public/consultations/${consultation.id}`), 200);
      const frozen = publicView.plan.perspectives[0]!.items.find((i) => i.id === item.id)!;
      expect(frozen.text).toBe('Vi styrker samarbeidet med frivilligheten');
      expect(frozen.number).toBe(1);
      plan = expectStatus<Plan>(await call(planner, 'GET', `/api/plans/${plan.id}`), 200);
    });

    it('[CONS-1] lists workshops and consultations of the plan as one timeline', async () => {
      const steps = expectStatus<TimelineStep[]>(await call(planner, 'GET', `/api/plans/${plan.id}/timeline`), 200);
      expect(steps.filter((s) => s.kind === 'consultation').map((s) => s.id)).toContain(open.id);
    });

    it('[CONS-3] closing stops input; the refusal is 403 with the dates', async () => {
      const consultation = await openConsultation({ title: 'Stenges' });
      const closed = expectStatus<Consultation>(await call(planner, 'POST', `/api/consultations/${consultation.id}/close`), 200);
      expect(closed.state).toBe('closed');
      const response = await submit(consultation.id, { name: 'Kari', text: 'For sent' });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('consultation_closed');
      expect(response.json().error.current).toEqual({ opensAt: closed.opensAt, closesAt: closed.closesAt });
    });

    it('[CONS-3] a consultation not yet open refuses with 403 and its dates', async () => {
      const later = await openConsultation({ title: 'Senere', opensAt: '2099-01-01T00:00:00Z' });
      const response = await submit(later.id, { name: 'Kari', text: 'For tidlig' });
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('consultation_not_open');
      expect(response.json().error.current.opensAt).toBe('2099-01-01T00:00:00.000Z');
    });

    it('[CONS-25] a consultation closed by another process while a file uploads refuses at the commit, after the body, with 403 and nothing left', async () => {
      const consultation = await openConsultation({ title: 'Stenges fra skallet' });
      expectStatus(await submit(consultation.id, { name: 'Kari', text: 'I tide' }), 201);
      const incoming = path.join(t.attachmentsDir, 'incoming');
      const waiting = async () => (await readdir(incoming).catch(() => [] as string[])).length;
      const waitingBefore = await waiting();
      const { payload, headers } = multipartBody({ name: 'Ola', text: 'For sent' }, [{ name: 'brev.pdf', content: pdfFile(256 * 1024) }]);
      const body = new PassThrough();
      const answer = t.app.inject({ method: 'POST', url: `/api/consultations/${consultation.id}/submissions`, payload: body, headers });
      body.write(payload.subarray(0, payload.length - 64 * 1024));
      // The file streams in, so the early check said "open" (whatever it kept): only now is the
      // consultation closed, as `innspill consultation close` would from another process.
      for (const end = Date.now() + 10_000; (await waiting()) === waitingBefore; ) {
        if (Date.now() > end) throw new Error('the upload never started');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const closesAt = new Date(Date.now() - 1000);
      await t.database.db.updateTable('consultations').set({ opens_at: new Date(Date.now() - 60_000), closes_at: closesAt }).where('id', '=', consultation.id).execute();
      body.end(payload.subarray(payload.length - 64 * 1024));
      const response = await answer;
      expect(response.statusCode, response.body).toBe(403);
      expect(response.json().error).toMatchObject({ code: 'consultation_closed', current: { closesAt: closesAt.toISOString() } });
      const rows = await t.database.db.selectFrom('submissions').select('name').where('consultation_id', '=', consultation.id).execute();
      expect(rows.map((row) => row.name)).toEqual(['Kari']);
      expect(await waiting()).toBe(waitingBefore);
      // Its file was put in place before the commit refused it, and removed.
      expect(await readdir(path.join(t.attachmentsDir, consultation.id))).toEqual([]);
    });
  });

  describe('submissions', () => {
    it('[CONS-24] submissions arriving together share transactions: each is answered after its commit, one refused does not hold back the others', async () => {
      const closing = await openConsultation({ title: 'Lukkes midt i' });
      expectStatus(await submit(closing.id, { name: 'Tidlig', text: 'I tide' }), 201);
      const year = new Date().getUTCFullYear();
      const counter = await t.database.db.selectFrom('consultation_reference_counters').select('last').where('year', '=', year).executeTakeFirst();
      const before = Number(counter?.last ?? 0);
      const arriving = Array.from({ length: 12 }, (_, i) => submit(open.id, { name: `Samtidig ${i}`, text: `Innspill ${i}` }));
      // One of the same moment is for a consultation closed behind the process's back: refused at the commit.
      await t.database.db.updateTable('consultations').set({ opens_at: new Date(Date.now() - 60_000), closes_at: new Date(Date.now() - 1000) }).where('id', '=', closing.id).execute();
      const refused = submit(closing.id, { name: 'Sen', text: 'For sent' });
      const receipts = await Promise.all(arriving.map(async (r) => expectStatus<SubmissionReceipt>(await r, 201)));
      expect((await refused).statusCode).toBe(403);
      // Every receipt names a stored row: the answer came after the commit.
      const stored = await t.database.db.selectFrom('submissions').select(['id', 'reference']).where('id', 'in', receipts.map((r) => r.id)).execute();
      expect(new Map(stored.map((row) => [row.id, row.reference]))).toEqual(new Map(receipts.map((r) => [r.id, r.reference])));
      const numbers = receipts.map((r) => Number(r.reference.split('-')[1])).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => before + 1 + i));

      // Submissions that reach the commit in the same turn share one transaction, numbered in
      // arrival order; the one refused in it is refused alone. (Over HTTP how many meet depends on
      // timing: on PGlite they rarely overlap at all.)
      const together = Array.from({ length: 12 }, (_, i) => newSubmission(open.id, `Sammen ${i}`));
      const commit = submissionCommitOf(t.database.db);
      const settled = await Promise.allSettled([...together.slice(0, 6), newSubmission(closing.id, 'Sen igjen'), ...together.slice(6)].map((s) => commit.submit(s)));
      expect(settled[6]).toMatchObject({ status: 'rejected', reason: { code: 'consultation_closed' } });
      const references = settled.filter((r) => r.status === 'fulfilled').map((r) => r.value);
      expect(references).toHaveLength(12);
      const rows = await sql<{ tx: string; name: string; reference: string }>`
        select xmin::text as tx, name, reference from submissions where id = any(${together.map((s) => s.row.id)}::uuid[]) order by reference`.execute(t.database.db);
      expect(rows.rows.map((row) => row.name)).toEqual(together.map((s) => s.row.name));
      expect(rows.rows.map((row) => row.reference)).toEqual(references);
      expect(new Set(rows.rows.map((row) => row.tx)).size).toBe(1);
    });

    it('[CONS-5] takes a submission with items and a PDF and answers 201 with a reference and a follow link', async () => {
      const response = await submit(
        open.id,
        { name: 'Kari Nordmann', email: 'kari@example.no', organisation: 'Velforeningen', role: 'organisation', itemIds: [strategy(1).id, strategy(2).id], text: 'Flere møteplasser, takk.' },
        [{ name: 'brev.pdf', content: pdfFile(2000) }],
      );
      const receipt = expectStatus<SubmissionReceipt>(response, 201);
      expect(receipt.reference).toMatch(new RegExp(`^${new Date().getUTCFullYear()}-\\d{4}$`));
      expect(receipt.followUrl).toMatch(/\/follow\/[\w-]{20,}$/);
      const queue = expectStatus<Submission[]>(await call(planner, 'GET', `/api/consultations/${open.id}/submissions`), 200);
      const stored = queue.find((s) => s.id === receipt.id)!;
      expect(stored.status).toBe('pending');
      expect(stored.itemIds.sort()).toEqual([strategy(1).id, strategy(2).id].sort());
      expect(stored.attachments).toHaveLength(1);
      expect(stored.attachments[0]).toMatchObject({ name: 'brev.pdf', mediaType: 'application/pdf', bytes: 2000 });
      expect(stored.attachments[0]!.sha256).toBe(createHash('sha256').update(pdfFile(2000)).digest('hex'));
      const followed = expectStatus<Follow>(await call(null, 'GET', `/api/follow/${receipt.followUrl.split('/follow/')[1]}`), 200);
      expect(followed).toMatchObject({ reference: receipt.reference, status: 'pending' });
    });

    it('[CONS-4] numbers submissions one after another within the year, also when they arrive at once', async () => {
      const receipts = await Promise.all(
        Array.from({ length: 6 }, (_, i) => submit(open.id, { name: `Person ${i}`, text: `Innspill ${i}` }).then((r) => expectStatus<SubmissionReceipt>(r, 201))),
      );
      const numbers = receipts.map((r) => Number(r.reference.split('-')[1])).sort((a, b) => a - b);
      expect(new Set(numbers).size).toBe(6);
      expect(numbers[5]! - numbers[0]!).toBe(5);
    });

    it('[CONS-5] empty text and no file → 400 naming the field "text"', async () => {
      const response = await submit(open.id, { name: 'Kari', text: '   ' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.fields).toEqual([{ path: 'text', message: expect.any(String) }]);
    });

    it('[CONS-5] a missing name → 400 naming "name"; an unknown item → 400 naming "itemIds"', async () => {
      expect((await submit(open.id, { text: 'Uten navn' })).json().error.fields[0].path).toBe('name');
      const unknown = await submit(open.id, { name: 'Kari', text: 'x', itemIds: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().error.fields[0].path).toBe('itemIds');
    });

    it('[CONS-5] a file alone is enough', async () => {
      expectStatus(await submit(open.id, { name: 'Kari', text: '' }, [{ name: 'uttalelse.pdf', content: pdfFile() }]), 201);
    });

    it('[CONS-5] more than 5 files → 400 on "files", and nothing is stored', async () => {
      const before = expectStatus<Submission[]>(await call(planner, 'GET', `/api/consultations/${open.id}/submissions`), 200).length;
      const files = Array.from({ length: 6 }, (_, i) => ({ name: `v${i}.pdf`, content: pdfFile() }));
      const response = await submit(open.id, { name: 'Kari', text: 'Seks vedlegg' }, files);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.fields[0].path).toBe('files');
      expect(expectStatus<Submission[]>(await call(planner, 'GET', `/api/consultations/${open.id}/submissions`), 200)).toHaveLength(before);
    });

    it('[CONS-5] a stranger may send files larger than the 64 KB other anonymous bodies get ([SAFE-3])', async () => {
      expectStatus(await submit(open.id, { name: 'Kari', text: 'Stort brev' }, [{ name: 'brev.pdf', content: pdfFile(3 * 1024 * 1024) }]), 201);
    });

    it('[CONS-5] a file over 10 MB → 413 naming the file, and nothing is left in the store', async () => {
      const response = await submit(open.id, { name: 'Kari', text: 'Stort' }, [{ name: 'stor.pdf', content: pdfFile(10 * 1024 * 1024 + 1) }]);
      expect(response.statusCode).toBe(413);
      expect(response.json().error).toMatchObject({ code: 'payload_too_large', fields: [{ path: 'files' }] });
      const incoming = await readdir(path.join(t.attachmentsDir, 'incoming')).catch(() => []);
      expect(incoming).toEqual([]);
    });

    it('[CONS-8][OPS-7] a submission refused after its files arrived (an unknown item, an empty file) leaves nothing in the store', async () => {
      // An empty file has no type to judge: 415 like any unknown type.
      const unknownItem = await submit(open.id, { name: 'Kari', text: 'Om noe', itemIds: randomUUID() }, [{ name: 'brev.pdf', content: pdfFile() }]);
      expect(unknownItem.statusCode).toBe(400);
      expect(unknownItem.json().error.fields[0].path).toBe('itemIds');
      const empty = await submit(open.id, { name: 'Kari', text: 'Tomt vedlegg' }, [{ name: 'tom.pdf', content: Buffer.alloc(0) }]);
      expect(empty.statusCode).toBe(415);
      expect(await readdir(path.join(t.attachmentsDir, 'incoming')).catch(() => [])).toEqual([]);
    });

    it('[CONS-6] an executable or an HTML page named .pdf → 415', async () => {
      for (const content of [Buffer.from('MZ\x90\x00\x03\x00\x00\x00this program cannot be run', 'latin1'), Buffer.from('<html><script>alert(1)</script></html>')]) {
        const response = await submit(open.id, { name: 'Kari', text: 'Se vedlegg' }, [{ name: 'brev.pdf', content, type: 'application/pdf' }]);
        expect(response.statusCode).toBe(415);
        expect(response.json().error.code).toBe('unsupported_media_type');
      }
    });

    it('[CONS-7] a filled-in honeypot field is refused and nothing is stored', async () => {
      const response = await submit(open.id, { name: 'Bot', text: 'Kjøp billige klokker', website: 'http://spam.example' });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.fields[0].path).toBe('website');
    });

    it('[CONS-8] markup is stored as typed and comes back as text', async () => {
      const text = '<script>alert("x")</script> & <b>fet</b>';
      const receipt = expectStatus<SubmissionReceipt>(await submit(open.id, { name: '<img src=x onerror=alert(1)>', text }), 201);
      const stored = expectStatus<Submission[]>(await call(planner, 'GET', `/api/consultations/${open.id}/submissions`), 200).find((s) => s.id === receipt.id)!;
      expect(stored.text).toBe(text);
      expect(stored.name).toBe('<img src=x onerror=alert(1)>');
    });

    it('is described in the OpenAPI document as multipart/form-data', async () => {
      const doc = expectStatus<{ paths: Record<string, { post?: { requestBody?: { content: Record<string, unknown> } } }> }>(await call(null, 'GET', '/api/openapi.json'), 200);
      const post = doc.paths['/api/consultations/{id}/submissions']!.post!;
      expect(Object.keys(post.requestBody!.content)).toEqual(['multipart/form-data']);
    });
  });

  describe('[CONS-7] the per-address limit', () => {
    it('refuses the address past its budget with 429 and Retry-After', async () => {
      const small = await createTestApp(kind, { submissionsPerHour: 2, limits: new MemoryLimitStore() });
      try {
        const p = await planForConsultation(small, await small.user('planner'));
        const c = expectStatus<Consultation>(
          await small.app.inject({ method: 'POST', url: `/api/plans/${p.id}/consultations`, headers: (await small.user('planner')).headers, payload: { title: 'Liten' } }),
          201,
        );
        const send = () => {
          const { payload, headers } = multipartBody({ name: 'Kari', text: 'Hei' });
          return small.app.inject({ method: 'POST', url: `/api/consultations/${c.id}/submissions`, payload, headers });
        };
        expect((await send()).statusCode).toBe(201);
        expect((await send()).statusCode).toBe(201);
        const third = await send();
        expect(third.statusCode).toBe(429);
        expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        await small.close();
      }
      // A second database and app: slow on a busy machine.
    }, 180_000);

    it('shares the budget between processes through Redis', async () => {
      const prefix = `innspill:test:${crypto.randomUUID()}:`;
      const [a, b] = [new RedisLimitStore('redis://127.0.0.1:6379', prefix), new RedisLimitStore('redis://127.0.0.1:6379', prefix)];
      try {
        expect(await a.take('submission:203.0.113.9', 2, 3_600_000)).toBe(0);
        expect(await b.take('submission:203.0.113.9', 2, 3_600_000)).toBe(0);
        expect(await a.take('submission:203.0.113.9', 2, 3_600_000)).toBeGreaterThan(0);
      } finally {
        await a.close();
        await b.close();
      }
    });
  });

  describe('moderation', () => {
    async function letter(fields: Record<string, string | string[]> = {}): Promise<Submission> {
      const receipt = expectStatus<SubmissionReceipt>(
        await submit(open.id, { name: 'Lag og forening', email: 'lag@example.no', role: 'organisation', text: 'Et langt brev om to strategier.', ...fields }, [
          { name: 'brev.pdf', content: pdfFile(500) },
        ]),
        201,
      );
      return expectStatus<Submission[]>(await call(planner, 'GET', `/api/consultations/${open.id}/submissions`), 200).find((s) => s.id === receipt.id)!;
    }

    it('[CONS-9] refuses every moderation action to anonymous (401), facilitators and participants (403)', async () => {
      const s = await letter();
      const actions: [string, object][] = [
        [`/api/submissions/${s.id}/publish`, { version: s.version }],
        [`/api/submissions/${s.id}/hide`, { version: s.version, reason: 'x' }],
        [`/api/submissions/${s.id}/copy`, { version: s.version, copyOf: s.id }],
        [`/api/submissions/${s.id}/split`, { version: s.version, parts: [{ text: 'a', itemIds: [] }, { text: 'b', itemIds: [] }] }],
      ];
      // A participant of a workshop on the same plan, with a real signed cookie.
      const fixture = await createWorkshopFixture(t.database.db);
      const cookie = await signParticipantCookie(t.database.db, { participantId: fixture.groups[0]!.participants[0]!.id, workshopId: fixture.workshopId });
      const participant = { id: 'participant', headers: { cookie: `${PARTICIPANT_COOKIE}=${cookie}`, 'x-csrf-token': await participantCsrfToken(t.database.db, cookie) } };
      for (const [url, body] of actions) {
        expect((await call(null, 'POST', url, body)).statusCode, url).toBe(401);
        expect((await call(facilitator, 'POST', url, body)).statusCode, url).toBe(403);
        expect((await call(participant, 'POST', url, body)).statusCode, url).toBe(403);
      }
      expect((await call(participant, 'GET', `/api/consultations/${open.id}/submissions`)).statusCode).toBe(403);
      expect((await call(participant, 'GET', `/api/attachments/${s.attachments[0]!.id}`)).statusCode).toBe(403);
      expect((await call(null, 'GET', `/api/consultations/${open.id}/submissions`)).statusCode).toBe(401);
      expect((await call(facilitator, 'GET', `/api/consultations/${open.id}/submissions`)).statusCode).toBe(403);
      expect((await call(facilitator, 'GET', `/api/attachments/${s.attachments[0]!.id}`)).statusCode).toBe(403);
      expect((await call(null, 'GET', `/api/attachments/${s.attachments[0]!.id}`)).statusCode).toBe(401);
      expect((await call(facilitator, 'PUT', `/api/submissions/${s.id}/assessment`, { status: 'accepted', justification: 'x', version: 0 })).statusCode).toBe(403);
    });

    it('[CONS-9] [CONS-10] publishes and hides with a reason; hidden input is kept; every action is logged with who and when', async () => {
      const s = await letter();
      const [published] = expectStatus<Submission[]>(await call(planner, 'POST', `/api/submissions/${s.id}/publish`, { version: s.version }), 200);
      expect(published!.status).toBe('published');
      const stale = await call(planner, 'POST', `/api/submissions/${s.id}/hide`, { version: s.version, reason: 'Personangrep' });
      expect(stale.statusCode).toBe(409);
      const [hidden] = expectStatus<Submission[]>(await call(planner, 'POST', `/api/submissions/${s.id}/hide`, { version: published!.version, reason: 'Personangrep' }), 200);
      expect(hidden).toMatchObject({ status: 'hidden', hiddenReason: 'Personangrep', text: s.text });
      const noReason = await call(planner, 'POST', `/api/submissions/${s.id}/hide`, { version: hidden!.version, reason: '' });
      expect(noReason.statusCode).toBe(400);
      const log = expectStatus<ModerationEntry[]>(await call(planner, 'GET', `/api/consultations/${open.id}/moderation-log`), 200).filter((e) => e.submissionId === s.id);
      expect(log.map((e) => e.action)).toEqual(['publish', 'hide']);
      expect(log[1]).toMatchObject({ actorName: 'Planlegger', detail: { reason: 'Personangrep', from: 'published' } });
    });

    it('[CONS-9] marks a copy of another input: hidden with the original named, kept', async () => {
      const original = await letter({ text: 'Samme tekst' });
      const copy = await letter({ text: 'Samme tekst' });
      const [marked] = expectStatus<Submission[]>(await call(planner, 'POST', `/api/submissions/${copy.id}/copy`, { version: copy.version, copyOf: original.id }), 200);
      expect(marked).toMatchObject({ status: 'hidden', copyOf: original.id, hiddenReason: `Kopi av ${original.reference}` });
    });

    it('[CONS-11] splits a letter into parts, each on its own item, linked to the letter and its attachments', async () => {
      const s = await letter({ itemIds: [strategy(1).id, strategy(2).id] });
      const changed = expectStatus<Submission[]>(
        await call(planner, 'POST', `/api/submissions/${s.id}/split`, {
          version: s.version,
          parts: [
            { text: 'Om frivilligheten', itemIds: [strategy(1).id] },
            { text: 'Om møteplassene', itemIds: [strategy(2).id] },
          ],
        }),
        200,
      );
      const parts = changed.filter((c) => c.splitFrom === s.id);
      expect(parts.map((p) => [p.reference, p.itemIds, p.text])).toEqual([
        [`${s.reference}-1`, [strategy(1).id], 'Om frivilligheten'],
        [`${s.reference}-2`, [strategy(2).id], 'Om møteplassene'],
      ]);
      expect(parts[0]!.attachments.map((a) => a.id)).toEqual(s.attachments.map((a) => a.id));
      const refusal = await call(planner, 'PUT', `/api/submissions/${s.id}/assessment`, { status: 'accepted', justification: 'x', version: 0 });
      expect(refusal.statusCode).toBe(400);
      expect(refusal.json()).toMatchObject({ error: { fields: [{ path: 'submission', message: 'this letter was split: assess its parts' }] } });
      const assessed = expectStatus<Submission>(
        await call(planner, 'PUT', `/api/submissions/${parts[1]!.id}/assessment`, { status: 'partly', justification: 'Tas inn i strategi 2', version: 0 }),
        200,
      );
      expect(assessed.assessment).toMatchObject({ status: 'partly', justification: 'Tas inn i strategi 2' });
    });

    it('[CONS-15] serves attachments to planners only, as a download of a safe type', async () => {
      const s = await letter();
      const response = await call(planner, 'GET', `/api/attachments/${s.attachments[0]!.id}`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="brev.pdf"/);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.rawPayload.equals(pdfFile(500))).toBe(true);
    });

    it('[AUDIT-1] every moderation action, assessment and attachment download leaves one audit entry; a refused one leaves none', async () => {
      const trail = async (...targetIds: string[]) =>
        (await t.database.db.selectFrom('audit_log').selectAll().where('target_id', 'in', targetIds).orderBy('id').execute()).map((row) => ({
          action: row.action,
          actor: row.actor_user_id,
          target: row.target_type,
          detail: row.detail,
        }));
      const s = await letter({ itemIds: [strategy(1).id] });
      const other = await letter();
      const [published] = expectStatus<Submission[]>(await call(planner, 'POST', `/api/submissions/${s.id}/publish`, { version: s.version }), 200);
      const [hidden] = expectStatus<Submission[]>(await call(planner, 'POST', `/api/submissions/${s.id}/hide`, { version: published!.version, reason: 'Personangrep' }), 200);
      expectStatus(await call(planner, 'POST', `/api/submissions/${other.id}/copy`, { version: other.version, copyOf: s.id }), 200);
      const parts = expectStatus<Submission[]>(
        await call(planner, 'POST', `/api/submissions/${s.id}/split`, { version: hidden!.version, parts: [{ text: 'a', itemIds: [strategy(1).id] }, { text: 'b', itemIds: [] }] }),
        200,
      ).filter((c) => c.splitFrom === s.id);
      const assessed = expectStatus<Submission>(await call(planner, 'PUT', `/api/submissions/${parts[0]!.id}/assessment`, { status: 'accepted', justification: 'Tatt inn', version: 0 }), 200);
      expect((await call(planner, 'GET', `/api/attachments/${s.attachments[0]!.id}`)).statusCode).toBe(200);

      const refused = [
        await call(planner, 'POST', `/api/submissions/${s.id}/publish`, { version: s.version }), // stale version: 409
        await call(facilitator, 'POST', `/api/submissions/${other.id}/publish`, { version: other.version + 1 }), // 403
        await call(planner, 'POST', `/api/submissions/${parts[0]!.id}/split`, { version: assessed.version, parts: [{ text: 'x', itemIds: [] }, { text: 'y', itemIds: [] }] }), // 400 in the transaction
        await call(planner, 'POST', `/api/submissions/${other.id}/copy`, { version: other.version + 1, copyOf: other.id }), // 400 in the transaction
        await call(planner, 'PUT', `/api/submissions/${s.id}/assessment`, { status: 'accepted', justification: 'x', version: 0 }), // split letter: 400
        await call(facilitator, 'GET', `/api/attachments/${s.attachments[0]!.id}`), // 403
      ];
      expect(refused.map((r) => r.statusCode)).toEqual([409, 403, 400, 400, 400, 403]);

      const entries = await trail(s.id, other.id, parts[0]!.id, parts[1]!.id, s.attachments[0]!.id);
      const base = { action: 'moderation', actor: planner.id };
      expect(entries).toEqual([
        { ...base, target: 'submission', detail: { consultationId: open.id, step: 'publish', from: 'pending' } },
        { ...base, target: 'submission', detail: { consultationId: open.id, step: 'hide', from: 'published' } },
        { ...base, target: 'submission', detail: { consultationId: open.id, step: 'mark_copy', from: 'pending', copyOf: s.id } },
        { ...base, target: 'submission', detail: { consultationId: open.id, step: 'split', parts: 2, partIds: parts.map((p) => p.id) } },
        { ...base, target: 'submission', detail: { consultationId: open.id, step: 'assess', status: 'accepted' } },
        { ...base, target: 'submission_attachment', detail: { step: 'download', submissionId: s.id } },
      ]);
      // The hiding reason is the planner's text: it stays in the consultation's log, not in the trail.
      expect(JSON.stringify(entries)).not.toContain('Personangrep');
    });
  });

  describe('one merknadsbehandling, the report and the open data', () => {
    it('[CONS-13] a revision links the høring inputs behind it; the follow link shows the assessment and the change', async () => {
      const receipt = expectStatus<SubmissionReceipt>(await submit(open.id, { name: 'Ola', itemIds: strategy(2).id, text: 'Møteplasser for eldre' }), 201);
      expectStatus(await call(planner, 'PUT', `/api/submissions/${receipt.id}/assessment`, { status: 'accepted', justification: 'Tatt inn', version: 0 }), 200);
      const item = strategy(2);
      expectStatus(
        await call(planner, 'PATCH' as 'PUT', `/api/items/${item.id}`, { text: 'Vi bygger flere møteplasser for alle aldre', version: item.version, submissionIds: [receipt.id] }),
        200,
      );
      plan = expectStatus<Plan>(await call(planner, 'GET', `/api/plans/${plan.id}`), 200);
      const followed = expectStatus<Follow>(await call(null, 'GET', `/api/follow/${receipt.followUrl.split('/follow/')[1]}`), 200);
      expect(followed.parts[0]).toMatchObject({
        assessment: { status: 'accepted', justification: 'Tatt inn' },
        revisions: [{ itemId: item.id, before: 'Vi bygger flere møteplasser', after: 'Vi bygger flere møteplasser for alle aldre' }],
      });
    });

    it('[CONS-19] the history names the workshop and the høring (with input references) behind each change', async () => {
      const fixture = await createWorkshopFixture(t.database.db);
      const lapp = lappFor(fixture, 'Mer om frivillighet');
      await executeCommand(t.database.db, new WriteRateLimiter(100, 100), fixture.groups[0]!.participants[0]!.actor, fixture.workshopId, randomUUID(), lapp);
      const hearing = expectStatus<Consultation>(await call(planner, 'POST', `/api/plans/${fixture.planId}/consultations`, { title: 'Høring av delmålene' }), 201);
      const itemId = fixture.subGoalIds[0]!;
      const receipt = expectStatus<SubmissionReceipt>(await submit(hearing.id, { name: 'Ola', itemIds: itemId, text: 'Frivilligheten må nevnes' }), 201);
      await editItem(fixture.planner.actor, itemId, { text: 'Delmål 1 med frivilligheten', version: 1, noteIds: [lapp.noteId], submissionIds: [receipt.id] }, t.database.db);

      const [revision] = expectStatus<Revision[]>(await call(planner, 'GET', `/api/items/${itemId}/revisions`), 200);
      expect(revision!.steps).toEqual([
        { kind: 'workshop', id: fixture.workshopId, title: 'Politisk verksted', references: [] },
        { kind: 'consultation', id: hearing.id, title: 'Høring av delmålene', references: [receipt.reference] },
      ]);
      // The plan's whole history says the same; a change made without input names no step.
      const planHistory = expectStatus<Revision[]>(await call(planner, 'GET', `/api/plans/${fixture.planId}/revisions`), 200);
      expect(planHistory.find((r) => r.id === revision!.id)!.steps).toEqual(revision!.steps);
      expect(planHistory.filter((r) => r.id !== revision!.id).every((r) => r.steps.length === 0)).toBe(true);
    });

    it('[CONS-17] exports open data that the JSON Schema accepts, without e-mail addresses, hidden text withheld', async () => {
      const response = await call(planner, 'GET', `/api/consultations/${open.id}/export.json`);
      const data = expectStatus<{ submissions: { text: string; moderation: { status: string } }[] }>(response, 200);
      expect(validateConsultationExport(data), JSON.stringify(validateConsultationExport.errors)).toBe(true);
      expect(response.body).not.toContain('@example.no');
      expect(data.submissions.filter((s) => s.moderation.status === 'hidden').every((s) => s.text === '')).toBe(true);
      expect((await call(facilitator, 'GET', `/api/consultations/${open.id}/export.json`)).statusCode).toBe(403);
    });

    it('[CONS-18] the plan report names per item who said what, the assessment and the change or "Ingen endring", never an e-mail; formulas disarmed', async () => {
      expectStatus(await submit(open.id, { name: '=HYPERLINK("http://x")', itemIds: strategy(1).id, text: '=1+1 <b>fet</b>' }), 201);
      const response = await call(planner, 'GET', `/api/plans/${plan.id}/report.xlsx`);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="Merknadsbehandling-Kommuneplanens-samfunnsdel.xlsx"/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const rows = workbook.getWorksheet('Merknadsbehandling')!.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1).map(String));
      const assessed = rows.find((r) => r[5] === 'Møteplasser for eldre')!;
      expect(assessed.slice(4)).toEqual(['Ola', 'Møteplasser for eldre', 'Tatt til følge: Tatt inn', 'Vi bygger flere møteplasser → Vi bygger flere møteplasser for alle aldre']);
      const armed = rows.find((r) => r[5]?.includes('<b>fet</b>'))!;
      expect(armed[5]).toBe("'=1+1 <b>fet</b>");
      expect(armed[4]).toBe('\'=HYPERLINK("http://x")');
      expect(armed[7]).toBe('Ingen endring');
      expect(JSON.stringify(rows)).not.toContain('@example.no');
      const summary = workbook.getWorksheet('Sammendrag')!.getSheetValues().map((r) => (r as unknown[] | undefined)?.slice(1).map(String).join('|'));
      expect(summary.some((line) => line?.endsWith('|Personangrep'))).toBe(true);
      const docx = await call(planner, 'GET', `/api/plans/${plan.id}/report.docx`);
      expect(docx.statusCode).toBe(200);
      expect(docx.rawPayload.subarray(0, 2).toString()).toBe('PK');
      expect((await call(facilitator, 'GET', `/api/plans/${plan.id}/report.docx`)).statusCode).toBe(403);
    });

    it('[CONS-18][REPORT-10] writes the plan report in nynorsk or English when asked, and refuses a language it does not have', async () => {
      const sheetRows = async (lang: string, sheet: string) => {
        const response = await call(planner, 'GET', `/api/plans/${plan.id}/report.xlsx?lang=${lang}`);
        expect(response.statusCode).toBe(200);
        const workbook = new ExcelJS.Workbook();
        await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
        return workbook.getWorksheet(sheet)!.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1).map(String));
      };
      const nynorsk = await sheetRows('nn', 'Merknadshandsaming');
      expect(nynorsk[0]).toEqual(['Perspektiv', 'Punkt', 'Nr.', 'Kjelde', 'Frå', 'Innspel', 'Vurdering', 'Endring i planen']);
      expect(nynorsk.some((r) => r[6]?.startsWith('Teke til følgje: '))).toBe(true);
      expect(nynorsk.some((r) => r[7] === 'Inga endring')).toBe(true);
      expect(JSON.stringify(nynorsk)).not.toContain('Ingen endring');
      const english = await sheetRows('en', 'Assessment of input');
      expect(english[0]).toEqual(['Perspective', 'Item', 'No.', 'Source', 'From', 'Input', 'Assessment', 'Change in the plan']);
      expect(english.some((r) => r[7] === 'No change')).toBe(true);
      const inputs = expectStatus<{ general: { change: string }[]; sections: { items: { rows: { source: string }[] }[] }[] }>(
        await call(planner, 'GET', `/api/plans/${plan.id}/inputs?lang=nn`),
        200,
      );
      expect(inputs.sections.flatMap((s) => s.items.flatMap((i) => i.rows)).some((r) => r.source.startsWith('Høyring '))).toBe(true);
      const refused = await call(planner, 'GET', `/api/plans/${plan.id}/report.docx?lang=se`);
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('lang');
    });
  });
});

describe('innspill consultation and export (CLI)', () => {
  const run = promisify(execFile);
  let dir: string;
  let planId: string;
  const cli = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, INNSPILL_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', INNSPILL_PUBLIC_URL: 'https://innspill.example.no' };
    return run(process.execPath, ['--import', 'tsx', 'src/cli/innspill.ts', ...args], { env, timeout: 60_000 }).then(
      (result) => ({ code: 0, ...result }),
      (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
    );
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'innspill-consultation-cli-'));
    const { openDatabase } = await import('../db/database.js');
    const { migrateToLatest } = await import('../db/migrate.js');
    const database = await openDatabase({ dataDir: path.join(dir, 'data') });
    try {
      await migrateToLatest(database.db);
      planId = (await createWorkshopFixture(database.db)).planId;
    } finally {
      await database.close();
    }
  }, 60_000);
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('[CONS-2] opens a consultation, prints the public address and the id last; exports its open data; closes it', async () => {
    const opened = await cli('consultation', 'open', planId, '--title', 'Høring 2027', '--closes', '2099-12-31');
    expect(opened.code, opened.stderr).toBe(0);
    const lines = opened.stdout.trim().split('\n');
    const id = lines.at(-1)!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(opened.stdout).toContain(`https://innspill.example.no/consultations/${id}`);
    const out = path.join(dir, 'hoering.json');
    const exported = await cli('export', 'json', '--consultation', id, '--out', out);
    expect(exported.code, exported.stderr).toBe(0);
    const data = JSON.parse(await readFile(out, 'utf8'));
    expect(validateConsultationExport(data), JSON.stringify(validateConsultationExport.errors)).toBe(true);
    expect(data.consultation).toMatchObject({ id, title: 'Høring 2027' });
    const report = path.join(dir, 'plan.docx');
    const docx = await cli('export', 'docx', '--plan', planId, '--out', report);
    expect(docx.code, docx.stderr).toBe(0);
    expect((await readFile(report)).subarray(0, 2).toString()).toBe('PK');
    const closed = await cli('consultation', 'close', id);
    expect(closed.code, closed.stderr).toBe(0);
    expect((await cli('consultation', 'open', planId)).code).toBe(1);
  }, 120_000);
});
