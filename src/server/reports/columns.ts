import type { ReportNote } from './reportData.js';
import { GENERAL_BOX, reportText } from '../../contract/reports.schema.js';

/** One column of the spreadsheet and the CSV: one row per lapp, every field a planner filters on. */
export interface Column {
  header: string;
  /** Width in Excel's characters. */
  width: number;
  value(note: ReportNote): string | number | Date;
}

/** The printed page of the spreadsheet runs from the first column to this one; the rest (place, time, ids) are for filtering. */
export const PRINTED_COLUMNS = { last: 'Begrunnelse' } as const;

/** The columns, in order. "Parti" is left out entirely when the workshop keeps party out of reports. */
export function noteColumns(partyShown: boolean): Column[] {
  const columns: Array<Column | false> = [
    { header: 'Perspektiv', width: 16, value: (n) => n.perspective },
    { header: 'Del', width: 11, value: (n) => n.part },
    { header: 'Punkt', width: 12, value: (n) => (n.items.length ? n.items.map((i) => i.label).join('; ') : GENERAL_BOX) },
    { header: 'Punktets tekst', width: 30, value: (n) => n.items.map((i) => i.text).join('\n') },
    { header: 'Gruppe', width: 10, value: (n) => n.group },
    { header: 'Deltaker', width: 15, value: (n) => n.author },
    partyShown && { header: 'Parti', width: 17, value: (n) => n.party ?? '' },
    { header: 'Type', width: 14, value: (n) => (n.replyTo ? `Svar (${n.kind.toLowerCase()})` : n.kind) },
    { header: 'Innspill', width: 44, value: (n) => n.text },
    { header: 'Enige', width: 7, value: (n) => n.agreeCount },
    { header: 'Tema', width: 16, value: (n) => n.theme ?? '' },
    { header: 'Vurdering', width: 14, value: (n) => n.statusLabel },
    { header: 'Begrunnelse', width: 36, value: (n) => n.justification },
    { header: 'Plassert', width: 9, value: (n) => (n.placed ? 'ja' : 'nei') },
    { header: 'Skrevet', width: 17, value: (n) => n.createdAt },
    { header: 'Lapp-id', width: 38, value: (n) => n.id },
    // [REPLY-1] A reply follows the lapp it answers; this names that lapp.
    { header: 'Svar på (lapp-id)', width: 38, value: (n) => n.replyTo ?? '' },
  ];
  return columns.filter((column): column is Column => column !== false);
}

/** A column's value for one lapp, with text made safe for the file ([REPORT-6]). */
export function cellValue(column: Column, note: ReportNote): string | number | Date {
  const value = column.value(note);
  return typeof value === 'string' ? reportText(value) : value;
}
