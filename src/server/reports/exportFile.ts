import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import { isLanguage, languages, type Language } from '../../domain/languages.js';
import type { Queryable } from '../db/database.js';
import { readConsultationExport } from '../consultations/consultationExport.service.js';
import { loadPlanReport, planReportBody } from '../consultations/planReport.js';
import { readWorkshopExport } from '../exports/workshopExport.service.js';
import { loadReport } from './reportData.js';
import { reportFormatSchema, type ReportFormat } from '../../contract/reports.schema.js';
import { reportBody } from './reports.service.js';

/** `innspill export`: the planners' downloads from the shell, where shell access stands in for the planner. */
export const exportFormats = [...reportFormatSchema.options, 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportRequest {
  format: ExportFormat;
  /** What is exported: a workshop (by default), a consultation's open data, or a plan's report across its steps. */
  scope: 'workshop' | 'consultation' | 'plan';
  /** The id of the workshop, consultation or plan. */
  workshopId: string;
  /** Where to write; stdout when absent (csv and json only). */
  out?: string;
  /** The report's language; the workshop's when absent. */
  language?: Language;
}

/** Checks the arguments before any database is opened. */
export function parseExportArgs(
  positionals: string[],
  out: string | undefined,
  scoped: { consultation?: string; plan?: string; lang?: string } = {},
): ExportRequest | { error: string } {
  const usage = `Usage: innspill export ${exportFormats.join('|')} WORKSHOP_ID [--out FILE] [--lang ${languages.join('|')}]
       innspill export json --consultation CONSULTATION_ID [--out FILE]
       innspill export docx|xlsx --plan PLAN_ID --out FILE [--lang ${languages.join('|')}]`;
  const { lang } = scoped;
  if (lang !== undefined && !isLanguage(lang)) return { error: `Unknown --lang "${lang}": use ${languages.join(', ')}.\n${usage}` };
  const language = lang !== undefined ? { language: lang } : {};
  if (scoped.consultation !== undefined || scoped.plan !== undefined) {
    // A consultation's open data has no headings to translate; a plan's report has (REPORT-10).
    if (lang !== undefined && scoped.consultation !== undefined) return { error: `--lang is for reports; a consultation's open data has no language.\n${usage}` };
    const [format, ...extra] = positionals;
    const scope = scoped.consultation !== undefined ? 'consultation' : 'plan';
    const id = scoped.consultation ?? scoped.plan ?? '';
    if (scoped.consultation !== undefined && scoped.plan !== undefined) return { error: `Give --consultation or --plan, not both.\n${usage}` };
    if (!format || extra.length) return { error: `Expected a format.\n${usage}` };
    if (scope === 'consultation' && format !== 'json') return { error: `A consultation exports as json (its report is the plan's: --plan).\n${usage}` };
    if (scope === 'plan' && format !== 'docx' && format !== 'xlsx') return { error: `A plan's report is docx or xlsx.\n${usage}` };
    if (!z.uuid().safeParse(id).success) return { error: `"${id}" is not a ${scope} id (a UUID).\n${usage}` };
    if (scope === 'plan' && !out) return { error: `A ${format} file is binary: give --out FILE.\n${usage}` };
    return { format: format as ExportFormat, scope, workshopId: id, out, ...language };
  }
  const [format, workshopId, ...extra] = positionals;
  if (!format || !workshopId || extra.length) return { error: `Expected a format and a workshop id.\n${usage}` };
  if (!(exportFormats as readonly string[]).includes(format)) return { error: `Unknown format "${format}": use ${exportFormats.join(', ')}.\n${usage}` };
  if (!z.uuid().safeParse(workshopId).success) return { error: `"${workshopId}" is not a workshop id (a UUID).\n${usage}` };
  if ((format === 'docx' || format === 'xlsx') && !out) return { error: `A ${format} file is binary: give --out FILE.\n${usage}` };
  return { format: format as ExportFormat, scope: 'workshop', workshopId, out, ...language };
}

/** Writes the export; returns the exit code. An unknown workshop is a clear message and 1. */
export async function writeExport(db: Queryable, request: ExportRequest): Promise<number> {
  let body: Readable;
  try {
    if (request.scope === 'consultation') {
      body = Readable.from([`${JSON.stringify(await readConsultationExport(db, request.workshopId), null, 2)}\n`]);
    } else if (request.scope === 'plan') {
      body = planReportBody(await loadPlanReport(db, request.workshopId, 'all', request.language), request.format as 'docx' | 'xlsx', request.language);
    } else if (request.format === 'json') {
      body = Readable.from([`${JSON.stringify(await readWorkshopExport(db, request.workshopId), null, 2)}\n`]);
    } else {
      body = reportBody(db, await loadReport(db, request.workshopId, request.language), request.format satisfies ReportFormat);
    }
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') {
      console.error(`No ${request.scope} with id ${request.workshopId} in this database.`);
      return 1;
    }
    throw error;
  }
  if (!request.out) {
    await pipeline(body, process.stdout, { end: false });
    return 0;
  }
  try {
    await pipeline(body, createWriteStream(request.out));
  } catch (error) {
    // Leave no half-written file behind.
    await rm(request.out, { force: true });
    throw error;
  }
  console.log(`Wrote ${request.out}`);
  return 0;
}
