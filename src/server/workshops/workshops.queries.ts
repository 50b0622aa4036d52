import { sql, type Insertable } from 'kysely';
import type { Language } from '../../domain/languages.js';
import type { Queryable } from '../db/database.js';
import type { GroupsTable, ParticipantsTable, PostersTable } from '../db/tables.js';

/** The workshop row with its date as `YYYY-MM-DD` (drivers would turn a date into local midnight). */
const workshopColumns = [
  'w.id',
  'w.plan_id',
  'w.title',
  sql<string | null>`to_char(w.date, 'YYYY-MM-DD')`.as('date'),
  'w.state',
  'w.star_budget',
  'w.stars_per_item',
  'w.stars_hidden',
  'w.party_in_reports',
  'w.language',
  'w.join_code',
  'w.viewer_token',
  'w.version',
] as const;

export const findWorkshop = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('workshops as w')
    .innerJoin('plans as p', 'p.id', 'w.plan_id')
    .select([...workshopColumns, 'p.title as plan_title'])
    .where('w.id', '=', workshopId)
    .executeTakeFirst();

export const lockWorkshop = (db: Queryable, workshopId: string) =>
  db.selectFrom('workshops').select(['id', 'state', 'version']).where('id', '=', workshopId).forUpdate().executeTakeFirst();

export const findWorkshopByJoinCode = (db: Queryable, joinCode: string) =>
  db.selectFrom('workshops as w').select(workshopColumns).where('w.join_code', '=', joinCode).executeTakeFirst();

export const findWorkshopByViewerToken = (db: Queryable, viewerToken: string) =>
  db.selectFrom('workshops as w').select(workshopColumns).where('w.viewer_token', '=', viewerToken).executeTakeFirst();

export const joinCodeTaken = async (db: Queryable, joinCode: string) =>
  (await db.selectFrom('workshops').select('id').where('join_code', '=', joinCode).executeTakeFirst()) !== undefined;

/**
 * Inserts a workshop unless its id, join code or viewer token exists; returns whether it did.
 * `on conflict do nothing` keeps the transaction usable when a fresh join code collides.
 */
export const insertWorkshop = async (
  db: Queryable,
  workshop: {
    id: string;
    plan_id: string;
    title: string;
    date: string | null;
    star_budget: number;
    stars_per_item: number;
    stars_hidden: boolean;
    party_in_reports: boolean;
    language: Language;
    join_code: string;
    viewer_token: string;
  },
) => (await db.insertInto('workshops').values(workshop).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst()) !== undefined;

export const workshopExists = async (db: Queryable, workshopId: string) =>
  (await db.selectFrom('workshops').select('id').where('id', '=', workshopId).executeTakeFirst()) !== undefined;

export const updateWorkshop = (
  db: Queryable,
  workshopId: string,
  expectedVersion: number,
  changes: Partial<{ title: string; date: string | null; star_budget: number; stars_per_item: number; stars_hidden: boolean; party_in_reports: boolean; language: Language }>,
) =>
  db
    .updateTable('workshops')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('id', '=', workshopId)
    .where('version', '=', expectedVersion)
    .returning('id')
    .executeTakeFirst();

/**
 * Changes state, join code or viewer token. These never conflict with an edit of the details, so
 * `version` (which guards the details) stays as it is.
 */
export const setWorkshopFields = (
  db: Queryable,
  workshopId: string,
  changes: Partial<{ state: 'draft' | 'open' | 'closed'; join_code: string; viewer_token: string }>,
) =>
  db
    .updateTable('workshops')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', workshopId)
    .execute();

/** A new join code, unless another workshop has it (then false). */
export const setJoinCodeIfFree = async (db: Queryable, workshopId: string, joinCode: string) => {
  const updated = await db
    .updateTable('workshops')
    .set({ join_code: joinCode, updated_at: new Date() })
    .where('id', '=', workshopId)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('workshops as other').select(sql.lit(1).as('one')).where('other.join_code', '=', joinCode))))
    .returning('id')
    .executeTakeFirst();
  return updated !== undefined;
};

export const listWorkshopsOfPlan = (db: Queryable, planId: string, facilitatorUserId: string | null) => {
  let query = db
    .selectFrom('workshops as w')
    .select((eb) => [
      'w.id',
      'w.plan_id',
      'w.title',
      sql<string | null>`to_char(w.date, 'YYYY-MM-DD')`.as('date'),
      'w.state',
      'w.is_demo',
      eb.selectFrom('groups as g').select(eb.fn.countAll<number>().as('n')).whereRef('g.workshop_id', '=', 'w.id').as('group_count'),
      eb
        .selectFrom('participants as pa')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('pa.workshop_id', '=', 'w.id')
        .where('pa.anonymised_at', 'is', null)
        .as('participant_count'),
    ])
    .where('w.plan_id', '=', planId);
  if (facilitatorUserId) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('groups as fg')
          .select(sql.lit(1).as('one'))
          .whereRef('fg.workshop_id', '=', 'w.id')
          .where('fg.facilitator_user_id', '=', facilitatorUserId),
      ),
    );
  }
  return query.orderBy('w.date', (ob) => ob.desc().nullsFirst()).orderBy('w.created_at', 'desc').execute();
};

// ---- posters ----

export const listPosters = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('posters as po')
    .innerJoin('perspectives as pe', 'pe.id', 'po.perspective_id')
    .select([
      'po.id',
      'po.perspective_id',
      'pe.title as perspective_title',
      'po.part',
      'po.position',
      'po.instructions',
      'po.box_prompt',
      'po.stars_enabled',
    ])
    .where('po.workshop_id', '=', workshopId)
    .orderBy('po.position')
    .execute();

export const insertPosters = (db: Queryable, posters: Insertable<PostersTable>[]) =>
  posters.length === 0 ? Promise.resolve() : db.insertInto('posters').values(posters).onConflict((oc) => oc.doNothing()).execute();

export const findPoster = (db: Queryable, workshopId: string, posterId: string) =>
  db.selectFrom('posters').select(['id', 'workshop_id']).where('id', '=', posterId).where('workshop_id', '=', workshopId).executeTakeFirst();

export const updatePoster = (
  db: Queryable,
  posterId: string,
  changes: Partial<{ instructions: string; box_prompt: string; stars_enabled: boolean }>,
) => db.updateTable('posters').set(changes).where('id', '=', posterId).execute();

/** Live perspectives of the workshop's plan, in plan order, with whether the workshop has posters for them. */
export const listPlanPerspectivesForWorkshop = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('workshops as w')
    .innerJoin('perspectives as pe', 'pe.plan_id', 'w.plan_id')
    .select((eb) => [
      'pe.id',
      'pe.title',
      'pe.position',
      eb
        .exists(eb.selectFrom('posters as po').select(sql.lit(1).as('one')).whereRef('po.perspective_id', '=', 'pe.id').whereRef('po.workshop_id', '=', 'w.id'))
        .as('has_posters'),
    ])
    .where('w.id', '=', workshopId)
    .where('pe.archived_at', 'is', null)
    .orderBy('pe.position')
    .orderBy('pe.created_at')
    .execute();

export const listLivePerspectives = (db: Queryable, planId: string) =>
  db
    .selectFrom('perspectives')
    .select(['id', 'title'])
    .where('plan_id', '=', planId)
    .where('archived_at', 'is', null)
    .orderBy('position')
    .orderBy('created_at')
    .execute();

export const maxPosterPosition = async (db: Queryable, workshopId: string) =>
  Number(
    (
      await db
        .selectFrom('posters')
        .select((eb) => eb.fn.max<number | null>('position').as('max'))
        .where('workshop_id', '=', workshopId)
        .executeTakeFirst()
    )?.max ?? -1,
  );

export const planExists = async (db: Queryable, planId: string) =>
  (await db.selectFrom('plans').select('id').where('id', '=', planId).executeTakeFirst()) !== undefined;

// ---- groups ----

export const listGroups = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('groups as g')
    .leftJoin('users as u', 'u.id', 'g.facilitator_user_id')
    .select(['g.id', 'g.name', 'g.position', 'g.facilitator_user_id', 'u.name as facilitator_name'])
    .where('g.workshop_id', '=', workshopId)
    .orderBy('g.position')
    .orderBy('g.name')
    .execute();

export const findGroup = (db: Queryable, workshopId: string, groupId: string) =>
  db
    .selectFrom('groups')
    .select(['id', 'workshop_id', 'name', 'position', 'facilitator_user_id'])
    .where('id', '=', groupId)
    .where('workshop_id', '=', workshopId)
    .executeTakeFirst();

export const insertGroups = (db: Queryable, groups: Insertable<GroupsTable>[]) =>
  groups.length === 0 ? Promise.resolve() : db.insertInto('groups').values(groups).onConflict((oc) => oc.doNothing()).execute();

export const updateGroup = (db: Queryable, groupId: string, changes: Partial<{ name: string; facilitator_user_id: string | null }>) =>
  db.updateTable('groups').set(changes).where('id', '=', groupId).execute();

export const deleteGroup = (db: Queryable, groupId: string) => db.deleteFrom('groups').where('id', '=', groupId).execute();

export async function setGroupPositions(db: Queryable, orderedIds: string[]): Promise<void> {
  for (const [position, id] of orderedIds.entries()) {
    await db.updateTable('groups').set({ position }).where('id', '=', id).execute();
  }
}

/** Deletes a group and closes the gap it leaves: the others keep their order, numbered from 0. */
export async function deleteGroupClosingGap(db: Queryable, workshopId: string, groupId: string): Promise<void> {
  await deleteGroup(db, groupId);
  await setGroupPositions(db, (await listGroups(db, workshopId)).map((group) => group.id));
}

/** Anything in the group that must not be deleted with it: people, lapper or stars. */
export const groupHasContent = async (db: Queryable, groupId: string) => {
  const row = await db
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('participants').select(sql.lit(1).as('one')).where('group_id', '=', groupId)).as('participants'),
      eb.exists(eb.selectFrom('notes').select(sql.lit(1).as('one')).where('group_id', '=', groupId)).as('notes'),
      eb.exists(eb.selectFrom('stars').select(sql.lit(1).as('one')).where('group_id', '=', groupId)).as('stars'),
    ])
    .executeTakeFirstOrThrow();
  return Boolean(row.participants || row.notes || row.stars);
};

export const userExists = async (db: Queryable, userId: string) =>
  (await db.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst()) !== undefined;

/** Accounts a planner can pick as facilitator. */
export const listUsers = (db: Queryable) => db.selectFrom('users').select(['id', 'name', 'role']).orderBy('name').execute();

// ---- participants ----

/** Participants with whether they have written, starred or agreed. */
export const listParticipants = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('participants as pa')
    .select((eb) => [
      'pa.id',
      'pa.group_id',
      'pa.name',
      'pa.party',
      'pa.committee',
      'pa.access_token',
      'pa.anonymised_at',
      eb
        .or([
          eb.exists(eb.selectFrom('notes').select(sql.lit(1).as('one')).whereRef('notes.author_participant_id', '=', 'pa.id')),
          eb.exists(eb.selectFrom('stars').select(sql.lit(1).as('one')).whereRef('stars.participant_id', '=', 'pa.id')),
          eb.exists(eb.selectFrom('agreements').select(sql.lit(1).as('one')).whereRef('agreements.participant_id', '=', 'pa.id')),
        ])
        .as('has_input'),
    ])
    .where('pa.workshop_id', '=', workshopId)
    .orderBy('pa.created_at')
    .orderBy('pa.name')
    .execute();

export const participantNamesInGroup = async (db: Queryable, groupId: string) =>
  (await db.selectFrom('participants').select('name').where('group_id', '=', groupId).where('anonymised_at', 'is', null).execute()).map(
    (row) => row.name,
  );

export const insertParticipants = (db: Queryable, participants: Insertable<ParticipantsTable>[]) =>
  participants.length === 0
    ? Promise.resolve()
    : db.insertInto('participants').values(participants).onConflict((oc) => oc.column('id').doNothing()).execute();

export const findParticipant = (db: Queryable, workshopId: string, participantId: string) =>
  db
    .selectFrom('participants')
    .select(['id', 'workshop_id', 'group_id', 'name', 'anonymised_at'])
    .where('id', '=', participantId)
    .where('workshop_id', '=', workshopId)
    .executeTakeFirst();

export const lockParticipant = (db: Queryable, participantId: string) =>
  db.selectFrom('participants').select(['id', 'group_id']).where('id', '=', participantId).forUpdate().executeTakeFirst();

export const updateParticipant = (
  db: Queryable,
  participantId: string,
  changes: Partial<{ name: string; party: string | null; committee: string | null; group_id: string }>,
) => db.updateTable('participants').set(changes).where('id', '=', participantId).execute();

export const participantHasInput = async (db: Queryable, participantId: string) => {
  const row = await db
    .selectNoFrom((eb) => [
      eb.exists(eb.selectFrom('notes').select(sql.lit(1).as('one')).where('author_participant_id', '=', participantId)).as('notes'),
      eb.exists(eb.selectFrom('stars').select(sql.lit(1).as('one')).where('participant_id', '=', participantId)).as('stars'),
      eb.exists(eb.selectFrom('agreements').select(sql.lit(1).as('one')).where('participant_id', '=', participantId)).as('agreements'),
    ])
    .executeTakeFirstOrThrow();
  return Boolean(row.notes || row.stars || row.agreements);
};

export const deleteParticipant = (db: Queryable, participantId: string) => db.deleteFrom('participants').where('id', '=', participantId).execute();

// ---- joining ----

/** Groups and the names in them, for the public join page: no party, no committee. */
export const listJoinableNames = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('groups as g')
    .leftJoin('participants as pa', (join) => join.onRef('pa.group_id', '=', 'g.id').on('pa.anonymised_at', 'is', null))
    .select(['g.id as group_id', 'g.name as group_name', 'g.position', 'pa.id as participant_id', 'pa.name as participant_name'])
    .where('g.workshop_id', '=', workshopId)
    .orderBy('g.position')
    .orderBy('g.name')
    .execute();

/** A participant who may start a session: in this workshop, not anonymised. With their group and workshop. */
export const findJoinableParticipant = (db: Queryable, where: { participantId: string } | { accessToken: string }) => {
  let query = db
    .selectFrom('participants as pa')
    .innerJoin('groups as g', 'g.id', 'pa.group_id')
    .innerJoin('workshops as w', 'w.id', 'pa.workshop_id')
    .select(['pa.id', 'pa.name', 'pa.workshop_id', 'pa.group_id', 'g.name as group_name', 'w.title as workshop_title', 'w.state', 'w.join_code'])
    .where('pa.anonymised_at', 'is', null);
  query = 'participantId' in where ? query.where('pa.id', '=', where.participantId) : query.where('pa.access_token', '=', where.accessToken);
  return query.executeTakeFirst();
};

/** Stops every running round timer of a workshop; the groups whose timer stopped. */
export const stopTimers = async (db: Queryable, workshopId: string) =>
  (await db.updateTable('groups').set({ timer_ends_at: null }).where('workshop_id', '=', workshopId).where('timer_ends_at', 'is not', null).returning('id').execute()).map((row) => row.id);

/** The participant a valid cookie names, if still in that workshop and not anonymised. */
export const findSessionParticipant = (db: Queryable, participantId: string, workshopId: string) =>
  db
    .selectFrom('participants')
    .select(['id', 'workshop_id', 'group_id', 'name'])
    .where('id', '=', participantId)
    .where('workshop_id', '=', workshopId)
    .where('anonymised_at', 'is', null)
    .executeTakeFirst();

// ---- settings ----

/** Creates the setting unless another process did first, then reads what is stored. */
export async function ensureSetting(db: Queryable, key: string, makeValue: () => string): Promise<string> {
  await db.insertInto('settings').values({ key, value: makeValue() }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}
