import { z } from 'zod';
import type { ItemKind } from '../domain/items.js';
import type { AssessmentStatus } from './export.schema.js';

/** The formats a report downloads in; the open-data JSON is `export.json` (src/server/exports). */
export const reportFormatSchema = z.enum(['docx', 'xlsx', 'csv']);
export type ReportFormat = z.infer<typeof reportFormatSchema>;

export const reportContentTypes: Record<ReportFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/** The merknadsbehandling's words, as a saksframlegg writes them. */
export const assessmentLabels: Record<AssessmentStatus, string> = {
  accepted: 'Tatt til følge',
  partly: 'Delvis tatt til følge',
  rejected: 'Ikke tatt til følge',
  already_covered: 'Allerede ivaretatt',
  out_of_scope: 'Utenfor planens tema',
};
export const NOT_ASSESSED = 'Ikke vurdert';

export const noteKindLabels = {
  comment: 'Kommentar',
  rewording: 'Alternativ formulering',
  new_item: 'Forslag til nytt punkt',
  question: 'Spørsmål',
  facilitator_note: 'Fasilitatornotat',
} as const;

export const partLabels = { goals: 'Del 1: Delmål', strategies: 'Del 2: Strategier' } as const;

const itemKindLabels: Record<ItemKind, string> = {
  main_goal: 'Hovedmål',
  sub_goal: 'Delmål',
  strategy: 'Strategi',
  land_use_strategy: 'Arealstrategi',
};

/** "Delmål 2", "Hovedmål", or "Strategi (fjernet)" for an item archived since. */
export function itemLabel(kind: ItemKind, number: number | null, archived: boolean): string {
  if (archived) return `${itemKindLabels[kind]} (fjernet)`;
  return kind === 'main_goal' || number === null ? itemKindLabels[kind] : `${itemKindLabels[kind]} ${number}`;
}

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

export const GENERAL_BOX = 'Generelle innspill';
export const NO_THEME = 'Uten tema';
export const NO_INPUT = 'Verkstedet har ingen innspill ennå.';

/** "1 lapp", "3 lapper": Norwegian singular and plural. */
export const count = (n: number, one: string, many: string) => `${n.toLocaleString('nb-NO')} ${n === 1 ? one : many}`;

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

const osloDate = new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', day: 'numeric', month: 'long', year: 'numeric' });
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

/** "12. mars 2025" for a moment, in Oslo. */
export const longDate = (moment: Date) => osloDate.format(moment);

/** "12. mars 2025" for a date column: `YYYY-MM-DD`, or a Date at local midnight as pg parses it. */
export function calendarDate(value: string | Date): string {
  const [year, month, day] =
    typeof value === 'string' ? value.slice(0, 10).split('-').map(Number) : [value.getFullYear(), value.getMonth() + 1, value.getDate()];
  return osloDate.format(new Date(Date.UTC(year!, month! - 1, day!, 12)));
}

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
