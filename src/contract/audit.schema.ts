import { z } from 'zod';
import { languages } from '../domain/languages.js';

/**
 * [AUDIT-1] What the audit trail records: every planner action that changes data or shows
 * personal data. Participants' own writes are in the event log already.
 */
export const auditActionSchema = z.enum([
  'assessment.set',
  'assessment.cleared',
  'assessment.bulk',
  'revision.recorded',
  'note.placed',
  'note.authorSet',
  'duplicate.merged',
  'duplicate.unmerged',
  'group.merged',
  'participant.anonymised',
  'participant.exported',
  'workshop.exported',
  'report.downloaded',
  'user.created',
  'user.roleChanged',
  'invitation.created',
  'moderation',
]);
export type AuditAction = z.infer<typeof auditActionSchema>;

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string(),
  actorRole: z.string(),
  action: auditActionSchema,
  workshopId: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  /** Ids, statuses and formats only: never a lapp text or a participant's name. */
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = z.object({
  /** The acting account's id. */
  actor: z.uuid().optional(),
  action: auditActionSchema.optional(),
  /** From this day (YYYY-MM-DD, inclusive, UTC) */
  from: z.iso.date().optional(),
  /** To this day (YYYY-MM-DD, inclusive, UTC) */
  to: z.iso.date().optional(),
  /** Entries older than this id (the next page). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** [AUDIT-4][AUDIT-5] The CSV download: the same filter, and the language of its headings, actions and details (bokmål when absent). */
export const auditCsvQuerySchema = auditQuerySchema.omit({ before: true, limit: true }).extend({ lang: z.enum(languages).optional() });
export type AuditCsvQuery = z.infer<typeof auditCsvQuerySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for older entries; null at the end. */
  nextBefore: z.number().int().nullable(),
  /** The accounts that appear in the trail, for the "who" filter. */
  actors: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
