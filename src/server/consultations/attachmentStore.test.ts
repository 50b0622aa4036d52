import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp } from '../testing/testApp.js';
import { AttachmentStore, INCOMING_MAX_AGE_MS } from './attachmentStore.js';
import { pdfFile } from './consultationFixture.js';

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

  it('a server sweeps incoming/ as it starts', async () => {
    const dir = await storeDir();
    await leftover(dir, 'left-by-a-crash', INCOMING_MAX_AGE_MS + 60_000);
    const t = await createTestApp('pglite', { attachmentsDir: dir });
    try {
      const until = Date.now() + 10_000;
      while ((await incoming(dir)).length > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await incoming(dir)).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
