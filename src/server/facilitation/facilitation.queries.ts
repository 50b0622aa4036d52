import { sql } from 'kysely';
import type { Queryable } from '../db/database.js';

/** The groups a user facilitates, newest workshop first. */
export const listFacilitatedGroups = (db: Queryable, userId: string) =>
  db
    .selectFrom('groups as g')
    .innerJoin('workshops as w', 'w.id', 'g.workshop_id')
    .innerJoin('plans as p', 'p.id', 'w.plan_id')
    .select(['g.id as group_id', 'g.name as group_name', 'w.id as workshop_id', 'w.title', 'w.state', 'p.title as plan_title', sql<string | null>`to_char(w.date, 'YYYY-MM-DD')`.as('date')])
    .where('g.facilitator_user_id', '=', userId)
    .orderBy('w.date', (ob) => ob.desc().nullsLast())
    .orderBy('w.created_at', 'desc')
    .orderBy('g.position')
    .execute();

/** Claims the name for the joining device; false when another device holds it already. */
export const insertClaim = async (db: Queryable, participantId: string) =>
  (await db.insertInto('name_claims').values({ participant_id: participantId }).onConflict((oc) => oc.column('participant_id').doNothing()).returning('participant_id').executeTakeFirst()) !== undefined;

export const deleteClaim = (db: Queryable, participantId: string) => db.deleteFrom('name_claims').where('participant_id', '=', participantId).execute();

export const insertJoinRequest = (db: Queryable, request: { id: string; workshopId: string; participantId: string; secretHash: string }) =>
  db
    .insertInto('join_requests')
    .values({ id: request.id, workshop_id: request.workshopId, participant_id: request.participantId, secret_hash: request.secretHash })
    .execute();

/** A request with what decides who may answer it: the participant's current group and its facilitator. */
export const findJoinRequest = (db: Queryable, requestId: string) =>
  db
    .selectFrom('join_requests as r')
    .innerJoin('participants as pa', 'pa.id', 'r.participant_id')
    .innerJoin('groups as g', 'g.id', 'pa.group_id')
    .select(['r.id', 'r.workshop_id', 'r.participant_id', 'r.secret_hash', 'r.decision', 'r.used_at', 'pa.access_token', 'pa.group_id', 'g.facilitator_user_id'])
    .where('r.id', '=', requestId)
    .executeTakeFirst();

/** Requests waiting for an answer in a workshop (an hour at most: then the device asks again). */
export const listPendingJoinRequests = (db: Queryable, workshopId: string, facilitatorUserId: string | null) => {
  let query = db
    .selectFrom('join_requests as r')
    .innerJoin('participants as pa', 'pa.id', 'r.participant_id')
    .innerJoin('groups as g', 'g.id', 'pa.group_id')
    .select(['r.id', 'r.participant_id', 'pa.name as participant_name', 'g.id as group_id', 'g.name as group_name', 'r.created_at'])
    .where('r.workshop_id', '=', workshopId)
    .where('r.decision', 'is', null)
    .where('pa.anonymised_at', 'is', null)
    .where('r.created_at', '>', sql<Date>`now() - interval '1 hour'`)
    .orderBy('r.created_at');
  if (facilitatorUserId) query = query.where('g.facilitator_user_id', '=', facilitatorUserId);
  return query.execute();
};

export const facilitatesInWorkshop = async (db: Queryable, workshopId: string, userId: string) =>
  (await db.selectFrom('groups').select('id').where('workshop_id', '=', workshopId).where('facilitator_user_id', '=', userId).executeTakeFirst()) !== undefined;

/** Records the answer once; a second answer changes nothing (false). */
export const decideJoinRequest = async (db: Queryable, requestId: string, decision: 'confirmed' | 'refused', userId: string) =>
  (
    await db
      .updateTable('join_requests')
      .set({ decision, decided_by_user_id: userId, decided_at: new Date() })
      .where('id', '=', requestId)
      .where('decision', 'is', null)
      .returning('id')
      .executeTakeFirst()
  ) !== undefined;

/** Marks a confirmed request as used; true for the one call that may hand out the session. */
export const useJoinRequest = async (db: Queryable, requestId: string) =>
  (
    await db
      .updateTable('join_requests')
      .set({ used_at: new Date() })
      .where('id', '=', requestId)
      .where('decision', '=', 'confirmed')
      .where('used_at', 'is', null)
      .returning('id')
      .executeTakeFirst()
  ) !== undefined;
