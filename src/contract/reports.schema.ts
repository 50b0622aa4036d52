import { z } from 'zod';
import { languages } from '../domain/languages.js';

/** The formats a report downloads in; the open-data JSON is `export.json` (src/server/exports). */
export const reportFormatSchema = z.enum(['docx', 'xlsx', 'csv']);
export type ReportFormat = z.infer<typeof reportFormatSchema>;

export const reportContentTypes: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** `?lang=nn`: the language of the report; the workshop's language when absent. */
export const reportQuerySchema = z.object({ lang: z.enum(languages).optional() });

/**
 * Text as a report file can hold it, whatever is already stored: XML 1.0 (DOCX, XLSX) forbids C0
 * controls other than tab, line feed and carriage return, and U+FFFE/U+FFFF; a lone surrogate is
 * not text in any encoding. Controls and non-characters are dropped, a lone surrogate becomes
 * U+FFFD (the replacement character), so the reader sees that something was there.
 */
export function reportText(value: string): string {
  return (
    value
      // eslint-disable-next-line no-control-regex -- these are the characters XML 1.0 forbids
      .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '')
      .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
  );
}

/** `innspill-politisk-verksted`: an ASCII file name from a workshop title. */
export function reportFileName(title: string, format: ReportFormat | 'json'): string {
  const slug = title
    .toLowerCase()
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .replace(/å/g, 'a')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return `innspill-${slug || 'verksted'}.${format}`;
}

const osloParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Oslo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

const osloOffsets = new Map<number, number>();

/**
 * The wall-clock time in Oslo of a moment, as the fields of a Date in UTC (what spreadsheets
 * show). The offset is worked out once per UTC hour (summer time changes on the hour): asking Intl
 * for every one of 100,000 lapper took seconds.
 */
export function osloWallClock(moment: Date): Date {
  const hour = Math.floor(moment.getTime() / 3_600_000);
  let offset = osloOffsets.get(hour);
  if (offset === undefined) {
    const parts = Object.fromEntries(osloParts.formatToParts(new Date(hour * 3_600_000)).map((p) => [p.type, p.value]));
    offset = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute)) - hour * 3_600_000;
    osloOffsets.set(hour, offset);
  }
  return new Date(moment.getTime() + offset);
}

/** "12.03.2025 14:05" in Oslo time, which Norwegian Excel reads as a date. */
export function osloDateTime(moment: Date): string {
  const t = osloWallClock(moment);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(t.getUTCDate())}.${two(t.getUTCMonth() + 1)}.${t.getUTCFullYear()} ${two(t.getUTCHours())}:${two(t.getUTCMinutes())}`;
}
