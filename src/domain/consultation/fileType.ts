/**
 * What an attachment is, from its first bytes, never from its name ([CONS-6]). Only the five kinds
 * a consultation accepts are recognised; everything else (an executable, HTML, a script) is null.
 */
export const attachmentMediaTypes = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  odt: 'application/vnd.oasis.opendocument.text',
  jpeg: 'image/jpeg',
  png: 'image/png',
} as const;

export type AttachmentMediaType = (typeof attachmentMediaTypes)[keyof typeof attachmentMediaTypes];

/** How many leading bytes `sniffMediaType` wants to see (a ZIP's first entry name lies within them). */
export const SNIFF_BYTES = 4100;

const startsWith = (head: Uint8Array, bytes: number[], offset = 0) => bytes.every((byte, index) => head[offset + index] === byte);
const ascii = (head: Uint8Array) => Buffer.from(head.buffer, head.byteOffset, head.byteLength).toString('latin1');

export function sniffMediaType(head: Uint8Array): AttachmentMediaType | null {
  if (startsWith(head, [0x25, 0x50, 0x44, 0x46, 0x2d])) return attachmentMediaTypes.pdf; // %PDF-
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return attachmentMediaTypes.png;
  if (startsWith(head, [0xff, 0xd8, 0xff])) return attachmentMediaTypes.jpeg;
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04])) return officeZipType(head);
  return null;
}

/**
 * DOCX and ODT are ZIP files. An ODT's first entry is the uncompressed `mimetype` naming it (the
 * OpenDocument rule); a DOCX carries `[Content_Types].xml` and a `word/` part among its first entries.
 */
function officeZipType(head: Uint8Array): AttachmentMediaType | null {
  const text = ascii(head);
  if (text.slice(30, 38) === 'mimetype' && text.slice(38, 38 + attachmentMediaTypes.odt.length) === attachmentMediaTypes.odt) {
    return attachmentMediaTypes.odt;
  }
  if (text.includes('[Content_Types].xml') && text.includes('word/')) return attachmentMediaTypes.docx;
  return null;
}

/** The file name ending that goes with a type, for downloads. */
export function extensionOf(mediaType: AttachmentMediaType): string {
  const entry = Object.entries(attachmentMediaTypes).find(([, type]) => type === mediaType);
  return entry ? entry[0].replace('jpeg', 'jpg') : 'bin';
}
