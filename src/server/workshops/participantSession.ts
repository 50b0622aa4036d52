/**
 * The participant session: a signed cookie, no account. The value is
 * `v1.<participantId>.<workshopId>.<issuedAt>.<signature>`, the signature an HMAC-SHA256 over the
 * rest with a secret kept in the `settings` table so every server process accepts it. The cookie
 * names its workshop and is checked against the participant's row on every request, so it is
 * worthless anywhere else, and dead once the participant is removed or anonymised.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ParticipantActor } from '../../domain/actors.js';
import type { Db } from '../db/database.js';
import type { ActorResolver } from '../http/actor.js';
import { ensureSetting, findSessionParticipant } from './workshops.queries.js';

export const PARTICIPANT_COOKIE = 'innspill_participant';
/** A workshop is a day; two weeks covers a follow-up session without re-joining. */
export const PARTICIPANT_SESSION_SECONDS = 14 * 86_400;
const VERSION = 'v1';

/** How the participant cookie is set, wherever a session starts. */
export const participantCookieOptions = (secure: boolean) => ({ path: '/', httpOnly: true, sameSite: 'strict' as const, secure, maxAge: PARTICIPANT_SESSION_SECONDS });
const SECRET_KEY = 'cookie_secret';

/** Only the database is needed; any object with `db` (the AppContext) will do. */
export interface SessionContext {
  db: Db;
}

const secrets = new WeakMap<Db, Promise<Buffer>>();

/**
 * The signing secret, made on first use. Several processes may race to create it: the insert is
 * `on conflict do nothing` and everyone then reads the one stored value.
 */
export function cookieSecret(db: Db): Promise<Buffer> {
  let secret = secrets.get(db);
  if (!secret) {
    secret = db
      .transaction()
      .execute((tx) => ensureSetting(tx, SECRET_KEY, () => randomBytes(32).toString('base64url')))
      .then((value) => Buffer.from(value, 'base64url'));
    secret.catch(() => secrets.delete(db));
    secrets.set(db, secret);
  }
  return secret;
}

const hmac = (secret: Buffer, label: string, text: string) => createHmac('sha256', secret).update(`${label}:${text}`).digest();

/** A fresh cookie value for a participant of a workshop. */
export async function signParticipantCookie(
  db: Db,
  session: { participantId: string; workshopId: string },
  issuedAt = Math.floor(Date.now() / 1000),
): Promise<string> {
  const body = `${VERSION}.${session.participantId}.${session.workshopId}.${issuedAt}`;
  return `${body}.${hmac(await cookieSecret(db), 'participant', body).toString('base64url')}`;
}

export interface VerifiedCookie {
  participantId: string;
  workshopId: string;
  issuedAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Checks the signature and age only; null for anything forged, malformed or expired. */
export async function verifyParticipantCookie(db: Db, value: string, now = Date.now()): Promise<VerifiedCookie | null> {
  if (value.length > 300) return null;
  const parts = value.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) return null;
  const [, participantId = '', workshopId = '', issued = '', signature = ''] = parts;
  if (!UUID.test(participantId) || !UUID.test(workshopId) || !/^\d{1,12}$/.test(issued)) return null;
  const expected = hmac(await cookieSecret(db), 'participant', parts.slice(0, 4).join('.'));
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const issuedAt = Number(issued);
  const ageSeconds = now / 1000 - issuedAt;
  if (ageSeconds > PARTICIPANT_SESSION_SECONDS || ageSeconds < -300) return null;
  return { participantId, workshopId, issuedAt };
}

/** The CSRF token bound to a cookie: derived, so nothing is stored and every process agrees. */
export async function participantCsrfToken(db: Db, cookieValue: string): Promise<string> {
  return hmac(await cookieSecret(db), 'csrf', cookieValue).toString('base64url').slice(0, 32);
}

/**
 * The participant a cookie value stands for, or null. Besides the signature it checks that the
 * participant still exists in the cookie's workshop and is not anonymised, and takes their current
 * group (a move takes effect at once). Use it for WebSocket upgrades as well as HTTP requests;
 * callers must still compare `actor.workshopId` with the workshop being accessed.
 */
export async function readParticipantCookie(context: SessionContext, cookieValue: string | undefined): Promise<ParticipantActor | null> {
  if (!cookieValue) return null;
  const verified = await verifyParticipantCookie(context.db, cookieValue);
  if (!verified) return null;
  const row = await findSessionParticipant(context.db, verified.participantId, verified.workshopId);
  if (!row) return null;
  return { kind: 'participant', participantId: row.id, workshopId: row.workshop_id, groupId: row.group_id, name: row.name };
}

/** Resolves `innspill_participant`; registered after the user session, so a logged-in user wins. */
export const participantSessionResolver =
  (context: SessionContext): ActorResolver =>
  async (request) => {
    const cookieValue = request.cookies[PARTICIPANT_COOKIE];
    const actor = await readParticipantCookie(context, cookieValue);
    if (!actor || !cookieValue) return null;
    return { actor, csrfToken: await participantCsrfToken(context.db, cookieValue) };
  };
