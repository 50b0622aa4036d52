import type { Selectable } from 'kysely';
import type { Queryable } from '../db/database.js';
import type { AuditLogTable } from '../db/tables.js';
import type { AuditQuery } from '../../contract/audit.schema.js';

/** A row as `recordAudit` writes it: the table's own columns (tables.ts), without those the database fills in. */
export type AuditInsert = Omit<Selectable<AuditLogTable>, 'id' | 'at'>;

/** The one write of the audit trail: an insert. There is no update or delete, here or anywhere ([AUDIT-2]). */
export const insertAuditEntry = (db: Queryable, entry: AuditInsert) =>
  db
    .insertInto('audit_log')
    .values({ ...entry, detail: JSON.stringify(entry.detail) })
    .execute();

const dayStart = (day: string) => new Date(`${day}T00:00:00.000Z`);
const dayAfter = (day: string) => new Date(dayStart(day).getTime() + 86_400_000);

/** Entries newest first, filtered by who, what and when. */
export function selectAuditEntries(db: Queryable, filter: Omit<AuditQuery, 'limit'>, limit: number) {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
  if (filter.actor) query = query.where('actor_user_id', '=', filter.actor);
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.from) query = query.where('at', '>=', dayStart(filter.from));
  if (filter.to) query = query.where('at', '<', dayAfter(filter.to));
  if (filter.before) query = query.where('id', '<', filter.before);
  return query.execute();
}

export const selectAuditActors = (db: Queryable) =>
  db
    .selectFrom('audit_log')
    .select(['actor_user_id', 'actor_name'])
    .where('actor_user_id', 'is not', null)
    .groupBy(['actor_user_id', 'actor_name'])
    .orderBy('actor_name')
    .execute();
