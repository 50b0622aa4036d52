import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { DomainError } from '../../domain/errors.js';
import type { Queryable } from '../db/database.js';
import { readWorkshopExport } from '../exports/workshopExport.service.js';
import { loadReport } from './reportData.js';
import { reportFormatSchema, type ReportFormat } from '../../contract/reports.schema.js';
import { reportBody } from './reports.service.js';

/** `innspill export`: the planners' downloads from the shell, where shell access stands in for the planner. */
export const exportFormats = [...reportFormatSchema.options, 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportRequest {
  format: ExportFormat;
  workshopId: string;
  /** Where to write; stdout when absent (csv and json only). */
  out?: string;
}

/** Checks the arguments before any database is opened. */
export function parseExportArgs(positionals: string[], out: string | undefined): ExportRequest | { error: string } {
  const usage = `Usage: innspill export ${exportFormats.join('|')} WORKSHOP_ID [--out FILE]`;
  const [format, workshopId, ...extra] = positionals;
  if (!format || !workshopId || extra.length) return { error: `Expected a format and a workshop id.\n${usage}` };
  if (!(exportFormats as readonly string[]).includes(format)) return { error: `Unknown format "${format}": use ${exportFormats.join(', ')}.\n${usage}` };
  if (!z.uuid().safeParse(workshopId).success) return { error: `"${workshopId}" is not a workshop id (a UUID).\n${usage}` };
  if ((format === 'docx' || format === 'xlsx') && !out) return { error: `A ${format} file is binary: give --out FILE.\n${usage}` };
  return { format: format as ExportFormat, workshopId, out };
}

/** Writes the export; returns the exit code. An unknown workshop is a clear message and 1. */
export async function writeExport(db: Queryable, request: ExportRequest): Promise<number> {
  let body: Readable;
  try {
    if (request.format === 'json') {
      body = Readable.from([`${JSON.stringify(await readWorkshopExport(db, request.workshopId), null, 2)}\n`]);
    } else {
      body = reportBody(db, await loadReport(db, request.workshopId), request.format satisfies ReportFormat);
    }
  } catch (error) {
    if (error instanceof DomainError && error.code === 'not_found') {
      console.error(`No workshop with id ${request.workshopId} in this database.`);
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
