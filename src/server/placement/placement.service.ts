import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/actors.js';
import { DomainError, fail, type ErrorCode } from '../../domain/errors.js';
import { numberItems, posterKinds } from '../../domain/items.js';
import { assertPlanner } from '../../domain/permissions.js';
import { suggestAuthors, suggestGroups } from '../../domain/placement/identities.js';
import { suggestPlacements, type CandidateItem } from '../../domain/placement/suggestions.js';
import type { Db, Queryable } from '../db/database.js';
import { executeCommand } from '../live/commands.service.js';
import { BULK_ACCEPT_MAX, bulkAcceptBudget } from '../limits.js';
import * as q from './placement.queries.js';
import type { AcceptedRow, AcceptPlacementsBody, AcceptPlacementsResult, IdentitySuggestions, PlacementSuggestions } from '../../contract/placement.schema.js';

/** Planners only (401/403); an unknown workshop is 404. */
async function plannerWorkshop(actor: Actor | null, workshopId: string, db: Queryable) {
  assertPlanner(actor);
  const workshop = await q.findWorkshop(db, workshopId);
  if (!workshop) throw fail.notFound('Workshop');
  return workshop;
}

async function loadBoard(db: Queryable, workshopId: string, planId: string) {
  const [posters, items, notes, links] = await Promise.all([
    q.workshopPosters(db, workshopId),
    q.planItems(db, planId),
    q.workshopNotes(db, workshopId),
    q.noteLinks(db, workshopId),
  ]);
  const numbered = [...new Set(items.map((i) => i.perspective_id))].flatMap((perspectiveId) =>
    numberItems(items.filter((i) => i.perspective_id === perspectiveId).map((i) => ({ ...i, archivedAt: i.archived_at }))),
  );
  const posterItems = new Map<string, CandidateItem[]>();
  for (const poster of posters) {
    const kinds: readonly string[] = posterKinds[poster.part];
    posterItems.set(
      poster.id,
      numbered
        .filter((i) => i.perspective_id === poster.perspective_id && i.number !== null && kinds.includes(i.kind))
        .map((i) => ({ id: i.id, kind: i.kind, number: i.number!, text: i.text })),
    );
  }
  const itemsOf = new Map<string, string[]>();
  for (const link of links) itemsOf.set(link.note_id, [...(itemsOf.get(link.note_id) ?? []), link.item_id]);
  return { posters, posterItems, notes, itemsOf };
}

/**
 * [PLACE-1] Suggestions for every unplaced lapp of a workshop: its poster's items ranked, with the
 * words that matched; lapper placed in this and the plan's other workshops teach the ranking.
 */
export async function placementSuggestions(actor: Actor | null, workshopId: string, db: Queryable): Promise<PlacementSuggestions> {
  assertPlanner(actor);
  return suggestionsFor(workshopId, db);
}

/** The same for the operator's CLI, which runs without an actor. */
export async function suggestionsFor(workshopId: string, db: Queryable): Promise<PlacementSuggestions> {
  const workshop = await q.findWorkshop(db, workshopId);
  if (!workshop) throw fail.notFound('Workshop');
  const { posterItems, notes, itemsOf } = await loadBoard(db, workshopId, workshop.plan_id);
  const examples = await q.otherWorkshopsPlaced(db, workshop.plan_id, workshopId);
  const suggestions = suggestPlacements({
    posterItems,
    notes: notes.map((n) => ({
      id: n.id,
      text: n.text,
      posterId: n.poster_id,
      groupId: n.group_id,
      authorName: n.participant_name ?? n.author_name,
      placed: n.placed,
      itemIds: itemsOf.get(n.id) ?? [],
    })),
    examples: examples.map((e) => ({ text: e.text, itemIds: e.item_ids })),
  });
  return { suggestions };
}

/** Who the CLI acts as when it accepts suggestions: a planner, so placements read "placed by the planner". */
const OPERATOR: Actor = { kind: 'user', userId: '00000000-0000-4000-8000-000000000000', role: 'planner', name: 'innspill place accept' };

/**
 * Places each row as a normal `note.move` from a suggestion through the one write path (its event,
 * its provenance, its audit entry), all against one bulk budget ([PLACE-12]) instead of the actor's
 * write limit. Every row is answered: a lapp someone placed meanwhile is `alreadyPlaced` with the
 * placement that won ([PLACE-6]), any other refusal is `refused` with its reason ([PLACE-13]).
 * The commands are submitted together, so the group commit carries them in few transactions.
 */
async function acceptRows(db: Db, actor: Actor, workshopId: string, rows: readonly { noteId: string; itemIds: string[] }[]): Promise<AcceptPlacementsResult> {
  const limiter = bulkAcceptBudget(rows.length);
  const answered = await Promise.all(
    rows.map(async ({ noteId, itemIds }): Promise<AcceptedRow> => {
      const command = { type: 'note.move' as const, noteId, itemIds, fromSuggestion: true, ifUnplaced: true };
      try {
        await executeCommand(db, limiter, actor, workshopId, randomUUID(), command);
        return { noteId, outcome: 'placed', itemIds };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.code === 'version_conflict') {
          const current = error.details.current as { itemIds?: string[] } | undefined;
          return { noteId, outcome: 'alreadyPlaced', itemIds: current?.itemIds ?? [] };
        }
        return { noteId, outcome: 'refused', itemIds: [], code: error.code, reason: error.message };
      }
    }),
  );
  const count = (outcome: AcceptedRow['outcome']) => answered.filter((row) => row.outcome === outcome).length;
  return { placed: count('placed'), alreadyPlaced: count('alreadyPlaced'), refused: count('refused'), rows: answered };
}

/**
 * Accepts every suggestion at least as sure as `minConfidence` (the CLI). One call places at most
 * BULK_ACCEPT_MAX lapper ([PLACE-12]); `left` says how many wait for the next call.
 */
export async function acceptSuggestions(workshopId: string, minConfidence: 'high' | 'ambiguous', db: Db): Promise<{ accepted: number; skipped: number; left: number }> {
  const { suggestions } = await suggestionsFor(workshopId, db);
  const wanted = suggestions.filter((s) => s.accept.length > 0 && (s.confidence === 'high' || (minConfidence === 'ambiguous' && s.confidence === 'ambiguous')));
  const batch = wanted.slice(0, BULK_ACCEPT_MAX);
  const result = await acceptRows(db, OPERATOR, workshopId, batch.map((s) => ({ noteId: s.noteId, itemIds: s.accept })));
  const refused = result.rows.find((row) => row.outcome === 'refused');
  if (refused) throw new DomainError((refused.code ?? 'internal') as ErrorCode, `${refused.noteId}: ${refused.reason ?? ''}`);
  return { accepted: result.placed, skipped: result.alreadyPlaced, left: wanted.length - batch.length };
}

/**
 * [PLACE-13] A planner's "accept all" on the placement page: the rows they reviewed, in one
 * request. Every row is checked before anything is written (a lapp of another workshop or an item
 * not on the lapp's poster is 400 naming the row's field), then placed as the CLI places.
 */
export async function acceptReviewed(actor: Actor | null, workshopId: string, body: AcceptPlacementsBody, db: Db): Promise<AcceptPlacementsResult> {
  const workshop = await plannerWorkshop(actor, workshopId, db);
  const { posterItems, notes } = await loadBoard(db, workshopId, workshop.plan_id);
  const posterOf = new Map(notes.map((n) => [n.id, n.poster_id]));
  body.rows.forEach((row, index) => {
    const posterId = posterOf.get(row.noteId);
    if (posterId === undefined) throw fail.invalid(`rows.${index}.noteId`, 'no lapp of this workshop has this id');
    const onPoster = new Set((posterItems.get(posterId) ?? []).map((item) => item.id));
    const foreign = row.itemIds.find((itemId) => !onPoster.has(itemId));
    if (foreign) throw fail.invalid(`rows.${index}.itemIds`, `item ${foreign} is not on the lapp’s poster`);
  });
  return acceptRows(db, actor!, workshopId, body.rows);
}

/** [PLACE-7] Authors named beside lapper and the groups unlabelled posters probably were. */
export async function identitySuggestions(actor: Actor | null, workshopId: string, db: Queryable): Promise<IdentitySuggestions> {
  const workshop = await plannerWorkshop(actor, workshopId, db);
  const { posters, notes } = await loadBoard(db, workshopId, workshop.plan_id);
  const [groups, participants] = await Promise.all([q.workshopGroups(db, workshopId), q.workshopParticipants(db, workshopId)]);
  const hasRoster = new Set(participants.map((p) => p.group_id));
  const input = {
    // An import names the group of a poster without a label "Uten gruppe (…)" and gives it nobody.
    groups: groups.map((g) => ({ id: g.id, name: g.name, labelled: hasRoster.has(g.id) })),
    participants: participants.map((p) => ({ id: p.id, name: p.name, groupId: p.group_id })),
    posters: posters.map((p) => ({ id: p.id, perspectiveId: p.perspective_id, part: p.part, label: `${p.part === 'goals' ? 'Del 1' : 'Del 2'} ${p.title}` })),
    notes: notes.map((n) => ({ id: n.id, text: n.text, posterId: n.poster_id, groupId: n.group_id, writtenName: n.author_name, participantId: n.author_participant_id })),
  };
  const names = new Map(groups.map((g) => [g.id, g.name]));
  return {
    authors: suggestAuthors(input),
    groups: suggestGroups(input).map((s) => ({ ...s, groupName: names.get(s.groupId) ?? '', intoGroupName: names.get(s.intoGroupId) ?? '' })),
  };
}
