import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Queryable } from '../db/database.js';
import { noteColumns } from './columns.js';
import { notePages, type ReportContext } from './reportData.js';
import { osloWallClock } from './reports.schema.js';

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
  workbook.title = `Innspill fra ${report.workshop.title}`;
  workbook.created = report.generatedAt;

  const columns = noteColumns(report.workshop.partyInReports);
  const notes = workbook.addWorksheet('Lapper', { views: [{ state: 'frozen', ySplit: 1 }] });
  notes.columns = columns.map((column) => ({ header: column.header, width: column.width }));
  // One style object per column, shared by its cells: exceljs caches a style by object identity
  // and otherwise works out the style of every one of the 1.6 million cells anew.
  const cellStyles = columns.map((column): Partial<ExcelJS.Style> => (column.header === 'Skrevet' ? { numFmt: 'dd.mm.yyyy hh:mm' } : {}));
  notes.getRow(1).font = { bold: true };
  notes.getRow(1).commit();
  let rows = 1;
  for await (const page of notePages(db, report)) {
    for (const note of page) {
      const row = notes.addRow(
        columns.map((column) => {
          const value = column.value(note);
          return value instanceof Date ? osloWallClock(value) : value;
        }),
      );
      row.eachCell({ includeEmpty: true }, (cell, column) => {
        cell.style = cellStyles[column - 1]!;
      });
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
  const stars = workbook.addWorksheet('Stjerner', { views: [{ state: 'frozen', ySplit: 1, xSplit: 2 }] });
  stars.columns = [
    { header: 'Perspektiv', width: 28 },
    { header: 'Punkt', width: 14 },
    { header: 'Punktets tekst', width: 50 },
    ...groups.map((group) => ({ header: group.name, width: Math.max(9, group.name.length + 2) })),
    { header: 'Sum', width: 8 },
  ];
  stars.getRow(1).font = { bold: true };
  stars.getRow(1).commit();
  let starRows = 1;
  for (const perspective of report.perspectives) {
    for (const item of perspective.items.filter((i) => i.stars.total > 0 || report.starredKinds.has(`${perspective.id}:${i.kind}`))) {
      stars.addRow([perspective.title, item.label, item.text, ...groups.map((group) => item.stars.byGroup.get(group.id) ?? 0), item.stars.total]).commit();
      starRows++;
    }
  }
  stars.autoFilter = `A1:${columnLetter(groups.length + 4)}${starRows}`;
  stars.commit();
  await workbook.commit();
}
