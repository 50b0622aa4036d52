import type { Queryable } from '../db/database.js';
import type { InvitationsTable, UsersTable } from '../db/tables.js';
import type { Insertable } from 'kysely';

export const countUsers = async (db: Queryable) =>
  Number((await db.selectFrom('users').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow()).count);

export const findUserByEmail = (db: Queryable, email: string) =>
  db.selectFrom('users').selectAll().where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase())).executeTakeFirst();

export const insertUser = (db: Queryable, user: Insertable<UsersTable>) =>
  db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();

export const insertSession = (db: Queryable, session: { tokenHash: string; userId: string; csrfToken: string; expiresAt: Date }) =>
  db
    .insertInto('user_sessions')
    .values({ token_hash: session.tokenHash, user_id: session.userId, csrf_token: session.csrfToken, expires_at: session.expiresAt })
    .execute();

export const findSessionUser = (db: Queryable, tokenHash: string) =>
  db
    .selectFrom('user_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.email', 'u.name', 'u.role', 's.csrf_token', 's.expires_at'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();

export const deleteSession = (db: Queryable, tokenHash: string) =>
  db.deleteFrom('user_sessions').where('token_hash', '=', tokenHash).execute();

export const insertInvitation = (db: Queryable, invitation: Insertable<InvitationsTable>) =>
  db.insertInto('invitations').values(invitation).execute();

/** Marks an unused, unexpired invitation as used and returns it, atomically. */
export const consumeInvitation = (db: Queryable, tokenHash: string) =>
  db
    .updateTable('invitations')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returningAll()
    .executeTakeFirst();

export const findOpenSetupInvitation = (db: Queryable) =>
  db
    .selectFrom('invitations')
    .select('token_hash')
    .where('used_at', 'is', null)
    .where('role', '=', 'planner')
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
