import { randomUUID } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { DomainError } from '../../domain/errors.js';
import type { Db, Queryable } from '../db/database.js';
import type { AcceptInvitationBody, LoginBody, Session, User } from '../../contract/auth.schema.js';
import * as q from './auth.queries.js';
import type { UserActor } from '../../domain/actors.js';
import { recordAudit } from '../audit/audit.service.js';
import { hashToken, newToken } from './secrets.js';

const SESSION_DAYS = 14;
const INVITATION_DAYS = 7;
// A hash to verify against when the e-mail is unknown, so timing does not reveal which e-mails exist.
const dummyHash = hash('not-a-real-password-but-long-enough');

const presentUser = (row: { id: string; email: string; name: string; role: User['role'] }): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
});

export async function needsSetup(db: Queryable): Promise<boolean> {
  return (await q.countUsers(db)) === 0;
}

/** A one-time link token for a new account; only the hash is kept. */
export async function createInvitation(
  db: Queryable,
  input: { role: User['role']; email?: string; name?: string },
  /** The planner who invites (audited); none for the CLI and the first setup link. */
  by?: UserActor,
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
  await q.insertInvitation(db, {
    token_hash: hashToken(token),
    role: input.role,
    email: input.email ?? null,
    name: input.name ?? null,
    expires_at: expiresAt,
  });
  if (by) await recordAudit(db, by, { action: 'invitation.created', targetType: 'invitation', detail: { role: input.role } });
  return { token, expiresAt };
}

/**
 * On an empty database, a fresh setup token for the first planner. A new token on every start
 * replaces nothing: older ones stay valid until used or expired, and all die with the first account.
 */
export async function setupTokenIfEmpty(db: Queryable): Promise<string | null> {
  if (!(await needsSetup(db))) return null;
  return (await createInvitation(db, { role: 'planner' })).token;
}

export async function acceptInvitation(db: Db, input: AcceptInvitationBody): Promise<User> {
  const passwordHash = await hash(input.password);
  return db.transaction().execute(async (tx) => {
    const invitation = await q.consumeInvitation(tx, hashToken(input.token));
    if (!invitation) throw new DomainError('invitation_invalid', 'The link is unknown, used or expired');
    if (await q.findUserByEmail(tx, input.email)) throw new DomainError('email_taken', 'An account with this e-mail exists');
    const user = await q.insertUser(tx, {
      id: randomUUID(),
      email: input.email,
      name: input.name,
      role: invitation.role,
      password_hash: passwordHash,
    });
    if (invitation.role === 'planner') {
      // The first planner ends every pending setup link.
      await tx.updateTable('invitations').set({ used_at: new Date() }).where('used_at', 'is', null).where('email', 'is', null).execute();
    }
    return presentUser(user);
  });
}

/** Creates an account directly (the CLI with a password). */
export async function createUser(db: Queryable, input: { email: string; name: string; role: User['role']; password: string }): Promise<User> {
  if (await q.findUserByEmail(db, input.email)) throw new DomainError('email_taken', 'An account with this e-mail exists');
  const user = await q.insertUser(db, {
    id: randomUUID(),
    email: input.email,
    name: input.name,
    role: input.role,
    password_hash: await hash(input.password),
  });
  return presentUser(user);
}

export async function login(db: Queryable, input: LoginBody): Promise<{ session: Session; token: string }> {
  const user = await q.findUserByEmail(db, input.email);
  // An account of the identity provider has no password: verify against the dummy, so it takes as long.
  const stored = user && user.password_hash.startsWith('$') ? user.password_hash : null;
  const valid = (await verify(stored ?? (await dummyHash), input.password)) && stored !== null;
  if (!user || !valid) throw new DomainError('invalid_credentials', 'Wrong e-mail or password');
  return startSession(db, presentUser(user));
}

export async function startSession(db: Queryable, user: User): Promise<{ session: Session; token: string }> {
  const token = newToken();
  const csrfToken = newToken(18);
  await q.insertSession(db, {
    tokenHash: hashToken(token),
    userId: user.id,
    csrfToken,
    expiresAt: new Date(Date.now() + SESSION_DAYS * 86_400_000),
  });
  return { session: { user, csrfToken }, token };
}

export async function sessionFromToken(db: Queryable, token: string): Promise<Session | null> {
  const row = await q.findSessionUser(db, hashToken(token));
  if (!row || row.expires_at < new Date()) return null;
  return { user: presentUser(row), csrfToken: row.csrf_token };
}

export async function logout(db: Queryable, token: string): Promise<void> {
  await q.deleteSession(db, hashToken(token));
}
