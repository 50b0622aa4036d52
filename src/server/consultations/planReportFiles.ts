/**
 * The plan report's files (CONS-18): the saksframlegg appendix as DOCX and the table as XLSX.
 * Imported when a report is downloaded (planReport.ts), so the server does not load docx and
 * exceljs at start.
 */
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import { reportText } from '../../contract/reports.schema.js';
import { localeOf, type Language } from '../../domain/languages.js';
import { reportWords, type ReportWords } from '../reports/reportTexts.js';
import type { PlanReport, PlanReportRow } from './planReport.js';

const headers = (words: ReportWords) =>
  (['number', 'source', 'from', 'input', 'assessment', 'change'] as const).map((column) => words.t(`report.plan.col.${column}`));

const cellParagraphs = (text: string, bold = false) =>
  reportText(text)
    .split(/\r\n?|\n/)
    .map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] }));

function rowsTable(words: ReportWords, rows: PlanReportRow[]): Table {
  const cell = (text: string, bold = false) => new TableCell({ children: cellParagraphs(text, bold) });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: headers(words).map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ children: [String(r.number), r.source, r.who, r.input, r.assessment, r.change].map((v) => cell(v)) })),
    ],
  });
}

/** The saksframlegg appendix as a Word document: texts go in as runs, so markup stays text. */
export async function planReportDocx(report: PlanReport, language: Language = 'nb'): Promise<Buffer> {
  const words = reportWords(language);
  const t = words.t;
  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(reportText(t('report.plan.title', { plan: report.plan.title })))] }),
    new Paragraph({ children: [new TextRun(reportText(t('report.plan.subtitle', { municipality: report.plan.municipality, year: String(report.plan.horizonYear) })))] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(t('report.summary'))] }),
    new Paragraph({ children: [new TextRun(reportText(t('report.plan.steps', { steps: report.steps.map((s) => t(`report.plan.step.${s.kind}`, { title: s.title })).join(', ') || t('report.plan.none') })))] }),
    summaryTable([t('report.plan.col.source'), t('report.plan.col.who'), t('report.plan.col.count')], report.summary.bySourceAndRole.map((r) => [r.source, r.role, String(r.count)])),
    new Paragraph({ children: [] }),
    summaryTable([t('report.plan.col.assessment'), t('report.plan.col.count')], report.summary.byStatus.map((r) => [r.status, String(r.count)])),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(`${t('report.plan.hidden')} (${words.number(report.summary.hidden.length)})`)] }),
    ...(report.summary.hidden.length
      ? [summaryTable([t('report.plan.col.reference'), t('report.plan.col.reason')], report.summary.hidden.map((h) => [h.reference, h.reason]))]
      : [new Paragraph({ children: [new TextRun(t('report.plan.none'))] })]),
  ];
  for (const section of report.sections) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(reportText(section.perspective))] }));
    for (const item of section.items) {
      body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(reportText(`${item.label}: ${item.text}`))] }));
      body.push(item.rows.length ? rowsTable(words, item.rows) : new Paragraph({ children: [new TextRun({ text: t('report.plan.noInput'), italics: true })] }));
    }
  }
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(t('cons.general'))] }));
  body.push(report.general.length ? rowsTable(words, report.general) : new Paragraph({ children: [new TextRun({ text: t('report.plan.none'), italics: true })] }));
  const document = new Document({
    creator: 'Innspill',
    title: reportText(t('report.plan.title', { plan: report.plan.title })),
    styles: { default: { document: { run: { language: { value: localeOf[language] } } } } },
    sections: [{ children: body }],
  });
  return Packer.toBuffer(document);
}

function summaryTable(headers: string[], rows: string[][]): Table {
  const cell = (text: string, bold = false) =>
    new TableCell({ children: [new Paragraph({ alignment: AlignmentType.LEFT, children: [new TextRun({ text: reportText(text), bold })] })] });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [new TableRow({ tableHeader: true, children: headers.map((h) => cell(h, true)) }), ...rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) }))],
  });
}

/** A text a spreadsheet shows as typed: a leading = + - @ would otherwise be a formula (CSV injection). */
export const disarmed = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${reportText(value)}` : reportText(value));

export async function planReportXlsx(report: PlanReport, language: Language = 'nb'): Promise<Buffer> {
  const words = reportWords(language);
  const t = words.t;
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Innspill';
  const sheet = workbook.addWorksheet(t('report.plan.sheet'));
  sheet.addRow([t('report.plan.col.perspective'), t('report.plan.col.item'), ...headers(words)]).font = { bold: true };
  const add = (perspective: string, item: string, r: PlanReportRow) =>
    sheet.addRow([perspective, item, r.number, r.source, r.who, r.input, r.assessment, r.change].map((v) => (typeof v === 'string' ? disarmed(v) : v)));
  for (const section of report.sections) for (const item of section.items) for (const r of item.rows) add(section.perspective, `${item.label}: ${item.text}`, r);
  for (const r of report.general) add('', t('cons.general'), r);
  sheet.columns.forEach((column, index) => (column.width = [24, 40, 6, 28, 24, 60, 40, 40][index]));
  const summary = workbook.addWorksheet(t('report.summary'));
  summary.addRow([t('report.plan.col.source'), t('report.plan.col.who'), t('report.plan.col.count')]).font = { bold: true };
  for (const r of report.summary.bySourceAndRole) summary.addRow([disarmed(r.source), r.role, r.count]);
  summary.addRow([]);
  summary.addRow([t('report.plan.col.assessment'), t('report.plan.col.count')]).font = { bold: true };
  for (const r of report.summary.byStatus) summary.addRow([r.status, r.count]);
  summary.addRow([]);
  summary.addRow([t('report.plan.hiddenOne'), t('report.plan.col.reason')]).font = { bold: true };
  for (const h of report.summary.hidden) summary.addRow([h.reference, disarmed(h.reason)]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

