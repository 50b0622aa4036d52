import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { crc32, createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The little of ZIP that a DOCX needs, on Node's zlib: read a small package (the skeleton docx
 * writes) and write a package whose largest part is streamed. Deflate only, no ZIP64 (a part may
 * not reach 4 GiB, far beyond any report).
 */

export interface ZipFile {
  name: string;
  data: Buffer;
}

/** A part to write: its bytes, or a stream of them that is deflated as it arrives. */
export interface ZipEntry {
  name: string;
  data: Buffer | AsyncIterable<Buffer>;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const DATA_DESCRIPTOR = 0x08074b50;
const UTF8_NAMES = 0x0800;
const SIZES_AFTER_DATA = 0x0008;
const DEFLATE = 8;
const LIMIT = 0xffffffff;

/** The files of a ZIP archive in their stored order. */
export function unzip(archive: Buffer): ZipFile[] {
  let end = archive.length - 22;
  while (end >= 0 && archive.readUInt32LE(end) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < 0) throw new Error('Not a ZIP archive');
  const count = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);
  const files: ZipFile[] = [];
  for (let i = 0; i < count; i++) {
    if (archive.readUInt32LE(at) !== CENTRAL_HEADER) throw new Error('Broken ZIP central directory');
    const method = archive.readUInt16LE(at + 10);
    const compressedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const localOffset = archive.readUInt32LE(at + 42);
    const name = archive.toString('utf8', at + 46, at + 46 + nameLength);
    const dataStart = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
    const raw = archive.subarray(dataStart, dataStart + compressedSize);
    if (method !== 0 && method !== DEFLATE) throw new Error(`Unsupported ZIP compression method ${method} for ${name}`);
    files.push({ name, data: method === DEFLATE ? inflateRawSync(raw) : Buffer.from(raw) });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

interface Written {
  name: Buffer;
  crc: number;
  compressedSize: number;
  size: number;
  offset: number;
  flags: number;
}

function dosDateTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((Math.max(date.getFullYear(), 1980) - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function checkLimit(value: number, name: string): number {
  if (value >= LIMIT) throw new Error(`${name} is too large for a ZIP archive without ZIP64`);
  return value;
}

/**
 * Writes a ZIP archive as a stream of buffers. Buffer entries carry their sizes in the local
 * header; a streamed entry is deflated chunk by chunk and followed by a data descriptor, so the
 * archive is never held in memory.
 */
export async function* zip(entries: Iterable<ZipEntry>, modified = new Date()): AsyncGenerator<Buffer> {
  const stamp = dosDateTime(modified);
  const written: Written[] = [];
  let offset = 0;

  const localHeader = (entry: Written) => {
    const header = Buffer.alloc(30);
    header.writeUInt32LE(LOCAL_HEADER, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(entry.flags, 6);
    header.writeUInt16LE(DEFLATE, 8);
    header.writeUInt16LE(stamp.time, 10);
    header.writeUInt16LE(stamp.date, 12);
    header.writeUInt32LE(entry.crc, 14);
    header.writeUInt32LE(entry.compressedSize, 18);
    header.writeUInt32LE(entry.size, 22);
    header.writeUInt16LE(entry.name.length, 26);
    header.writeUInt16LE(0, 28);
    return Buffer.concat([header, entry.name]);
  };

  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    if (Buffer.isBuffer(entry.data)) {
      const compressed = deflateRawSync(entry.data);
      const record: Written = {
        name,
        crc: crc32(entry.data),
        compressedSize: checkLimit(compressed.length, entry.name),
        size: checkLimit(entry.data.length, entry.name),
        offset: checkLimit(offset, 'The archive'),
        flags: UTF8_NAMES,
      };
      const header = localHeader(record);
      written.push(record);
      offset += header.length + compressed.length;
      yield header;
      yield compressed;
      continue;
    }

    const record: Written = { name, crc: 0, compressedSize: 0, size: 0, offset: checkLimit(offset, 'The archive'), flags: UTF8_NAMES | SIZES_AFTER_DATA };
    const header = localHeader(record);
    offset += header.length;
    yield header;
    for await (const chunk of deflateStream(entry.data, record)) {
      record.compressedSize += chunk.length;
      yield chunk;
    }
    checkLimit(record.size, entry.name);
    checkLimit(record.compressedSize, entry.name);
    const descriptor = Buffer.alloc(16);
    descriptor.writeUInt32LE(DATA_DESCRIPTOR, 0);
    descriptor.writeUInt32LE(record.crc, 4);
    descriptor.writeUInt32LE(record.compressedSize, 8);
    descriptor.writeUInt32LE(record.size, 12);
    offset += record.compressedSize + descriptor.length;
    written.push(record);
    yield descriptor;
  }

  const directoryOffset = checkLimit(offset, 'The archive');
  const directory = written.map((entry) => {
    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(entry.flags, 8);
    header.writeUInt16LE(DEFLATE, 10);
    header.writeUInt16LE(stamp.time, 12);
    header.writeUInt16LE(stamp.date, 14);
    header.writeUInt32LE(entry.crc, 16);
    header.writeUInt32LE(entry.compressedSize, 20);
    header.writeUInt32LE(entry.size, 24);
    header.writeUInt16LE(entry.name.length, 28);
    header.writeUInt32LE(entry.offset, 42);
    return Buffer.concat([header, entry.name]);
  });
  const directoryBytes = Buffer.concat(directory);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIRECTORY, 0);
  end.writeUInt16LE(written.length, 8);
  end.writeUInt16LE(written.length, 10);
  end.writeUInt32LE(directoryBytes.length, 12);
  end.writeUInt32LE(directoryOffset, 16);
  yield directoryBytes;
  yield end;
}

/** Deflates a stream, counting its size and CRC on the way in; an error in the source ends it. */
async function* deflateStream(source: AsyncIterable<Buffer>, record: Written): AsyncGenerator<Buffer> {
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      record.crc = crc32(chunk, record.crc);
      record.size += chunk.length;
      done(null, chunk);
    },
  });
  const deflate = createDeflateRaw();
  const piping = pipeline(Readable.from(source), count, deflate);
  // The pipeline's own promise reports errors through the deflate stream we read below.
  piping.catch(() => undefined);
  for await (const chunk of deflate) yield chunk as Buffer;
  await piping;
}
