import { z } from 'zod';
import { authStatusSchema, sessionSchema, type AcceptInvitationBody, type LoginBody } from '../../server/auth/auth.schema.js';
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
} from '../../server/plans/plans.schema.js';
import { apiRequest } from './client.js';

/** The typed API: every answer is checked against the same zod schema the server answers with. */
export const api = {
  authStatus: () => apiRequest('GET', '/api/auth/status', authStatusSchema),
  login: (body: LoginBody) => apiRequest('POST', '/api/auth/login', sessionSchema, body),
  setup: (body: AcceptInvitationBody) => apiRequest('POST', '/api/auth/setup', sessionSchema, body),
  logout: () => apiRequest('POST', '/api/auth/logout', z.null()),

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
};
