import { randomUUID } from 'node:crypto';
import type { Actor, UserActor } from '../../domain/actors.js';
import { DomainError, fail } from '../../domain/errors.js';
import { moveInOrder, numberItems } from '../../domain/items.js';
import { assertPlanner, assertUser } from '../../domain/permissions.js';
import { wordDiff } from '../../domain/wordDiff.js';
import type { Db, Queryable } from '../db/database.js';
import { recordAudit } from '../audit/audit.service.js';
import { publishCommitted, recordPlanChange, type PublishEvents } from '../live/boardChanges.js';
import { readableWorkshopsOfPlan } from '../workshops/readAccess.js';
import * as q from './plans.queries.js';
import type {
  CreateItemBody,
  CreatePerspectiveBody,
  CreatePlanBody,
  EditItemBody,
  Item,
  MoveBody,
  Plan,
  PlanSummary,
  RenamePerspectiveBody,
  Revision,
  RevisionStep,
  UpdatePlanBody,
} from '../../contract/plans.schema.js';

type ItemRow = Awaited<ReturnType<typeof q.listItemsOfPlan>>[number];

export async function listPlans(actor: Actor | null, db: Queryable): Promise<PlanSummary[]> {
  assertUser(actor);
  const rows = await q.listPlanSummaries(db);
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    municipality: row.municipality,
    horizonYear: row.horizon_year,
    updatedAt: row.updated_at.toISOString(),
    perspectiveCount: Number(row.perspective_count ?? 0),
  }));
}

/** The plan with its perspectives and their items, numbered. */
export async function getPlan(actor: Actor | null, planId: string, db: Queryable): Promise<Plan> {
  assertUser(actor);
  return readPlan(db, planId);
}

export async function readPlan(db: Queryable, planId: string): Promise<Plan> {
  const plan = await q.findPlan(db, planId);
  if (!plan) throw fail.notFound('Plan');
  const [perspectives, items] = await Promise.all([q.listPerspectives(db, planId), q.listItemsOfPlan(db, planId)]);
  return {
    id: plan.id,
    title: plan.title,
    municipality: plan.municipality,
    horizonYear: plan.horizon_year,
    version: plan.version,
    createdAt: plan.created_at.toISOString(),
    updatedAt: plan.updated_at.toISOString(),
    perspectives: perspectives.map((perspective) => ({
      id: perspective.id,
      planId: perspective.plan_id,
      position: perspective.position,
      title: perspective.title,
      version: perspective.version,
      items: presentItems(items.filter((item) => item.perspective_id === perspective.id)),
    })),
  };
}

function presentItems(rows: ItemRow[]): Item[] {
  const numbered = numberItems(rows.map((row) => ({ ...row, archivedAt: row.archived_at })));
  return numbered.map((row) => ({
    id: row.id,
    perspectiveId: row.perspective_id,
    kind: row.kind,
    number: row.number,
    position: row.position,
    text: row.text,
    version: row.version,
    archived: row.archived_at !== null,
    hasInput: Boolean(row.has_input),
  }));
}

export async function createPlan(actor: Actor | null, input: CreatePlanBody, db: Db): Promise<Plan> {
  assertPlanner(actor);
  const id = input.id ?? randomUUID();
  const existing = await q.findPlan(db, id);
  if (existing) return readPlan(db, id); // a retried create is stored once
  await db
    .insertInto('plans')
    .values({ id, title: input.title, municipality: input.municipality, horizon_year: input.horizonYear })
    .execute();
  return readPlan(db, id);
}

export async function updatePlan(actor: Actor | null, planId: string, input: UpdatePlanBody, db: Db): Promise<Plan> {
  assertPlanner(actor);
  const updated = await db
    .updateTable('plans')
    .set((eb) => ({
      ...(input.title !== undefined && { title: input.title }),
      ...(input.municipality !== undefined && { municipality: input.municipality }),
      ...(input.horizonYear !== undefined && { horizon_year: input.horizonYear }),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('id', '=', planId)
    .where('version', '=', input.version)
    .returning('id')
    .executeTakeFirst();
  if (!updated) throw await conflictOrMissing(() => readPlan(db, planId));
  return readPlan(db, planId);
}

export async function addPerspective(actor: Actor | null, planId: string, input: CreatePerspectiveBody, db: Db, publish?: PublishEvents): Promise<Plan> {
  assertPlanner(actor);
  const events = await db.transaction().execute(async (tx) => {
    if (!(await q.lockPlan(tx, planId))) throw fail.notFound('Plan');
    const id = input.id ?? randomUUID();
    if (await q.findPerspective(tx, id)) return [];
    const position = (await q.listPerspectives(tx, planId)).length;
    await tx.insertInto('perspectives').values({ id, plan_id: planId, position, title: input.title }).execute();
    const itemId = randomUUID();
    await tx.insertInto('items').values({ id: itemId, perspective_id: id, kind: 'main_goal', position: 0, text: input.mainGoal }).execute();
    await recordRevision(tx, actor, { planId, perspectiveId: id, itemId, action: 'created', after: input.mainGoal });
    await q.touchPlan(tx, planId);
    return recordPlanChange(tx, planId);
  });
  await publishCommitted(publish, events);
  return readPlan(db, planId);
}

export async function renamePerspective(actor: Actor | null, perspectiveId: string, input: RenamePerspectiveBody, db: Db, publish?: PublishEvents): Promise<Plan> {
  assertPlanner(actor);
  const perspective = await q.findPerspective(db, perspectiveId);
  if (!perspective) throw fail.notFound('Perspective');
  const events = await db.transaction().execute(async (tx) => {
    const updated = await tx
      .updateTable('perspectives')
      .set((eb) => ({ title: input.title, version: eb('version', '+', 1) }))
      .where('id', '=', perspectiveId)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (!updated) throw fail.versionConflict({ title: perspective.title, version: perspective.version });
    await recordRevision(tx, actor, {
      planId: perspective.plan_id,
      perspectiveId,
      action: 'edited',
      before: perspective.title,
      after: input.title,
    });
    await q.touchPlan(tx, perspective.plan_id);
    return recordPlanChange(tx, perspective.plan_id);
  });
  await publishCommitted(publish, events);
  return readPlan(db, perspective.plan_id);
}

export async function movePerspective(actor: Actor | null, perspectiveId: string, input: MoveBody, db: Db, publish?: PublishEvents): Promise<Plan> {
  assertPlanner(actor);
  const perspective = await q.findPerspective(db, perspectiveId);
  if (!perspective) throw fail.notFound('Perspective');
  const events = await db.transaction().execute(async (tx) => {
    await q.lockPlan(tx, perspective.plan_id);
    const ids = (await q.listPerspectives(tx, perspective.plan_id)).map((p) => p.id);
    await q.setPerspectivePositions(tx, moveInOrder(ids, perspectiveId, input.position));
    await q.touchPlan(tx, perspective.plan_id);
    return recordPlanChange(tx, perspective.plan_id);
  });
  await publishCommitted(publish, events);
  return readPlan(db, perspective.plan_id);
}

/** Removes a perspective that no workshop uses yet; otherwise archives nothing and answers 409. */
export async function removePerspective(actor: Actor | null, perspectiveId: string, db: Db, publish?: PublishEvents): Promise<Plan> {
  assertPlanner(actor);
  const perspective = await q.findPerspective(db, perspectiveId);
  if (!perspective) throw fail.notFound('Perspective');
  const events = await db.transaction().execute(async (tx) => {
    await q.lockPlan(tx, perspective.plan_id);
    if (await q.perspectiveIsUsed(tx, perspectiveId)) {
      await tx.updateTable('perspectives').set({ archived_at: new Date() }).where('id', '=', perspectiveId).execute();
    } else {
      await tx.deleteFrom('perspectives').where('id', '=', perspectiveId).execute();
    }
    const ids = (await q.listPerspectives(tx, perspective.plan_id)).map((p) => p.id);
    await q.setPerspectivePositions(tx, ids);
    await q.touchPlan(tx, perspective.plan_id);
    return recordPlanChange(tx, perspective.plan_id);
  });
  await publishCommitted(publish, events);
  return readPlan(db, perspective.plan_id);
}

export async function addItem(actor: Actor | null, perspectiveId: string, input: CreateItemBody, db: Db, publish?: PublishEvents): Promise<Plan> {
  assertPlanner(actor);
  const perspective = await q.findPerspective(db, perspectiveId);
  if (!perspective) throw fail.notFound('Perspective');
  const events = await db.transaction().execute(async (tx) => {
    await q.lockPlan(tx, perspective.plan_id);
    const id = input.id ?? randomUUID();
    if (await q.findItem(tx, id)) return [];
    const position = (await q.siblingIds(tx, perspectiveId, input.kind)).length;
    await tx.insertInto('items').values({ id, perspective_id: perspectiveId, kind: input.kind, position, text: input.text }).execute();
    await recordRevision(tx, actor, { planId: perspective.plan_id, perspectiveId, itemId: id, action: 'created', after: input.text });
    await q.touchPlan(tx, perspective.plan_id);
    return recordPlanChange(tx, perspective.plan_id);
  });
  await publishCommitted(publish, events);
  return readPlan(db, perspective.plan_id);
}

/** Changes an item's text; a stale version gets 409 with the current text, never a silent overwrite. */
export async function editItem(actor: Actor | null, itemId: string, input: EditItemBody, db: Db, publish?: PublishEvents): Promise<Plan> {
  assertPlanner(actor);
  const { planId, events } = await db.transaction().execute(async (tx) => {
    const item = await q.findItem(tx, itemId);
    if (!item) throw fail.notFound('Item');
    const updated = await tx
      .updateTable('items')
      .set((eb) => ({ text: input.text, version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', itemId)
      .where('version', '=', input.version)
      .returning('id')
      .executeTakeFirst();
    if (!updated) {
      throw fail.versionConflict({ text: item.text, version: item.version, diff: wordDiff(input.text, item.text) });
    }
    if (item.text !== input.text) {
      const revisionId = await recordRevision(tx, actor, {
        planId: item.plan_id,
        perspectiveId: item.perspective_id,
        itemId,
        action: 'edited',
        before: item.text,
        after: input.text,
      });
      await q.linkRevisionNotes(tx, revisionId, item.perspective_id, input.noteIds ?? []);
      await q.linkRevisionSubmissions(tx, revisionId, item.plan_id, input.submissionIds ?? []);
    }
    await q.touchPlan(tx, item.plan_id);
    return { planId: item.plan_id, events: await recordPlanChange(tx, item.plan_id) };
  });
  await publishCommitted(publish, events);
  return readPlan(db, planId);
}

export async function moveItem(actor: Actor | null, itemId: string, input: MoveBody, db: Db, publish?: PublishEvents): Promise<Plan> {
  assertPlanner(actor);
  const item = await q.findItem(db, itemId);
  if (!item || item.archived_at) throw fail.notFound('Item');
  if (item.kind === 'main_goal') throw fail.invalid('itemId', 'the hovedmål has no order to change');
  const events = await db.transaction().execute(async (tx) => {
    await q.lockPlan(tx, item.plan_id);
    const ids = await q.siblingIds(tx, item.perspective_id, item.kind);
    await q.setItemPositions(tx, moveInOrder(ids, itemId, input.position));
    await q.touchPlan(tx, item.plan_id);
    return recordPlanChange(tx, item.plan_id);
  });
  await publishCommitted(publish, events);
  return readPlan(db, item.plan_id);
}

/** Deletes an item without input. An item with lapper or stars is kept with its input: archive it instead. */
export async function removeItem(actor: Actor | null, itemId: string, db: Db, publish?: PublishEvents): Promise<Plan> {
  assertPlanner(actor);
  const item = await q.findItem(db, itemId);
  if (!item) throw fail.notFound('Item');
  if (item.kind === 'main_goal') throw new DomainError('last_main_goal', 'Every perspective keeps its hovedmål; edit its text instead');
  const events = await db.transaction().execute(async (tx) => {
    await q.lockPlan(tx, item.plan_id);
    if (await q.itemHasInput(tx, itemId)) {
      throw new DomainError('item_has_input', 'This item has input from a workshop; archive it instead of deleting it');
    }
    await tx.deleteFrom('items').where('id', '=', itemId).execute();
    await q.setItemPositions(tx, await q.siblingIds(tx, item.perspective_id, item.kind));
    await q.touchPlan(tx, item.plan_id);
    return recordPlanChange(tx, item.plan_id);
  });
  await publishCommitted(publish, events);
  return readPlan(db, item.plan_id);
}

export async function setItemArchived(actor: Actor | null, itemId: string, archived: boolean, db: Db, publish?: PublishEvents): Promise<Plan> {
  assertPlanner(actor);
  const item = await q.findItem(db, itemId);
  if (!item) throw fail.notFound('Item');
  if (item.kind === 'main_goal') throw new DomainError('last_main_goal', 'Every perspective keeps its hovedmål; edit its text instead');
  if ((item.archived_at !== null) === archived) return readPlan(db, item.plan_id);
  const events = await db.transaction().execute(async (tx) => {
    await q.lockPlan(tx, item.plan_id);
    const position = archived ? item.position : (await q.siblingIds(tx, item.perspective_id, item.kind)).length;
    await tx.updateTable('items').set({ archived_at: archived ? new Date() : null, position }).where('id', '=', itemId).execute();
    await q.setItemPositions(tx, await q.siblingIds(tx, item.perspective_id, item.kind));
    await recordRevision(tx, actor, {
      planId: item.plan_id,
      perspectiveId: item.perspective_id,
      itemId,
      action: archived ? 'archived' : 'restored',
      before: item.text,
      after: item.text,
    });
    await q.touchPlan(tx, item.plan_id);
    return recordPlanChange(tx, item.plan_id);
  });
  await publishCommitted(publish, events);
  return readPlan(db, item.plan_id);
}

export async function listRevisions(
  actor: Actor | null,
  filter: { planId?: string; itemId?: string },
  db: Queryable,
): Promise<Revision[]> {
  assertUser(actor);
  let planId = filter.planId;
  if (filter.itemId) {
    const item = await q.findItem(db, filter.itemId);
    if (!item) throw fail.notFound('Item');
    planId = item.plan_id;
  }
  if (!planId || !(await q.findPlan(db, planId))) throw fail.notFound('Plan');
  // The linked lapper carry participants' words and names: a facilitator reads only their workshops'.
  const workshops = await readableWorkshopsOfPlan(db, actor, planId);
  const rows = await q.listRevisions(db, { planId, itemId: filter.itemId });
  const ids = rows.map((row) => row.id);
  const [linked, steps] = await Promise.all([q.revisionNotes(db, ids, workshops), q.revisionSteps(db, ids)]);
  return rows.map((row) => ({
    id: row.id,
    itemId: row.item_id,
    perspectiveId: row.perspective_id,
    action: row.action,
    beforeText: row.before_text,
    afterText: row.after_text,
    author: row.author_user_id && row.author_name ? { id: row.author_user_id, name: row.author_name } : null,
    createdAt: row.created_at.toISOString(),
    diff: row.action === 'edited' ? wordDiff(row.before_text ?? '', row.after_text ?? '') : [],
    notes: linked.filter((note) => note.revision_id === row.id).map(({ revision_id: _, ...note }) => note),
    steps: stepsOf(row.id, steps),
  }));
}

/** [CONS-19] One entry per workshop or consultation behind a revision; a consultation lists its inputs' references. */
function stepsOf(revisionId: string, steps: Awaited<ReturnType<typeof q.revisionSteps>>): RevisionStep[] {
  const workshops = steps.workshops
    .filter((w) => w.revision_id === revisionId)
    .map((w): RevisionStep => ({ kind: 'workshop', id: w.id, title: w.title, references: [] }));
  const consultations = new Map<string, RevisionStep>();
  for (const c of steps.consultations.filter((c) => c.revision_id === revisionId)) {
    const step = consultations.get(c.id) ?? { kind: 'consultation', id: c.id, title: c.title, references: [] };
    step.references.push(c.reference);
    consultations.set(c.id, step);
  }
  return [...workshops, ...consultations.values()];
}

/** A revision and its audit entry ([PLAN-3], [AUDIT-1]), in the change's transaction. */
async function recordRevision(
  tx: Queryable,
  author: UserActor,
  change: {
    planId: string;
    perspectiveId?: string;
    itemId?: string;
    action: Revision['action'];
    before?: string;
    after?: string;
  },
): Promise<string> {
  const id = randomUUID();
  await q.insertRevision(tx, {
    id,
    plan_id: change.planId,
    perspective_id: change.perspectiveId ?? null,
    item_id: change.itemId ?? null,
    action: change.action,
    before_text: change.before ?? null,
    after_text: change.after ?? null,
    author_user_id: author.userId,
  });
  await recordAudit(tx, author, {
    action: 'revision.recorded',
    targetType: change.itemId ? 'item' : 'perspective',
    targetId: change.itemId ?? change.perspectiveId,
    detail: { planId: change.planId, revisionId: id, change: change.action },
  });
  return id;
}

async function conflictOrMissing(readCurrent: () => Promise<unknown>): Promise<DomainError> {
  try {
    return fail.versionConflict(await readCurrent());
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
}
