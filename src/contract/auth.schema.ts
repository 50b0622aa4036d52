import { z } from 'zod';

export const roleSchema = z.enum(['planner', 'facilitator']);

export const userSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
});
export type User = z.infer<typeof userSchema>;

const email = z.email().max(200).describe('E-mail address used to log in');
const password = z.string().min(10).max(200).describe('At least 10 characters');
const personName = z.string().trim().min(1).max(120);

export const loginBodySchema = z.object({ email, password: z.string().min(1).max(200) });
export type LoginBody = z.infer<typeof loginBodySchema>;

export const acceptInvitationBodySchema = z.object({
  token: z.string().min(10).max(200).describe('The one-time token from the setup or invitation link'),
  email,
  name: personName,
  password,
});
export type AcceptInvitationBody = z.infer<typeof acceptInvitationBodySchema>;

export const sessionSchema = z.object({
  user: userSchema,
  /** Send back in the `x-csrf-token` header on every state-changing request. */
  csrfToken: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

export const authStatusSchema = z.object({
  /** True while no planner exists: the UI then asks for the setup link. */
  needsSetup: z.boolean(),
  session: sessionSchema.nullable(),
  /** How people sign in here ([AUTH-1], [AUTH-4]). */
  login: z.object({
    /** E-mail and password; false when INNSPILL_LOCAL_LOGIN=off. */
    local: z.boolean(),
    /** The identity provider's name for "Logg inn med …", or null when none is configured. */
    provider: z.string().nullable(),
  }),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;

export const invitationBodySchema = z.object({ role: roleSchema, email: email.optional(), name: personName.optional() });
export const invitationSchema = z.object({ url: z.string(), expiresAt: z.string() });
