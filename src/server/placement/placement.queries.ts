import { sql } from 'kysely';
import type { Queryable } from '../db/database.js';

export const findWorkshop = (db: Queryable, workshopId: string) =>
  db.selectFrom('workshops').select(['id', 'plan_id']).where('id', '=', workshopId).executeTakeFirst();

export const workshopPosters = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('posters as po')
    .innerJoin('perspectives as p', 'p.id', 'po.perspective_id')
    .select(['po.id', 'po.perspective_id', 'po.part', 'p.title'])
    .where('po.workshop_id', '=', workshopId)
    .orderBy('po.position')
    .execute();

export const planItems = (db: Queryable, planId: string) =>
  db
    .selectFrom('items as i')
    .innerJoin('perspectives as p', 'p.id', 'i.perspective_id')
    .select(['i.id', 'i.perspective_id', 'i.kind', 'i.position', 'i.text', 'i.archived_at'])
    .where('p.plan_id', '=', planId)
    .execute();

/** The workshop's lapper (not Notater, not withdrawn, not merged copies) with their written or participant name. */
export const workshopNotes = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('notes as n')
    .leftJoin('participants as pa', 'pa.id', 'n.author_participant_id')
    .select(['n.id', 'n.text', 'n.poster_id', 'n.group_id', 'n.placed', 'n.author_name', 'n.author_participant_id', 'pa.name as participant_name'])
    .where('n.workshop_id', '=', workshopId)
    .where('n.kind', '!=', 'facilitator_note')
    .where('n.withdrawn_at', 'is', null)
    .where('n.duplicate_of', 'is', null)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();

export const noteLinks = (db: Queryable, workshopId: string) =>
  db
    .selectFrom('note_items as ni')
    .innerJoin('notes as n', 'n.id', 'ni.note_id')
    .select(['ni.note_id', 'ni.item_id'])
    .where('n.workshop_id', '=', workshopId)
    .execute();

/** Lapper placed on items of the plan in its other workshops: they teach the suggestions. */
export const otherWorkshopsPlaced = (db: Queryable, planId: string, workshopId: string) =>
  db
    .selectFrom('notes as n')
    .innerJoin('workshops as w', 'w.id', 'n.workshop_id')
    .innerJoin('note_items as ni', 'ni.note_id', 'n.id')
    .select(['n.id', 'n.text', sql<string[]>`array_agg(ni.item_id order by ni.item_id)`.as('item_ids')])
    .where('w.plan_id', '=', planId)
    .where('w.id', '!=', workshopId)
    .where('n.kind', '!=', 'facilitator_note')
    .where('n.withdrawn_at', 'is', null)
    .groupBy(['n.id', 'n.text'])
    .orderBy('n.id')
    .execute();

export const workshopGroups = (db: Queryable, workshopId: string) =>
  db.selectFrom('groups').select(['id', 'name', 'position']).where('workshop_id', '=', workshopId).orderBy('position').execute();

export const workshopParticipants = (db: Queryable, workshopId: string) =>
  db.selectFrom('participants').select(['id', 'name', 'group_id']).where('workshop_id', '=', workshopId).where('anonymised_at', 'is', null).execute();
