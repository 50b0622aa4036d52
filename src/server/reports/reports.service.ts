import { Readable } from 'node:stream';
import type { Actor } from '../../domain/actors.js';
import type { Language } from '../../domain/languages.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Queryable } from '../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { csvReport } from './csv.js';
import { loadReport, type ReportContext } from './reportData.js';
import { reportContentTypes, reportFileName, type ReportFormat } from '../../contract/reports.schema.js';

export interface ReportDownload {
  fileName: string;
  contentType: string;
  /** The file, produced while it is read. */
  body: Readable;
}

/** The file of a loaded report; the CLI calls this directly, with shell access standing in for the planner. */
export function reportBody(db: Queryable, report: ReportContext, format: ReportFormat): Readable {
  if (format === 'csv') return Readable.from(csvReport(db, report), { objectMode: false });
  // The DOCX and XLSX writers (docx, exceljs) load at the first download, not with the server.
  return Readable.from(
    (async function* () {
      if (format === 'xlsx') yield* (await import('./xlsx.js')).xlsxReport(db, report);
      else yield* (await import('./docx.js')).docxReport(db, report);
    })(),
    { objectMode: false },
  );
}

/**
 * [REPORT-1] A report of a workshop for the political case. Planners only: reports name
 * participants and may carry party affiliation (GDPR art. 9). Access and the workshop are
 * checked before the first byte, so a refusal is a clean 401/403/404. [REPORT-10] `language` is the
 * report's language; absent, the workshop's.
 */
export async function openReport(actor: Actor | null, workshopId: string, format: ReportFormat, db: Queryable, language?: Language): Promise<ReportDownload> {
  assertPlanner(actor);
  const report = await loadReport(db, workshopId, language);
  await recordAudit(db, actor, { action: 'report.downloaded', workshopId, targetType: 'workshop', targetId: workshopId, detail: { format, language: report.words.language } });
  return { fileName: reportFileName(report.workshop.title, format), contentType: reportContentTypes[format], body: reportBody(db, report, format) };
}
