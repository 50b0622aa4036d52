import type { Actor } from '../../domain/actors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Queryable } from '../db/database.js';
import type { AuditAction, AuditEntry, AuditPage, AuditQuery } from '../../contract/audit.schema.js';
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
export const auditCsvHeader = ['Tidspunkt', 'Hvem', 'Rolle', 'Bruker-id', 'Handling', 'Verksted', 'Gjelder', 'Id', 'Detaljer'];

/**
 * [AUDIT-4] The filtered trail as CSV (the report CSV's writer: `;`, BOM, formula-looking cells
 * disarmed), streamed a page at a time. Reading it is itself recorded: the trail names people.
 */
export async function* auditCsv(actor: Actor | null, filter: Omit<AuditQuery, 'limit' | 'before'>, db: Queryable): AsyncGenerator<Buffer> {
  assertPlanner(actor);
  await recordAudit(db, actor, { action: 'report.downloaded', targetType: 'audit_log', detail: { format: 'csv' } });
  yield Buffer.from(BOM + csvLine(auditCsvHeader), 'utf8');
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
        row.action,
        row.workshop_id ?? '',
        row.target_type ?? '',
        row.target_id ?? '',
        JSON.stringify(row.detail),
      ]),
    );
    yield Buffer.from(lines.join(''), 'utf8');
    before = Number(rows[rows.length - 1]!.id);
  }
}
