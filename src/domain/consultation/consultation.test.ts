import { describe, expect, it } from 'vitest';
import type { DomainError } from '../errors.js';
import {
  assertOpenForInput,
  assertValidWindow,
  consultationWindow,
  defaultClosesAt,
  formatReference,
  nextModerationStatus,
  publicSubmitter,
  splitReference,
} from './consultation.js';
import { attachmentMediaTypes, sniffMediaType } from './fileType.js';

const opensAt = new Date('2027-03-01T08:00:00Z');
const closesAt = new Date('2027-04-12T22:00:00Z');

describe('the consultation window', () => {
  it('[CONS-2] closes six weeks after it opens unless the planner says otherwise', () => {
    expect(defaultClosesAt(opensAt).toISOString()).toBe('2027-04-12T08:00:00.000Z');
  });

  it('[CONS-3] is open from the opening (inclusive) to the closing (exclusive)', () => {
    expect(consultationWindow({ opensAt, closesAt }, new Date('2027-02-28T23:59:59Z'))).toBe('not_open');
    expect(consultationWindow({ opensAt, closesAt }, opensAt)).toBe('open');
    expect(consultationWindow({ opensAt, closesAt }, closesAt)).toBe('closed');
  });

  it('[CONS-3] refuses input outside the window with the dates in the answer', () => {
    const refusal = (now: Date) => {
      try {
        assertOpenForInput({ opensAt, closesAt }, now);
        return null;
      } catch (error) {
        return error as DomainError;
      }
    };
    expect(refusal(new Date('2027-03-02T00:00:00Z'))).toBeNull();
    const early = refusal(new Date('2027-02-01T00:00:00Z'))!;
    expect(early.code).toBe('consultation_not_open');
    expect(early.details.current).toEqual({ opensAt: opensAt.toISOString(), closesAt: closesAt.toISOString() });
    expect(refusal(new Date('2027-05-01T00:00:00Z'))!.code).toBe('consultation_closed');
  });

  it('refuses a closing time before the opening', () => {
    expect(() => assertValidWindow({ opensAt, closesAt: opensAt })).toThrow(/closesAt/);
  });
});

describe('reference numbers', () => {
  it('[CONS-4] are the year and a running number of four digits, split parts numbered after the letter', () => {
    expect(formatReference(2027, 14)).toBe('2027-0014');
    expect(formatReference(2027, 12345)).toBe('2027-12345');
    expect(splitReference('2027-0014', 2)).toBe('2027-0014-2');
  });
});

describe('publication', () => {
  it('[CONS-12] names the submitter only when names are published, never by e-mail', () => {
    const submitter = { name: 'Kari', organisation: 'Velforeningen' };
    expect(publicSubmitter(submitter, 'named')).toBe('Kari (Velforeningen)');
    expect(publicSubmitter({ name: 'Kari', organisation: null }, 'named')).toBe('Kari');
    expect(publicSubmitter(submitter, 'anonymous')).toBeNull();
    expect(publicSubmitter(submitter, 'none')).toBeNull();
  });

  it('[CONS-9] hiding or marking a copy hides; splitting keeps the letter as it was', () => {
    expect(nextModerationStatus('publish', 'pending')).toBe('published');
    expect(nextModerationStatus('hide', 'published')).toBe('hidden');
    expect(nextModerationStatus('mark_copy', 'pending')).toBe('hidden');
    expect(nextModerationStatus('split', 'published')).toBe('published');
  });
});

describe('attachment types by content', () => {
  const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
  const zipWith = (firstEntry: string, rest = '') => {
    const header = Buffer.alloc(30);
    header.write('PK\x03\x04', 0, 'latin1');
    return new Uint8Array(Buffer.concat([header, Buffer.from(firstEntry + rest, 'latin1')]));
  };

  it('[CONS-6] recognises PDF, PNG, JPEG, DOCX and ODT by their first bytes', () => {
    expect(sniffMediaType(bytes('%PDF-1.7\n'))).toBe(attachmentMediaTypes.pdf);
    expect(sniffMediaType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(attachmentMediaTypes.png);
    expect(sniffMediaType(new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toBe(attachmentMediaTypes.jpeg);
    expect(sniffMediaType(zipWith('[Content_Types].xml', '....word/document.xml'))).toBe(attachmentMediaTypes.docx);
    expect(sniffMediaType(zipWith(`mimetype${attachmentMediaTypes.odt}`))).toBe(attachmentMediaTypes.odt);
  });

  it('[CONS-6] refuses an executable, HTML, a script or a plain ZIP whatever the name says', () => {
    expect(sniffMediaType(bytes('MZ\x90\x00\x03'))).toBeNull();
    expect(sniffMediaType(bytes('\x7fELF\x02\x01'))).toBeNull();
    expect(sniffMediaType(bytes('<!DOCTYPE html><script>alert(1)</script>'))).toBeNull();
    expect(sniffMediaType(bytes('#!/bin/sh\nrm -rf /'))).toBeNull();
    expect(sniffMediaType(zipWith('evil.exe'))).toBeNull();
    expect(sniffMediaType(new Uint8Array())).toBeNull();
  });
});
