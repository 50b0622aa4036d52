import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ATTACHMENT_BYTES_MAX } from '../../domain/consultation/consultation.js';
import { SNIFF_BYTES, sniffMediaType, type AttachmentMediaType } from '../../domain/consultation/fileType.js';
import { DomainError } from '../../domain/errors.js';

const INCOMING = 'incoming';

/**
 * How long a file in `incoming/` may go unwritten before the sweep removes it: far beyond any
 * upload (the request times out long before) and any commit, so a file still in use is never taken.
 */
export const INCOMING_MAX_AGE_MS = 60 * 60 * 1000;

/** A file received and checked, waiting in `incoming/` until its submission commits. */
export interface ReceivedFile {
  /** The name the sender gave (shown to planners, never trusted for the type). */
  name: string;
  mediaType: AttachmentMediaType;
  bytes: number;
  sha256: string;
  /** Path of the waiting file, relative to the store. */
  incomingKey: string;
}

/**
 * Consultation attachments on disk (docs/decisions/011-consultation-attachments.md). Files are
 * streamed through a hash and a size count straight to disk, never held whole in memory ([CONS-8]);
 * the type is judged from the first bytes ([CONS-6]).
 */
export class AttachmentStore {
  /** Folders this process made (or found), so a file costs no mkdir; a folder removed behind our back is made again. */
  private readonly folders = new Map<string, Promise<unknown>>();
  /** `incoming/` keys of this process's submissions not yet kept or discarded: never swept. */
  private readonly waiting = new Set<string>();

  constructor(readonly root: string) {}

  private folder(relative: string): Promise<unknown> {
    let made = this.folders.get(relative);
    if (!made) {
      made = mkdir(path.join(this.root, relative), { recursive: true });
      made.catch(() => this.folders.delete(relative));
      this.folders.set(relative, made);
    }
    return made;
  }

  /** Runs `write` in the folder, making it (again) when it is missing. */
  private async inFolder<T>(relative: string, write: () => Promise<T>): Promise<T> {
    await this.folder(relative);
    try {
      return await write();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.folders.delete(relative);
      await this.folder(relative);
      return write();
    }
  }

  /** Streams one upload to `incoming/`; refuses it (and leaves nothing) when too big or of a wrong type. */
  async receive(name: string, source: AsyncIterable<Buffer>, maxBytes = ATTACHMENT_BYTES_MAX): Promise<ReceivedFile> {
    const incomingKey = path.join(INCOMING, randomUUID());
    const target = path.join(this.root, incomingKey);
    this.waiting.add(incomingKey);
    await this.folder(INCOMING);
    const hash = createHash('sha256');
    let bytes = 0;
    let mediaType: AttachmentMediaType | null = null;
    const judge = (head: Buffer) => {
      mediaType = sniffMediaType(head);
      if (!mediaType) {
        throw new DomainError('unsupported_media_type', `${name}: only PDF, DOCX, ODT, JPEG and PNG files are accepted`, {
          fields: [{ path: 'files', message: `${name}: not a PDF, DOCX, ODT, JPEG or PNG file` }],
        });
      }
    };
    async function* checked(chunks: AsyncIterable<Buffer>) {
      let head: Buffer[] = [];
      let headBytes = 0;
      for await (const chunk of chunks) {
        bytes += chunk.length;
        if (bytes > maxBytes) throw tooLarge(name);
        hash.update(chunk);
        if (mediaType) {
          yield chunk;
          continue;
        }
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes < SNIFF_BYTES) continue;
        const joined = Buffer.concat(head);
        judge(joined);
        head = [];
        yield joined;
      }
      if (!mediaType) {
        const joined = Buffer.concat(head);
        judge(joined);
        if (joined.length) yield joined;
      }
    }
    try {
      await pipeline(source, checked, createWriteStream(target));
    } catch (error) {
      await this.discard([incomingKey]);
      throw error;
    }
    if (bytes === 0) {
      await this.discard([incomingKey]);
      throw new DomainError('validation_failed', `files: ${name} is empty`, { fields: [{ path: 'files', message: `${name} is empty` }] });
    }
    return { name, mediaType: mediaType!, bytes, sha256: hash.digest('hex'), incomingKey };
  }

  /** Moves a waiting file to its place; the key is what the database keeps. */
  async keep(file: ReceivedFile, consultationId: string, attachmentId: string): Promise<string> {
    const storageKey = path.join(consultationId, attachmentId);
    await this.inFolder(consultationId, () => rename(path.join(this.root, file.incomingKey), path.join(this.root, storageKey)));
    this.waiting.delete(file.incomingKey);
    return storageKey;
  }

  /** Drops waiting or kept files of a submission that did not commit. */
  async discard(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => rm(path.join(this.root, key), { force: true })));
    for (const key of keys) this.waiting.delete(key);
  }

  /**
   * [OPS-7] Removes files left in `incoming/` by a submission that never finished: refused after its
   * files streamed in, or cut off by a crash or a kill before they were kept or discarded. A file
   * is removed only when nobody wrote to it for `olderThanMs` (an upload in progress keeps its
   * modification time fresh, on every process sharing the volume) and this process is not still
   * handling its submission. Returns how many were removed.
   */
  async sweepIncoming(olderThanMs = INCOMING_MAX_AGE_MS, now = Date.now()): Promise<number> {
    let names: string[];
    try {
      names = await readdir(path.join(this.root, INCOMING));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw error;
    }
    let removed = 0;
    for (const name of names) {
      const key = path.join(INCOMING, name);
      if (this.waiting.has(key)) continue;
      try {
        const info = await stat(path.join(this.root, key));
        if (!info.isFile() || now - info.mtimeMs < olderThanMs) continue;
        await rm(path.join(this.root, key), { force: true });
        removed += 1;
      } catch {
        // Kept or discarded meanwhile.
      }
    }
    return removed;
  }

  /**
   * [OPS-7] Kept files (`<consultation>/<attachment>`) nobody wrote to for `olderThanMs`, and the
   * consultation folders: for the caller to check against the rows. Only names this store makes
   * (uuids) are listed; anything else in the folder is left alone.
   */
  async listKept(olderThanMs = INCOMING_MAX_AGE_MS, now = Date.now()): Promise<{ folders: string[]; keys: string[] }> {
    const folders = (await namesIn(this.root)).filter(isUuid);
    const keys: string[] = [];
    for (const folder of folders) {
      for (const name of (await namesIn(path.join(this.root, folder))).filter(isUuid)) {
        const key = path.join(folder, name);
        const info = await stat(path.join(this.root, key)).catch(() => null);
        if (info?.isFile() && now - info.mtimeMs >= olderThanMs) keys.push(key);
      }
    }
    return { folders, keys };
  }

  /** Removes a consultation's folder when it is empty; a file kept into it meanwhile keeps it (or makes it again). */
  async removeFolderIfEmpty(folder: string): Promise<boolean> {
    this.folders.delete(folder);
    try {
      await rmdir(path.join(this.root, folder));
      return true;
    } catch (error) {
      if (['ENOTEMPTY', 'EEXIST', 'ENOENT'].includes((error as NodeJS.ErrnoException).code ?? '')) return false;
      throw error;
    }
  }

  open(storageKey: string): ReadStream {
    // Keys come from our own database, but a path outside the store is never opened.
    const full = path.resolve(this.root, storageKey);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new DomainError('not_found', 'Attachment not found');
    return createReadStream(full);
  }
}

export const tooLarge = (name: string) =>
  new DomainError('payload_too_large', `${name}: a file may be at most ${ATTACHMENT_BYTES_MAX / 1024 / 1024} MB`, {
    fields: [{ path: 'files', message: `${name} is larger than ${ATTACHMENT_BYTES_MAX / 1024 / 1024} MB` }],
  });

/** How often a running server sweeps the store (and once as it starts). */
export const INCOMING_SWEEP_EVERY_MS = 15 * 60 * 1000;

/**
 * [OPS-7] Runs `sweep` when the server starts and every 15 minutes; returns the stop for the
 * server's close. A failing sweep is logged (without file names) and tried again at the next round.
 */
export function sweepWhileRunning(
  sweep: () => Promise<number>,
  log: { info(object: object, message: string): void; warn(object: object, message: string): void },
  everyMs = INCOMING_SWEEP_EVERY_MS,
): () => void {
  const round = () =>
    sweep().then(
      (removed) => {
        if (removed > 0) log.info({ removed }, 'removed files of no stored submission from the attachment store');
      },
      (error: unknown) => log.warn({ err: error }, 'could not sweep the attachment store'),
    );
  void round();
  const timer = setInterval(() => void round(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (name: string) => UUID.test(name);

async function namesIn(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return [];
    throw error;
  }
}
