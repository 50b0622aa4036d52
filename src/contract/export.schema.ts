import { z } from 'zod';
import { languages } from '../domain/languages.js';
import { itemKindSchema } from './plans.schema.js';

/**
 * The open-data export (docs/contracts/workshop-export.schema.json, format version 1) as a zod
 * schema: the exporter builds it, the importer reads it, the tests check both against the contract.
 * Fields beyond the contract (archived, withdrawn, agreedBy, authorName) let an import rebuild the
 * workshop exactly.
 */
export const assessmentStatusSchema = z.enum(['accepted', 'partly', 'rejected', 'already_covered', 'out_of_scope']);
export type AssessmentStatus = z.infer<typeof assessmentStatusSchema>;

const exportItemSchema = z.object({
  id: z.string(),
  kind: itemKindSchema,
  number: z.number().int().nullable(),
  text: z.string(),
  originalText: z.string(),
  archived: z.boolean().default(false),
});

export const workshopExportSchema = z.object({
  format: z.literal('innspill.workshop-export'),
  version: z.literal(1),
  exportedAt: z.string(),
  plan: z.object({
    id: z.string(),
    title: z.string(),
    municipality: z.string().nullable(),
    horizonYear: z.number().int().nullable(),
    perspectives: z.array(
      z.object({ id: z.string(), title: z.string(), position: z.number().int().min(0), items: z.array(exportItemSchema) }),
    ),
  }),
  workshop: z.object({
    id: z.string(),
    title: z.string(),
    date: z.string().nullable(),
    state: z.enum(['draft', 'open', 'closed']).default('closed'),
    starBudget: z.number().int().min(0),
    starsPerItem: z.number().int().min(1).default(1),
    /** The language participants see first and the reports use; older exports have none (bokmål). */
    language: z.enum(languages).default('nb'),
    posters: z.array(
      z.object({
        id: z.string(),
        perspectiveId: z.string(),
        part: z.enum(['goals', 'strategies']),
        title: z.string().optional(),
        instructions: z.string().default(''),
        boxPrompt: z.string().default(''),
        starsEnabled: z.boolean().default(false),
      }),
    ),
    groups: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        participants: z.array(z.object({ id: z.string(), name: z.string(), party: z.string().nullable(), committee: z.string().nullable() })),
      }),
    ),
    notes: z.array(
      z.object({
        id: z.string(),
        posterId: z.string(),
        groupId: z.string(),
        authorId: z.string().nullable(),
        authorName: z.string().nullable().default(null),
        itemIds: z.array(z.string()),
        kind: z.enum(['comment', 'rewording', 'new_item', 'question', 'facilitator_note']),
        text: z.string(),
        proposedText: z.string().nullable(),
        replyTo: z.string().nullable(),
        agreeCount: z.number().int().min(0),
        agreedBy: z.array(z.string()).default([]),
        createdAt: z.string(),
        placed: z.boolean(),
        withdrawn: z.boolean().default(false),
        themeId: z.string().nullable().optional(),
        assessment: z.object({ status: assessmentStatusSchema, justification: z.string() }).nullable(),
      }),
    ),
    stars: z.array(
      z.object({ posterId: z.string(), groupId: z.string(), participantId: z.string().nullable(), itemId: z.string(), count: z.number().int().min(1) }),
    ),
    themes: z.array(z.object({ id: z.string(), label: z.string(), noteIds: z.array(z.string()) })).default([]),
  }),
});
export type WorkshopExport = z.infer<typeof workshopExportSchema>;
