import type { Queryable } from '../db/database.js';
import { cellValue, noteColumns } from './columns.js';
import { notePages, threaded, type ReportContext } from './reportData.js';
import { osloDateTime } from '../../contract/reports.schema.js';

/**
 * The lapper as CSV for Norwegian Excel: RFC 4180 quoting and CRLF line ends, UTF-8 with a byte
 * order mark (without it Excel reads the file as Windows-1252 and garbles æøå), and `;` between
 * fields, since Norwegian Excel uses the comma as the decimal sign and expects semicolons.
 * Times are Oslo time as "dd.mm.åååå tt:mm".
 *
 * A field that starts with = + - @ or a tab/CR gets a leading apostrophe, so Excel shows what the
 * participant typed instead of running it as a formula (CSV injection, OWASP).
 */
export const CSV_SEPARATOR = ';';
export const BOM = '\uFEFF';

export function csvField(value: string | number | Date): string {
  let text = value instanceof Date ? osloDateTime(value) : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[;"\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (fields: Array<string | number | Date>) => `${fields.map(csvField).join(CSV_SEPARATOR)}\r\n`;

/** Streams the CSV a page of lapper at a time. */
export async function* csvReport(db: Queryable, report: ReportContext): AsyncGenerator<Buffer> {
  const columns = noteColumns(report.workshop.partyInReports, report.words);
  yield Buffer.from(BOM + csvLine(columns.map((c) => c.header)), 'utf8');
  for await (const page of notePages(db, report)) {
    const lines: string[] = [];
    for (const { note } of threaded(page)) lines.push(csvLine(columns.map((column) => cellValue(column, note))));
    yield Buffer.from(lines.join(''), 'utf8');
  }
}
