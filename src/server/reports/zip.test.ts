import { describe, expect, it } from 'vitest';
import { unzip, zip } from './zip.js';

async function collect(parts: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of parts) chunks.push(chunk);
  return Buffer.concat(chunks);
}

async function* chunks(text: string, size: number): AsyncGenerator<Buffer> {
  for (let i = 0; i < text.length; i += size) yield Buffer.from(text.slice(i, i + size), 'utf8');
}

describe('zip', () => {
  it('writes buffered and streamed entries that read back byte for byte, names in UTF-8', async () => {
    const big = 'Jordvern – dyrket mark og matproduksjon. '.repeat(50_000);
    const archive = await collect(
      zip([
        { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
        { name: 'word/document.xml', data: chunks(big, 65_536) },
        { name: 'æøå.txt', data: Buffer.alloc(0) },
      ]),
    );
    expect(archive.length).toBeLessThan(big.length / 10);
    const files = unzip(archive);
    expect(files.map((f) => f.name)).toEqual(['[Content_Types].xml', 'word/document.xml', 'æøå.txt']);
    expect(files[0]!.data.toString()).toBe('<Types/>');
    expect(files[1]!.data.toString('utf8')).toBe(big);
    expect(files[2]!.data.length).toBe(0);
  });

  it('fails the archive when a streamed entry fails, instead of writing a truncated file', async () => {
    async function* broken(): AsyncGenerator<Buffer> {
      yield Buffer.from('<w:document>');
      throw new Error('the database went away');
    }
    await expect(collect(zip([{ name: 'word/document.xml', data: broken() }]))).rejects.toThrow('the database went away');
  });
});
