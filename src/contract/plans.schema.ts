import { z } from 'zod';
import { ITEM_TEXT_MAX, itemKinds } from '../domain/items.js';
import { UNSTORABLE_MESSAGE, isStorableText } from '../domain/text/storable.js';

/** Text as typed, but not blank and storable ([SAFE-1]). */
export const plainText = (max: number) =>
  z
    .string()
    .max(max, { message: `at most ${max} characters` })
    .refine((value) => value.trim().length > 0, { message: 'must not be empty' })
    .refine(isStorableText, { message: UNSTORABLE_MESSAGE });

export const itemKindSchema = z.enum(itemKinds);
export const listItemKindSchema = z.enum(['sub_goal', 'strategy', 'land_use_strategy']);
const version = z.number().int().min(1).describe('The version you edited; a newer one on the server gives 409');

export const itemSchema = z.object({
  id: z.uuid(),
  perspectiveId: z.uuid(),
  kind: itemKindSchema,
  /** Place among the live items of its kind, from 1; null when archived. */
  number: z.number().int().nullable(),
  position: z.number().int(),
  text: z.string(),
  version: z.number().int(),
  archived: z.boolean(),
  /** Lapper or stars point at it, so it can be archived but not deleted. */
  hasInput: z.boolean(),
});
export type Item = z.infer<typeof itemSchema>;

export const perspectiveSchema = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  position: z.number().int(),
  title: z.string(),
  version: z.number().int(),
  items: z.array(itemSchema),
});
export type Perspective = z.infer<typeof perspectiveSchema>;

export const planFieldsSchema = z.object({
  title: plainText(200),
  municipality: plainText(120),
  horizonYear: z.number().int().min(2000).max(2200),
});

export const planSchema = planFieldsSchema.extend({
  id: z.uuid(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  perspectives: z.array(perspectiveSchema),
});
export type Plan = z.infer<typeof planSchema>;

export const planSummarySchema = planFieldsSchema.extend({
  id: z.uuid(),
  updatedAt: z.string(),
  perspectiveCount: z.number().int(),
});
export type PlanSummary = z.infer<typeof planSummarySchema>;

export const createPlanBodySchema = planFieldsSchema.extend({ id: z.uuid().optional() });
export type CreatePlanBody = z.infer<typeof createPlanBodySchema>;
export const updatePlanBodySchema = planFieldsSchema.partial().extend({ version });
export type UpdatePlanBody = z.infer<typeof updatePlanBodySchema>;

export const createPerspectiveBodySchema = z.object({
  id: z.uuid().optional(),
  title: plainText(200),
  mainGoal: plainText(ITEM_TEXT_MAX).describe('The hovedmål text; every perspective has exactly one'),
});
export type CreatePerspectiveBody = z.infer<typeof createPerspectiveBodySchema>;
export const renamePerspectiveBodySchema = z.object({ title: plainText(200), version });
export type RenamePerspectiveBody = z.infer<typeof renamePerspectiveBodySchema>;

export const moveBodySchema = z.object({ position: z.number().int().min(0).max(10_000).describe('New 0-based place') });
export type MoveBody = z.infer<typeof moveBodySchema>;

export const createItemBodySchema = z.object({
  id: z.uuid().optional(),
  kind: listItemKindSchema,
  text: plainText(ITEM_TEXT_MAX),
});
export type CreateItemBody = z.infer<typeof createItemBodySchema>;
export const editItemBodySchema = z.object({
  text: plainText(ITEM_TEXT_MAX),
  version,
  noteIds: z.array(z.uuid()).max(500).optional().describe('Lapper that motivated this change; the history links them'),
  submissionIds: z.array(z.uuid()).max(500).optional().describe('Høring inputs that motivated this change ([CONS-13])'),
});
export type EditItemBody = z.infer<typeof editItemBodySchema>;

export const diffSegmentSchema = z.object({ type: z.enum(['same', 'added', 'removed']), text: z.string() });

export const revisionSchema = z.object({
  id: z.uuid(),
  itemId: z.uuid().nullable(),
  perspectiveId: z.uuid().nullable(),
  action: z.enum(['created', 'edited', 'archived', 'restored', 'moved']),
  beforeText: z.string().nullable(),
  afterText: z.string().nullable(),
  author: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  createdAt: z.string(),
  /** Word-level diff of before → after, for edits. */
  diff: z.array(diffSegmentSchema),
  /** The lapper that motivated the change. */
  notes: z.array(z.object({ id: z.uuid(), text: z.string(), groupName: z.string(), authorName: z.string().nullable() })),
  /** [CONS-19] The participation steps whose input motivated the change, with the høring inputs' reference numbers. */
  steps: z.array(z.object({ kind: z.enum(['workshop', 'consultation']), id: z.uuid(), title: z.string(), references: z.array(z.string()) })),
});
export type RevisionStep = z.infer<typeof revisionSchema>['steps'][number];
export type Revision = z.infer<typeof revisionSchema>;

export const idParams = z.object({ id: z.uuid() });
