import { Readable } from 'node:stream';
import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import ExcelJS from 'exceljs';
import { publicSubmitter, type SubmitterRole } from '../../domain/consultation/consultation.js';
import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { AssessmentStatus } from '../../contract/export.schema.js';
import type { PlanInputs } from '../../contract/consultation.schema.js';
import { reportText } from '../../contract/reports.schema.js';
import { reportWords } from '../reports/reportTexts.js';
import type { Queryable } from '../db/database.js';
import { readPlan } from '../plans/plans.service.js';
import * as q from './consultations.queries.js';
import { readSubmissions } from './consultations.service.js';
import * as rq from './planReport.queries.js';

export const NO_CHANGE = 'Ingen endring';
// The plan's report is bokmål for now; its statuses and item labels are the workshop reports' words.
const words = reportWords('nb');
const NOT_ASSESSED = words.status(null);
export const roleLabels: Record<SubmitterRole | 'participant', string> = {
  private: 'Privatperson',
  organisation: 'Organisasjon/lag',
  business: 'Næringsliv',
  public_body: 'Offentlig myndighet',
  participant: 'Verkstedsdeltaker',
};

export type PlanReportRow = PlanInputs['sections'][number]['items'][number]['rows'][number];
export type PlanReport = PlanInputs;

const changeOf = (revisions: { before_text: string | null; after_text: string | null }[]) =>
  revisions.length ? revisions.map((r) => `${r.before_text ?? '–'} → ${r.after_text ?? '–'}`).join('\n') : NO_CHANGE;
const assessmentOf = (status: AssessmentStatus | null | undefined, justification: string | null | undefined) =>
  status ? `${words.status(status)}: ${justification ?? ''}` : NOT_ASSESSED;

/**
 * [CONS-18] The report of a plan across all its steps: per item, every workshop lapp and høring
 * input with its assessment and the change it led to; hidden input only in the summary, with its reason.
 */
export async function loadPlanReport(db: Queryable, planId: string, source: InputSource = 'all'): Promise<PlanReport> {
  const plan = await readPlan(db, planId);
  const [consultations, workshops, notes] = await Promise.all([q.listConsultationsOfPlan(db, planId), q.listWorkshopsOfPlan(db, planId), rq.listWorkshopInputsOfPlan(db, planId)]);
  const noteIds = notes.map((n) => n.id);
  const [noteItems, noteRevisions] = await Promise.all([rq.listNoteItems(db, noteIds), rq.listRevisionsOfNotes(db, noteIds)]);

  type Pending = Omit<PlanReportRow, 'number'> & { itemIds: string[]; at: number };
  const pending: Pending[] = [];
  // [CONS-13] One synthesis: every step's input, or one workshop's or one consultation's.
  const wanted = (kind: 'workshop' | 'consultation', id: string) => source === 'all' || source === `${kind}:${id}`;
  const bySourceAndRole = new Map<string, { source: string; role: string; count: number }>();
  const byStatus = new Map<string, number>();
  const hidden: { reference: string; reason: string }[] = [];
  const tally = (source: string, role: string, status: AssessmentStatus | null | undefined) => {
    const key = `${source}\u0000${role}`;
    const entry = bySourceAndRole.get(key) ?? { source, role, count: 0 };
    entry.count += 1;
    bySourceAndRole.set(key, entry);
    const label = status ? words.status(status) : NOT_ASSESSED;
    byStatus.set(label, (byStatus.get(label) ?? 0) + 1);
  };

  for (const note of notes) {
    if (!wanted('workshop', note.workshop_id)) continue;
    const source = `Verksted: ${note.workshop_title}`;
    tally(source, roleLabels.participant, note.status);
    pending.push({
      source: note.group_name ? `${source}, ${note.group_name}` : source,
      who: note.participant_name ?? note.author_name ?? '',
      input: note.text,
      assessment: assessmentOf(note.status, note.justification),
      change: changeOf(noteRevisions.filter((r) => r.note_id === note.id)),
      itemIds: noteItems.filter((ni) => ni.note_id === note.id).map((ni) => ni.item_id),
      at: note.created_at.getTime(),
    });
  }

  for (const consultation of consultations) {
    if (!wanted('consultation', consultation.id)) continue;
    const submissions = await readSubmissions(db, consultation.id);
    const revisions = await q.listRevisionsOfSubmissions(db, submissions.map((s) => s.id));
    const splitLetters = new Set(submissions.flatMap((s) => (s.splitFrom ? [s.splitFrom] : [])));
    const source = `Høring: ${consultation.title}`;
    for (const s of submissions) {
      if (s.status === 'hidden') {
        hidden.push({ reference: s.reference, reason: s.hiddenReason ?? '' });
        continue;
      }
      // A split letter is reported through its parts.
      if (splitLetters.has(s.id)) continue;
      tally(source, roleLabels[s.role], s.assessment?.status);
      pending.push({
        source: `Høring ${s.reference}`,
        who: publicSubmitter(s, consultation.publication) ?? roleLabels[s.role],
        input: s.text || (s.attachments.length ? `(vedlegg: ${s.attachments.map((a) => a.name).join(', ')})` : ''),
        assessment: assessmentOf(s.assessment?.status, s.assessment?.justification),
        change: changeOf(revisions.filter((r) => r.submission_id === s.id)),
        itemIds: s.itemIds,
        at: new Date(s.submittedAt).getTime(),
      });
    }
  }

  const numbered = (rows: Pending[]): PlanReportRow[] =>
    rows.sort((a, b) => a.at - b.at).map(({ itemIds: _ids, at: _at, ...row }, index) => ({ number: index + 1, ...row }));
  return {
    plan: { id: plan.id, title: plan.title, municipality: plan.municipality, horizonYear: plan.horizonYear },
    steps: [
      ...workshops.map((w) => ({ kind: 'workshop' as const, title: w.title })),
      ...consultations.map((c) => ({ kind: 'consultation' as const, title: c.title })),
    ],
    sections: plan.perspectives.map((perspective) => ({
      perspective: perspective.title,
      items: perspective.items
        .filter((item) => !item.archived || pending.some((p) => p.itemIds.includes(item.id)))
        .map((item) => ({
          label: words.itemLabel(item.kind, item.number, item.archived),
          text: item.text,
          rows: numbered(pending.filter((p) => p.itemIds.includes(item.id))),
        })),
    })),
    general: numbered(pending.filter((p) => p.itemIds.length === 0)),
    summary: {
      bySourceAndRole: [...bySourceAndRole.values()],
      byStatus: [...byStatus.entries()].map(([status, count]) => ({ status, count })),
      hidden,
    },
  };
}

/** `all`, `workshop:<id>` or `consultation:<id>`. */
export type InputSource = 'all' | `workshop:${string}` | `consultation:${string}`;

/** The planners' download of the plan report, and the plan's inputs per item (filtered by source). */
export async function openPlanReport(actor: Actor | null, planId: string, db: Queryable, source: InputSource = 'all'): Promise<PlanReport> {
  assertPlanner(actor);
  const found = await db.selectFrom('plans').select('id').where('id', '=', planId).executeTakeFirst();
  if (!found) throw fail.notFound('Plan');
  return loadPlanReport(db, planId, source);
}

const HEADERS = ['Nr.', 'Kilde', 'Fra', 'Innspill', 'Vurdering', 'Endring i planen'];

const cellParagraphs = (text: string, bold = false) =>
  reportText(text)
    .split(/\r\n?|\n/)
    .map((line) => new Paragraph({ children: [new TextRun({ text: line, bold })] }));

function rowsTable(rows: PlanReportRow[]): Table {
  const cell = (text: string, bold = false) => new TableCell({ children: cellParagraphs(text, bold) });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: HEADERS.map((h) => cell(h, true)) }),
      ...rows.map((r) => new TableRow({ children: [String(r.number), r.source, r.who, r.input, r.assessment, r.change].map((v) => cell(v)) })),
    ],
  });
}

/** The saksframlegg appendix as a Word document: texts go in as runs, so markup stays text. */
export async function planReportDocx(report: PlanReport): Promise<Buffer> {
  const body: (Paragraph | Table)[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(reportText(`Merknadsbehandling – ${report.plan.title}`))] }),
    new Paragraph({ children: [new TextRun(reportText(`${report.plan.municipality}, planperiode til ${report.plan.horizonYear}`))] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Sammendrag')] }),
    new Paragraph({ children: [new TextRun(`Medvirkning: ${report.steps.map((s) => `${s.kind === 'workshop' ? 'verksted' : 'høring'} «${s.title}»`).join(', ') || 'ingen'}`)] }),
    summaryTable(['Kilde', 'Hvem', 'Antall'], report.summary.bySourceAndRole.map((r) => [r.source, r.role, String(r.count)])),
    new Paragraph({ children: [] }),
    summaryTable(['Vurdering', 'Antall'], report.summary.byStatus.map((r) => [r.status, String(r.count)])),
    new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(`Skjulte innspill (${report.summary.hidden.length})`)] }),
    ...(report.summary.hidden.length
      ? [summaryTable(['Referanse', 'Begrunnelse'], report.summary.hidden.map((h) => [h.reference, h.reason]))]
      : [new Paragraph({ children: [new TextRun('Ingen')] })]),
  ];
  for (const section of report.sections) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(reportText(section.perspective))] }));
    for (const item of section.items) {
      body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(reportText(`${item.label}: ${item.text}`))] }));
      body.push(item.rows.length ? rowsTable(item.rows) : new Paragraph({ children: [new TextRun({ text: 'Ingen innspill', italics: true })] }));
    }
  }
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('Generelle innspill')] }));
  body.push(report.general.length ? rowsTable(report.general) : new Paragraph({ children: [new TextRun({ text: 'Ingen', italics: true })] }));
  const document = new Document({
    creator: 'Innspill',
    title: `Merknadsbehandling – ${reportText(report.plan.title)}`,
    styles: { default: { document: { run: { language: { value: 'nb-NO' } } } } },
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

export async function planReportXlsx(report: PlanReport): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Innspill';
  const sheet = workbook.addWorksheet('Merknadsbehandling');
  sheet.addRow(['Perspektiv', 'Punkt', ...HEADERS]).font = { bold: true };
  const add = (perspective: string, item: string, r: PlanReportRow) =>
    sheet.addRow([perspective, item, r.number, r.source, r.who, r.input, r.assessment, r.change].map((v) => (typeof v === 'string' ? disarmed(v) : v)));
  for (const section of report.sections) for (const item of section.items) for (const r of item.rows) add(section.perspective, `${item.label}: ${item.text}`, r);
  for (const r of report.general) add('', 'Generelle innspill', r);
  sheet.columns.forEach((column, index) => (column.width = [24, 40, 6, 28, 24, 60, 40, 40][index]));
  const summary = workbook.addWorksheet('Sammendrag');
  summary.addRow(['Kilde', 'Hvem', 'Antall']).font = { bold: true };
  for (const r of report.summary.bySourceAndRole) summary.addRow([disarmed(r.source), r.role, r.count]);
  summary.addRow([]);
  summary.addRow(['Vurdering', 'Antall']).font = { bold: true };
  for (const r of report.summary.byStatus) summary.addRow([r.status, r.count]);
  summary.addRow([]);
  summary.addRow(['Skjult innspill', 'Begrunnelse']).font = { bold: true };
  for (const h of report.summary.hidden) summary.addRow([h.reference, disarmed(h.reason)]);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export function planReportBody(report: PlanReport, format: 'docx' | 'xlsx'): Readable {
  return Readable.from(
    (async function* () {
      yield format === 'docx' ? await planReportDocx(report) : await planReportXlsx(report);
    })(),
  );
}

/** The planners' download: `Merknadsbehandling-<plan>.docx`. */
export const planReportFileName = (report: PlanReport, format: 'docx' | 'xlsx') =>
  `Merknadsbehandling-${report.plan.title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'plan'}.${format}`;
