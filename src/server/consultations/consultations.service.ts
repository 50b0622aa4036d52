import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/actors.js';
import {
  assertOpenForInput,
  assertValidWindow,
  consultationWindow,
  defaultClosesAt,
  nextModerationStatus,
  splitReference,
} from '../../domain/consultation/consultation.js';
import { DomainError, fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import {
  openConsultationBodySchema,
  submissionFieldsSchema,
  type Consultation,
  type Follow,
  type FrozenPlan,
  type ModerationEntry,
  type OpenConsultationBody,
  type PublicConsultation,
  type Submission,
  type SubmissionReceipt,
  type TimelineStep,
} from '../../contract/consultation.schema.js';
import type { AssessmentStatus } from '../../contract/export.schema.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Db, Queryable } from '../db/database.js';
import type { ConsultationsTable } from '../db/tables.js';
import { readPlan } from '../plans/plans.service.js';
import type { AttachmentStore, ReceivedFile } from './attachmentStore.js';
import * as q from './consultations.queries.js';
import { submissionCommitOf } from './submissionCommit.js';
import type { Selectable } from 'kysely';

type ConsultationRow = Selectable<ConsultationsTable>;

/** What the service needs beyond the database: the public address and where files go. */
export interface ConsultationEnv {
  publicUrl: string;
  store: AttachmentStore;
  now?: () => Date;
  /** Sends an e-mail when SMTP is configured ([CONS-16]); absent: nobody is told by e-mail. */
  mail?: (message: { to: string; subject: string; text: string }) => Promise<void>;
}

const nowOf = (env: Pick<ConsultationEnv, 'now'>) => (env.now ? env.now() : new Date());
export const publicConsultationUrl = (publicUrl: string, id: string) => `${publicUrl}/consultations/${id}`;
export const followUrl = (publicUrl: string, token: string) => `${publicUrl}/follow/${token}`;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

function frozenPlanOf(plan: Awaited<ReturnType<typeof readPlan>>): FrozenPlan {
  return {
    id: plan.id,
    title: plan.title,
    municipality: plan.municipality,
    horizonYear: plan.horizonYear,
    version: plan.version,
    perspectives: plan.perspectives.map((perspective) => ({
      id: perspective.id,
      title: perspective.title,
      position: perspective.position,
      items: perspective.items
        .filter((item) => !item.archived)
        .map((item) => ({ id: item.id, kind: item.kind, number: item.number, text: item.text })),
    })),
  };
}

function present(row: ConsultationRow, publicUrl: string, now: Date, submissionCount: number): Consultation {
  return {
    id: row.id,
    planId: row.plan_id,
    title: row.title,
    introduction: row.introduction,
    opensAt: row.opens_at.toISOString(),
    closesAt: row.closes_at.toISOString(),
    publication: row.publication,
    state: consultationWindow({ opensAt: row.opens_at, closesAt: row.closes_at }, now),
    publicUrl: publicConsultationUrl(publicUrl, row.id),
    planVersion: row.plan_version,
    submissionCount,
  };
}

/** [CONS-1] [CONS-2] Opens a consultation on the plan's text as it is now. */
export async function openConsultation(
  actor: Actor | null,
  planId: string,
  input: OpenConsultationBody,
  db: Db,
  env: Pick<ConsultationEnv, 'publicUrl' | 'now'>,
): Promise<Consultation> {
  assertPlanner(actor);
  return createConsultation(planId, input, actor.userId, db, env);
}

/** Opens a consultation for a planner or the shell (`innspill consultation open`, where shell access stands in for the planner). */
export async function createConsultation(
  planId: string,
  input: OpenConsultationBody,
  createdBy: string | null,
  db: Db,
  env: Pick<ConsultationEnv, 'publicUrl' | 'now'>,
): Promise<Consultation> {
  const body = openConsultationBodySchema.parse(input);
  const now = nowOf(env);
  const opensAt = body.opensAt ? new Date(body.opensAt) : now;
  const closesAt = body.closesAt ? new Date(body.closesAt) : defaultClosesAt(opensAt);
  assertValidWindow({ opensAt, closesAt });
  const row = await db.transaction().execute(async (tx) => {
    const plan = await readPlan(tx, planId);
    return q.insertConsultation(tx, {
      id: randomUUID(),
      plan_id: planId,
      title: body.title,
      introduction: body.introduction,
      opens_at: opensAt,
      closes_at: closesAt,
      publication: body.publication,
      plan_version: plan.version,
      plan_snapshot: JSON.stringify(frozenPlanOf(plan)),
      created_by: createdBy,
    });
  });
  return present(row, env.publicUrl, now, 0);
}

/** Closes a consultation now (a later closing time is brought forward; a closed one stays as it is). */
export async function closeConsultation(actor: Actor | null, id: string, db: Db, env: Pick<ConsultationEnv, 'publicUrl' | 'now'>): Promise<Consultation> {
  assertPlanner(actor);
  return closeNow(id, db, env);
}

export async function closeNow(id: string, db: Db, env: Pick<ConsultationEnv, 'publicUrl' | 'now'>): Promise<Consultation> {
  const now = nowOf(env);
  const row = await db.transaction().execute(async (tx) => {
    const current = await q.lockConsultation(tx, id);
    if (!current) throw fail.notFound('Consultation');
    if (current.closes_at.getTime() <= now.getTime()) return current;
    const opensAt = current.opens_at.getTime() < now.getTime() ? current.opens_at : new Date(now.getTime() - 1);
    return q.setWindow(tx, id, opensAt, now);
  });
  windowsRead.get(db)?.delete(id);
  return present(row, env.publicUrl, now, await q.countSubmissions(db, id));
}

async function consultationOr404(db: Queryable, id: string): Promise<ConsultationRow> {
  const row = await q.findConsultation(db, id);
  if (!row) throw fail.notFound('Consultation');
  return row;
}

export async function getConsultation(actor: Actor | null, id: string, db: Queryable, env: Pick<ConsultationEnv, 'publicUrl' | 'now'>): Promise<Consultation> {
  assertPlanner(actor);
  const row = await consultationOr404(db, id);
  return present(row, env.publicUrl, nowOf(env), await q.countSubmissions(db, id));
}

/** The public page's data: anyone may read it, account or not ([CONS-5]). */
export async function getPublicConsultation(id: string, db: Queryable, env: Pick<ConsultationEnv, 'publicUrl' | 'now'>): Promise<PublicConsultation> {
  const row = await consultationOr404(db, id);
  const { submissionCount: _count, ...consultation } = present(row, env.publicUrl, nowOf(env), 0);
  return { ...consultation, plan: row.plan_snapshot as FrozenPlan };
}

/** [CONS-1] The participation steps of a plan, workshops and consultations, by date. */
export async function planTimeline(actor: Actor | null, planId: string, db: Queryable, env: Pick<ConsultationEnv, 'now'>): Promise<TimelineStep[]> {
  assertPlanner(actor);
  const now = nowOf(env);
  const [workshops, consultations] = await Promise.all([q.listWorkshopsOfPlan(db, planId), q.listConsultationsOfPlan(db, planId)]);
  const steps: TimelineStep[] = [
    ...workshops.map((w) => ({
      kind: 'workshop' as const,
      id: w.id,
      title: w.title,
      startsAt: w.date ?? w.opened_at?.toISOString() ?? null,
      endsAt: null,
      state: w.state,
    })),
    ...consultations.map((c) => ({
      kind: 'consultation' as const,
      id: c.id,
      title: c.title,
      startsAt: c.opens_at.toISOString(),
      endsAt: c.closes_at.toISOString(),
      state: consultationWindow({ opensAt: c.opens_at, closesAt: c.closes_at }, now),
    })),
  ];
  return steps.sort((a, b) => (a.startsAt ?? '9999').localeCompare(b.startsAt ?? '9999'));
}

export interface SubmissionInput {
  consultationId: string;
  /** The form's fields as read; repeatable ones as arrays. */
  fields: Record<string, string | string[]>;
  files: ReceivedFile[];
}

/**
 * [CONS-3…8] Takes one submission: the window, the fields, the items of the frozen text, then one
 * transaction that numbers it, stores it and moves its files into place. Once this returns, the
 * input is stored: the receipt never shows for something that is not.
 */
export async function submit(input: SubmissionInput, db: Db, env: ConsultationEnv): Promise<SubmissionReceipt> {
  const kept: string[] = [];
  let stored: Awaited<ReturnType<typeof storeSubmission>>;
  try {
    stored = await storeSubmission(input, db, env, kept);
  } catch (error) {
    // Refused or failed before its commit: nothing of it stays, not even its received files.
    await env.store.discard([...kept, ...input.files.map((file) => file.incomingKey)]);
    throw error;
  }
  const { id, token, reference, consultation, email } = stored;
  const receipt = { id, reference, followUrl: followUrl(env.publicUrl, token) };
  if (email && env.mail) {
    // The receipt page already showed; a failing mail server must not undo the submission.
    void Promise.resolve()
      .then(() =>
        env.mail!({
          to: email,
          subject: `Kvittering for innspill ${reference} – ${consultation.title}`,
          text: `Takk for innspillet ditt til «${consultation.title}».\n\nReferanse: ${reference}\nFølg innspillet her: ${receipt.followUrl}\n\nThank you for your input. Reference ${reference}; follow it at the link above.\n`,
        }),
      )
      .catch(() => {});
  }
  return receipt;
}

/** The window, the fields, the items of the frozen text, then the files into place and the shared commit; `kept` collects the files moved. */
async function storeSubmission(input: SubmissionInput, db: Db, env: ConsultationEnv, kept: string[]) {
  const now = nowOf(env);
  const consultation = await frozenFactsOf(db, input.consultationId);
  const raw = input.fields;
  const one = (key: string) => (Array.isArray(raw[key]) ? (raw[key] as string[])[0] : (raw[key] as string | undefined));
  const itemIds = raw.itemIds === undefined ? [] : Array.isArray(raw.itemIds) ? raw.itemIds : [raw.itemIds];
  const parsed = submissionFieldsSchema.safeParse({
    name: one('name') ?? '',
    email: one('email')?.trim() || undefined,
    organisation: one('organisation')?.trim() || undefined,
    role: one('role') || undefined,
    itemIds: itemIds.filter((id) => id !== ''),
    text: one('text') ?? '',
  });
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => ({ path: issue.path.join('.') || 'body', message: issue.message }));
    throw new DomainError('validation_failed', fields.map((f) => `${f.path}: ${f.message}`).join('; '), { fields });
  }
  const fields = parsed.data;
  if (fields.text.trim() === '' && input.files.length === 0) throw fail.invalid('text', 'write something or attach a file');
  const unknown = fields.itemIds.find((id) => !consultation.itemIds.has(id));
  if (unknown) throw fail.invalid('itemIds', `${unknown} is not an item of this consultation's draft`);

  const id = randomUUID();
  const token = randomBytes(24).toString('base64url');
  // The files go into place before the commit: a crash in between leaves an orphan file, never
  // a row without its file (docs/decisions/011-consultation-attachments.md).
  const attachments = [];
  for (const [position, file] of input.files.entries()) {
    const attachmentId = randomUUID();
    const storageKey = await env.store.keep(file, consultation.id, attachmentId);
    kept.push(storageKey);
    attachments.push({ id: attachmentId, submission_id: id, position, name: file.name, media_type: file.mediaType, bytes: file.bytes, sha256: file.sha256, storage_key: storageKey });
  }
  // [CONS-24] Numbered and stored in a transaction shared with the submissions arriving meanwhile.
  const reference = await submissionCommitOf(db).submit({
    row: {
      id,
      consultation_id: consultation.id,
      follow_token_hash: hashToken(token),
      name: fields.name,
      email: fields.email || null,
      organisation: fields.organisation || null,
      role: fields.role,
      text: fields.text,
      hidden_reason: null,
      copy_of: null,
      split_from: null,
      submitted_at: now,
    },
    itemIds: fields.itemIds,
    attachments,
  });
  return { id, token, reference, consultation, email: fields.email };
}

/** What a submission needs of its consultation that never changes: the title and the frozen text's items ([CONS-1]). */
interface FrozenFacts {
  id: string;
  title: string;
  itemIds: Set<string>;
}

/** Consultations whose frozen facts a process keeps, per database; the oldest goes first. */
const FROZEN_FACTS_KEPT = 200;
const frozenFacts = new WeakMap<Queryable, Map<string, FrozenFacts>>();

/**
 * The consultation's frozen facts, read once per process: the snapshot is written when it opens
 * and never updated, so every submission need not fetch and parse it again. The window is not
 * among them; it is checked at the commit ([CONS-3]).
 */
async function frozenFactsOf(db: Queryable, consultationId: string): Promise<FrozenFacts> {
  let kept = frozenFacts.get(db);
  if (!kept) frozenFacts.set(db, (kept = new Map()));
  const known = kept.get(consultationId);
  if (known) return known;
  const row = await consultationOr404(db, consultationId);
  const facts = {
    id: row.id,
    title: row.title,
    itemIds: new Set((row.plan_snapshot as FrozenPlan).perspectives.flatMap((p) => p.items.map((item) => item.id))),
  };
  if (kept.size >= FROZEN_FACTS_KEPT) kept.delete(kept.keys().next().value!);
  kept.set(consultationId, facts);
  return facts;
}

type SubmissionRow = Awaited<ReturnType<typeof q.listSubmissionRows>>[number];

async function presentSubmissions(db: Queryable, rows: SubmissionRow[]): Promise<Submission[]> {
  const ids = rows.map((row) => row.id);
  // Split parts show their letter's attachments.
  const withLetters = [...new Set([...ids, ...rows.flatMap((row) => (row.split_from ? [row.split_from] : []))])];
  const [items, attachments, assessments] = await Promise.all([q.listSubmissionItems(db, ids), q.listAttachments(db, withLetters), q.listAssessments(db, ids)]);
  return rows.map((row) => {
    const assessment = assessments.find((a) => a.submission_id === row.id);
    return {
      id: row.id,
      consultationId: row.consultation_id,
      reference: row.reference,
      submittedAt: row.submitted_at.toISOString(),
      name: row.name,
      email: row.email,
      organisation: row.organisation,
      role: row.role,
      itemIds: items.filter((i) => i.submission_id === row.id).map((i) => i.item_id),
      text: row.text,
      status: row.status,
      hiddenReason: row.hidden_reason,
      copyOf: row.copy_of,
      splitFrom: row.split_from,
      attachments: attachments
        .filter((a) => a.submission_id === (row.split_from ?? row.id))
        .map((a) => ({ id: a.id, name: a.name, mediaType: a.media_type, bytes: Number(a.bytes), sha256: a.sha256 })),
      assessment: assessment
        ? { status: assessment.status, justification: assessment.justification, assessedAt: assessment.assessed_at.toISOString(), version: assessment.version }
        : null,
      version: row.version,
    };
  });
}

/** [CONS-9] The moderation queue: every submission and split part, the new ones first to handle. */
export async function listSubmissions(actor: Actor | null, consultationId: string, db: Queryable): Promise<Submission[]> {
  assertPlanner(actor);
  await consultationOr404(db, consultationId);
  return presentSubmissions(db, await q.listSubmissionRows(db, consultationId));
}

/** Every submission of a consultation, for the report, the synthesis and the export (no actor: callers check). */
export const readSubmissions = async (db: Queryable, consultationId: string) => presentSubmissions(db, await q.listSubmissionRows(db, consultationId));

export async function moderationLog(actor: Actor | null, consultationId: string, db: Queryable): Promise<ModerationEntry[]> {
  assertPlanner(actor);
  await consultationOr404(db, consultationId);
  const rows = await q.listModerationLog(db, consultationId);
  return rows.map((row) => ({
    id: row.id,
    submissionId: row.submission_id,
    action: row.action,
    detail: row.detail as Record<string, unknown>,
    actorName: row.actor_name,
    at: row.created_at.toISOString(),
  }));
}

export type ModerationCommand =
  | { action: 'publish'; version: number }
  | { action: 'hide'; version: number; reason: string }
  | { action: 'mark_copy'; version: number; copyOf: string }
  | { action: 'split'; version: number; parts: { text: string; itemIds: string[] }[] };

/**
 * [CONS-9…11] One moderation action in one transaction with its log entry ([CONS-10]): the
 * submission is locked, its version checked, and nothing is ever deleted.
 */
export async function moderate(actor: Actor | null, submissionId: string, command: ModerationCommand, db: Db): Promise<Submission[]> {
  assertPlanner(actor);
  const changed = await db.transaction().execute(async (tx) => {
    const current = await q.lockSubmission(tx, submissionId);
    if (!current) throw fail.notFound('Submission');
    if (current.version !== command.version) throw fail.versionConflict((await presentSubmissions(tx, [current]))[0]);
    // [AUDIT-1] The consultation's own log and the audit trail, both in this transaction. The trail
    // keeps ids and statuses only: a hiding reason is the planner's text and stays in the log.
    const log = async (action: ModerationCommand['action'], detail: Record<string, unknown>) => {
      await q.insertModerationEntry(tx, {
        id: randomUUID(),
        consultation_id: current.consultation_id,
        submission_id: submissionId,
        action,
        detail: JSON.stringify(detail),
        actor_user_id: actor.userId,
      });
      const ids = Object.fromEntries(Object.entries(detail).filter(([key]) => key !== 'reason' && key !== 'reference'));
      await recordAudit(tx, actor, {
        action: 'moderation',
        targetType: 'submission',
        targetId: submissionId,
        detail: { consultationId: current.consultation_id, step: action, ...ids },
      });
    };
    const status = nextModerationStatus(command.action, current.status);
    switch (command.action) {
      case 'publish':
        await q.setModeration(tx, submissionId, { status, hidden_reason: null });
        await log('publish', { from: current.status });
        return [submissionId];
      case 'hide':
        await q.setModeration(tx, submissionId, { status, hidden_reason: command.reason });
        await log('hide', { from: current.status, reason: command.reason });
        return [submissionId];
      case 'mark_copy': {
        const original = await q.findSubmission(tx, command.copyOf);
        if (!original || original.consultation_id !== current.consultation_id || original.id === current.id) {
          throw fail.invalid('copyOf', 'must be another submission of the same consultation');
        }
        const reason = `Kopi av ${original.reference}`;
        await q.setModeration(tx, submissionId, { status, hidden_reason: reason, copy_of: original.id });
        await log('mark_copy', { from: current.status, copyOf: original.id, reference: original.reference });
        return [submissionId];
      }
      case 'split': {
        if (current.split_from) throw fail.invalid('submission', 'a split part cannot be split again');
        const consultation = await consultationOr404(tx, current.consultation_id);
        const known = new Set((consultation.plan_snapshot as FrozenPlan).perspectives.flatMap((p) => p.items.map((item) => item.id)));
        command.parts.forEach((part, index) => {
          const unknown = part.itemIds.find((id) => !known.has(id));
          if (unknown) throw fail.invalid(`parts.${index}.itemIds`, `${unknown} is not an item of this consultation's draft`);
        });
        const existing = (await q.listSplitParts(tx, submissionId)).length;
        const ids: string[] = [];
        for (const [index, part] of command.parts.entries()) {
          const id = randomUUID();
          ids.push(id);
          await q.insertSubmission(tx, {
            id,
            consultation_id: current.consultation_id,
            reference: splitReference(current.reference, existing + index + 1),
            follow_token_hash: null,
            name: current.name,
            email: current.email,
            organisation: current.organisation,
            role: current.role,
            text: part.text,
            status: current.status === 'hidden' ? 'pending' : current.status,
            hidden_reason: null,
            copy_of: null,
            split_from: current.id,
            submitted_at: current.submitted_at,
          });
          await q.insertSubmissionItems(tx, id, [...new Set(part.itemIds)]);
        }
        await q.bumpVersion(tx, submissionId);
        await log('split', { parts: ids.length, partIds: ids });
        return [submissionId, ...ids];
      }
    }
  });
  const rows = await Promise.all(changed.map((id) => q.findSubmission(db, id)));
  return presentSubmissions(db, rows.filter((row): row is SubmissionRow => Boolean(row)));
}

/**
 * [CONS-13] Merknadsbehandling of a høring input, with the same statuses as a lapp's. A letter
 * that was split is assessed through its parts. [CONS-22] Like a lapp's ([SYN-3]), a stale
 * `version` gets 409 with the assessment as it is now: two planners never overwrite each other.
 */
export async function assessSubmission(
  actor: Actor | null,
  submissionId: string,
  input: { status: AssessmentStatus; justification: string; version: number },
  db: Db,
  env: Pick<ConsultationEnv, 'mail' | 'publicUrl'>,
): Promise<Submission> {
  assertPlanner(actor);
  const { row, mailTo, consultationTitle } = await db.transaction().execute(async (tx) => {
    const current = await q.lockSubmission(tx, submissionId);
    if (!current) throw fail.notFound('Submission');
    if ((await q.listSplitParts(tx, submissionId)).length) throw fail.invalid('submission', 'this letter was split: assess its parts');
    // Compared under the submission's row lock, so of two planners who saw the same version one wins.
    const [assessed] = await q.listAssessments(tx, [submissionId]);
    if ((assessed?.version ?? 0) !== input.version) {
      throw fail.versionConflict(assessed ? { status: assessed.status, justification: assessed.justification, version: assessed.version } : null);
    }
    await q.upsertAssessment(tx, { submission_id: submissionId, consultation_id: current.consultation_id, status: input.status, justification: input.justification, assessed_by: actor.userId });
    await q.bumpVersion(tx, submissionId);
    await recordAudit(tx, actor, {
      action: 'moderation',
      targetType: 'submission',
      targetId: submissionId,
      detail: { consultationId: current.consultation_id, step: 'assess', status: input.status },
    });
    const consultation = await consultationOr404(tx, current.consultation_id);
    return { row: (await q.findSubmission(tx, submissionId))!, mailTo: current.email, consultationTitle: consultation.title };
  });
  if (mailTo && env.mail) {
    void env
      .mail({
        to: mailTo,
        subject: `Innspill ${row.reference} er vurdert – ${consultationTitle}`,
        text: `Innspillet ditt ${row.reference} til «${consultationTitle}» er vurdert. Se vurderingen på lenken du fikk i kvitteringen.\n\nYour input ${row.reference} has been assessed; see the follow link in your receipt.\n`,
      })
      .catch(() => {});
  }
  return (await presentSubmissions(db, [row]))[0]!;
}

/** [CONS-14] What the personal follow link shows: status, assessment and the change it led to. */
export async function follow(token: string, db: Queryable): Promise<Follow> {
  const letter = await q.findSubmissionByFollowHash(db, hashToken(token));
  if (!letter) throw fail.notFound('Submission');
  const consultation = await consultationOr404(db, letter.consultation_id);
  const parts = await q.listSplitParts(db, letter.id);
  const shown = parts.length ? parts : [letter];
  const [presented, revisions] = await Promise.all([presentSubmissions(db, shown), q.listRevisionsOfSubmissions(db, shown.map((s) => s.id))]);
  return {
    reference: letter.reference,
    submittedAt: letter.submitted_at.toISOString(),
    consultation: { id: consultation.id, title: consultation.title, closesAt: consultation.closes_at.toISOString() },
    status: letter.status,
    parts: presented.map((part) => ({
      reference: part.reference,
      text: part.text,
      itemIds: part.itemIds,
      assessment: part.assessment,
      revisions: revisions
        .filter((r) => r.submission_id === part.id)
        .map((r) => ({ itemId: r.item_id, before: r.before_text, after: r.after_text, at: r.created_at.toISOString() })),
    })),
  };
}

/** [CONS-15] An attachment for a planner: its name, a safe type and the stream. */
export async function openAttachment(actor: Actor | null, attachmentId: string, db: Queryable, store: AttachmentStore) {
  assertPlanner(actor);
  const row = await q.findAttachment(db, attachmentId);
  if (!row) throw fail.notFound('Attachment');
  // [AUDIT-1] A letter's attachment is personal data: recorded before it is served.
  await recordAudit(db, actor, {
    action: 'moderation',
    targetType: 'submission_attachment',
    targetId: attachmentId,
    detail: { step: 'download', submissionId: row.submission_id },
  });
  return { name: row.name, mediaType: row.media_type, bytes: Number(row.bytes), stream: store.open(row.storage_key) };
}

/**
 * How long a process answers the early check from the window it read ([CONS-24]): the check at
 * the commit reads it again, so a close made by another process within this time still refuses the
 * submission, only after its body was read.
 */
const WINDOW_KEPT_MS = 1000;
const windowsRead = new WeakMap<Queryable, Map<string, { readAt: number; opensAt: Date; closesAt: Date }>>();

/** [CONS-3] Refuses early, before the body is read, when the consultation takes no input now. */
export async function assertTakingInput(consultationId: string, db: Queryable, env: Pick<ConsultationEnv, 'now'>): Promise<void> {
  let kept = windowsRead.get(db);
  if (!kept) windowsRead.set(db, (kept = new Map()));
  let window = kept.get(consultationId);
  if (!window || performance.now() - window.readAt > WINDOW_KEPT_MS) {
    const row = (await q.findConsultationWindows(db, [consultationId])).get(consultationId);
    if (!row) throw fail.notFound('Consultation');
    window = { readAt: performance.now(), opensAt: row.opens_at, closesAt: row.closes_at };
    if (kept.size >= FROZEN_FACTS_KEPT) kept.delete(kept.keys().next().value!);
    kept.set(consultationId, window);
  }
  assertOpenForInput(window, nowOf(env));
}
