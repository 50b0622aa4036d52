import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ATTACHMENT_BYTES_MAX } from '../../domain/consultation/consultation.js';
import { SNIFF_BYTES, sniffMediaType, type AttachmentMediaType } from '../../domain/consultation/fileType.js';
import { DomainError } from '../../domain/errors.js';

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
  constructor(readonly root: string) {}

  /** Streams one upload to `incoming/`; refuses it (and leaves nothing) when too big or of a wrong type. */
  async receive(name: string, source: AsyncIterable<Buffer>, maxBytes = ATTACHMENT_BYTES_MAX): Promise<ReceivedFile> {
    const incomingKey = path.join('incoming', randomUUID());
    const target = path.join(this.root, incomingKey);
    await mkdir(path.dirname(target), { recursive: true });
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
      await rm(target, { force: true });
      throw error;
    }
    if (bytes === 0) throw new DomainError('validation_failed', `files: ${name} is empty`, { fields: [{ path: 'files', message: `${name} is empty` }] });
    return { name, mediaType: mediaType!, bytes, sha256: hash.digest('hex'), incomingKey };
  }

  /** Moves a waiting file to its place; the key is what the database keeps. */
  async keep(file: ReceivedFile, consultationId: string, attachmentId: string): Promise<string> {
    const storageKey = path.join(consultationId, attachmentId);
    await mkdir(path.join(this.root, consultationId), { recursive: true });
    await rename(path.join(this.root, file.incomingKey), path.join(this.root, storageKey));
    return storageKey;
  }

  /** Drops waiting or kept files of a submission that did not commit. */
  async discard(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => rm(path.join(this.root, key), { force: true })));
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
