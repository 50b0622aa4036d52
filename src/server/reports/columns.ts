import type { ReportNote } from './reportData.js';
import type { ReportWords } from './reportTexts.js';
import { reportText } from '../../contract/reports.schema.js';

/** One column of the spreadsheet and the CSV: one row per lapp, every field a planner filters on. */
export interface Column {
  /** Which column this is, whatever the language of its header. */
  key: ColumnKey;
  header: string;
  /** Width in Excel's characters. */
  width: number;
  value(note: ReportNote): string | number | Date;
}

type ColumnKey =
  | 'perspective'
  | 'part'
  | 'item'
  | 'itemText'
  | 'group'
  | 'participant'
  | 'party'
  | 'kind'
  | 'input'
  | 'agree'
  | 'theme'
  | 'assessment'
  | 'justification'
  | 'placed'
  | 'written'
  | 'noteId'
  | 'replyTo';

/** The printed page of the spreadsheet runs from the first column to this one; the rest (place, time, ids) are for filtering. */
export const PRINTED_COLUMNS = { last: 'justification' } as const satisfies { last: ColumnKey };

/** The columns, in order. The party column is left out entirely when the workshop keeps party out of reports. */
export function noteColumns(partyShown: boolean, words: ReportWords): Column[] {
  const { t } = words;
  const column = (key: ColumnKey, width: number, value: Column['value']): Column => ({ key, header: t(`report.col.${key}`), width, value });
  const columns: Array<Column | false> = [
    column('perspective', 16, (n) => n.perspective),
    column('part', 11, (n) => n.part),
    column('item', 12, (n) => (n.items.length ? n.items.map((i) => i.label).join('; ') : t('syn.generalBox'))),
    column('itemText', 30, (n) => n.items.map((i) => i.text).join('\n')),
    column('group', 10, (n) => n.group),
    column('participant', 15, (n) => n.author),
    partyShown && column('party', 17, (n) => n.party ?? ''),
    column('kind', 14, (n) => (n.replyTo ? t('report.reply', { kind: n.kind.toLocaleLowerCase(words.language) }) : n.kind)),
    column('input', 44, (n) => n.text),
    column('agree', 7, (n) => n.agreeCount),
    column('theme', 16, (n) => n.theme ?? ''),
    column('assessment', 14, (n) => n.statusLabel),
    column('justification', 36, (n) => n.justification),
    column('placed', 9, (n) => t(n.placed ? 'report.yes' : 'report.no')),
    column('written', 17, (n) => n.createdAt),
    column('noteId', 38, (n) => n.id),
    // [REPLY-1] A reply follows the lapp it answers; this names that lapp.
    column('replyTo', 38, (n) => n.replyTo ?? ''),
  ];
  return columns.filter((c): c is Column => c !== false);
}

/** A column's value for one lapp, with text made safe for the file ([REPORT-6]). */
export function cellValue(column: Column, note: ReportNote): string | number | Date {
  const value = column.value(note);
  return typeof value === 'string' ? reportText(value) : value;
}
