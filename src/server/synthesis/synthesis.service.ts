import type { Actor } from '../../domain/actors.js';
import { isPlanner } from '../../domain/permissions.js';
import { byConsensus, numberItems } from '../../domain/items.js';
import { wordDiff } from '../../domain/wordDiff.js';
import type { Queryable } from '../db/database.js';
import { originalTexts } from '../exports/workshopExport.service.js';
import { assertMayReadWorkshop } from '../workshops/readAccess.js';
import { inputSearchSource, synthesisInputs } from '../consultations/synthesisInputs.js';
import type { SearchCache } from './searchCache.js';
import { assessmentOf } from './assessmentRow.js';
import * as q from './synthesis.queries.js';
import { overviewQuerySchema, type Consensus, type Overview, type OverviewItem, type OverviewNote, type OverviewQuery } from '../../contract/synthesis.schema.js';

/** Planners and the workshop's facilitators (read-only) see the synthesis; participants see only their own outcome page. */
async function loadWorkshop(actor: Actor | null, workshopId: string, db: Queryable) {
  await assertMayReadWorkshop(db, actor, workshopId);
  return db.selectFrom('workshops').selectAll().where('id', '=', workshopId).executeTakeFirstOrThrow();
}

/** The plan's items in poster order with their numbers and workshop-time texts. */
async function planItems(db: Queryable, planId: string, openedAt: Date | null) {
  const perspectives = await db.selectFrom('perspectives').select(['id', 'title', 'position']).where('plan_id', '=', planId).where('archived_at', 'is', null).orderBy('position').execute();
  const rows = await db
    .selectFrom('items as i')
    .innerJoin('perspectives as p', 'p.id', 'i.perspective_id')
    .select(['i.id', 'i.perspective_id', 'i.kind', 'i.position', 'i.text', 'i.version', 'i.archived_at', 'i.created_at'])
    .where('p.plan_id', '=', planId)
    .where('p.archived_at', 'is', null)
    .execute();
  const originals = await originalTexts(db, rows.map((r) => r.id), openedAt);
  const items = perspectives.flatMap((perspective) =>
    numberItems(rows.filter((r) => r.perspective_id === perspective.id).map((r) => ({ ...r, archivedAt: r.archived_at }))).map((item) => ({
      ...item,
      perspectiveTitle: perspective.title,
      originalText: originals.get(item.id) ?? item.text,
    })),
  );
  return { perspectives, items };
}

function tallyStars(rows: Awaited<ReturnType<typeof q.starTallies>>) {
  const byItem = new Map<string, { total: number; byGroup: Map<string, number>; byParty: Map<string, number> }>();
  for (const row of rows) {
    const tally = byItem.get(row.item_id) ?? { total: 0, byGroup: new Map(), byParty: new Map() };
    const count = Number(row.count);
    tally.total += count;
    tally.byGroup.set(row.group_id, (tally.byGroup.get(row.group_id) ?? 0) + count);
    if (row.party) tally.byParty.set(row.party, (tally.byParty.get(row.party) ?? 0) + count);
    byItem.set(row.item_id, tally);
  }
  return byItem;
}

const noteFiltersActive = (query: OverviewQuery) =>
  Boolean(query.groupId || query.party || query.kind || query.placed || query.status || query.q || query.themeKey || query.source);

/**
 * [SYN-1] Every input per goal and strategy across groups, filtered, searched and paged by item;
 * [CONS-20] with the plan's published høring inputs beside the lapper, from the chosen source.
 */
export async function overview(actor: Actor | null, workshopId: string, query: OverviewQuery, db: Queryable, search: SearchCache): Promise<Overview> {
  const workshop = await loadWorkshop(actor, workshopId, db);
  const { perspectives, items } = await planItems(db, workshop.plan_id, workshop.opened_at);
  const searching = Boolean(query.q?.trim());
  const [searchIds, inputSearchIds] = await Promise.all([
    searching ? search.search(db, workshopId, query.q!) : null,
    searching && query.source !== 'workshop' ? search.searchSource(inputSearchSource(db, workshop.plan_id), query.q!) : null,
  ]);
  const notes = q.filteredNotes(db, workshopId, query, searchIds);
  const [{ byItem: noteCountsByItem, byBox: boxCounts }, matchingNotes, tallies, progress, facets, inputs] = await Promise.all([
    q.noteCounts(notes),
    q.countMatching(notes),
    q.starTallies(db, workshopId).then(tallyStars),
    assessmentProgress(db, workshopId),
    readFacets(db, workshopId),
    synthesisInputs(db, { planId: workshop.plan_id, workshopId, planner: isPlanner(actor) }, query, inputSearchIds),
  ]);
  const countsByItem = new Map(noteCountsByItem);
  for (const [itemId, count] of inputs.countsByItem) countsByItem.set(itemId, (countsByItem.get(itemId) ?? 0) + count);

  const candidates = items.filter(
    (item) =>
      (!query.itemId || item.id === query.itemId) &&
      (!query.perspectiveId || item.perspective_id === query.perspectiveId) &&
      (!item.archived_at || countsByItem.has(item.id)) &&
      (!noteFiltersActive(query) || (countsByItem.get(item.id) ?? 0) > 0),
  );
  const pageCount = Math.max(1, Math.ceil(candidates.length / query.pageSize));
  const pageItems = candidates.slice((query.page - 1) * query.pageSize, query.page * query.pageSize);
  const textById = new Map(items.map((item) => [item.id, item.text]));

  const boxPerspectives = query.itemId
    ? []
    : perspectives.filter((p) => (!query.perspectiveId || p.id === query.perspectiveId) && (boxCounts.get(p.id) ?? 0) > 0);
  const showGeneralInputs = query.page === 1 && !query.itemId && !query.perspectiveId;
  const [itemNoteIds, boxNoteIds, shownInputs] = await Promise.all([
    q.firstNoteIdsPerItem(db, notes, pageItems.map((i) => i.id), query.notesPerItem),
    query.page === 1 ? q.firstBoxNoteIds(db, notes, boxPerspectives.map((p) => p.id), query.notesPerItem) : Promise.resolve([]),
    inputs.first(pageItems.map((i) => i.id), showGeneralInputs, query.notesPerItem),
  ]);
  const listedIds = [...new Set([...itemNoteIds, ...boxNoteIds])];
  // [REPLY-1] Replies come with the lapper they answer, whatever the filters, to be shown under them.
  const replyIds = (await q.threadReplyIds(db, workshopId, listedIds)).filter((id) => !listedIds.includes(id));
  const shownIds = [...listedIds, ...replyIds];
  const shown = shownIds.length
    ? await q.selectNoteDetails(q.filteredNotes(db, workshopId, overviewQuerySchema.parse({}), shownIds)).orderBy('n.created_at').orderBy('n.id').execute()
    : [];
  const presented = shown.map((row) => presentNote(row, textById));
  const replies = threads(presented, new Set(replyIds));
  const itemNoteSet = new Set(itemNoteIds);
  const boxNoteSet = new Set(boxNoteIds);

  return {
    workshop: { id: workshop.id, title: workshop.title, planId: workshop.plan_id, state: workshop.state, partyInReports: workshop.party_in_reports },
    progress,
    facets: {
      ...facets,
      themes: facets.themes.map((theme) => ({ ...theme, inputCount: inputs.perTheme.get(theme.key) ?? 0 })),
      consultations: inputs.consultations,
    },
    items: pageItems.map((item): OverviewItem => {
      const tally = tallies.get(item.id);
      return {
        id: item.id,
        perspectiveId: item.perspective_id,
        kind: item.kind,
        number: item.kind === 'main_goal' ? null : item.number,
        text: item.text,
        originalText: item.originalText,
        version: item.version,
        changed: item.originalText !== item.text,
        stars: {
          total: tally?.total ?? 0,
          byGroup: [...(tally?.byGroup ?? [])].map(([groupId, count]) => ({ groupId, count })),
          byParty: [...(tally?.byParty ?? [])].map(([party, count]) => ({ party, count })).sort((a, b) => b.count - a.count || a.party.localeCompare(b.party)),
        },
        groupsStarring: tally?.byGroup.size ?? 0,
        partiesStarring: tally?.byParty.size ?? 0,
        noteCount: noteCountsByItem.get(item.id) ?? 0,
        notes: replies(presented.filter((note) => itemNoteSet.has(note.id) && note.itemIds.includes(item.id)).slice(0, query.notesPerItem)),
        inputCount: inputs.countsByItem.get(item.id) ?? 0,
        inputs: shownInputs.filter((input) => input.itemIds.includes(item.id)).slice(0, query.notesPerItem),
      };
    }),
    generalBox: boxPerspectives.map((perspective) => ({
      perspectiveId: perspective.id,
      noteCount: boxCounts.get(perspective.id) ?? 0,
      notes: replies(presented.filter((note) => boxNoteSet.has(note.id) && note.perspectiveId === perspective.id)),
    })),
    generalInputs: showGeneralInputs
      ? { inputCount: inputs.generalCount, inputs: shownInputs.filter((input) => input.itemIds.length === 0) }
      : { inputCount: 0, inputs: [] },
    matchingNotes,
    matchingInputs: inputs.matching,
    page: query.page,
    pageCount,
  };
}

/**
 * Orders a list of lapper as threads: each lapp, then its replies (oldest first, and theirs), the
 * replies taken from the list itself or from `extra` (replies read only to be shown with their lapp).
 */
function threads(presented: OverviewNote[], extra: ReadonlySet<string>) {
  const byParent = new Map<string, OverviewNote[]>();
  for (const note of presented) if (note.replyTo) byParent.set(note.replyTo, [...(byParent.get(note.replyTo) ?? []), note]);
  return (notes: OverviewNote[]) => {
    const listed = new Set(notes.map((note) => note.id));
    const seen = new Set<string>();
    const out: OverviewNote[] = [];
    const add = (note: OverviewNote) => {
      if (seen.has(note.id)) return;
      seen.add(note.id);
      out.push(note);
      for (const reply of byParent.get(note.id) ?? []) if (listed.has(reply.id) || extra.has(reply.id)) add(reply);
    };
    for (const note of notes) if (!note.replyTo || !listed.has(note.replyTo)) add(note);
    notes.forEach(add);
    return out;
  };
}

function presentNote(row: q.NoteDetailRow, textById: Map<string, string>): OverviewNote {
  const itemIds = Array.isArray(row.item_ids) ? row.item_ids : [];
  const itemText = itemIds.length === 1 ? textById.get(itemIds[0]!) : undefined;
  return {
    id: row.id,
    posterId: row.poster_id,
    perspectiveId: row.perspective_id,
    itemIds,
    kind: row.kind,
    text: row.text,
    group: { id: row.group_id, name: row.group_name },
    author: { participantId: row.author_participant_id, name: row.participant_name ?? row.user_name ?? row.author_name, party: row.party },
    agreeCount: Number(row.agree_count ?? 0),
    placed: row.placed,
    // A lapp written live on an item was placed by whoever wrote it.
    placedVia: row.placed_via ?? (itemIds.length > 0 ? (row.author_participant_id ? 'participant' : 'facilitator') : null),
    withdrawn: row.withdrawn_at !== null,
    duplicateOf: row.duplicate_of,
    replyTo: row.reply_to_note_id,
    theme: row.theme_key ? { key: row.theme_key, label: row.theme_label ?? row.theme_key } : null,
    assessment: assessmentOf(row),
    diff: row.kind === 'rewording' && itemText !== undefined ? wordDiff(itemText, row.text) : null,
    createdAt: new Date(row.created_at).toISOString(),
  };
}

/** "312 av 471 vurdert": active, distinct lapper and how many have an assessment. */
export async function assessmentProgress(db: Queryable, workshopId: string) {
  const row = await db
    .selectFrom('notes as n')
    .leftJoin('assessments as a', 'a.note_id', 'n.id')
    .select((eb) => [eb.fn.countAll<number>().as('total'), eb.fn.count<number>('a.note_id').as('assessed')])
    .where('n.workshop_id', '=', workshopId)
    .where('n.withdrawn_at', 'is', null)
    .where('n.duplicate_of', 'is', null)
    .executeTakeFirstOrThrow();
  return { assessed: Number(row.assessed), total: Number(row.total) };
}

async function readFacets(db: Queryable, workshopId: string) {
  const [groups, parties, themes, perspectives] = await Promise.all([
    db.selectFrom('groups').select(['id', 'name']).where('workshop_id', '=', workshopId).orderBy('position').execute(),
    db.selectFrom('participants').select('party').distinct().where('workshop_id', '=', workshopId).where('party', 'is not', null).orderBy('party').execute(),
    db
      .selectFrom('themes as th')
      .leftJoin('note_themes as nt', (join) => join.onRef('nt.workshop_id', '=', 'th.workshop_id').onRef('nt.theme_key', '=', 'th.key'))
      // Merged copies and withdrawn lapper stay in their theme until the next recomputation; do not count them.
      .leftJoin('notes as n', (join) => join.onRef('n.id', '=', 'nt.note_id').on('n.duplicate_of', 'is', null).on('n.withdrawn_at', 'is', null))
      .select(['th.key', 'th.label', 'th.position', (eb) => eb.fn.count<number>('n.id').as('count')])
      .where('th.workshop_id', '=', workshopId)
      .groupBy(['th.key', 'th.label', 'th.position'])
      .orderBy('th.position')
      .execute(),
    db
      .selectFrom('posters as po')
      .innerJoin('perspectives as p', 'p.id', 'po.perspective_id')
      .select(['p.id', 'p.title', 'p.position'])
      .distinct()
      .where('po.workshop_id', '=', workshopId)
      .orderBy('p.position')
      .execute(),
  ]);
  return {
    perspectives: perspectives.map((p) => ({ id: p.id, title: p.title })),
    groups,
    parties: parties.map((p) => p.party!).filter(Boolean),
    themes: themes.map((t) => ({ key: t.key, label: t.label, noteCount: Number(t.count) })),
  };
}

/** [SYN-2] Items ranked by how many groups and how many parties starred them. */
export async function consensus(actor: Actor | null, workshopId: string, db: Queryable): Promise<Consensus> {
  const workshop = await loadWorkshop(actor, workshopId, db);
  const { items } = await planItems(db, workshop.plan_id, workshop.opened_at);
  const tallies = tallyStars(await q.starTallies(db, workshopId));
  return items
    .filter((item) => tallies.has(item.id))
    .map((item) => {
      const tally = tallies.get(item.id)!;
      return {
        itemId: item.id,
        perspectiveTitle: item.perspectiveTitle,
        kind: item.kind,
        number: item.kind === 'main_goal' ? null : item.number,
        text: item.text,
        groupsStarring: tally.byGroup.size,
        partiesStarring: tally.byParty.size,
        stars: tally.total,
      };
    })
    .sort(byConsensus);
}
