import { z } from 'zod';
import { participantSessionSchema, workshopStateSchema } from './workshops.schema.js';

/** A group the logged-in person facilitates: where their table is. */
export const myGroupSchema = z.object({
  groupId: z.uuid(),
  groupName: z.string(),
  workshop: z.object({ id: z.uuid(), title: z.string(), date: z.string().nullable(), state: workshopStateSchema }),
  planTitle: z.string(),
});
export type MyGroup = z.infer<typeof myGroupSchema>;

/** A device asking to join under a name another device already uses ([JOIN-5]). */
export const joinRequestSchema = z.object({
  id: z.uuid(),
  participantId: z.uuid(),
  participantName: z.string(),
  groupId: z.uuid(),
  groupName: z.string(),
  createdAt: z.string(),
});
export type JoinRequest = z.infer<typeof joinRequestSchema>;

export const joinRequestParams = z.object({ id: z.uuid(), requestId: z.uuid() });
export const decideJoinRequestBodySchema = z.object({
  decision: z.enum(['confirmed', 'refused']).describe('confirmed lets the waiting device in as this participant'),
});
export type DecideJoinRequestBody = z.infer<typeof decideJoinRequestBodySchema>;

/** What the waiting device keeps: the request and the secret that proves it asked. */
export const createdJoinRequestSchema = z.object({ id: z.uuid(), secret: z.string() });
export type CreatedJoinRequest = z.infer<typeof createdJoinRequestSchema>;

export const joinRequestStatusParams = z.object({ requestId: z.uuid() });
export const joinRequestStatusBodySchema = z.object({ secret: z.string().min(10).max(100) });
export type JoinRequestStatusBody = z.infer<typeof joinRequestStatusBodySchema>;

export const joinRequestStatusSchema = z.discriminatedUnion('state', [
  z.object({ state: z.literal('pending') }),
  z.object({ state: z.literal('refused') }),
  z.object({ state: z.literal('confirmed'), session: participantSessionSchema }),
]);
export type JoinRequestStatus = z.infer<typeof joinRequestStatusSchema>;
