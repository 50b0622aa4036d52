import { z } from 'zod';
import { submitterRoleSchema } from './consultation.schema.js';
import { assessmentStatusSchema } from './export.schema.js';
import { diffSegmentSchema, itemKindSchema, plainText } from './plans.schema.js';

export { assessmentStatusSchema };

export const JUSTIFICATION_MAX = 4000;

/** Filters of the overview; all of them live in the page URL so a view can be shared. */
export const overviewQuerySchema = z.object({
  perspectiveId: z.uuid().optional(),
  groupId: z.uuid().optional(),
  party: z.string().max(100).optional(),
  kind: z.enum(['comment', 'rewording', 'new_item', 'question', 'facilitator_note']).optional(),
  placed: z.enum(['placed', 'unplaced']).optional(),
  status: z.union([assessmentStatusSchema, z.literal('unassessed'), z.literal('assessed')]).optional(),
  themeKey: z.string().max(200).optional(),
  q: z.string().max(200).optional().describe('Norwegian-aware full-text search: "boliger" finds "bolig" and "boligbygging"'),
  itemId: z.uuid().optional().describe('Only this item, e.g. to see all its lapper'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
  notesPerItem: z.coerce.number().int().min(1).max(1000).default(20).describe('Lapper (and høring inputs) shown per item and per general box; noteCount and inputCount tell how many match'),
  /** [CONS-20] Whose input: this workshop's lapper, one consultation's høring inputs, or (absent) all of them. */
  source: z
    .union([z.literal('workshop'), z.string().regex(/^consultation:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, { message: 'workshop or consultation:<id>' })])
    .optional(),
});
export type OverviewQuery = z.infer<typeof overviewQuerySchema>;

const overviewAssessmentSchema = z.object({
  status: assessmentStatusSchema,
  justification: z.string(),
  assessedAt: z.string(),
  assessedBy: z.string().nullable(),
  version: z.number().int(),
});

export const overviewNoteSchema = z.object({
  id: z.uuid(),
  posterId: z.uuid(),
  perspectiveId: z.uuid(),
  itemIds: z.array(z.uuid()),
  kind: z.enum(['comment', 'rewording', 'new_item', 'question', 'facilitator_note']),
  text: z.string(),
  group: z.object({ id: z.uuid(), name: z.string() }),
  author: z.object({ participantId: z.uuid().nullable(), name: z.string().nullable(), party: z.string().nullable() }),
  agreeCount: z.number().int(),
  placed: z.boolean(),
  /** [PLACE-5] Who put it on its item: the participant, a facilitator, a planner, the import, or a planner from a suggestion. */
  placedVia: z.enum(['participant', 'facilitator', 'planner', 'import', 'suggestion']).nullable(),
  withdrawn: z.boolean(),
  duplicateOf: z.uuid().nullable(),
  /** [REPLY-1] The lapp this one answers; the overview lists a shown lapp's replies right after it. */
  replyTo: z.uuid().nullable(),
  theme: z.object({ key: z.string(), label: z.string() }).nullable(),
  assessment: overviewAssessmentSchema.nullable(),
  /** For alternative wordings: the word diff against the item's current text. */
  diff: z.array(diffSegmentSchema).nullable(),
  createdAt: z.string(),
});
export type OverviewNote = z.infer<typeof overviewNoteSchema>;

/**
 * [CONS-20] A published høring input (or split part) beside the lapper: its source, reference and
 * submitter as the consultation publishes them ([CONS-12]); never an e-mail address.
 */
export const overviewInputSchema = z.object({
  id: z.uuid(),
  consultation: z.object({ id: z.uuid(), title: z.string() }),
  reference: z.string(),
  /** The name (and organisation) only where the consultation publishes names. */
  submitter: z.string().nullable(),
  role: submitterRoleSchema,
  itemIds: z.array(z.uuid()),
  text: z.string(),
  /** [CONS-21] Its theme in this workshop's synthesis. */
  theme: z.object({ key: z.string(), label: z.string() }).nullable(),
  /** Downloads for planners ([CONS-15]). */
  attachments: z.array(z.object({ id: z.uuid(), name: z.string() })),
  assessment: overviewAssessmentSchema.nullable(),
  submittedAt: z.string(),
});
export type OverviewInput = z.infer<typeof overviewInputSchema>;

export const starTallySchema = z.object({
  total: z.number().int(),
  byGroup: z.array(z.object({ groupId: z.uuid(), count: z.number().int() })),
  byParty: z.array(z.object({ party: z.string(), count: z.number().int() })),
});

export const overviewItemSchema = z.object({
  id: z.uuid(),
  perspectiveId: z.uuid(),
  kind: itemKindSchema,
  number: z.number().int().nullable(),
  text: z.string(),
  originalText: z.string(),
  version: z.number().int(),
  /** The text changed since the workshop opened. */
  changed: z.boolean(),
  stars: starTallySchema,
  groupsStarring: z.number().int(),
  partiesStarring: z.number().int(),
  noteCount: z.number().int(),
  notes: z.array(overviewNoteSchema),
  /** [CONS-20] Høring inputs on this item matching the filters, and the first `notesPerItem` of them. */
  inputCount: z.number().int(),
  inputs: z.array(overviewInputSchema),
});
export type OverviewItem = z.infer<typeof overviewItemSchema>;

export const overviewSchema = z.object({
  workshop: z.object({ id: z.uuid(), title: z.string(), planId: z.uuid(), state: z.enum(['draft', 'open', 'closed']), partyInReports: z.boolean() }),
  progress: z.object({ assessed: z.number().int(), total: z.number().int() }),
  facets: z.object({
    perspectives: z.array(z.object({ id: z.uuid(), title: z.string() })),
    groups: z.array(z.object({ id: z.uuid(), name: z.string() })),
    parties: z.array(z.string()),
    /** [CONS-21] Themes cover the lapper and the plan's høring inputs. */
    themes: z.array(z.object({ key: z.string(), label: z.string(), noteCount: z.number().int(), inputCount: z.number().int() })),
    /** The plan's consultations: the sources a filter can choose beside this workshop. */
    consultations: z.array(z.object({ id: z.uuid(), title: z.string() })),
  }),
  items: z.array(overviewItemSchema),
  /** Lapper in the general box (no item), per perspective, matching the filters. */
  generalBox: z.array(z.object({ perspectiveId: z.uuid(), noteCount: z.number().int(), notes: z.array(overviewNoteSchema) })),
  /** Høring inputs on no item (page 1 only). */
  generalInputs: z.object({ inputCount: z.number().int(), inputs: z.array(overviewInputSchema) }),
  matchingNotes: z.number().int(),
  matchingInputs: z.number().int(),
  page: z.number().int(),
  pageCount: z.number().int(),
});
export type Overview = z.infer<typeof overviewSchema>;

export const consensusSchema = z.array(
  z.object({
    itemId: z.uuid(),
    perspectiveTitle: z.string(),
    kind: itemKindSchema,
    number: z.number().int().nullable(),
    text: z.string(),
    groupsStarring: z.number().int(),
    partiesStarring: z.number().int(),
    stars: z.number().int(),
  }),
);
export type Consensus = z.infer<typeof consensusSchema>;

export const assessBodySchema = z.object({
  status: assessmentStatusSchema,
  justification: plainText(JUSTIFICATION_MAX),
  /** The version you saw: 0 when you saw none (a first assessment), omit to overwrite whatever is there. */
  version: z.number().int().min(0).optional(),
});
export type AssessBody = z.infer<typeof assessBodySchema>;

export const assessManyBodySchema = z.object({
  noteIds: z.array(z.uuid()).min(1).max(5000),
  status: assessmentStatusSchema,
  justification: plainText(JUSTIFICATION_MAX),
});
export type AssessManyBody = z.infer<typeof assessManyBodySchema>;

export const reviseItemBodySchema = z.object({
  text: plainText(1000),
  version: z.number().int().min(1),
  noteIds: z.array(z.uuid()).max(500).default([]).describe('The lapper that motivated the change'),
});
export type ReviseItemBody = z.infer<typeof reviseItemBodySchema>;

export const assessmentSchema = z.object({
  noteId: z.uuid(),
  status: assessmentStatusSchema,
  justification: z.string(),
  version: z.number().int(),
  assessedAt: z.string(),
});

export const themeSummarySchema = z.object({
  themes: z.array(z.object({ key: z.string(), label: z.string(), terms: z.array(z.string()), noteCount: z.number().int(), inputCount: z.number().int() })),
  skipped: z.number().int().describe('Corrections that no longer apply (their theme is gone)'),
  milliseconds: z.number().int(),
});

export const nearDuplicatesSchema = z.array(z.object({ keep: z.string(), duplicates: z.array(z.string()), similarity: z.number() }));

const outcomeNoteSchema = z.object({
  id: z.uuid(),
  kind: z.string(),
  text: z.string(),
  perspective: z.string(),
  part: z.enum(['goals', 'strategies']),
  items: z.array(z.string()),
  withdrawn: z.boolean(),
  createdAt: z.string(),
  assessment: z.object({ status: assessmentStatusSchema, justification: z.string() }).nullable(),
});

export const participantDataSchema = z.object({
  exportedAt: z.string(),
  participant: z.object({
    id: z.uuid(),
    name: z.string(),
    party: z.string().nullable(),
    committee: z.string().nullable(),
    group: z.string(),
    workshop: z.object({ id: z.uuid(), title: z.string() }),
    createdAt: z.string(),
    anonymisedAt: z.string().nullable(),
  }),
  notes: z.array(outcomeNoteSchema),
  stars: z.array(z.object({ itemId: z.uuid(), posterId: z.uuid(), createdAt: z.string() })),
  agreements: z.array(z.object({ noteId: z.uuid(), createdAt: z.string() })),
});

const threadNoteSchema = z.object({ id: z.uuid(), text: z.string(), authorName: z.string().nullable(), mine: z.boolean(), createdAt: z.string() });

/** A participant's lapp on their outcome page: with the thread around it and the revisions it motivated. */
const outcomeEntrySchema = outcomeNoteSchema.extend({
  replyTo: threadNoteSchema.nullable().describe('The lapp this one answers, for context'),
  replies: z.array(threadNoteSchema).describe('Lapper written in reply to this one, oldest first'),
  revisions: z.array(
    z.object({
      id: z.uuid(),
      action: z.enum(['created', 'edited', 'archived', 'restored', 'moved']),
      before: z.string().nullable(),
      after: z.string().nullable(),
      createdAt: z.string(),
    }),
  ),
});

export const outcomeSchema = z.object({
  workshop: z.object({ id: z.uuid(), title: z.string(), state: z.enum(['draft', 'open', 'closed']) }),
  participant: z.object({ id: z.uuid(), name: z.string() }),
  notes: z.array(outcomeEntrySchema),
});
export type Outcome = z.infer<typeof outcomeSchema>;

export const assessManyResultSchema = z.object({ assessed: z.number().int() });
export const anonymisedSchema = z.object({ id: z.uuid(), name: z.string() });
