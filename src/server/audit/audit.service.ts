import type { Actor } from '../../domain/actors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Queryable } from '../db/database.js';
import { auditActionSchema, type AuditAction, type AuditCsvQuery, type AuditEntry, type AuditPage, type AuditQuery } from '../../contract/audit.schema.js';
import { reportWords, type ReportWords } from '../reports/reportTexts.js';
import { BOM, csvLine } from '../reports/csv.js';
import * as q from './audit.queries.js';

export interface AuditEntryInput {
  action: AuditAction;
  workshopId?: string | null;
  targetType?: string;
  targetId?: string;
  /** Ids, statuses and formats only: never a lapp text or a participant's name. */
  detail?: Record<string, unknown>;
}

/** Who acted, as the trail names them: an account, or the system (an import, the CLI, the identity provider). */
export type AuditActor = Actor | { kind: 'system'; name: string };

/**
 * [AUDIT-1] Records one action in the audit trail. Call it with the action's own transaction, so
 * the entry exists exactly when the action committed; an action that only reads personal data
 * (an art. 15 export, a report) records before it answers.
 */
export async function recordAudit(tx: Queryable, actor: AuditActor, entry: AuditEntryInput): Promise<void> {
  const who =
    actor.kind === 'user'
      ? { actor_user_id: actor.userId, actor_name: actor.name, actor_role: actor.role }
      : actor.kind === 'system'
        ? { actor_user_id: null, actor_name: actor.name, actor_role: 'system' }
        : // Participants' writes are in the event log; an entry naming one keeps only the kind.
          { actor_user_id: null, actor_name: actor.kind, actor_role: actor.kind };
  await q.insertAuditEntry(tx, {
    ...who,
    action: entry.action,
    workshop_id: entry.workshopId ?? null,
    target_type: entry.targetType ?? null,
    target_id: entry.targetId ?? null,
    detail: entry.detail ?? {},
  });
}

const present = (row: Awaited<ReturnType<typeof q.selectAuditEntries>>[number]): AuditEntry => ({
  id: Number(row.id),
  at: row.at.toISOString(),
  actorUserId: row.actor_user_id,
  actorName: row.actor_name,
  actorRole: row.actor_role,
  action: row.action as AuditAction,
  workshopId: row.workshop_id,
  targetType: row.target_type,
  targetId: row.target_id,
  detail: row.detail,
});

/** [AUDIT-3] The trail for the people who manage accounts (planners), newest first, a page at a time. */
export async function listAudit(actor: Actor | null, query: AuditQuery, db: Queryable): Promise<AuditPage> {
  assertPlanner(actor);
  const rows = await q.selectAuditEntries(db, query, query.limit + 1);
  const entries = rows.slice(0, query.limit).map(present);
  const actors = await q.selectAuditActors(db);
  return {
    entries,
    nextBefore: rows.length > query.limit ? entries[entries.length - 1]!.id : null,
    actors: actors.map((a) => ({ id: a.actor_user_id!, name: a.actor_name })),
  };
}

const CSV_PAGE = 1000;

/** [AUDIT-5] The CSV's headings: the trail page's own labels where it has them. */
export const auditCsvHeader = (words: ReportWords) =>
  [
    words.t('audit.when'),
    words.t('audit.who'),
    words.t('audit.csv.role'),
    words.t('audit.csv.userId'),
    words.t('audit.action'),
    words.t('audit.csv.workshop'),
    words.t('audit.target'),
    words.t('audit.csv.targetId'),
    words.t('audit.csv.details'),
  ];

/** A detail value as text: lists item by item, anything nested as compact JSON. */
const detailValue = (value: unknown): string =>
  Array.isArray(value) ? value.map(detailValue).join(', ') : value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);

/** [AUDIT-5] An entry's details as "key: value, key: value" by key (ids, statuses and formats only, [AUDIT-1]). */
export const auditDetailText = (detail: Record<string, unknown>): string =>
  Object.entries(detail)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}: ${detailValue(value)}`)
    .join(', ');

/** The action as the trail page names it; a code the page has no label for stays a code. */
const actionLabel = (words: ReportWords, action: string) => {
  const known = auditActionSchema.safeParse(action);
  return known.success ? words.t(`audit.action.${known.data}`) : action;
};

/**
 * [AUDIT-4] The filtered trail as CSV (the report CSV's writer: `;`, BOM, formula-looking cells
 * disarmed), streamed a page at a time, its headings, actions and details readable in the
 * person's language [AUDIT-5]. Reading it is itself recorded: the trail names people.
 */
export async function* auditCsv(actor: Actor | null, query: AuditCsvQuery, db: Queryable): AsyncGenerator<Buffer> {
  assertPlanner(actor);
  const { lang, ...filter } = query;
  const words = reportWords(lang ?? 'nb');
  await recordAudit(db, actor, { action: 'report.downloaded', targetType: 'audit_log', detail: { format: 'csv' } });
  yield Buffer.from(BOM + csvLine(auditCsvHeader(words)), 'utf8');
  let before: number | undefined;
  for (;;) {
    const rows = await q.selectAuditEntries(db, { ...filter, before }, CSV_PAGE);
    if (rows.length === 0) return;
    const lines = rows.map((row) =>
      csvLine([
        row.at,
        row.actor_name,
        row.actor_role,
        row.actor_user_id ?? '',
        actionLabel(words, row.action),
        row.workshop_id ?? '',
        row.target_type ?? '',
        row.target_id ?? '',
        auditDetailText(typeof row.detail === 'string' ? (JSON.parse(row.detail) as Record<string, unknown>) : row.detail),
      ]),
    );
    yield Buffer.from(lines.join(''), 'utf8');
    before = Number(rows[rows.length - 1]!.id);
  }
}
