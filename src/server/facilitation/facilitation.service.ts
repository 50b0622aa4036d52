import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/actors.js';
import { DomainError, fail } from '../../domain/errors.js';
import { assertUser } from '../../domain/permissions.js';
import { normaliseJoinCode } from '../../domain/workshops.js';
import { hashToken, newToken } from '../auth/secrets.js';
import type { Queryable } from '../db/database.js';
import { publishCommitted, recordJoinRequests } from '../live/boardChanges.js';
import { findJoinableParticipant, findWorkshopByJoinCode } from '../workshops/workshops.queries.js';
import { getWorkshop, joinByLink, qrSvg, type CurrentSession, type StartedSession, type WorkshopDeps } from '../workshops/workshops.service.js';
import type { JoinBody } from '../../contract/workshops.schema.js';
import * as q from './facilitation.queries.js';
import type { CreatedJoinRequest, DecideJoinRequestBody, JoinRequest, JoinRequestStatus, JoinRequestStatusBody, MyGroup } from '../../contract/facilitation.schema.js';

/** Where a logged-in person's tables are: the groups they facilitate, in every workshop. */
export async function myGroups(actor: Actor | null, db: Queryable): Promise<MyGroup[]> {
  assertUser(actor);
  const rows = await q.listFacilitatedGroups(db, actor.userId);
  return rows.map((row) => ({
    groupId: row.group_id,
    groupName: row.group_name,
    workshop: { id: row.workshop_id, title: row.title, date: row.date, state: row.state },
    planTitle: row.plan_title,
  }));
}

/** A participant's personal QR code for the printed cards: for planners and the group's facilitator. */
export async function personalQrSvg(actor: Actor | null, workshopId: string, participantId: string, deps: WorkshopDeps): Promise<string> {
  const workshop = await getWorkshop(actor, workshopId, deps); // who may see the workshop's people
  const participant = workshop.groups.flatMap((group) => group.participants).find((p) => p.id === participantId);
  if (!participant || participant.anonymised) throw fail.notFound('Participant');
  return qrSvg(participant.personalUrl);
}

// ---- [JOIN-5] one device per name ----

/**
 * Claims a participant's name for the device joining with it. The insert is the lock: of two
 * devices joining at once, one claims it. The device that holds the name may join again.
 */
export async function claimName(db: Queryable, participantId: string, current: Actor | null): Promise<void> {
  if (await q.insertClaim(db, participantId)) return;
  if (current?.kind === 'participant' && current.participantId === participantId) return;
  throw new DomainError('name_claimed', 'Another device has joined with this name; ask the facilitator to confirm it is you');
}

/** Claims the name without asking (a personal link names its holder); a claim already made stays. */
export async function recordClaim(db: Queryable, participantId: string): Promise<void> {
  await q.insertClaim(db, participantId);
}

/** A device that leaves gives the name back. */
export async function releaseClaim(db: Queryable, actor: Actor | null): Promise<void> {
  if (actor?.kind === 'participant') await q.deleteClaim(db, actor.participantId);
}

/** The device that was told the name is taken asks the facilitator to let it in. */
export async function requestToJoin(input: JoinBody, { db, publishEvents }: WorkshopDeps): Promise<CreatedJoinRequest> {
  const joinCode = normaliseJoinCode(input.code);
  const workshop = joinCode ? await findWorkshopByJoinCode(db, joinCode) : undefined;
  if (!workshop) throw fail.notFound('Workshop');
  if (workshop.state === 'draft') throw new DomainError('workshop_not_open', 'The workshop has not opened yet');
  const participant = await findJoinableParticipant(db, { participantId: input.participantId });
  if (!participant || participant.workshop_id !== workshop.id) throw fail.notFound('Participant');
  const id = randomUUID();
  const secret = newToken(24);
  const events = await db.transaction().execute(async (tx) => {
    await q.insertJoinRequest(tx, { id, workshopId: workshop.id, participantId: participant.id, secretHash: hashToken(secret) });
    return recordJoinRequests(tx, workshop.id, participant.group_id);
  });
  await publishCommitted(publishEvents, events);
  return { id, secret };
}

/** The waiting device asks how it went; once confirmed it gets its session, once. */
export async function joinRequestStatus(
  requestId: string,
  input: JoinRequestStatusBody,
  current: CurrentSession,
  deps: WorkshopDeps,
): Promise<{ status: JoinRequestStatus; started?: StartedSession }> {
  const request = await q.findJoinRequest(deps.db, requestId);
  // Without the secret a request does not exist: nobody can guess their way into someone's session.
  if (!request || request.secret_hash !== hashToken(input.secret)) throw fail.notFound('Join request');
  if (request.decision === null) return { status: { state: 'pending' } };
  if (request.decision === 'refused') return { status: { state: 'refused' } };
  if (!(await q.useJoinRequest(deps.db, requestId))) throw fail.notFound('Join request');
  const started = await joinByLink({ token: request.access_token }, current, deps);
  return { status: { state: 'confirmed', session: started.session }, started };
}

/** [LIVE-2] The requests a facilitator may answer: those of their groups (a planner: all). */
export async function listJoinRequests(actor: Actor | null, workshopId: string, db: Queryable): Promise<JoinRequest[]> {
  assertUser(actor);
  if (actor.role !== 'planner' && !(await q.facilitatesInWorkshop(db, workshopId, actor.userId))) throw fail.forbidden('You facilitate no group in this workshop');
  const rows = await q.listPendingJoinRequests(db, workshopId, actor.role === 'planner' ? null : actor.userId);
  return rows.map((row) => ({
    id: row.id,
    participantId: row.participant_id,
    participantName: row.participant_name,
    groupId: row.group_id,
    groupName: row.group_name,
    createdAt: row.created_at.toISOString(),
  }));
}

/** The facilitator of the participant's group (or a planner) confirms it is them, or refuses. */
export async function decideJoinRequest(actor: Actor | null, workshopId: string, requestId: string, input: DecideJoinRequestBody, { db, publishEvents }: WorkshopDeps): Promise<void> {
  assertUser(actor);
  const events = await db.transaction().execute(async (tx) => {
    const request = await q.findJoinRequest(tx, requestId);
    if (!request || request.workshop_id !== workshopId) throw fail.notFound('Join request');
    if (actor.role !== 'planner' && request.facilitator_user_id !== actor.userId) throw fail.forbidden('Only the facilitator of this group may answer');
    // The request leaves every other facilitator's and planner's list of that group too.
    return (await q.decideJoinRequest(tx, requestId, input.decision, actor.userId)) ? recordJoinRequests(tx, workshopId, request.group_id) : [];
  });
  await publishCommitted(publishEvents, events);
}
