import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Queryable } from '../db/database.js';
import { cellValue, noteColumns, PRINTED_COLUMNS } from './columns.js';
import { notePages, threaded, type ReportContext } from './reportData.js';
import { osloWallClock, reportText } from '../../contract/reports.schema.js';

/**
 * [REPORT-7] Set up for print as a case officer prints it: A4 landscape, scaled to one page wide
 * (as many pages tall as it needs), the header row on every page, narrow margins, page numbers.
 */
const printSetup = (printArea?: string): Partial<ExcelJS.PageSetup> => ({
  paperSize: 9, // A4
  orientation: 'landscape',
  fitToPage: true,
  fitToWidth: 1,
  fitToHeight: 0,
  printTitlesRow: '1:1',
  margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 },
  ...(printArea ? { printArea } : {}),
});
const headerStyle: Partial<ExcelJS.Style> = {
  font: { name: 'Calibri', size: 11, bold: true },
  alignment: { vertical: 'top', wrapText: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7E6E6' } },
};

/** Lines a text takes in a wrapped cell `width` characters wide: its lines, each word-wrapped greedily. */
export function wrappedLines(text: string, width: number): number {
  // Excel's width is in "0"s, wider than most letters: a line holds about `width` characters.
  const room = Math.max(1, Math.floor(width));
  let lines = 0;
  for (const line of text.split(/\r\n?|\n/)) {
    let used = 0;
    lines++;
    for (const word of line.split(/\s+/).filter(Boolean)) {
      const length = word.length;
      if (used > 0 && used + 1 + length > room) {
        lines++;
        used = 0;
      }
      // A word longer than the line takes several lines of its own.
      if (length > room) {
        lines += Math.ceil(length / room) - 1;
        used = length % room;
      } else used += (used > 0 ? 1 : 0) + length;
    }
  }
  return lines;
}

/**
 * A row as tall as its tallest wrapped cell. Excel and LibreOffice do not grow a row written
 * without a height when they open the file, so wrapped text would print over the next row.
 */
function rowHeight(values: unknown[], widths: number[]): number {
  let lines = 1;
  // A for loop: row.values has a hole at index 0, which map() keeps and spreading turns into NaN.
  for (let i = 1; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'string') lines = Math.max(lines, wrappedLines(value, widths[i]!));
  }
  return 15 * lines;
}

const columnLetter = (n: number): string => (n <= 26 ? String.fromCharCode(64 + n) : columnLetter(Math.floor((n - 1) / 26)) + columnLetter(((n - 1) % 26) + 1));

/**
 * The lapper as an Excel workbook, written with exceljs's streaming writer: sheet "Lapper" with one
 * row per lapp (header row frozen, with autofilter), sheet "Stjerner" with stars per item and group
 * for the items of posters that had stars.
 * Rows are committed a page at a time, and the writer waits for the reader between pages.
 */
export function xlsxReport(db: Queryable, report: ReportContext): Readable {
  const out = new PassThrough();
  write(db, report, out).catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

async function write(db: Queryable, report: ReportContext, out: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Innspill';
  const { t } = report.words;
  const footer = { oddFooter: `&L&A&R${t('report.pageOf', { page: '&P', pages: '&N' })}` };
  workbook.title = t('report.title', { workshop: report.workshop.title });
  workbook.created = report.generatedAt;

  const columns = noteColumns(report.workshop.partyInReports, report.words);
  const printed = columns.findIndex((column) => column.key === PRINTED_COLUMNS.last) + 1;
  const notes = workbook.addWorksheet(t('report.sheet.notes'), {
    views: [{ state: 'frozen', ySplit: 1 }],
    pageSetup: printSetup(`A:${columnLetter(printed)}`),
    headerFooter: footer,
  });
  notes.columns = columns.map((column) => ({ header: column.header, width: column.width }));
  // One style object per column (and reply depth), shared by its cells: exceljs caches a style by
  // object identity and otherwise works out the style of every one of the 1.6 million cells anew.
  const top = { vertical: 'top', wrapText: true } as const;
  const cellStyles = columns.map((column): Partial<ExcelJS.Style> => (column.key === 'written' ? { numFmt: 'dd.mm.yyyy hh:mm', alignment: top } : { alignment: top }));
  const textColumn = columns.findIndex((column) => column.key === 'input');
  // [REPLY-1] A reply's text is indented one step per level under the lapp it answers.
  const replyStyles = [1, 2, 3].map((indent): Partial<ExcelJS.Style> => ({ alignment: { ...top, indent } }));
  // row.values starts at index 1, as columns do.
  const rowWidths = [0, ...columns.map((column) => column.width)];
  const header = notes.getRow(1);
  header.eachCell((cell) => {
    cell.style = headerStyle;
  });
  header.commit();
  let rows = 1;
  for await (const page of notePages(db, report)) {
    for (const { note, depth } of threaded(page)) {
      const row = notes.addRow(
        columns.map((column) => {
          const value = cellValue(column, note);
          return value instanceof Date ? osloWallClock(value) : value;
        }),
      );
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        cell.style = depth > 0 && column - 1 === textColumn ? replyStyles[Math.min(depth, 3) - 1]! : cellStyles[column - 1]!;
      });
      row.height = rowHeight(row.values as unknown[], rowWidths);
      row.commit();
      rows++;
    }
    // The reader went away (a closed download): stop reading lapper.
    if (out.destroyed) return;
    if (out.writableNeedDrain) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  }
  notes.autoFilter = `A1:${columnLetter(columns.length)}${rows}`;
  notes.commit();

  const groups = [...report.groups.values()];
  const stars = workbook.addWorksheet(t('report.sheet.stars'), { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }], pageSetup: printSetup(), headerFooter: footer });
  const starColumns = [
    { header: t('report.col.perspective'), width: 28 },
    { header: t('report.col.item'), width: 14 },
    { header: t('report.col.itemText'), width: 50 },
    ...groups.map((group) => ({ header: group.name, width: Math.max(9, group.name.length + 2) })),
    { header: t('report.col.sum'), width: 8 },
  ];
  stars.columns = starColumns;
  const starWidths = [0, ...starColumns.map((column) => column.width)];
  const starHeader = stars.getRow(1);
  starHeader.eachCell((cell) => {
    cell.style = headerStyle;
  });
  starHeader.commit();
  let starRows = 1;
  for (const perspective of report.perspectives) {
    for (const item of perspective.items.filter((i) => i.stars.total > 0 || report.starredKinds.has(`${perspective.id}:${i.kind}`))) {
      const row = stars.addRow([perspective.title, item.label, reportText(item.text), ...groups.map((group) => item.stars.byGroup.get(group.id) ?? 0), item.stars.total]);
      row.alignment = top;
      row.height = rowHeight(row.values as unknown[], starWidths);
      row.commit();
      starRows++;
    }
  }
  stars.autoFilter = `A1:${columnLetter(groups.length + 4)}${starRows}`;
  stars.commit();
  await workbook.commit();
}
