import { z } from 'zod';

export const IMPORT_TEXT_MAX = 5_000_000;

export const boardImportBodySchema = z.object({
  text: z.string().min(1).max(IMPORT_TEXT_MAX).describe('The text extracted from the whiteboard PDF'),
  fileName: z.string().max(300).optional(),
  title: z.string().trim().min(1).max(200).optional().describe('Title of the new workshop'),
  planTitle: z.string().trim().min(1).max(200).optional(),
  municipality: z.string().trim().min(1).max(120).optional(),
  horizonYear: z.number().int().min(2000).max(2200).optional(),
  /** Replace the workshop imported earlier from the same file instead of refusing. */
  replace: z.boolean().default(false),
});
export type BoardImportBody = z.infer<typeof boardImportBodySchema>;

export const importReportSchema = z.object({
  source: z.object({ fileName: z.string().nullable(), sha256: z.string() }),
  perspectives: z.array(
    z.object({ title: z.string(), subGoals: z.number().int(), strategies: z.number().int(), landUseStrategies: z.number().int() }),
  ),
  posters: z.number().int().describe('Poster copies in the file (one per perspective, part and group)'),
  groups: z.array(z.object({ name: z.string(), participants: z.number().int(), labelled: z.boolean() })),
  participants: z.number().int(),
  notesPlaced: z.number().int(),
  notesUnplaced: z.number().int(),
  facilitatorNotes: z.number().int(),
  detachedStarDigits: z.number().int(),
  warnings: z.array(z.object({ code: z.string(), message: z.string(), posterIndex: z.number().int().optional() })),
});
export type ImportReport = z.infer<typeof importReportSchema>;

export const importResultSchema = z.object({ workshopId: z.uuid(), planId: z.uuid(), report: importReportSchema });
export type ImportResult = z.infer<typeof importResultSchema>;

/** The answer to an open-data JSON import: the rebuilt workshop keeps the ids of the export. */
export const jsonImportResultSchema = z.object({ workshopId: z.uuid(), planId: z.uuid() });
export type JsonImportResult = z.infer<typeof jsonImportResultSchema>;

export const lapperCsvBodySchema = z.object({ text: z.string().min(1).describe('The CSV file (docs/formats/lapper-csv.md)') });
export const lapperCsvResultSchema = z.object({
  imported: z.number().int(),
  /** Groups named in the file that the workshop did not have; they were created. */
  groupsCreated: z.array(z.string()),
});
export type LapperCsvResult = z.infer<typeof lapperCsvResultSchema>;

export const mergeGroupBodySchema = z.object({ intoGroupId: z.uuid().describe('The group that receives the lapper, stars and participants') });
export type MergeGroupBody = z.infer<typeof mergeGroupBodySchema>;
