import { fail } from '../../domain/errors.js';
import { byConsensus, numberItems, posterKinds, type ItemKind } from '../../domain/items.js';
import { namedThemeKeys } from '../../domain/text/index.js';
import type { Queryable } from '../db/database.js';
import type { AssessmentStatus } from '../../contract/export.schema.js';
import { originalTexts } from '../exports/workshopExport.service.js';
import { storedCorrections } from '../synthesis/themes.service.js';
import * as q from './reports.queries.js';
import { reportWords, type ReportWords } from './reportTexts.js';
import type { Language } from '../../domain/languages.js';

/**
 * About this many lapper are read per query (whole items at a time, so an item's lapper stay
 * together). Each query has a fixed cost of scanning the workshop's lapper once, so fewer, larger
 * batches are much faster; 10,000 rows is about 10 MB.
 */
export const NOTE_BATCH = 10_000;

export type Tally = Map<AssessmentStatus | 'unassessed', number>;

export interface ReportItem {
  id: string;
  /** Place in the report: perspective, then poster order. */
  order: number;
  perspectiveId: string;
  kind: ItemKind;
  /** "Delmål 2", "Hovedmål". */
  label: string;
  text: string;
  /** The text when the workshop opened. */
  originalText: string;
  changed: boolean;
  archived: boolean;
  noteCount: number;
  tally: Tally;
  stars: ItemStars;
}

export interface ItemStars {
  total: number;
  byGroup: Map<string, number>;
  /** The parties of those who starred it: only for ranking; shown only where the workshop allows party. */
  parties: Set<string>;
}

/** A change to the plan's text and the lapper its author named as the reason ([SYN-6]). */
export interface ReportRevision {
  id: string;
  /** "Delmål 2", with the perspective: "Sosial bærekraft, Delmål 2". */
  label: string;
  action: 'created' | 'edited' | 'archived' | 'restored' | 'moved';
  before: string | null;
  after: string | null;
  createdAt: Date;
  notes: ReportNote[];
}

export interface ReportParticipant {
  name: string;
  committee: string | null;
  /** Null whenever the workshop keeps party out of reports. */
  party: string | null;
}

export interface ReportPerspective {
  id: string;
  title: string;
  /** Items in poster order: the live ones, and archived ones that still carry input. */
  items: ReportItem[];
  box: { noteCount: number; tally: Tally };
}

/** Everything a report needs except the lapper themselves, which are read in batches. */
export interface ReportContext {
  workshop: { id: string; title: string; date: string | Date | null; partyInReports: boolean };
  plan: { title: string; municipality: string; horizonYear: number };
  perspectives: ReportPerspective[];
  groups: Map<string, { id: string; name: string; position: number; facilitator: string | null; participants: ReportParticipant[] }>;
  posters: Array<{ id: string; perspectiveId: string; part: 'goals' | 'strategies'; position: number }>;
  posterById: Map<string, { perspectiveTitle: string; part: 'goals' | 'strategies' }>;
  /** The themes a planner named or confirmed; computed labels never reach a report. */
  themes: Map<string, { label: string; position: number }>;
  items: Map<string, ReportItem>;
  /** `perspectiveId:itemKind` of the items on posters that had stars. */
  starredKinds: Set<string>;
  /** Agreement counts of the lapper anyone agreed with. */
  agreements: Map<string, number>;
  /** [SYN-2] Starred items, most widely starred first. */
  consensus: Array<{ item: ReportItem; kind: ItemKind; perspective: string; groupsStarring: number; partiesStarring: number; stars: number }>;
  revisions: ReportRevision[];
  totals: { notes: number; groups: number; assessed: number; stars: number; byStatus: Tally };
  generatedAt: Date;
  /** The language the report is written in, and its words and formats. */
  words: ReportWords;
}

/** A lapp as every report format shows it; party is null whenever the workshop keeps it out of reports. */
export interface ReportNote {
  id: string;
  perspective: string;
  part: string;
  items: ReportItem[];
  group: string;
  groupPosition: number;
  author: string;
  party: string | null;
  kind: string;
  text: string;
  agreeCount: number;
  theme: string | null;
  themePosition: number;
  status: AssessmentStatus | null;
  statusLabel: string;
  justification: string;
  placed: boolean;
  createdAt: Date;
  /** The lapp this one answers; its replies are in `replies` of that lapp when it is in the report. */
  replyTo: string | null;
  /** [REPLY-1] Replies to this lapp (and theirs, nested), oldest first. */
  replies: ReportNote[];
}

const addTo = <K>(map: Map<K, number>, key: K, n: number) => map.set(key, (map.get(key) ?? 0) + n);

/** Reads what a report of the workshop says before its lapper: the plan, counts, stars and themes. */
/** `language` picks the report's language; absent, the workshop's own. */
export async function loadReport(db: Queryable, workshopId: string, language?: Language): Promise<ReportContext> {
  const workshop = await q.findWorkshop(db, workshopId);
  if (!workshop) throw fail.notFound('Workshop');
  const words = reportWords(language ?? workshop.language);
  const [perspectiveRows, itemRows, groups, posters, themes, tallies, totals, stars, statuses, agreements, participants, corrections, revisionRows] = await Promise.all([
    q.listPerspectives(db, workshop.plan_id),
    q.listItems(db, workshop.plan_id),
    q.listGroups(db, workshopId),
    q.listPosters(db, workshopId),
    q.listThemes(db, workshopId),
    q.noteTallies(db, workshopId),
    q.noteTotals(db, workshopId),
    q.starCounts(db, workshopId),
    q.statusTotals(db, workshopId),
    q.agreementCounts(db, workshopId),
    q.listParticipants(db, workshopId),
    storedCorrections(db, workshopId),
    q.listRevisions(db, workshopId, workshop.plan_id, workshop.opened_at),
  ]);
  const named = namedThemeKeys(corrections);
  const originals = await originalTexts(db, itemRows.map((i) => i.id), workshop.opened_at);

  const noteCount = new Map<string, number>();
  const itemTally = new Map<string, Tally>();
  const boxTally = new Map<string, Tally>();
  const byStatus: Tally = new Map();
  for (const row of tallies) {
    const n = Number(row.count);
    const status = row.status ?? 'unassessed';
    const key = row.item_id ?? row.perspective_id;
    const target = row.item_id ? itemTally : boxTally;
    const tally = target.get(key) ?? new Map();
    addTo(tally, status, n);
    target.set(key, tally);
    if (row.item_id) addTo(noteCount, row.item_id, n);
  }
  const starsByItem = new Map<string, ItemStars>();
  let starTotal = 0;
  for (const row of stars) {
    const n = Number(row.count);
    const entry = starsByItem.get(row.item_id) ?? { total: 0, byGroup: new Map<string, number>(), parties: new Set<string>() };
    entry.total += n;
    addTo(entry.byGroup, row.group_id, n);
    if (row.party) entry.parties.add(row.party);
    starsByItem.set(row.item_id, entry);
    starTotal += n;
  }

  const items = new Map<string, ReportItem>();
  const perspectives = perspectiveRows.map((perspective): ReportPerspective => {
    const numbered = numberItems(itemRows.filter((i) => i.perspective_id === perspective.id).map((i) => ({ ...i, archivedAt: i.archived_at })));
    const shown = numbered
      .filter((item) => !item.archived_at || noteCount.has(item.id) || starsByItem.has(item.id))
      .map((item): ReportItem => {
        const originalText = originals.get(item.id) ?? item.text;
        const reportItem: ReportItem = {
          id: item.id,
          order: items.size,
          perspectiveId: perspective.id,
          kind: item.kind,
          label: words.itemLabel(item.kind, item.number, item.archived_at !== null),
          text: item.text,
          originalText,
          changed: originalText !== item.text,
          archived: item.archived_at !== null,
          noteCount: noteCount.get(item.id) ?? 0,
          tally: itemTally.get(item.id) ?? new Map(),
          stars: starsByItem.get(item.id) ?? { total: 0, byGroup: new Map(), parties: new Set() },
        };
        items.set(item.id, reportItem);
        return reportItem;
      });
    const tally = boxTally.get(perspective.id) ?? new Map();
    return { id: perspective.id, title: perspective.title, items: shown, box: { tally, noteCount: [...tally.values()].reduce((a, b) => a + b, 0) } };
  });

  // Overall tally of distinct lapper: each lapp once, whatever number of items it is on.
  for (const row of statuses) byStatus.set(row.status ?? 'unassessed', Number(row.count));

  const partyInReports = workshop.party_in_reports;
  const groupMap = new Map(
    groups.map((g) => [
      g.id,
      {
        id: g.id,
        name: g.name,
        position: g.position,
        facilitator: g.facilitator,
        participants: participants
          .filter((p) => p.group_id === g.id)
          .map((p) => ({ name: p.name, committee: p.committee, party: partyInReports ? p.party : null })),
      },
    ]),
  );
  const perspectiveTitle = new Map(perspectives.map((p) => [p.id, p.title]));
  const consensus = [...items.values()]
    .filter((item) => item.stars.total > 0)
    .map((item) => ({
      item,
      kind: item.kind,
      perspective: perspectiveTitle.get(item.perspectiveId) ?? '',
      groupsStarring: item.stars.byGroup.size,
      partiesStarring: item.stars.parties.size,
      stars: item.stars.total,
    }))
    .sort(byConsensus);

  // Labels of every item, archived or not, for revisions of items no longer on the posters.
  const labelOf = new Map(
    perspectiveRows.flatMap((perspective) =>
      numberItems(itemRows.filter((i) => i.perspective_id === perspective.id).map((i) => ({ ...i, archivedAt: i.archived_at }))).map((item) => [
        item.id,
        `${perspective.title}, ${words.itemLabel(item.kind, item.number, item.archived_at !== null)}`,
      ]),
    ),
  );

  const context: ReportContext = {
    workshop: { id: workshop.id, title: workshop.title, date: workshop.date, partyInReports },
    plan: { title: workshop.plan_title, municipality: workshop.municipality, horizonYear: workshop.horizon_year },
    perspectives,
    groups: groupMap,
    posters: posters.map((p) => ({ id: p.id, perspectiveId: p.perspective_id, part: p.part, position: p.position })),
    posterById: new Map(
      posters.map((p) => [p.id, { part: p.part, perspectiveTitle: perspectives.find((x) => x.id === p.perspective_id)?.title ?? '' }]),
    ),
    themes: new Map(themes.filter((t) => named.has(t.key)).map((t) => [t.key, { label: t.label, position: t.position }])),
    items,
    agreements: new Map(agreements.map((row) => [row.note_id, Number(row.count)])),
    starredKinds: new Set(
      posters.filter((p) => p.stars_enabled).flatMap((p) => posterKinds[p.part].map((kind) => `${p.perspective_id}:${kind}`)),
    ),
    consensus,
    revisions: [],
    totals: { notes: Number(totals.notes), groups: Number(totals.groups), assessed: Number(totals.assessed), stars: starTotal, byStatus },
    generatedAt: new Date(),
    words,
  };

  const linked = await q.revisionNoteIds(db, workshopId, revisionRows.map((r) => r.id));
  const behind = linked.length ? await q.notesById(db, workshopId, [...new Set(linked.map((l) => l.note_id))]) : [];
  const noteById = new Map(behind.map((row) => [row.id, present(context, row, [])]));
  context.revisions = revisionRows
    .filter((r) => r.item_id && labelOf.has(r.item_id))
    .map((r) => ({
      id: r.id,
      label: labelOf.get(r.item_id!)!,
      action: r.action,
      before: r.before_text,
      after: r.after_text,
      createdAt: new Date(r.created_at),
      notes: linked
        .filter((l) => l.revision_id === r.id)
        .map((l) => noteById.get(l.note_id))
        .filter((n): n is ReportNote => n !== undefined)
        .sort((a, b) => a.groupPosition - b.groupPosition || a.createdAt.getTime() - b.createdAt.getTime()),
    }));
  return context;
}

/** Turns a stored row into what reports show. */
function present(report: ReportContext, row: q.ReportNoteRow, itemIds: string[]): ReportNote {
  const poster = report.posterById.get(row.poster_id);
  const group = report.groups.get(row.group_id);
  const theme = row.theme_key ? report.themes.get(row.theme_key) : undefined;
  const items = itemIds
    .map((id) => report.items.get(id))
    .filter((item): item is ReportItem => item !== undefined)
    .sort((a, b) => a.order - b.order);
  return {
    id: row.id,
    perspective: poster?.perspectiveTitle ?? '',
    part: poster ? report.words.part(poster.part) : '',
    items,
    group: group?.name ?? '',
    groupPosition: group?.position ?? Number.MAX_SAFE_INTEGER,
    author: row.author ?? report.words.t('syn.unknownAuthor'),
    // GDPR art. 9: with party_in_reports off, party never leaves this function.
    party: report.workshop.partyInReports ? row.party : null,
    kind: report.words.kind(row.kind),
    text: row.text,
    agreeCount: report.agreements.get(row.id) ?? 0,
    theme: theme?.label ?? null,
    themePosition: theme?.position ?? Number.MAX_SAFE_INTEGER,
    status: row.status,
    statusLabel: report.words.status(row.status),
    justification: row.justification ?? '',
    placed: row.placed,
    createdAt: new Date(row.created_at),
    replyTo: row.reply_to_note_id,
    replies: [],
  };
}

/**
 * [REPLY-1] Reads the replies to `notes` (and to those replies, level by level) and nests each
 * under the lapp it answers, oldest first, placed where that lapp is.
 */
async function attachReplies(db: Queryable, report: ReportContext, notes: ReportNote[]): Promise<void> {
  let parents = new Map(notes.map((note) => [note.id, note]));
  while (parents.size > 0) {
    const next = new Map<string, ReportNote>();
    for (let i = 0, ids = [...parents.keys()]; i < ids.length; i += NOTE_BATCH) {
      for (const row of await q.repliesTo(db, report.workshop.id, ids.slice(i, i + NOTE_BATCH))) {
        const parent = parents.get(row.reply_to_note_id!)!;
        const reply = { ...present(report, row, []), items: parent.items };
        parent.replies.push(reply);
        next.set(reply.id, reply);
      }
    }
    parents = next;
  }
}

/** Theme (in theme order, "Uten tema" last), then group, then when it was written. */
export const byThemeGroupTime = (a: ReportNote, b: ReportNote) =>
  a.themePosition - b.themePosition ||
  a.groupPosition - b.groupPosition ||
  a.createdAt.getTime() - b.createdAt.getTime() ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export type Section =
  | { type: 'perspective'; perspective: ReportPerspective }
  | { type: 'item'; perspective: ReportPerspective; item: ReportItem; notes: ReportNote[] }
  | { type: 'generalBox'; perspective: ReportPerspective; notes: ReportNote[] };

/**
 * The report in reading order: each perspective, its items with their lapper, then its general
 * box. Lapper are read a batch of whole items at a time (about NOTE_BATCH lapper) and let go once
 * yielded, so memory stays bounded by a batch, not by the workshop.
 */
export async function* sections(db: Queryable, report: ReportContext): AsyncGenerator<Section> {
  for (const perspective of report.perspectives) {
    yield { type: 'perspective', perspective };
    for (const batch of itemBatches(perspective.items)) {
      const withNotes = batch.filter((item) => item.noteCount > 0).map((item) => item.id);
      const rows = withNotes.length ? await q.notesOnItems(db, report.workshop.id, withNotes) : [];
      const byItem = new Map<string, ReportNote[]>();
      for (const row of rows) {
        const list = byItem.get(row.item_id) ?? [];
        list.push(present(report, row, [row.item_id]));
        byItem.set(row.item_id, list);
      }
      await attachReplies(db, report, [...byItem.values()].flat());
      for (const item of batch) yield { type: 'item', perspective, item, notes: (byItem.get(item.id) ?? []).sort(byThemeGroupTime) };
    }
    const box = perspective.box.noteCount ? (await q.generalBoxNotes(db, report.workshop.id, perspective.id)).map((row) => present(report, row, [])) : [];
    await attachReplies(db, report, box);
    yield { type: 'generalBox', perspective, notes: box.sort(byThemeGroupTime) };
  }
}

function* itemBatches(items: ReportItem[]): Generator<ReportItem[]> {
  let batch: ReportItem[] = [];
  let size = 0;
  for (const item of items) {
    if (batch.length && size + item.noteCount > NOTE_BATCH) {
      yield batch;
      batch = [];
      size = 0;
    }
    batch.push(item);
    size += item.noteCount;
  }
  if (batch.length) yield batch;
}

/**
 * Every lapp once, poster by poster in the order written: pages of NOTE_BATCH read by keyset
 * (creation time, id), for the spreadsheet and CSV.
 */
export async function* notePages(db: Queryable, report: ReportContext): AsyncGenerator<ReportNote[]> {
  const shownPerspectives = new Set(report.perspectives.map((p) => p.id));
  for (const poster of report.posters) {
    if (!shownPerspectives.has(poster.perspectiveId)) continue;
    let cursor: q.NoteCursor | null = null;
    for (;;) {
      const rows = await q.posterNotePage(db, report.workshop.id, poster.id, cursor, NOTE_BATCH);
      if (rows.length === 0) break;
      // Rows come ordered by lapp, one per item it is on: gather each lapp's items.
      const notes: ReportNote[] = [];
      for (let i = 0; i < rows.length; ) {
        const row = rows[i]!;
        const itemIds: string[] = [];
        for (; i < rows.length && rows[i]!.id === row.id; i++) if (rows[i]!.item_id) itemIds.push(rows[i]!.item_id!);
        notes.push(present(report, row, itemIds));
      }
      await attachReplies(db, report, notes);
      yield notes;
      if (notes.length < NOTE_BATCH) break;
      const last = rows[rows.length - 1]!;
      cursor = { createdAt: last.cursor, id: last.id };
    }
  }
}

/** [REPLY-1] Lapper with their replies right after them, depth-first: depth 0 for a lapp, 1 for a reply, … */
export function* threaded(notes: ReportNote[], depth = 0): Generator<{ note: ReportNote; depth: number }> {
  for (const note of notes) {
    yield { note, depth };
    yield* threaded(note.replies, depth + 1);
  }
}
