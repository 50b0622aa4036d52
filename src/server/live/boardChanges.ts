import type { Queryable } from '../db/database.js';
import { appendEvents, workshopIdsOfPlan } from './live.queries.js';
import type { BoardChangeReason, LiveEvent } from '../../contract/protocol.js';

/** Sends committed events to every device following the workshop (the app's `publishEvents`). */
export type PublishEvents = (workshopId: string, events: LiveEvent[]) => Promise<void>;

/**
 * [LIVE-14] Records, in the writer's own transaction and through the live commands' append, that
 * what devices show of a workshop changed. `groupId` narrows it to one group's devices (and those
 * following the whole workshop). Publish the returned events after the commit.
 */
export async function recordBoardChange(tx: Queryable, workshopId: string, reason: BoardChangeReason, groupId: string | null = null): Promise<LiveEvent[]> {
  return (await appendEvents(tx, workshopId, [{ type: 'board.changed', groupId, reason }])).events;
}

/** [JOIN-5] Tells the group's facilitators (and planners) that its join requests changed; they read the list again. */
export async function recordJoinRequests(tx: Queryable, workshopId: string, groupId: string): Promise<LiveEvent[]> {
  return (await appendEvents(tx, workshopId, [{ type: 'joinRequests.changed', groupId }])).events;
}

/** A plan edit changes the posters of every workshop on that plan. */
export async function recordPlanChange(tx: Queryable, planId: string): Promise<LiveEvent[]> {
  const events: LiveEvent[] = [];
  for (const workshopId of await workshopIdsOfPlan(tx, planId)) events.push(...(await recordBoardChange(tx, workshopId, 'plan')));
  return events;
}

/** Publishes committed events, workshop by workshop. */
export async function publishCommitted(publish: PublishEvents | undefined, events: LiveEvent[]): Promise<void> {
  if (!publish) return;
  const byWorkshop = new Map<string, LiveEvent[]>();
  for (const event of events) byWorkshop.set(event.workshopId, [...(byWorkshop.get(event.workshopId) ?? []), event]);
  for (const [workshopId, list] of byWorkshop) await publish(workshopId, list);
}
