import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Consultation, Submission } from '../../contract/consultation.schema.js';
import type { Plan } from '../../contract/plans.schema.js';
import { createTestApp, expectStatus, testDatabaseKinds, type TestApp, type TestUser } from '../testing/testApp.js';
import { AttachmentStore, INCOMING_MAX_AGE_MS } from './attachmentStore.js';
import { sweepAttachmentStore } from './attachmentSweep.js';
import { multipartBody, pdfFile, planForConsultation } from './consultationFixture.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function storeDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'innspill-store-'));
  dirs.push(dir);
  await mkdir(path.join(dir, 'incoming'), { recursive: true });
  return dir;
}

/** A file in `incoming/` last written `ageMs` ago. */
async function leftover(dir: string, name: string, ageMs: number): Promise<void> {
  const file = path.join(dir, 'incoming', name);
  await writeFile(file, pdfFile());
  const at = new Date(Date.now() - ageMs);
  await utimes(file, at, at);
}

const incoming = (dir: string) => readdir(path.join(dir, 'incoming'));

describe('[OPS-7] the attachment store sweeps unfinished uploads', () => {
  it('removes incoming files nobody wrote to for the safe age, never a fresh one', async () => {
    const dir = await storeDir();
    await leftover(dir, 'refused-an-hour-ago', INCOMING_MAX_AGE_MS + 60_000);
    await leftover(dir, 'uploading-now', 5_000);
    const store = new AttachmentStore(dir);
    expect(await store.sweepIncoming()).toBe(1);
    expect(await incoming(dir)).toEqual(['uploading-now']);
  });

  it("never removes a file of a submission this process is still handling, however old its file looks", async () => {
    const dir = await storeDir();
    const store = new AttachmentStore(dir);
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    async function* slowUpload() {
      yield pdfFile(8 * 1024);
      await held;
      yield Buffer.alloc(1024, 0x20);
    }
    const receiving = store.receive('brev.pdf', slowUpload());
    let names: string[] = [];
    while (names.length === 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      names = await incoming(dir);
    }
    const old = new Date(Date.now() - 2 * INCOMING_MAX_AGE_MS);
    await utimes(path.join(dir, 'incoming', names[0]!), old, old);
    expect(await store.sweepIncoming()).toBe(0);
    finish();
    const file = await receiving;
    // Received and waiting for its commit: still this process's.
    await utimes(path.join(dir, file.incomingKey), old, old);
    expect(await store.sweepIncoming()).toBe(0);
    await store.keep(file, 'consultation', 'attachment');
    expect(await incoming(dir)).toEqual([]);
  });

  it('a server sweeps incoming/ and files kept for no stored submission as it starts', async () => {
    const dir = await storeDir();
    await leftover(dir, 'left-by-a-crash', INCOMING_MAX_AGE_MS + 60_000);
    // Kept into place, then a crash before the commit: a consultation folder no row names.
    const folder = randomUUID();
    await kept(dir, `${folder}/${randomUUID()}`, INCOMING_MAX_AGE_MS + 60_000);
    const t = await createTestApp('pglite', { attachmentsDir: dir });
    try {
      const until = Date.now() + 10_000;
      const left = async () => [...(await incoming(dir)), ...(await readdir(dir)).filter((name) => name !== 'incoming')];
      while ((await left()).length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await left()).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

/** A file in the store at `key` last written `ageMs` ago. */
async function kept(dir: string, key: string, ageMs: number): Promise<void> {
  const file = path.join(dir, key);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, pdfFile());
  const at = new Date(Date.now() - ageMs);
  await utimes(file, at, at);
}

describe.each(testDatabaseKinds)('[OPS-7] the sweep removes kept files no stored submission names, on %s', (kind) => {
  let t: TestApp;
  let planner: TestUser;
  beforeAll(async () => {
    t = await createTestApp(kind, { submissionsPerHour: 10_000 });
    planner = await t.user('planner');
  });
  afterAll(() => t?.close());

  async function consultationWithLetter(title: string, plan: Plan) {
    const consultation = expectStatus<Consultation>(await t.app.inject({ method: 'POST', url: `/api/plans/${plan.id}/consultations`, headers: planner.headers, payload: { title } }), 201);
    const { payload, headers } = multipartBody({ name: 'Kari', text: 'Se vedlegget' }, [{ name: 'brev.pdf', content: pdfFile(1000) }]);
    expectStatus(await t.app.inject({ method: 'POST', url: `/api/consultations/${consultation.id}/submissions`, payload, headers }), 201);
    const [file] = await readdir(path.join(t.attachmentsDir, consultation.id));
    return { id: consultation.id, key: `${consultation.id}/${file!}` };
  }

  it('a crash between keep and commit, and a deleted consultation: their old files go, stored, fresh and foreign ones stay', async () => {
    const plan = await planForConsultation(t, planner);
    const open = await consultationWithLetter('Åpen', plan);
    const deleted = await consultationWithLetter('Slettes', plan);
    await t.database.db.deleteFrom('consultations').where('id', '=', deleted.id).execute();
    const old = INCOMING_MAX_AGE_MS + 60_000;
    const crashed = `${open.id}/${randomUUID()}`;
    const inFlight = `${open.id}/${randomUUID()}`;
    await kept(t.attachmentsDir, crashed, old);
    await kept(t.attachmentsDir, inFlight, 5_000);
    await kept(t.attachmentsDir, `${open.id}/notater.txt`, old);
    for (const key of [open.key, deleted.key]) await utimes(path.join(t.attachmentsDir, key), new Date(Date.now() - old), new Date(Date.now() - old));

    expect(await sweepAttachmentStore(new AttachmentStore(t.attachmentsDir), t.database.db)).toBe(2);
    const left = (await readdir(path.join(t.attachmentsDir, open.id))).sort();
    expect(left).toEqual([path.basename(open.key), path.basename(inFlight), 'notater.txt'].sort());
    // The deleted consultation's folder is gone with its file; the stored letter still opens.
    expect(await readdir(t.attachmentsDir)).not.toContain(deleted.id);
    const queue = expectStatus<Submission[]>(await t.app.inject({ method: 'GET', url: `/api/consultations/${open.id}/submissions`, headers: planner.headers }), 200);
    const download = await t.app.inject({ method: 'GET', url: `/api/attachments/${queue[0]!.attachments[0]!.id}`, headers: planner.headers });
    expect(download.statusCode).toBe(200);
  });
});
