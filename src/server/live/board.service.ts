import type { Actor } from '../../domain/actors.js';
import { DomainError, fail } from '../../domain/errors.js';
import { isOnPoster, numberItems } from '../../domain/items.js';
import { mayShowStar } from '../../domain/workshopRules.js';
import type { Db, Queryable } from '../db/database.js';
import * as q from './live.queries.js';
import type { BoardPoster, LiveEvent, Snapshot, Subscription } from '../../contract/protocol.js';

/** What one connected device may follow: which groups, and how it sees hidden stars. */
export interface Audience {
  workshopId: string;
  /** null: every group of the workshop. */
  groupIds: string[] | null;
  viewer: { kind: 'participant'; participantId: string } | { kind: 'user' } | { kind: 'viewer' };
  seesJoinCode: boolean;
}

/** [LIVE-5] Decides what an actor may follow; throws forbidden or not_found otherwise. */
export async function audienceFor(db: Queryable, actor: Actor | null, workshopId: string, subscription: Subscription): Promise<Audience> {
  if (!actor) throw new DomainError('unauthenticated', 'Join the workshop or log in first');
  const workshop = await db.selectFrom('workshops').select('id').where('id', '=', workshopId).executeTakeFirst();
  if (!workshop) throw fail.notFound('Workshop');
  const groups = await db.selectFrom('groups').select(['id', 'facilitator_user_id']).where('workshop_id', '=', workshopId).execute();
  const wanted = subscription.scope === 'group' ? groups.filter((g) => g.id === subscription.groupId) : groups;
  if (subscription.scope === 'group' && wanted.length === 0) throw fail.notFound('Group');

  if (actor.kind === 'participant') {
    if (actor.workshopId !== workshopId) throw fail.forbidden('This is another workshop');
    if (subscription.scope !== 'group' || subscription.groupId !== actor.groupId) throw fail.forbidden('You can follow only your own group');
    return { workshopId, groupIds: [actor.groupId], viewer: { kind: 'participant', participantId: actor.participantId }, seesJoinCode: false };
  }
  if (actor.kind === 'viewer') {
    if (actor.workshopId !== workshopId) throw fail.forbidden('This is another workshop');
    return { workshopId, groupIds: subscription.scope === 'group' ? [subscription.groupId] : null, viewer: { kind: 'viewer' }, seesJoinCode: true };
  }
  if (actor.role === 'planner') {
    return { workshopId, groupIds: subscription.scope === 'group' ? [subscription.groupId] : null, viewer: { kind: 'user' }, seesJoinCode: true };
  }
  const own = wanted.filter((g) => g.facilitator_user_id === actor.userId).map((g) => g.id);
  if (own.length === 0) throw fail.forbidden('You facilitate another group');
  return { workshopId, groupIds: own, viewer: { kind: 'user' }, seesJoinCode: true };
}

/** The whole state a device needs, at one sequence number (read in one consistent transaction by the caller). */
export async function readSnapshot(db: Queryable, audience: Audience): Promise<Snapshot> {
  const workshop = await db.selectFrom('workshops').selectAll().where('id', '=', audience.workshopId).executeTakeFirstOrThrow();
  let groupsQuery = db.selectFrom('groups').selectAll().where('workshop_id', '=', audience.workshopId).orderBy('position');
  if (audience.groupIds) groupsQuery = groupsQuery.where('id', 'in', audience.groupIds.length ? audience.groupIds : ['00000000-0000-0000-0000-000000000000']);
  const groups = await groupsQuery.execute();
  const groupIds = groups.map((g) => g.id);
  const participants = groupIds.length
    ? await db.selectFrom('participants').select(['id', 'name', 'group_id']).where('group_id', 'in', groupIds).orderBy('name').execute()
    : [];
  const [posters, notes, stars] = await Promise.all([
    readPosters(db, audience.workshopId),
    q.listNotes(db, audience.workshopId, audience.groupIds),
    q.listStars(db, audience.workshopId, audience.groupIds),
  ]);
  const revealed = new Map(groups.map((g) => [g.id, g.stars_revealed]));
  return {
    seq: Number(workshop.last_seq),
    workshop: {
      id: workshop.id,
      title: workshop.title,
      state: workshop.state,
      starBudget: workshop.star_budget,
      starsPerItem: workshop.stars_per_item,
      starsHidden: workshop.stars_hidden,
      language: workshop.language,
      joinCode: audience.seesJoinCode ? workshop.join_code : null,
    },
    posters,
    groups: groups.map((g) => ({
      id: g.id,
      name: g.name,
      position: g.position,
      starsRevealed: g.stars_revealed,
      timerEndsAt: g.timer_ends_at?.toISOString() ?? null,
      participants: participants.filter((p) => p.group_id === g.id).map((p) => ({ id: p.id, name: p.name })),
    })),
    notes,
    stars: stars.filter((star) =>
      mayShowStar(audience.viewer, star, { starsHidden: workshop.stars_hidden, revealed: revealed.get(star.groupId) ?? false }),
    ),
  };
}

async function readPosters(db: Queryable, workshopId: string): Promise<BoardPoster[]> {
  const posters = await db
    .selectFrom('posters as p')
    .innerJoin('perspectives as s', 's.id', 'p.perspective_id')
    .select(['p.id', 'p.perspective_id', 'p.part', 'p.position', 'p.instructions', 'p.box_prompt', 'p.stars_enabled', 's.title', 's.position as perspective_position'])
    .where('p.workshop_id', '=', workshopId)
    .orderBy('p.position')
    .execute();
  const perspectiveIds = [...new Set(posters.map((p) => p.perspective_id))];
  const items = perspectiveIds.length
    ? await db
        .selectFrom('items')
        .select(['id', 'perspective_id', 'kind', 'position', 'text', 'archived_at'])
        .where('perspective_id', 'in', perspectiveIds)
        .where('archived_at', 'is', null)
        .execute()
    : [];
  return posters.map((poster) => {
    const own = numberItems(items.filter((i) => i.perspective_id === poster.perspective_id).map((i) => ({ ...i, archivedAt: i.archived_at })));
    return {
      id: poster.id,
      perspectiveId: poster.perspective_id,
      perspectiveTitle: poster.title,
      part: poster.part,
      position: poster.position,
      instructions: poster.instructions,
      boxPrompt: poster.box_prompt,
      starsEnabled: poster.stars_enabled,
      mainGoal: own.find((i) => i.kind === 'main_goal')?.text ?? '',
      items: own.filter((i) => isOnPoster(poster.part, i.kind)).map((i) => ({ id: i.id, kind: i.kind, number: i.number ?? 0, text: i.text })),
    };
  });
}

/** What decides which stars a device sees ([STAR-4]); the hub caches it per workshop. */
export interface Visibility {
  starsHidden: boolean;
  revealedGroups: ReadonlySet<string>;
}

export const readVisibility: (db: Queryable, workshopId: string) => Promise<Visibility> = q.readVisibility;

/**
 * [LIVE-5][STAR-4] Whether this device receives this event. The one audience function: the socket,
 * a resume and `GET /api/workshops/:id/events` all filter with it.
 */
export function eventFor(audience: Audience, event: LiveEvent, visibility: Visibility): boolean {
  if (event.groupId && audience.groupIds && !audience.groupIds.includes(event.groupId)) return false;
  // [JOIN-5] Who waits to join is for those who may let them in: the group's facilitator and planners.
  if (event.type === 'joinRequests.changed') return audience.viewer.kind === 'user';
  if (event.type === 'star.given' || event.type === 'star.taken') {
    const participantId = event.type === 'star.given' ? event.star.participantId : event.participantId;
    return mayShowStar(audience.viewer, { participantId }, { starsHidden: visibility.starsHidden, revealed: visibility.revealedGroups.has(event.groupId ?? '') });
  }
  return true;
}

/**
 * Events a device cannot replay onto its board: a change from outside the live commands
 * ([LIVE-14]), and a reveal that shows (or hides again) stars it never received.
 */
export function needsSnapshot(audience: Audience, event: LiveEvent, visibility: Visibility): boolean {
  if (event.type === 'board.changed') return true;
  return event.type === 'group.starsRevealed' && visibility.starsHidden && audience.viewer.kind !== 'user';
}

/** A device further behind than this gets a fresh snapshot instead of the events it missed ([LIVE-8]). */
export const MAX_RESUME_EVENTS = 1000;

export type CatchUp = { type: 'snapshot'; snapshot: Snapshot } | { type: 'events'; events: LiveEvent[]; seq: number };

/**
 * [LIVE-8][LIVE-14] What a device that last saw `lastSeq` needs: exactly the events it missed, or a
 * snapshot when it is new, too far behind, or missed a change events cannot carry. Run it in one
 * repeatable-read transaction, so the answer and its sequence number belong together.
 */
export async function catchUp(tx: Queryable, audience: Audience, lastSeq: number | null): Promise<CatchUp> {
  const current = await q.currentSeq(tx, audience.workshopId);
  if (lastSeq !== null && lastSeq <= current && current - lastSeq <= MAX_RESUME_EVENTS) {
    const visibility = await readVisibility(tx, audience.workshopId);
    const missed = (await q.eventsSince(tx, audience.workshopId, lastSeq, audience.groupIds, MAX_RESUME_EVENTS)).filter(
      (event) => event.seq <= current && eventFor(audience, event, visibility),
    );
    if (!missed.some((event) => needsSnapshot(audience, event, visibility))) return { type: 'events', events: missed, seq: current };
  }
  return { type: 'snapshot', snapshot: await readSnapshot(tx, audience) };
}

/** The events after `afterSeq` this audience may see, for `GET /api/workshops/:id/events`. */
export async function eventsForAudience(db: Db, audience: Audience, afterSeq: number, limit = 5000): Promise<LiveEvent[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (tx) => {
      const visibility = await readVisibility(tx, audience.workshopId);
      const events = await q.eventsSince(tx, audience.workshopId, afterSeq, audience.groupIds, limit);
      return events.filter((event) => eventFor(audience, event, visibility));
    });
}

/** How a device was let in, so it can be asked again when the roster or the links change. */
export interface Access {
  actor: Actor;
  subscription: Subscription;
  /** The plenary link the screen connected with. */
  viewerToken?: string;
}

/**
 * [LIVE-15] Asks again whether this device may follow what it follows: the participant's row (not
 * anonymised, not removed, same group), the plenary link, the facilitator's groups. Null when the
 * answer is no or different: the device must reconnect as who it now is.
 */
export async function reauthorise(db: Queryable, access: Access, current: Audience): Promise<Audience | null> {
  let actor = access.actor;
  if (actor.kind === 'participant') {
    const row = await q.findParticipant(db, actor.participantId);
    if (!row || row.anonymised_at || row.workshop_id !== actor.workshopId) return null;
    actor = { ...actor, groupId: row.group_id, name: row.name };
  }
  if (actor.kind === 'viewer' && !(access.viewerToken && (await q.viewerTokenMatches(db, actor.workshopId, access.viewerToken)))) return null;
  try {
    const next = await audienceFor(db, actor, current.workshopId, access.subscription);
    return sameAudience(next, current) ? next : null;
  } catch (error) {
    if (error instanceof DomainError) return null;
    throw error;
  }
}

const sameAudience = (a: Audience, b: Audience) =>
  JSON.stringify([a.groupIds && [...a.groupIds].sort(), a.viewer, a.seesJoinCode]) === JSON.stringify([b.groupIds && [...b.groupIds].sort(), b.viewer, b.seesJoinCode]);
