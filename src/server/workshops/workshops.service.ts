import { randomInt, randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { Actor } from '../../domain/actors.js';
import { DEFAULT_LANGUAGE, type Language } from '../../domain/languages.js';
import { DomainError, fail } from '../../domain/errors.js';
import { lineProblemText, MAX_PASTE_LINES, nameKey, readParticipantLines } from '../../domain/participantLines.js';
import { assertPlanner } from '../../domain/permissions.js';
import {
  assertTransition,
  DEFAULT_STAR_BUDGET,
  DEFAULT_STARS_PER_ITEM,
  posterTextsIn,
  makeJoinCode,
  nextGroupName,
  normaliseJoinCode,
  posterParts,
  readableGroups,
} from '../../domain/workshops.js';
import { newToken } from '../auth/secrets.js';
import { publishCommitted, recordBoardChange, type PublishEvents } from '../live/boardChanges.js';
import { claimName, recordClaim } from '../facilitation/facilitation.service.js';
import { appendEvents } from '../live/live.queries.js';
import type { LiveEvent, NewEvent } from '../../contract/protocol.js';
import type { Db, Queryable } from '../db/database.js';
import { participantCsrfToken, readParticipantCookie, signParticipantCookie } from './participantSession.js';
import * as q from './workshops.queries.js';
import type {
  ChangeStateBody,
  CreateGroupBody,
  CreateParticipantBody,
  CreateWorkshopBody,
  JoinBody,
  JoinByLinkBody,
  JoinInfo,
  ParticipantSession,
  PasteParticipantsBody,
  PasteResult,
  UpdateGroupBody,
  UpdateParticipantBody,
  UpdatePosterBody,
  UpdateWorkshopBody,
  UserOption,
  ViewerInfo,
  Workshop,
  WorkshopSummary,
} from '../../contract/workshops.schema.js';

/** What workshop services need besides the input: the database and the address printed in links. */
export interface WorkshopDeps {
  db: Db;
  publicUrl: string;
  /** Tells the devices of a workshop about a committed change ([LIVE-14]): see the live module. */
  publishEvents?: PublishEvents;
}

export const joinUrl = (publicUrl: string, joinCode: string) => `${publicUrl}/join/${joinCode}`;
export const personalUrl = (publicUrl: string, accessToken: string) => `${publicUrl}/p/${accessToken}`;
export const viewerUrl = (publicUrl: string, viewerToken: string) => `${publicUrl}/view/${viewerToken}`;

export const newJoinCode = () => makeJoinCode((max) => randomInt(max));
export const newViewerToken = () => newToken(24);
const newAccessToken = () => newToken(18);

// ---- reading ----

export async function listWorkshopsOfPlan(actor: Actor | null, planId: string, { db }: WorkshopDeps): Promise<WorkshopSummary[]> {
  if (!actor) throw fail.unauthenticated();
  if (actor.kind !== 'user') throw fail.forbidden('Only planners and facilitators may list workshops');
  if (!(await q.planExists(db, planId))) throw fail.notFound('Plan');
  const rows = await q.listWorkshopsOfPlan(db, planId, actor.role === 'planner' ? null : actor.userId);
  return rows.map((row) => ({
    id: row.id,
    planId: row.plan_id,
    title: row.title,
    date: row.date,
    state: row.state,
    groupCount: Number(row.group_count ?? 0),
    participantCount: Number(row.participant_count ?? 0),
    isDemo: row.is_demo,
  }));
}

/** The setup of a workshop: planners see everything, a facilitator the groups they facilitate. */
export async function getWorkshop(actor: Actor | null, workshopId: string, { db, publicUrl }: WorkshopDeps): Promise<Workshop> {
  if (!actor) throw fail.unauthenticated();
  const groups = await q.listGroups(db, workshopId);
  if (groups.length === 0 && !(await q.workshopExists(db, workshopId))) {
    // Unknown ids are 404 only for those who could see them; others learn nothing.
    if (actor.kind === 'user' && actor.role === 'planner') throw fail.notFound('Workshop');
  }
  const visible = readableGroups(
    actor,
    groups.map((group) => ({ id: group.id, facilitatorUserId: group.facilitator_user_id })),
  );
  return readWorkshop(db, publicUrl, workshopId, visible);
}

export async function readWorkshop(db: Queryable, publicUrl: string, workshopId: string, visible: 'all' | string[]): Promise<Workshop> {
  const workshop = await q.findWorkshop(db, workshopId);
  if (!workshop) throw fail.notFound('Workshop');
  const [posters, groups, participants, perspectives] = await Promise.all([
    q.listPosters(db, workshopId),
    q.listGroups(db, workshopId),
    q.listParticipants(db, workshopId),
    q.listPlanPerspectivesForWorkshop(db, workshopId),
  ]);
  const shown = (groupId: string) => visible === 'all' || visible.includes(groupId);
  return {
    id: workshop.id,
    planId: workshop.plan_id,
    planTitle: workshop.plan_title,
    title: workshop.title,
    date: workshop.date,
    state: workshop.state,
    starBudget: workshop.star_budget,
    starsPerItem: workshop.stars_per_item,
    starsHidden: workshop.stars_hidden,
    partyInReports: workshop.party_in_reports,
    language: workshop.language,
    version: workshop.version,
    joinCode: workshop.join_code,
    joinUrl: joinUrl(publicUrl, workshop.join_code),
    viewerUrl: visible === 'all' ? viewerUrl(publicUrl, workshop.viewer_token) : null,
    posters: posters.map((poster) => ({
      id: poster.id,
      perspectiveId: poster.perspective_id,
      perspectiveTitle: poster.perspective_title,
      part: poster.part,
      position: poster.position,
      instructions: poster.instructions,
      boxPrompt: poster.box_prompt,
      starsEnabled: poster.stars_enabled,
    })),
    groups: groups
      .filter((group) => shown(group.id))
      .map((group) => ({
        id: group.id,
        name: group.name,
        position: group.position,
        facilitator: group.facilitator_user_id && group.facilitator_name ? { id: group.facilitator_user_id, name: group.facilitator_name } : null,
        participants: participants
          .filter((participant) => participant.group_id === group.id)
          .map((participant) => ({
            id: participant.id,
            groupId: participant.group_id,
            name: participant.name,
            party: participant.anonymised_at ? null : participant.party,
            committee: participant.anonymised_at ? null : participant.committee,
            personalUrl: personalUrl(publicUrl, participant.access_token),
            hasInput: Boolean(participant.has_input),
            anonymised: participant.anonymised_at !== null,
          })),
      })),
    perspectivesWithoutPosters: perspectives.filter((p) => !p.has_posters).map((p) => ({ id: p.id, title: p.title })),
  };
}

/** Planner-only changes end by showing the planner the whole workshop. */
const readAll = (db: Queryable, publicUrl: string, workshopId: string) => readWorkshop(db, publicUrl, workshopId, 'all');

/** After the commit: tell the devices ([LIVE-14]), then show the planner the workshop. */
async function changed({ db, publicUrl, publishEvents }: WorkshopDeps, workshopId: string, events: LiveEvent[]): Promise<Workshop> {
  await publishCommitted(publishEvents, events);
  return readAll(db, publicUrl, workshopId);
}

/** A change the current state refuses (a group with people, a participant with input): 409 with the current workshop. */
async function refuseWithCurrent(tx: Queryable, publicUrl: string, workshopId: string, error: DomainError): Promise<never> {
  throw new DomainError(error.code, error.message, { ...error.details, current: await readAll(tx, publicUrl, workshopId) });
}

// ---- the workshop ----

/**
 * A workshop on a plan, with two posters per live perspective (Del 1 delmål, Del 2 strategier)
 * pre-filled with the seed's wording, `groupCount` groups, a fresh join code and viewer token.
 */
export async function createWorkshop(actor: Actor | null, input: CreateWorkshopBody, { db, publicUrl }: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const id = input.id ?? randomUUID();
  await db.transaction().execute(async (tx) => {
    if (!(await q.planExists(tx, input.planId))) throw fail.invalid('planId', 'no such plan');
    if (await q.workshopExists(tx, id)) return; // a retried create is stored once
    let inserted = false;
    for (let attempt = 0; attempt < 20 && !inserted; attempt++) {
      inserted = await q.insertWorkshop(tx, {
        id,
        plan_id: input.planId,
        title: input.title,
        date: input.date ?? null,
        star_budget: input.starBudget ?? DEFAULT_STAR_BUDGET,
        stars_per_item: input.starsPerItem ?? DEFAULT_STARS_PER_ITEM,
        stars_hidden: input.starsHidden ?? false,
        // Party is special-category data: off in reports until a planner turns it on.
        party_in_reports: input.partyInReports ?? false,
        language: input.language ?? DEFAULT_LANGUAGE,
        join_code: newJoinCode(),
        viewer_token: newViewerToken(),
      });
      if (!inserted && (await q.workshopExists(tx, id))) return;
    }
    if (!inserted) throw new Error('Could not find a free join code');
    const perspectives = await q.listLivePerspectives(tx, input.planId);
    await q.insertPosters(tx, postersFor(id, perspectives, 0, input.language ?? DEFAULT_LANGUAGE));
    const names: string[] = [];
    for (let i = 0; i < (input.groupCount ?? 1); i++) names.push(nextGroupName(names));
    await q.insertGroups(
      tx,
      names.map((name, position) => ({ id: randomUUID(), workshop_id: id, name, position, facilitator_user_id: null, timer_ends_at: null })),
    );
  });
  return readAll(db, publicUrl, id);
}

function postersFor(workshopId: string, perspectives: ReadonlyArray<{ id: string }>, firstPosition: number, language: Language) {
  const texts = posterTextsIn(language);
  return perspectives.flatMap((perspective, index) =>
    posterParts.map((part, partIndex) => ({
      id: randomUUID(),
      workshop_id: workshopId,
      perspective_id: perspective.id,
      part,
      position: firstPosition + index * posterParts.length + partIndex,
      instructions: texts[part].instructions,
      box_prompt: texts[part].boxPrompt,
      stars_enabled: texts[part].starsEnabled,
    })),
  );
}

export async function updateWorkshop(actor: Actor | null, workshopId: string, input: UpdateWorkshopBody, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    const updated = await q.updateWorkshop(tx, workshopId, input.version, {
      ...(input.title !== undefined && { title: input.title }),
      ...(input.date !== undefined && { date: input.date }),
      ...(input.starBudget !== undefined && { star_budget: input.starBudget }),
      ...(input.starsPerItem !== undefined && { stars_per_item: input.starsPerItem }),
      ...(input.starsHidden !== undefined && { stars_hidden: input.starsHidden }),
      ...(input.partyInReports !== undefined && { party_in_reports: input.partyInReports }),
      ...(input.language !== undefined && { language: input.language }),
    });
    return updated ? recordBoardChange(tx, workshopId, 'settings') : null;
  });
  // 404 when it does not exist, else 409 with the current workshop.
  if (!events) throw fail.versionConflict(await readAll(deps.db, deps.publicUrl, workshopId));
  return changed(deps, workshopId, events);
}

/** draft → open → closed, and closed → open to reopen; planners only. The live module reads the state. */
export async function changeState(actor: Actor | null, workshopId: string, input: ChangeStateBody, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    const workshop = await q.lockWorkshop(tx, workshopId);
    if (!workshop) throw fail.notFound('Workshop');
    assertTransition(workshop.state, input.state);
    if (workshop.state === input.state) return [];
    await q.setWorkshopFields(tx, workshopId, { state: input.state });
    // The texts of the moment the workshop first opens are its "original" wording in the synthesis.
    if (input.state === 'open') await tx.updateTable('workshops').set({ opened_at: new Date() }).where('id', '=', workshopId).where('opened_at', 'is', null).execute();
    // A closed workshop has no round running: every table's timer stops with it, on every device.
    const stoppedTimers: NewEvent[] =
      input.state === 'closed' ? (await q.stopTimers(tx, workshopId)).map((groupId) => ({ type: 'group.timer', groupId, endsAt: null })) : [];
    return (await appendEvents(tx, workshopId, [{ type: 'workshop.changed', groupId: null, state: input.state }, ...stoppedTimers])).events;
  });
  return changed(deps, workshopId, events);
}

/** A new join code: the old one, and the QR codes printed with it, stop working. */
export async function regenerateJoinCode(actor: Actor | null, workshopId: string, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  for (let attempt = 0; attempt < 20; attempt++) {
    const events = await deps.db.transaction().execute(async (tx) => {
      if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
      return (await q.setJoinCodeIfFree(tx, workshopId, newJoinCode())) ? recordBoardChange(tx, workshopId, 'joinCode') : null;
    });
    if (events) return changed(deps, workshopId, events);
  }
  throw new Error('Could not find a free join code');
}

/** A new plenary link: screens showing the old one are disconnected ([LIVE-15]) and cannot come back. */
export async function regenerateViewerToken(actor: Actor | null, workshopId: string, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    await q.setWorkshopFields(tx, workshopId, { viewer_token: newViewerToken() });
    return recordBoardChange(tx, workshopId, 'viewerLink');
  });
  return changed(deps, workshopId, events);
}

// ---- posters ----

export async function updatePoster(actor: Actor | null, workshopId: string, posterId: string, input: UpdatePosterBody, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    if (!(await q.findPoster(tx, workshopId, posterId))) throw fail.notFound('Poster');
    await q.updatePoster(tx, posterId, {
      ...(input.instructions !== undefined && { instructions: input.instructions }),
      ...(input.boxPrompt !== undefined && { box_prompt: input.boxPrompt }),
      ...(input.starsEnabled !== undefined && { stars_enabled: input.starsEnabled }),
    });
    return recordBoardChange(tx, workshopId, 'posters');
  });
  return changed(deps, workshopId, events);
}

/** Posters for perspectives added to the plan after the workshop was made. */
export async function addMissingPosters(actor: Actor | null, workshopId: string, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    const missing = (await q.listPlanPerspectivesForWorkshop(tx, workshopId)).filter((p) => !p.has_posters);
    if (missing.length === 0) return [];
    const { language } = (await q.findWorkshop(tx, workshopId))!;
    await q.insertPosters(tx, postersFor(workshopId, missing, (await q.maxPosterPosition(tx, workshopId)) + 1, language));
    return recordBoardChange(tx, workshopId, 'posters');
  });
  return changed(deps, workshopId, events);
}

// ---- groups ----

export async function addGroup(actor: Actor | null, workshopId: string, input: CreateGroupBody, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    const id = input.id ?? randomUUID();
    const groups = await q.listGroups(tx, workshopId);
    if (groups.some((group) => group.id === id)) return []; // a retried add is stored once
    if (input.facilitatorUserId) await assertUserExists(tx, input.facilitatorUserId);
    await q.insertGroups(tx, [
      {
        id,
        workshop_id: workshopId,
        name: input.name?.trim() ?? nextGroupName(groups.map((group) => group.name)),
        position: groups.length,
        facilitator_user_id: input.facilitatorUserId ?? null,
        timer_ends_at: null,
      },
    ]);
    return recordBoardChange(tx, workshopId, 'groups');
  });
  return changed(deps, workshopId, events);
}

/** Renames a group or changes its facilitator; a facilitator taken off the group loses its devices at once ([LIVE-15]). */
export async function updateGroup(actor: Actor | null, workshopId: string, groupId: string, input: UpdateGroupBody, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    if (!(await q.findGroup(tx, workshopId, groupId))) throw fail.notFound('Group');
    if (input.facilitatorUserId) await assertUserExists(tx, input.facilitatorUserId);
    await q.updateGroup(tx, groupId, {
      ...(input.name !== undefined && { name: input.name.trim() }),
      ...(input.facilitatorUserId !== undefined && { facilitator_user_id: input.facilitatorUserId }),
    });
    // A facilitator following the whole workshop follows their groups: every device asks again.
    return recordBoardChange(tx, workshopId, 'groups');
  });
  return changed(deps, workshopId, events);
}

/** Only an empty group goes: no participants, no lapper, no stars. */
export async function removeGroup(actor: Actor | null, workshopId: string, groupId: string, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    if (!(await q.findGroup(tx, workshopId, groupId))) throw fail.notFound('Group');
    if (await q.groupHasContent(tx, groupId)) {
      return refuseWithCurrent(tx, deps.publicUrl, workshopId, new DomainError('group_not_empty', 'The group has participants or input; move them first'));
    }
    await q.deleteGroupClosingGap(tx, workshopId, groupId);
    return recordBoardChange(tx, workshopId, 'groups');
  });
  return changed(deps, workshopId, events);
}

async function assertUserExists(db: Queryable, userId: string): Promise<void> {
  if (!(await q.userExists(db, userId))) throw fail.invalid('facilitatorUserId', 'no such account');
}

export async function listUsers(actor: Actor | null, db: Queryable): Promise<UserOption[]> {
  assertPlanner(actor);
  return (await q.listUsers(db)).map((user) => ({ id: user.id, name: user.name, role: user.role }));
}

// ---- participants ----

export async function addParticipant(
  actor: Actor | null,
  workshopId: string,
  groupId: string,
  input: CreateParticipantBody,
  deps: WorkshopDeps,
): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    if (!(await q.findGroup(tx, workshopId, groupId))) throw fail.notFound('Group');
    const id = input.id ?? randomUUID();
    if (await q.findParticipant(tx, workshopId, id)) return []; // a retried add is stored once
    await assertNameFree(tx, groupId, input.name);
    await q.insertParticipants(tx, [
      {
        id,
        workshop_id: workshopId,
        group_id: groupId,
        name: input.name.trim().replace(/\s+/g, ' '),
        party: input.party ?? null,
        committee: input.committee ?? null,
        access_token: newAccessToken(),
        anonymised_at: null,
      },
    ]);
    return recordBoardChange(tx, workshopId, 'participants', groupId);
  });
  return changed(deps, workshopId, events);
}

/**
 * Adds the people of a pasted list to a group, all or nothing: any malformed line refuses the
 * whole paste with a 400 that names each line and its problem (in Norwegian).
 */
export async function pasteParticipants(
  actor: Actor | null,
  workshopId: string,
  groupId: string,
  input: PasteParticipantsBody,
  deps: WorkshopDeps,
): Promise<PasteResult> {
  assertPlanner(actor);
  const { added, events } = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    if (!(await q.findGroup(tx, workshopId, groupId))) throw fail.notFound('Group');
    const reading = readParticipantLines(input.text, await q.participantNamesInGroup(tx, groupId));
    if (reading.lineCount > MAX_PASTE_LINES) {
      throw fail.invalid('text', `at most ${MAX_PASTE_LINES} lines; this has ${reading.lineCount}`);
    }
    if (reading.problems.length > 0) {
      const fields = reading.problems.map(({ line, problem }) => ({ path: `body.text.line${line}`, message: `Linje ${line}: ${lineProblemText[problem]}` }));
      const lines = reading.problems.map((problem) => problem.line).join(', ');
      throw new DomainError('validation_failed', `Noen linjer kan ikke leses (linje ${lines})`, { fields });
    }
    if (reading.participants.length === 0) throw fail.invalid('text', 'no names in the list');
    const now = Date.now();
    await q.insertParticipants(
      tx,
      // One millisecond apart, so the list keeps the pasted order.
      reading.participants.map((person, index) => ({
        created_at: new Date(now + index),
        id: randomUUID(),
        workshop_id: workshopId,
        group_id: groupId,
        name: person.name,
        party: person.party,
        committee: person.committee,
        access_token: newAccessToken(),
        anonymised_at: null,
      })),
    );
    return { added: reading.participants.length, events: await recordBoardChange(tx, workshopId, 'participants', groupId) };
  });
  return { added, workshop: await changed(deps, workshopId, events) };
}

/**
 * Edits a participant or moves them to another group of the same workshop (input stays where it
 * was written); the moved participant's devices reconnect into the new group ([LIVE-15]).
 */
export async function updateParticipant(
  actor: Actor | null,
  workshopId: string,
  participantId: string,
  input: UpdateParticipantBody,
  deps: WorkshopDeps,
): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    const participant = await q.findParticipant(tx, workshopId, participantId);
    if (!participant) throw fail.notFound('Participant');
    const groupId = input.groupId ?? participant.group_id;
    if (input.groupId && !(await q.findGroup(tx, workshopId, input.groupId))) throw fail.notFound('Group');
    const name = input.name ?? participant.name;
    if (groupId !== participant.group_id || nameKey(name) !== nameKey(participant.name)) {
      await assertNameFree(tx, groupId, name, input.name !== undefined ? 'name' : 'groupId');
    }
    await q.updateParticipant(tx, participantId, {
      ...(input.name !== undefined && { name: input.name.trim().replace(/\s+/g, ' ') }),
      ...(input.party !== undefined && { party: input.party }),
      ...(input.committee !== undefined && { committee: input.committee }),
      ...(input.groupId !== undefined && { group_id: input.groupId }),
    });
    // A new name shows on their lapper in every group they wrote in (moved since writing: elsewhere too), as a move does.
    const renamed = input.name !== undefined && input.name !== participant.name;
    return recordBoardChange(tx, workshopId, 'participants', groupId === participant.group_id && !renamed ? groupId : null);
  });
  return changed(deps, workshopId, events);
}

/** Removes a participant who has given no input (their devices are closed); otherwise 409 with the current workshop. */
export async function removeParticipant(actor: Actor | null, workshopId: string, participantId: string, deps: WorkshopDeps): Promise<Workshop> {
  assertPlanner(actor);
  const events = await deps.db.transaction().execute(async (tx) => {
    if (!(await q.lockWorkshop(tx, workshopId))) throw fail.notFound('Workshop');
    const participant = await q.findParticipant(tx, workshopId, participantId);
    if (!participant) throw fail.notFound('Participant');
    if (await q.participantHasInput(tx, participantId)) {
      const error = new DomainError('participant_has_input', 'This participant has written, starred or agreed; their input is kept');
      return refuseWithCurrent(tx, deps.publicUrl, workshopId, error);
    }
    await q.deleteParticipant(tx, participantId);
    return recordBoardChange(tx, workshopId, 'participants', participant.group_id);
  });
  return changed(deps, workshopId, events);
}


/** Two people with one name in a group could not tell which is theirs on the join page. */
async function assertNameFree(db: Queryable, groupId: string, name: string, field = 'name'): Promise<void> {
  const taken = (await q.participantNamesInGroup(db, groupId)).some((other) => nameKey(other) === nameKey(name));
  if (taken) throw fail.invalid(field, 'a participant with this name is already in the group');
}

// ---- joining without an account ----

/** The public join page's list: groups and names only (party is special-category data, GDPR art. 9). */
export async function lookupJoinCode(code: string, { db }: WorkshopDeps): Promise<JoinInfo> {
  const joinCode = normaliseJoinCode(code);
  const workshop = joinCode ? await q.findWorkshopByJoinCode(db, joinCode) : undefined;
  if (!workshop) throw fail.notFound('Workshop');
  assertJoinable(workshop.state);
  const rows = await q.listJoinableNames(db, workshop.id);
  const groups: JoinInfo['groups'] = [];
  for (const row of rows) {
    let group = groups.find((g) => g.id === row.group_id);
    if (!group) {
      group = { id: row.group_id, name: row.group_name, participants: [] };
      groups.push(group);
    }
    if (row.participant_id && row.participant_name) group.participants.push({ id: row.participant_id, name: row.participant_name });
  }
  const collator = new Intl.Collator('nb');
  for (const group of groups) group.participants.sort((a, b) => collator.compare(a.name, b.name));
  return { workshop: { id: workshop.id, title: workshop.title, state: workshop.state, language: workshop.language }, groups };
}

function assertJoinable(state: 'draft' | 'open' | 'closed'): void {
  // A closed workshop can still be read by its participants; a draft one is not ready to be seen.
  if (state === 'draft') throw new DomainError('workshop_not_open', 'The workshop has not opened yet');
}

export interface StartedSession {
  session: ParticipantSession;
  /** The value for the `innspill_participant` cookie. */
  cookieValue: string;
}

/**
 * Who the request already is. A logged-in user's session wins over a participant cookie in one
 * browser, so the CSRF token to hand out is then the user's.
 */
export interface CurrentSession {
  actor: Actor | null;
  csrfToken: string | null;
}

/** Joins with the workshop's code and a name picked from the list. */
export async function join(input: JoinBody, current: CurrentSession, deps: WorkshopDeps): Promise<StartedSession> {
  const joinCode = normaliseJoinCode(input.code);
  const workshop = joinCode ? await q.findWorkshopByJoinCode(deps.db, joinCode) : undefined;
  if (!workshop) throw fail.notFound('Workshop');
  const participant = await q.findJoinableParticipant(deps.db, { participantId: input.participantId });
  if (!participant || participant.workshop_id !== workshop.id) throw fail.notFound('Participant');
  assertJoinable(participant.state);
  await claimName(deps.db, participant.id, current.actor); // [JOIN-5]
  return startSession(participant, current, deps);
}

/** Joins with a personal link. */
export async function joinByLink(input: JoinByLinkBody, current: CurrentSession, deps: WorkshopDeps): Promise<StartedSession> {
  const participant = await q.findJoinableParticipant(deps.db, { accessToken: input.token });
  if (!participant) throw fail.notFound('Participant');
  assertJoinable(participant.state);
  // The personal link names its holder: it claims the name without asking.
  await recordClaim(deps.db, participant.id);
  return startSession(participant, current, deps);
}

type JoinableParticipant = NonNullable<Awaited<ReturnType<typeof q.findJoinableParticipant>>>;

const presentSession = (participant: JoinableParticipant, csrfToken: string): ParticipantSession => ({
  participant: { id: participant.id, name: participant.name, groupId: participant.group_id, groupName: participant.group_name },
  workshop: { id: participant.workshop_id, title: participant.workshop_title, state: participant.state },
  csrfToken,
});

async function startSession(participant: JoinableParticipant, current: CurrentSession, { db }: WorkshopDeps): Promise<StartedSession> {
  assertJoinable(participant.state);
  const cookieValue = await signParticipantCookie(db, { participantId: participant.id, workshopId: participant.workshop_id });
  const csrfToken = current.actor?.kind === 'user' && current.csrfToken ? current.csrfToken : await participantCsrfToken(db, cookieValue);
  return { cookieValue, session: presentSession(participant, csrfToken) };
}

/** The session a participant cookie stands for; 401 without a valid one. */
export async function participantSession(cookieValue: string | undefined, current: CurrentSession, { db }: WorkshopDeps): Promise<ParticipantSession> {
  const actor = await readParticipantCookie({ db }, cookieValue);
  if (!actor || !cookieValue) throw new DomainError('unauthenticated', 'Join the workshop first');
  const participant = await q.findJoinableParticipant(db, { participantId: actor.participantId });
  if (!participant) throw new DomainError('unauthenticated', 'Join the workshop first');
  const csrfToken = current.actor?.kind === 'user' && current.csrfToken ? current.csrfToken : await participantCsrfToken(db, cookieValue);
  return presentSession(participant, csrfToken);
}

// ---- QR code and the plenary link ----

export const qrSvg = (url: string) => QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });

/** The join QR code for the planner's or the group's facilitator's screen. */
export async function joinQrSvg(actor: Actor | null, workshopId: string, deps: WorkshopDeps): Promise<string> {
  const workshop = await getWorkshop(actor, workshopId, deps);
  return qrSvg(workshop.joinUrl);
}

export async function viewerInfo(viewerToken: string, { db, publicUrl }: WorkshopDeps): Promise<ViewerInfo> {
  const workshop = await q.findWorkshopByViewerToken(db, viewerToken);
  if (!workshop) throw fail.notFound('Workshop');
  return { workshopId: workshop.id, title: workshop.title, joinCode: workshop.join_code, joinUrl: joinUrl(publicUrl, workshop.join_code) };
}

export async function viewerQrSvg(viewerToken: string, deps: WorkshopDeps): Promise<string> {
  return qrSvg((await viewerInfo(viewerToken, deps)).joinUrl);
}
