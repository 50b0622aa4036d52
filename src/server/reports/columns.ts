import type { ReportNote } from './reportData.js';
import { GENERAL_BOX } from './reports.schema.js';

/** One column of the spreadsheet and the CSV: one row per lapp, every field a planner filters on. */
export interface Column {
  header: string;
  /** Width in Excel's characters. */
  width: number;
  value(note: ReportNote): string | number | Date;
}

/** The columns, in order. "Parti" is left out entirely when the workshop keeps party out of reports. */
export function noteColumns(partyShown: boolean): Column[] {
  const columns: Array<Column | false> = [
    { header: 'Perspektiv', width: 28, value: (n) => n.perspective },
    { header: 'Del', width: 18, value: (n) => n.part },
    { header: 'Punkt', width: 14, value: (n) => (n.items.length ? n.items.map((i) => i.label).join('; ') : GENERAL_BOX) },
    { header: 'Punktets tekst', width: 50, value: (n) => n.items.map((i) => i.text).join('\n') },
    { header: 'Gruppe', width: 12, value: (n) => n.group },
    { header: 'Deltaker', width: 22, value: (n) => n.author },
    partyShown && { header: 'Parti', width: 14, value: (n) => n.party ?? '' },
    { header: 'Type', width: 20, value: (n) => n.kind },
    { header: 'Innspill', width: 60, value: (n) => n.text },
    { header: 'Enige', width: 8, value: (n) => n.agreeCount },
    { header: 'Tema', width: 30, value: (n) => n.theme ?? '' },
    { header: 'Vurdering', width: 20, value: (n) => n.statusLabel },
    { header: 'Begrunnelse', width: 60, value: (n) => n.justification },
    { header: 'Plassert', width: 9, value: (n) => (n.placed ? 'ja' : 'nei') },
    { header: 'Skrevet', width: 17, value: (n) => n.createdAt },
    { header: 'Lapp-id', width: 38, value: (n) => n.id },
  ];
  return columns.filter((column): column is Column => column !== false);
}
