import { z } from 'zod';
import { COMMITTEE_MAX, MAX_PASTE_LINES, PARTICIPANT_NAME_MAX, PARTY_MAX } from '../domain/participantLines.js';
import { MAX_GROUPS, MAX_STAR_BUDGET, POSTER_TEXT_MAX, posterParts, workshopStates } from '../domain/workshops.js';
import { plainText } from './plans.schema.js';
import { languages } from '../domain/languages.js';

export const workshopStateSchema = z.enum(workshopStates);
export const posterPartSchema = z.enum(posterParts);

const version = z.number().int().min(1).describe('The version you edited; a newer one on the server gives 409');
const optionalText = (max: number) =>
  z
    .string()
    .max(max, { message: `at most ${max} characters` })
    .nullable()
    .optional()
    .transform((value) => (value === undefined ? undefined : value?.trim() || null))
    .describe('Blank or null clears it');

const workshopFields = {
  title: plainText(200),
  /** The day of the workshop, `YYYY-MM-DD`. */
  date: z.iso.date({ message: 'must be a date written YYYY-MM-DD' }).nullable(),
  /** Stars each participant may give on each poster with stars. */
  starBudget: z.number().int().min(0).max(MAX_STAR_BUDGET),
  /** Stars one participant may give one item. */
  starsPerItem: z.number().int().min(1).max(MAX_STAR_BUDGET),
  /** Star totals stay hidden from the groups until the facilitator reveals them. */
  starsHidden: z.boolean(),
  /** Reports and exports for the political case may break input down by party (GDPR art. 9: a choice per workshop). */
  partyInReports: z.boolean(),
  /** [I18N-3] The language participants see first (each can switch) and the reports are written in. */
  language: z.enum(languages),
};

export const createWorkshopBodySchema = z.object({
  id: z.uuid().optional().describe('Made by the client, so a retried create is stored once'),
  planId: z.uuid(),
  title: workshopFields.title,
  date: workshopFields.date.optional(),
  starBudget: workshopFields.starBudget.optional(),
  starsPerItem: workshopFields.starsPerItem.optional(),
  starsHidden: workshopFields.starsHidden.optional(),
  partyInReports: workshopFields.partyInReports.optional(),
  language: workshopFields.language.optional(),
  groupCount: z.number().int().min(0).max(MAX_GROUPS).optional().describe('Groups named "Gruppe 1" … to create; default 1'),
});
export type CreateWorkshopBody = z.infer<typeof createWorkshopBodySchema>;

export const updateWorkshopBodySchema = z.object({ ...workshopFields }).partial().extend({ version });
export type UpdateWorkshopBody = z.infer<typeof updateWorkshopBodySchema>;

export const changeStateBodySchema = z.object({
  state: workshopStateSchema.describe('draft → open → closed; closed → open reopens'),
});
export type ChangeStateBody = z.infer<typeof changeStateBodySchema>;

export const updatePosterBodySchema = z.object({
  instructions: z.string().max(POSTER_TEXT_MAX, { message: `at most ${POSTER_TEXT_MAX} characters` }).optional(),
  boxPrompt: z.string().max(POSTER_TEXT_MAX, { message: `at most ${POSTER_TEXT_MAX} characters` }).optional(),
  starsEnabled: z.boolean().optional(),
});
export type UpdatePosterBody = z.infer<typeof updatePosterBodySchema>;

export const createGroupBodySchema = z.object({
  id: z.uuid().optional(),
  name: plainText(80).optional().describe('Default: the next "Gruppe N"'),
  facilitatorUserId: z.uuid().nullable().optional(),
});
export type CreateGroupBody = z.infer<typeof createGroupBodySchema>;

export const updateGroupBodySchema = z.object({
  name: plainText(80).optional(),
  facilitatorUserId: z.uuid().nullable().optional().describe('A planner or facilitator account; null for none'),
});
export type UpdateGroupBody = z.infer<typeof updateGroupBodySchema>;

export const participantFieldsSchema = z.object({
  name: plainText(PARTICIPANT_NAME_MAX),
  party: optionalText(PARTY_MAX),
  committee: optionalText(COMMITTEE_MAX),
});

export const createParticipantBodySchema = participantFieldsSchema.extend({ id: z.uuid().optional() });
export type CreateParticipantBody = z.infer<typeof createParticipantBodySchema>;
/** What a client sends (party and committee may be left out). */
export type CreateParticipantInput = z.input<typeof createParticipantBodySchema>;

export const updateParticipantBodySchema = participantFieldsSchema.partial().extend({
  groupId: z.uuid().optional().describe('Moves the participant to this group of the same workshop'),
});
export type UpdateParticipantBody = z.infer<typeof updateParticipantBodySchema>;
export type UpdateParticipantInput = z.input<typeof updateParticipantBodySchema>;

export const pasteParticipantsBodySchema = z.object({
  text: z
    .string()
    .max(500_000, { message: 'at most 500,000 characters' })
    .describe(`One person a line: "Name; Party; Committee" (tabs or " — " also separate); at most ${MAX_PASTE_LINES} lines`),
});
export type PasteParticipantsBody = z.infer<typeof pasteParticipantsBodySchema>;

export const workshopParticipantSchema = z.object({
  id: z.uuid(),
  groupId: z.uuid(),
  name: z.string(),
  /** Special-category personal data (GDPR art. 9): only for planners and the group's facilitator. */
  party: z.string().nullable(),
  committee: z.string().nullable(),
  /** The personal join link. */
  personalUrl: z.string(),
  /** Has written, starred or agreed: then they can be moved but not removed. */
  hasInput: z.boolean(),
  anonymised: z.boolean(),
});
export type WorkshopParticipant = z.infer<typeof workshopParticipantSchema>;

export const workshopGroupSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  facilitator: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  participants: z.array(workshopParticipantSchema),
});
export type WorkshopGroup = z.infer<typeof workshopGroupSchema>;

export const posterSchema = z.object({
  id: z.uuid(),
  perspectiveId: z.uuid(),
  perspectiveTitle: z.string(),
  part: posterPartSchema,
  position: z.number().int(),
  instructions: z.string(),
  boxPrompt: z.string(),
  starsEnabled: z.boolean(),
});
export type Poster = z.infer<typeof posterSchema>;

export const workshopSchema = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  planTitle: z.string(),
  title: z.string(),
  date: z.string().nullable(),
  state: workshopStateSchema,
  starBudget: z.number().int(),
  starsPerItem: z.number().int(),
  starsHidden: z.boolean(),
  partyInReports: z.boolean(),
  language: z.enum(languages),
  version: z.number().int(),
  joinCode: z.string(),
  joinUrl: z.string(),
  /** The read-only plenary link; planners only (null for facilitators). */
  viewerUrl: z.string().nullable(),
  posters: z.array(posterSchema),
  /** The groups the reader may see: all for planners, their own for a facilitator. */
  groups: z.array(workshopGroupSchema),
  /** Live perspectives of the plan that have no posters yet (added to the plan after the workshop). */
  perspectivesWithoutPosters: z.array(z.object({ id: z.uuid(), title: z.string() })),
});
export type Workshop = z.infer<typeof workshopSchema>;

export const workshopSummarySchema = z.object({
  id: z.uuid(),
  planId: z.uuid(),
  title: z.string(),
  date: z.string().nullable(),
  state: workshopStateSchema,
  groupCount: z.number().int(),
  participantCount: z.number().int(),
  /** The shipped demo (the Bærum workshop loaded into an empty database); the UI offers its tour. */
  isDemo: z.boolean(),
});
export type WorkshopSummary = z.infer<typeof workshopSummarySchema>;

export const pasteResultSchema = z.object({ added: z.number().int(), workshop: workshopSchema });
export type PasteResult = z.infer<typeof pasteResultSchema>;

export const userOptionSchema = z.object({ id: z.uuid(), name: z.string(), role: z.enum(['planner', 'facilitator']) });
export type UserOption = z.infer<typeof userOptionSchema>;

// ---- joining without an account ----

export const joinCodeParams = z.object({ code: z.string().min(1).max(20) });

/** What the public join page shows: names only; party and committee never leave the server here. */
export const joinInfoSchema = z.object({
  workshop: z.object({ id: z.uuid(), title: z.string(), state: workshopStateSchema, language: z.enum(languages) }),
  groups: z.array(
    z.object({
      id: z.uuid(),
      name: z.string(),
      participants: z.array(z.object({ id: z.uuid(), name: z.string() })),
    }),
  ),
});
export type JoinInfo = z.infer<typeof joinInfoSchema>;

export const joinBodySchema = z.object({
  code: z.string().min(1).max(20).describe('The join code, any case, spaces allowed'),
  participantId: z.uuid().describe('The name picked from the group list'),
});
export type JoinBody = z.infer<typeof joinBodySchema>;

export const joinByLinkBodySchema = z.object({ token: z.string().min(10).max(100).describe('From the personal link /p/:token') });
export type JoinByLinkBody = z.infer<typeof joinByLinkBodySchema>;

export const participantSessionSchema = z.object({
  participant: z.object({ id: z.uuid(), name: z.string(), groupId: z.uuid(), groupName: z.string() }),
  workshop: z.object({ id: z.uuid(), title: z.string(), state: workshopStateSchema }),
  /** Send in the `x-csrf-token` header on every state-changing request from this browser. */
  csrfToken: z.string(),
});
export type ParticipantSession = z.infer<typeof participantSessionSchema>;

export const viewerInfoSchema = z.object({ workshopId: z.uuid(), title: z.string(), joinCode: z.string(), joinUrl: z.string() });
export type ViewerInfo = z.infer<typeof viewerInfoSchema>;

export const workshopIdParams = z.object({ id: z.uuid() });
export const posterParams = z.object({ id: z.uuid(), posterId: z.uuid() });
export const groupParams = z.object({ id: z.uuid(), groupId: z.uuid() });
export const participantParams = z.object({ id: z.uuid(), participantId: z.uuid() });
export const viewerParams = z.object({ viewerToken: z.string().min(10).max(100) });
