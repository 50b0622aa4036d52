import { Readable } from 'node:stream';
import { publicSubmitter, type SubmitterRole } from '../../domain/consultation/consultation.js';
import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { AssessmentStatus } from '../../contract/export.schema.js';
import type { PlanInputs } from '../../contract/consultation.schema.js';
import { reportWords, type ReportWords } from '../reports/reportTexts.js';
import type { Language } from '../../domain/languages.js';
import type { Queryable } from '../db/database.js';
import { readPlan } from '../plans/plans.service.js';
import * as q from './consultations.queries.js';
import { readSubmissions } from './consultations.service.js';
import * as rq from './planReport.queries.js';

/** Who gave an input, as the report names the role: a submitter's own choice, or a workshop's participant. */
const roleLabel = (words: ReportWords, role: SubmitterRole | 'participant') =>
  role === 'participant' ? words.t('report.plan.participant') : words.t(`cons.role.${role}`);

export type PlanReportRow = PlanInputs['sections'][number]['items'][number]['rows'][number];
export type PlanReport = PlanInputs;

const changeOf = (words: ReportWords, revisions: { before_text: string | null; after_text: string | null }[]) =>
  revisions.length ? revisions.map((r) => `${r.before_text ?? '–'} → ${r.after_text ?? '–'}`).join('\n') : words.t('report.plan.noChange');
const assessmentOf = (words: ReportWords, status: AssessmentStatus | null | undefined, justification: string | null | undefined) =>
  status ? `${words.status(status)}: ${justification ?? ''}` : words.status(null);

/**
 * [CONS-18] The report of a plan across all its steps: per item, every workshop lapp and høring
 * input with its assessment and the change it led to; hidden input only in the summary, with its reason.
 */
export async function loadPlanReport(db: Queryable, planId: string, source: InputSource = 'all', language: Language = 'nb'): Promise<PlanReport> {
  const words = reportWords(language);
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
    const label = words.status(status ?? null);
    byStatus.set(label, (byStatus.get(label) ?? 0) + 1);
  };

  for (const note of notes) {
    if (!wanted('workshop', note.workshop_id)) continue;
    const source = words.t('report.plan.source.workshop', { title: note.workshop_title });
    tally(source, roleLabel(words, 'participant'), note.status);
    pending.push({
      source: note.group_name ? `${source}, ${note.group_name}` : source,
      who: note.participant_name ?? note.author_name ?? '',
      input: note.text,
      assessment: assessmentOf(words, note.status, note.justification),
      change: changeOf(words, noteRevisions.filter((r) => r.note_id === note.id)),
      itemIds: noteItems.filter((ni) => ni.note_id === note.id).map((ni) => ni.item_id),
      at: note.created_at.getTime(),
    });
  }

  for (const consultation of consultations) {
    if (!wanted('consultation', consultation.id)) continue;
    const submissions = await readSubmissions(db, consultation.id);
    const revisions = await q.listRevisionsOfSubmissions(db, submissions.map((s) => s.id));
    const splitLetters = new Set(submissions.flatMap((s) => (s.splitFrom ? [s.splitFrom] : [])));
    const source = words.t('report.plan.source.consultation', { title: consultation.title });
    for (const s of submissions) {
      if (s.status === 'hidden') {
        hidden.push({ reference: s.reference, reason: s.hiddenReason ?? '' });
        continue;
      }
      // A split letter is reported through its parts.
      if (splitLetters.has(s.id)) continue;
      tally(source, roleLabel(words, s.role), s.assessment?.status);
      pending.push({
        source: words.t('report.plan.source.submission', { reference: s.reference }),
        who: publicSubmitter(s, consultation.publication) ?? roleLabel(words, s.role),
        input: s.text || (s.attachments.length ? words.t('report.plan.attachmentsOnly', { names: s.attachments.map((a) => a.name).join(', ') }) : ''),
        assessment: assessmentOf(words, s.assessment?.status, s.assessment?.justification),
        change: changeOf(words, revisions.filter((r) => r.submission_id === s.id)),
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
export async function openPlanReport(actor: Actor | null, planId: string, db: Queryable, source: InputSource = 'all', language: Language = 'nb'): Promise<PlanReport> {
  assertPlanner(actor);
  const found = await db.selectFrom('plans').select('id').where('id', '=', planId).executeTakeFirst();
  if (!found) throw fail.notFound('Plan');
  return loadPlanReport(db, planId, source, language);
}

export function planReportBody(report: PlanReport, format: 'docx' | 'xlsx', language: Language = 'nb'): Readable {
  return Readable.from(
    (async function* () {
      // The DOCX and XLSX writers (docx, exceljs) load at the first download, not with the server.
      const files = await import('./planReportFiles.js');
      yield format === 'docx' ? await files.planReportDocx(report, language) : await files.planReportXlsx(report, language);
    })(),
  );
}

/** The planners' download: `Merknadsbehandling-<plan>.docx`. */
export const planReportFileName = (report: PlanReport, format: 'docx' | 'xlsx') =>
  `Merknadsbehandling-${report.plan.title.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '') || 'plan'}.${format}`;
