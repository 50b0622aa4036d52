import { z } from 'zod';
import {
  consultationSchema,
  followSchema,
  moderationEntrySchema,
  planInputsSchema,
  publicConsultationSchema,
  submissionReceiptSchema,
  submissionSchema,
  timelineStepSchema,
  type OpenConsultationBody,
} from '../../contract/consultation.schema.js';
import type { AssessmentStatus } from '../../contract/export.schema.js';
import { authStatusSchema, invitationSchema, sessionSchema, type AcceptInvitationBody, type LoginBody } from '../../contract/auth.schema.js';
import {
  planSchema,
  planSummarySchema,
  revisionSchema,
  type CreateItemBody,
  type CreatePerspectiveBody,
  type CreatePlanBody,
  type EditItemBody,
  type RenamePerspectiveBody,
  type UpdatePlanBody,
} from '../../contract/plans.schema.js';
import { acceptPlacementsResultSchema, identitySuggestionsSchema, placementSuggestionsSchema, type AcceptPlacementsBody } from '../../contract/placement.schema.js';
import {
  joinInfoSchema,
  participantSessionSchema,
  pasteResultSchema,
  userOptionSchema,
  viewerInfoSchema,
  workshopSchema,
  workshopSummarySchema,
  type ChangeStateBody,
  type CreateGroupBody,
  type CreateParticipantInput,
  type CreateWorkshopBody,
  type UpdateGroupBody,
  type UpdatePosterBody,
  type UpdateParticipantInput,
  type UpdateWorkshopBody,
} from '../../contract/workshops.schema.js';
import type { Language } from '../../domain/languages.js';
import type { ThemeCorrection } from '../../domain/text/corrections.js';
import {
  assessmentSchema,
  consensusSchema,
  nearDuplicatesSchema,
  outcomeSchema,
  overviewSchema,
  themeSummarySchema,
  type AssessBody,
  type AssessManyBody,
  type OverviewQuery,
  anonymisedSchema,
  assessManyResultSchema,
} from '../../contract/synthesis.schema.js';
import {
  importReportSchema,
  importResultSchema,
  jsonImportResultSchema,
  lapperCsvResultSchema,
  type BoardImportBody,
} from '../../contract/imports.schema.js';
import { commandAckSchema, snapshotSchema, type Command } from '../../contract/protocol.js';
import { createdJoinRequestSchema, joinRequestSchema, joinRequestStatusSchema, myGroupSchema } from '../../contract/facilitation.schema.js';
import { auditPageSchema } from '../../contract/audit.schema.js';
import { apiRequest, apiUpload } from './client.js';

/** The typed API: every answer is checked against the same zod schema the server answers with. */
export const api = {
  // consultations (høring)
  planInputs: (planId: string, source: string, lang: Language) =>
    apiRequest('GET', `/api/plans/${planId}/inputs?source=${encodeURIComponent(source)}&lang=${lang}`, planInputsSchema),
  planTimeline: (planId: string) => apiRequest('GET', `/api/plans/${planId}/timeline`, z.array(timelineStepSchema)),
  openConsultation: (planId: string, body: OpenConsultationBody) => apiRequest('POST', `/api/plans/${planId}/consultations`, consultationSchema, body),
  getConsultation: (id: string) => apiRequest('GET', `/api/consultations/${id}`, consultationSchema),
  closeConsultation: (id: string) => apiRequest('POST', `/api/consultations/${id}/close`, consultationSchema),
  publicConsultation: (id: string) => apiRequest('GET', `/api/public/consultations/${id}`, publicConsultationSchema),
  submitToConsultation: (id: string, form: FormData) => apiUpload(`/api/consultations/${id}/submissions`, submissionReceiptSchema, form),
  follow: (token: string) => apiRequest('GET', `/api/follow/${encodeURIComponent(token)}`, followSchema),
  submissions: (consultationId: string) => apiRequest('GET', `/api/consultations/${consultationId}/submissions`, z.array(submissionSchema)),
  moderationLog: (consultationId: string) => apiRequest('GET', `/api/consultations/${consultationId}/moderation-log`, z.array(moderationEntrySchema)),
  publishSubmission: (id: string, version: number) => apiRequest('POST', `/api/submissions/${id}/publish`, z.array(submissionSchema), { version }),
  hideSubmission: (id: string, version: number, reason: string) => apiRequest('POST', `/api/submissions/${id}/hide`, z.array(submissionSchema), { version, reason }),
  markCopy: (id: string, version: number, copyOf: string) => apiRequest('POST', `/api/submissions/${id}/copy`, z.array(submissionSchema), { version, copyOf }),
  splitSubmission: (id: string, version: number, parts: { text: string; itemIds: string[] }[]) =>
    apiRequest('POST', `/api/submissions/${id}/split`, z.array(submissionSchema), { version, parts }),
  assessSubmission: (id: string, status: AssessmentStatus, justification: string, version: number) =>
    apiRequest('PUT', `/api/submissions/${id}/assessment`, submissionSchema, { status, justification, version }),
  authStatus: () => apiRequest('GET', '/api/auth/status', authStatusSchema),
  login: (body: LoginBody) => apiRequest('POST', '/api/auth/login', sessionSchema, body),
  setup: (body: AcceptInvitationBody) => apiRequest('POST', '/api/auth/setup', sessionSchema, body),
  logout: () => apiRequest('POST', '/api/auth/logout', z.null()),
  /** [AUDIT-3] `search` is the filter as a query string (actor, action, from, to, before). */
  audit: (search: string) => apiRequest('GET', `/api/audit${search ? `?${search}` : ''}`, auditPageSchema),

  listPlans: () => apiRequest('GET', '/api/plans', z.array(planSummarySchema)),
  createPlan: (body: CreatePlanBody) => apiRequest('POST', '/api/plans', planSchema, body),
  getPlan: (id: string) => apiRequest('GET', `/api/plans/${id}`, planSchema),
  updatePlan: (id: string, body: UpdatePlanBody) => apiRequest('PATCH', `/api/plans/${id}`, planSchema, body),
  planRevisions: (id: string) => apiRequest('GET', `/api/plans/${id}/revisions`, z.array(revisionSchema)),
  addPerspective: (planId: string, body: CreatePerspectiveBody) =>
    apiRequest('POST', `/api/plans/${planId}/perspectives`, planSchema, body),
  renamePerspective: (id: string, body: RenamePerspectiveBody) => apiRequest('PATCH', `/api/perspectives/${id}`, planSchema, body),
  movePerspective: (id: string, position: number) => apiRequest('POST', `/api/perspectives/${id}/move`, planSchema, { position }),
  removePerspective: (id: string) => apiRequest('DELETE', `/api/perspectives/${id}`, planSchema),
  addItem: (perspectiveId: string, body: CreateItemBody) => apiRequest('POST', `/api/perspectives/${perspectiveId}/items`, planSchema, body),
  editItem: (id: string, body: EditItemBody) => apiRequest('PATCH', `/api/items/${id}`, planSchema, body),
  moveItem: (id: string, position: number) => apiRequest('POST', `/api/items/${id}/move`, planSchema, { position }),
  archiveItem: (id: string) => apiRequest('POST', `/api/items/${id}/archive`, planSchema),
  restoreItem: (id: string) => apiRequest('POST', `/api/items/${id}/restore`, planSchema),
  removeItem: (id: string) => apiRequest('DELETE', `/api/items/${id}`, planSchema),
  itemRevisions: (id: string) => apiRequest('GET', `/api/items/${id}/revisions`, z.array(revisionSchema)),

  // workshops
  listWorkshops: (planId: string) => apiRequest('GET', `/api/plans/${planId}/workshops`, z.array(workshopSummarySchema)),
  createWorkshop: (body: CreateWorkshopBody) => apiRequest('POST', '/api/workshops', workshopSchema, body),
  getWorkshop: (id: string) => apiRequest('GET', `/api/workshops/${id}`, workshopSchema),
  updateWorkshop: (id: string, body: UpdateWorkshopBody) => apiRequest('PATCH', `/api/workshops/${id}`, workshopSchema, body),
  changeWorkshopState: (id: string, state: ChangeStateBody['state']) => apiRequest('POST', `/api/workshops/${id}/state`, workshopSchema, { state }),
  regenerateJoinCode: (id: string) => apiRequest('POST', `/api/workshops/${id}/join-code`, workshopSchema),
  regenerateViewerToken: (id: string) => apiRequest('POST', `/api/workshops/${id}/viewer-token`, workshopSchema),
  updatePoster: (id: string, posterId: string, body: UpdatePosterBody) =>
    apiRequest('PATCH', `/api/workshops/${id}/posters/${posterId}`, workshopSchema, body),
  addMissingPosters: (id: string) => apiRequest('POST', `/api/workshops/${id}/posters`, workshopSchema),
  addGroup: (id: string, body: CreateGroupBody) => apiRequest('POST', `/api/workshops/${id}/groups`, workshopSchema, body),
  updateGroup: (id: string, groupId: string, body: UpdateGroupBody) =>
    apiRequest('PATCH', `/api/workshops/${id}/groups/${groupId}`, workshopSchema, body),
  removeGroup: (id: string, groupId: string) => apiRequest('DELETE', `/api/workshops/${id}/groups/${groupId}`, workshopSchema),
  addParticipant: (id: string, groupId: string, body: CreateParticipantInput) =>
    apiRequest('POST', `/api/workshops/${id}/groups/${groupId}/participants`, workshopSchema, body),
  pasteParticipants: (id: string, groupId: string, text: string) =>
    apiRequest('POST', `/api/workshops/${id}/groups/${groupId}/participants/paste`, pasteResultSchema, { text }),
  updateParticipant: (id: string, participantId: string, body: UpdateParticipantInput) =>
    apiRequest('PATCH', `/api/workshops/${id}/participants/${participantId}`, workshopSchema, body),
  removeParticipant: (id: string, participantId: string) =>
    apiRequest('DELETE', `/api/workshops/${id}/participants/${participantId}`, workshopSchema),
  listUsers: () => apiRequest('GET', '/api/users', z.array(userOptionSchema)),
  inviteFacilitator: (body: { email?: string; name?: string }) =>
    apiRequest('POST', '/api/auth/invitations', invitationSchema, { role: 'facilitator', ...body }),
  lookupJoinCode: (code: string) => apiRequest('GET', `/api/join/${encodeURIComponent(code)}`, joinInfoSchema),
  join: (code: string, participantId: string) => apiRequest('POST', '/api/join', participantSessionSchema, { code, participantId }),
  joinByLink: (token: string) => apiRequest('POST', '/api/join/personal', participantSessionSchema, { token }),
  participantSession: () => apiRequest('GET', '/api/participant/session', participantSessionSchema),
  leaveWorkshop: () => apiRequest('POST', '/api/participant/leave', z.null()),
  // one device per name: ask the facilitator, wait for the answer; the facilitator's side
  requestToJoin: (code: string, participantId: string) => apiRequest('POST', '/api/join/requests', createdJoinRequestSchema, { code, participantId }),
  joinRequestStatus: (requestId: string, secret: string) => apiRequest('POST', `/api/join/requests/${requestId}`, joinRequestStatusSchema, { secret }),
  joinRequests: (workshopId: string) => apiRequest('GET', `/api/workshops/${workshopId}/join-requests`, z.array(joinRequestSchema)),
  decideJoinRequest: (workshopId: string, requestId: string, decision: 'confirmed' | 'refused') =>
    apiRequest('POST', `/api/workshops/${workshopId}/join-requests/${requestId}`, z.null(), { decision }),
  myGroups: () => apiRequest('GET', '/api/me/groups', z.array(myGroupSchema)),
  viewerInfo: (viewerToken: string) => apiRequest('GET', `/api/view/${encodeURIComponent(viewerToken)}`, viewerInfoSchema),

  // synthesis
  synthesisOverview: (workshopId: string, query: Partial<Record<keyof OverviewQuery, string | number>>) =>
    apiRequest('GET', `/api/workshops/${workshopId}/synthesis${queryString(query)}`, overviewSchema),
  synthesisConsensus: (workshopId: string) => apiRequest('GET', `/api/workshops/${workshopId}/synthesis/consensus`, consensusSchema),
  assessNote: (noteId: string, body: AssessBody) => apiRequest('PUT', `/api/notes/${noteId}/assessment`, assessmentSchema, body),
  clearAssessment: (noteId: string) => apiRequest('DELETE', `/api/notes/${noteId}/assessment`, z.null()),
  assessNotes: (workshopId: string, body: AssessManyBody) =>
    apiRequest('POST', `/api/workshops/${workshopId}/assessments`, assessManyResultSchema, body),
  mergeDuplicate: (noteId: string, keepNoteId: string) => apiRequest('POST', `/api/notes/${noteId}/duplicate-of`, z.null(), { keepNoteId }),
  unmergeDuplicate: (noteId: string) => apiRequest('DELETE', `/api/notes/${noteId}/duplicate-of`, z.null()),
  recomputeThemes: (workshopId: string) => apiRequest('POST', `/api/workshops/${workshopId}/themes/recompute`, themeSummarySchema),
  correctTheme: (workshopId: string, correction: ThemeCorrection) =>
    apiRequest('POST', `/api/workshops/${workshopId}/themes/corrections`, themeSummarySchema, correction),
  nearDuplicates: (workshopId: string) => apiRequest('GET', `/api/workshops/${workshopId}/near-duplicates`, nearDuplicatesSchema),
  anonymiseParticipant: (participantId: string) =>
    apiRequest('POST', `/api/participants/${participantId}/anonymise`, anonymisedSchema),
  participantOutcome: () => apiRequest('GET', '/api/participant/outcome', outcomeSchema),

  // imports and open data
  importBoardText: (body: Partial<BoardImportBody> & Pick<BoardImportBody, 'text'>) =>
    apiRequest('POST', '/api/imports/board-text', importResultSchema, body),
  importWorkshopJson: (json: unknown) => apiRequest('POST', '/api/imports/json', jsonImportResultSchema, json),
  importLapperCsv: (workshopId: string, text: string) =>
    apiRequest('POST', `/api/workshops/${workshopId}/imports/lapper-csv`, lapperCsvResultSchema, { text }),
  importReport: (workshopId: string) => apiRequest('GET', `/api/workshops/${workshopId}/import-report`, importReportSchema),
  mergeGroup: (workshopId: string, groupId: string, intoGroupId: string) =>
    apiRequest('POST', `/api/workshops/${workshopId}/groups/${groupId}/merge`, z.null(), { intoGroupId }),
  placementSuggestions: (workshopId: string) => apiRequest('GET', `/api/workshops/${workshopId}/placement-suggestions`, placementSuggestionsSchema),
  identitySuggestions: (workshopId: string) => apiRequest('GET', `/api/workshops/${workshopId}/identity-suggestions`, identitySuggestionsSchema),
  /** [PLACE-13] The reviewed suggestions in one request; the answer says what happened to each row. */
  acceptPlacements: (workshopId: string, body: AcceptPlacementsBody) =>
    apiRequest('POST', `/api/workshops/${workshopId}/placement-suggestions/accept`, acceptPlacementsResultSchema, body),
  /** Where the browser downloads the workshop as open data (a link, not a fetch). */
  workshopExportUrl: (workshopId: string) => `/api/workshops/${workshopId}/export.json`,

  // the live board over HTTP, for pages that act without a live connection (placing imported lapper)
  workshopBoard: (workshopId: string) => apiRequest('GET', `/api/workshops/${workshopId}/board`, snapshotSchema),
  runCommand: (workshopId: string, commandId: string, command: Command) =>
    apiRequest('POST', `/api/workshops/${workshopId}/commands`, commandAckSchema, { commandId, command }),
};

/** `?a=1&b=x` from the set fields of a query, or '' when none is set. */
function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
