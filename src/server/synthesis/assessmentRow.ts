import type { AssessmentStatus } from '../../contract/export.schema.js';

/** The assessment columns a synthesis read joins to a lapp or a høring input. */
export interface AssessmentColumns {
  status: AssessmentStatus | null;
  justification: string | null;
  assessed_at: Date | string | null;
  assessed_by_name: string | null;
  assessment_version: number | string | null;
}

/** A lapp's or høring input's assessment as the synthesis shows it; none until it has a status and a justification. */
export function assessmentOf(row: AssessmentColumns) {
  if (!row.status || row.justification === null || !row.assessed_at) return null;
  return {
    status: row.status,
    justification: row.justification,
    assessedAt: new Date(row.assessed_at).toISOString(),
    assessedBy: row.assessed_by_name,
    version: Number(row.assessment_version ?? 1),
  };
}
