import { z } from 'zod';
import {
  ATTACHMENT_BYTES_MAX,
  SUBMISSION_FILES_MAX,
  SUBMISSION_NAME_MAX,
  SUBMISSION_TEXT_MAX,
  moderationStatuses,
  publicationSettings,
  submitterRoles,
} from '../domain/consultation/consultation.js';
import { languages } from '../domain/languages.js';
import { isStorableText, UNSTORABLE_MESSAGE } from '../domain/text/storable.js';
import { assessmentStatusSchema, workshopExportSchema } from './export.schema.js';
import { itemKindSchema, plainText } from './plans.schema.js';

export const submitterRoleSchema = z.enum(submitterRoles);
export const publicationSchema = z.enum(publicationSettings);
export const moderationStatusSchema = z.enum(moderationStatuses);
export type SubmitterRole = z.infer<typeof submitterRoleSchema>;

/** The plan's text frozen when the consultation opened ([CONS-1]): ids as in the plan. */
export const frozenPlanSchema = z.object({
  id: z.uuid(),
  title: z.string(),
  municipality: z.string(),
  horizonYear: z.number().int(),
  version: z.number().int(),
  perspectives: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      position: z.number().int(),
      items: z.array(z.object({ id: z.uuid(), kind: itemKindSchema, number: z.number().int().nullable(), text: z.string() })),
    }),
  ),
});
export type FrozenPlan = z.infer<typeof frozenPlanSchema>;

const isoDateTime = z.iso.datetime({ offset: true });

export const openConsultationBodySchema = z.object({
  title: plainText(200),
  introduction: z.string().max(5000).refine(isStorableText, { message: UNSTORABLE_MESSAGE }).default(''),
  /** Defaults to now. */
  opensAt: isoDateTime.optional(),
  /** Defaults to six weeks after the opening ([CONS-2]). */
  closesAt: isoDateTime.optional(),
  publication: publicationSchema.default('named'),
});
export type OpenConsultationBody = z.input<typeof openConsultationBodySchema>;

export const consultationSchema = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  title: z.string(),
  introduction: z.string(),
  opensAt: z.string(),
  closesAt: z.string(),
  publication: publicationSchema,
  state: z.enum(['not_open', 'open', 'closed']),
  /** The public page: no account needed. */
  publicUrl: z.string(),
  planVersion: z.number().int(),
  submissionCount: z.number().int(),
});
export type Consultation = z.infer<typeof consultationSchema>;

/** What anyone sees on the public page: the consultation and the frozen draft. */
export const publicConsultationSchema = consultationSchema.omit({ submissionCount: true }).extend({ plan: frozenPlanSchema });
export type PublicConsultation = z.infer<typeof publicConsultationSchema>;

/**
 * The fields of `POST /api/consultations/:id/submissions` (multipart/form-data) once read: the
 * files are streamed to storage and checked apart ([CONS-5], [CONS-6]).
 */
export const submissionFieldsSchema = z.object({
  name: plainText(SUBMISSION_NAME_MAX),
  email: z.union([z.literal(''), z.email({ message: 'must be an e-mail address' })]).optional(),
  organisation: z.string().max(SUBMISSION_NAME_MAX).refine(isStorableText, { message: UNSTORABLE_MESSAGE }).optional(),
  role: submitterRoleSchema.default('private'),
  itemIds: z.array(z.uuid()).max(200).default([]),
  text: z.string().max(SUBMISSION_TEXT_MAX, { message: `at most ${SUBMISSION_TEXT_MAX} characters` }).refine(isStorableText, { message: UNSTORABLE_MESSAGE }).default(''),
});
export type SubmissionFields = z.infer<typeof submissionFieldsSchema>;

/** The multipart body as OpenAPI shows it (the route reads the stream itself). */
export const submissionMultipartSchema = z.object({
  name: z.string().describe('Required'),
  email: z.string().optional().describe('For a receipt and to follow the input; never published'),
  organisation: z.string().optional(),
  role: submitterRoleSchema.optional(),
  itemIds: z.array(z.uuid()).optional().describe('Repeat the field for several items'),
  text: z.string().optional().describe(`Up to ${SUBMISSION_TEXT_MAX} characters; required without a file`),
  files: z
    .array(z.string().describe('binary'))
    .optional()
    .describe(`Up to ${SUBMISSION_FILES_MAX} files of PDF, DOCX, ODT, JPEG or PNG, ${ATTACHMENT_BYTES_MAX / 1024 / 1024} MB each`),
});

export const submissionReceiptSchema = z.object({
  id: z.uuid(),
  reference: z.string(),
  followUrl: z.string(),
});
export type SubmissionReceipt = z.infer<typeof submissionReceiptSchema>;

export const attachmentSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  mediaType: z.string(),
  bytes: z.number().int(),
  sha256: z.string(),
});

export const submissionAssessmentSchema = z.object({
  status: assessmentStatusSchema,
  justification: z.string(),
  assessedAt: z.string(),
  /** What a planner sends back to assess again ([CONS-22]). */
  version: z.number().int(),
});

/** A submission as planners see it in the moderation queue. */
export const submissionSchema = z.object({
  id: z.uuid(),
  consultationId: z.uuid(),
  reference: z.string(),
  submittedAt: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  organisation: z.string().nullable(),
  role: submitterRoleSchema,
  itemIds: z.array(z.uuid()),
  text: z.string(),
  status: moderationStatusSchema,
  hiddenReason: z.string().nullable(),
  copyOf: z.uuid().nullable(),
  splitFrom: z.uuid().nullable(),
  attachments: z.array(attachmentSchema),
  assessment: submissionAssessmentSchema.nullable(),
  version: z.number().int(),
});
export type Submission = z.infer<typeof submissionSchema>;

export const hideBodySchema = z.object({ reason: plainText(1000), version: z.number().int().min(1) });
export const publishBodySchema = z.object({ version: z.number().int().min(1) });
export const markCopyBodySchema = z.object({ copyOf: z.uuid(), version: z.number().int().min(1) });
export const splitBodySchema = z.object({
  version: z.number().int().min(1),
  /** Each part: the planner's summary of that piece of the letter and the item(s) it is about. */
  parts: z.array(z.object({ text: plainText(SUBMISSION_TEXT_MAX), itemIds: z.array(z.uuid()).max(50) })).min(2).max(100),
});
export const assessSubmissionBodySchema = z.object({
  status: assessmentStatusSchema,
  justification: plainText(5000),
  /** The assessment's version you saw, 0 when you saw none; a stale one is 409 with the assessment as it is now. */
  version: z.number().int().min(0),
});

export const moderationEntrySchema = z.object({
  id: z.uuid(),
  submissionId: z.uuid(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
  actorName: z.string().nullable(),
  at: z.string(),
});
export type ModerationEntry = z.infer<typeof moderationEntrySchema>;

/** The personal follow page ([CONS-14]): the status, and later the assessment and the change it led to. */
export const followSchema = z.object({
  reference: z.string(),
  submittedAt: z.string(),
  consultation: z.object({ id: z.uuid(), title: z.string(), closesAt: z.string() }),
  status: moderationStatusSchema,
  parts: z.array(
    z.object({
      reference: z.string(),
      text: z.string(),
      itemIds: z.array(z.uuid()),
      assessment: submissionAssessmentSchema.nullable(),
      revisions: z.array(z.object({ itemId: z.uuid().nullable(), before: z.string().nullable(), after: z.string().nullable(), at: z.string() })),
    }),
  ),
});
export type Follow = z.infer<typeof followSchema>;

/** A step of a plan's participation: a workshop or a consultation, by date ([CONS-1]). */
export const timelineStepSchema = z.object({
  kind: z.enum(['workshop', 'consultation']),
  id: z.uuid(),
  title: z.string(),
  startsAt: z.string().nullable(),
  endsAt: z.string().nullable(),
  state: z.string(),
});
export type TimelineStep = z.infer<typeof timelineStepSchema>;

export const consultationIdParams = z.object({ id: z.uuid() });
export const followParams = z.object({ token: z.string().min(10).max(100) });

/** The open data of a consultation (docs/contracts/consultation-export.schema.json, version 1) [CONS-17]. */
export const consultationExportSchema = z.object({
  format: z.literal('innspill.consultation-export'),
  version: z.literal(1),
  exportedAt: z.string(),
  consultation: z.object({ id: z.string(), title: z.string(), opensAt: z.string(), closesAt: z.string() }),
  /** As in the workshop export: `text` today's wording, `originalText` the one consulted on. */
  plan: workshopExportSchema.shape.plan,
  submissions: z.array(
    z.object({
      id: z.string(),
      reference: z.string(),
      submittedAt: z.string(),
      /** Name and organisation only where the consultation publishes names; never an e-mail address. */
      submitter: z.object({ name: z.string().nullable(), organisation: z.string().nullable(), role: submitterRoleSchema }),
      itemIds: z.array(z.string()),
      /** Empty for hidden input: kept by the municipality, not published. */
      text: z.string(),
      attachments: z.array(z.object({ name: z.string(), mediaType: z.string(), bytes: z.number().int().min(0), sha256: z.string() })),
      moderation: z.object({ status: moderationStatusSchema, reason: z.string().nullable() }),
      splitFrom: z.string().nullable(),
      assessment: z.object({ status: assessmentStatusSchema, justification: z.string() }).nullable(),
    }),
  ),
});
export type ConsultationExport = z.infer<typeof consultationExportSchema>;

/** One line of an item's merknadsbehandling: a workshop lapp or a høring input ([CONS-13], [CONS-18]). */
export const planInputRowSchema = z.object({
  number: z.number().int(),
  source: z.string(),
  who: z.string(),
  input: z.string(),
  assessment: z.string(),
  change: z.string(),
});

/** Every input of a plan per item, from all its steps or one ([CONS-13]); also the report's content. */
export const planInputsSchema = z.object({
  plan: z.object({ id: z.uuid(), title: z.string(), municipality: z.string(), horizonYear: z.number().int() }),
  steps: z.array(z.object({ kind: z.enum(['workshop', 'consultation']), title: z.string() })),
  sections: z.array(z.object({ perspective: z.string(), items: z.array(z.object({ label: z.string(), text: z.string(), rows: z.array(planInputRowSchema) })) })),
  general: z.array(planInputRowSchema),
  summary: z.object({
    bySourceAndRole: z.array(z.object({ source: z.string(), role: z.string(), count: z.number().int() })),
    byStatus: z.array(z.object({ status: z.string(), count: z.number().int() })),
    hidden: z.array(z.object({ reference: z.string(), reason: z.string() })),
  }),
});
export type PlanInputs = z.infer<typeof planInputsSchema>;
export const planInputsQuerySchema = z.object({
  source: z.union([z.literal('all'), z.string().regex(/^(workshop|consultation):[0-9a-f-]{36}$/)]).default('all'),
  /** The language of the labels the server writes (sources, roles, statuses); bokmål when absent. */
  lang: z.enum(languages).optional(),
});
