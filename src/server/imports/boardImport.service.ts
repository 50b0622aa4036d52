import { createHash, randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/actors.js';
import { BoardImportError, parseBoardText, type ParsedBoard, type ParsedGroup, type ParsedNote } from '../../domain/boardImport/boardImport.js';
import { DomainError, fail } from '../../domain/errors.js';
import { isOnPoster } from '../../domain/items.js';
import { assertPlanner } from '../../domain/permissions.js';
import { defaultPosterTexts } from '../../domain/workshops.js';
import type { Db, Queryable, Tx } from '../db/database.js';
import { newJoinCode, newViewerToken } from '../workshops/workshops.service.js';
import { deletePlanIfUnused } from '../plans/plans.queries.js';
import { publishCommitted, recordBoardChange, type PublishEvents } from '../live/boardChanges.js';
import { importReportSchema, type BoardImportBody, type ImportReport, type ImportResult } from '../../contract/imports.schema.js';


export interface BoardImportOptions extends Omit<BoardImportBody, 'replace'> {
  replace?: boolean;
  /** The shipped demo: marked so the UI can offer its tour. */
  demo?: boolean;
}

/** [IMPORT-1] Planners import a whiteboard's text export; the CLI passes no actor (it runs as the operator). */
export async function importBoardTextAs(actor: Actor | null, options: BoardImportOptions, db: Db, publish?: PublishEvents): Promise<ImportResult> {
  assertPlanner(actor);
  return importBoardText(options, db, publish);
}

/** What the import of a whiteboard export found, kept with the workshop; planners only. */
export async function importReportOf(actor: Actor | null, workshopId: string, db: Queryable): Promise<ImportReport> {
  assertPlanner(actor);
  const row = await db.selectFrom('workshop_imports').select('report').where('workshop_id', '=', workshopId).executeTakeFirst();
  if (!row) throw fail.notFound('Import report');
  return importReportSchema.parse(typeof row.report === 'string' ? JSON.parse(row.report) : row.report);
}

/**
 * Rebuilds plan, workshop, groups, participants and every lapp from the text in one transaction:
 * a file that is not an export, or any failure, writes nothing. The same file twice is refused
 * (or, with `replace`, replaces the earlier import in place: [LIVE-26] the same workshop id, whose
 * devices get the new board through the event log, appended in the same transaction).
 */
export async function importBoardText(options: BoardImportOptions, db: Db, publish?: PublishEvents): Promise<ImportResult> {
  const board = parse(options.text);
  const sha256 = createHash('sha256').update(options.text).digest('hex');
  const { result, events } = await db.transaction().execute(async (tx) => {
    const earlier = await lockImported(tx, sha256);
    if (earlier && !options.replace) throw alreadyImported(earlier.workshopId);
    if (!earlier) return { result: await writeBoard(tx, board, options, sha256, null), events: [] };
    await emptyImported(tx, earlier.workshopId);
    const written = await writeBoard(tx, board, options, sha256, earlier.workshopId);
    // The earlier plan goes only when nothing else is on it.
    await deletePlanIfUnused(tx, earlier.planId);
    // [LIVE-14][LIVE-15] Devices of the workshop get the new board; those of people no longer on it are closed.
    return { result: written, events: await recordBoardChange(tx, earlier.workshopId, 'import') };
  });
  await publishCommitted(publish, events);
  return result;
}

const alreadyImported = (workshopId: string) =>
  new DomainError('already_imported', 'This file has already been imported', { current: { workshopId } });

/**
 * The workshop an earlier import of this file made, locked for this transaction. Replaces of one
 * file take turns on the workshop row, locked first as the workshop's setup writes do, then its
 * import row, which a replace keeps (deleting it gave the one waiting a vanished row: a 500). Read
 * again once locked: a workshop deleted meanwhile took its import row along, and this is a first import.
 */
async function lockImported(tx: Tx, sha256: string): Promise<{ workshopId: string; planId: string } | null> {
  const seen = await tx.selectFrom('workshop_imports').select('workshop_id').where('source_sha256', '=', sha256).executeTakeFirst();
  if (!seen) return null;
  const workshop = await tx.selectFrom('workshops').select('plan_id').where('id', '=', seen.workshop_id).forUpdate().executeTakeFirst();
  const still = await tx.selectFrom('workshop_imports').select('workshop_id').where('source_sha256', '=', sha256).forUpdate().executeTakeFirst();
  if (!workshop || still?.workshop_id !== seen.workshop_id) return lockImported(tx, sha256);
  return { workshopId: seen.workshop_id, planId: workshop.plan_id };
}

function parse(text: string): ParsedBoard {
  try {
    return parseBoardText(text);
  } catch (error) {
    if (error instanceof BoardImportError) throw new DomainError('not_an_export', error.message);
    throw error;
  }
}

/**
 * Empties an imported workshop, locked by `lockImported`, for its replacement, keeping the row (its
 * id, join code, plenary link and event log, so open devices follow the replacement) and its import
 * row (rewritten by `writeBoard`): posters and groups go, and with them every lapp, star, agreement
 * and participant; the synthesis of the old lapper goes too.
 */
async function emptyImported(tx: Tx, workshopId: string): Promise<void> {
  await tx.deleteFrom('themes').where('workshop_id', '=', workshopId).execute();
  await tx.deleteFrom('theme_corrections').where('workshop_id', '=', workshopId).execute();
  await tx.deleteFrom('notes').where('workshop_id', '=', workshopId).execute();
  await tx.deleteFrom('stars').where('workshop_id', '=', workshopId).execute();
  await tx.deleteFrom('groups').where('workshop_id', '=', workshopId).execute();
  await tx.deleteFrom('posters').where('workshop_id', '=', workshopId).execute();
}

async function writeBoard(tx: Tx, board: ParsedBoard, options: BoardImportOptions, sha256: string, replacing: string | null): Promise<ImportResult> {
  const planId = randomUUID();
  const municipality = options.municipality ?? guessMunicipality(board) ?? 'Ukjent kommune';
  const horizonYear = options.horizonYear ?? new Date().getFullYear() + 14;
  await tx.insertInto('plans').values({ id: planId, title: options.planTitle ?? `Kommuneplanens samfunnsdel ${horizonYear}`, municipality, horizon_year: horizonYear }).execute();

  // Perspectives and their items; itemIds[perspective][kind][position].
  const itemIds: Array<Record<string, string[]>> = [];
  for (const [index, perspective] of board.perspectives.entries()) {
    const perspectiveId = randomUUID();
    await tx.insertInto('perspectives').values({ id: perspectiveId, plan_id: planId, position: index, title: perspective.title }).execute();
    const ids: Record<string, string[]> = { main_goal: [randomUUID()], sub_goal: [], strategy: [], land_use_strategy: [] };
    const rows = [
      { id: ids.main_goal![0]!, perspective_id: perspectiveId, kind: 'main_goal' as const, position: 0, text: perspective.mainGoal },
      ...perspective.items.map((item) => {
        const id = randomUUID();
        ids[item.kind]!.push(id);
        return { id, perspective_id: perspectiveId, kind: item.kind, position: item.position, text: item.text };
      }),
    ];
    await tx.insertInto('items').values(rows).execute();
    await tx
      .insertInto('revisions')
      .values(rows.map((row) => ({ id: randomUUID(), plan_id: planId, perspective_id: perspectiveId, item_id: row.id, action: 'created' as const, after_text: row.text, author_user_id: null })))
      .execute();
    itemIds.push(ids);
  }

  const workshopId = replacing ?? randomUUID();
  const now = new Date();
  const row = {
    plan_id: planId,
    title: options.title ?? `Importert verksted (${options.fileName ?? now.toISOString().slice(0, 10)})`,
    state: 'closed' as const,
    opened_at: now,
    is_demo: options.demo ?? false,
  };
  if (replacing) await tx.updateTable('workshops').set((eb) => ({ ...row, version: eb('version', '+', 1) })).where('id', '=', replacing).execute();
  else await tx.insertInto('workshops').values({ id: workshopId, ...row, join_code: newJoinCode(), viewer_token: newViewerToken() }).execute();

  // One poster per perspective and part, shared by the groups, as in the live model.
  const posterIds = new Map<string, string>();
  for (const poster of board.posters) {
    const key = `${poster.perspectiveIndex}:${poster.part}`;
    if (posterIds.has(key)) continue;
    const id = randomUUID();
    posterIds.set(key, id);
    const perspectiveId = (await tx.selectFrom('perspectives').select('id').where('plan_id', '=', planId).where('position', '=', poster.perspectiveIndex).executeTakeFirstOrThrow()).id;
    await tx
      .insertInto('posters')
      .values({
        id,
        workshop_id: workshopId,
        perspective_id: perspectiveId,
        part: poster.part,
        position: posterIds.size - 1,
        instructions: poster.instructions || defaultPosterTexts[poster.part].instructions,
        box_prompt: poster.boxPrompts.join('\n') || defaultPosterTexts[poster.part].boxPrompt,
        stars_enabled: poster.part === 'strategies',
      })
      .execute();
  }

  const groups = await writeGroups(tx, workshopId, board.groups);
  let placed = 0;
  let unplaced = 0;
  let facilitatorNotes = 0;
  const notes: Array<Omit<ImportedNote, 'workshopId' | 'createdAt'>> = [];
  for (const poster of board.posters) {
    const posterId = posterIds.get(`${poster.perspectiveIndex}:${poster.part}`)!;
    const group = groups[poster.groupIndex]!;
    for (const note of poster.notes) {
      const linked = placesOf(note, itemIds[poster.perspectiveIndex]!, poster.part);
      if (linked.length > 0) placed += 1;
      else unplaced += 1;
      notes.push({ posterId, groupId: group.id, itemIds: linked, kind: note.kind, text: note.text, ...author(note.author, group.participants), placed: linked.length > 0, facilitator: false });
    }
    for (const text of poster.facilitatorNotes) {
      facilitatorNotes += 1;
      notes.push({ posterId, groupId: group.id, itemIds: [], kind: 'facilitator_note', text, participantId: null, authorName: 'Fasilitator', placed: true, facilitator: true });
    }
  }
  await insertNotes(tx, notes.map((note) => ({ ...note, workshopId, createdAt: now })));

  const report: ImportReport = {
    source: { fileName: options.fileName ?? null, sha256 },
    perspectives: board.perspectives.map((p) => ({
      title: p.title,
      subGoals: p.items.filter((i) => i.kind === 'sub_goal').length,
      strategies: p.items.filter((i) => i.kind === 'strategy').length,
      landUseStrategies: p.items.filter((i) => i.kind === 'land_use_strategy').length,
    })),
    posters: board.posters.length,
    groups: board.groups.map((g) => ({ name: g.name, participants: g.participants.length, labelled: g.label !== null })),
    participants: board.groups.reduce((sum, g) => sum + g.participants.length, 0),
    notesPlaced: placed,
    notesUnplaced: unplaced,
    facilitatorNotes,
    detachedStarDigits: board.stats.detachedStarDigits,
    warnings: board.warnings,
  };
  const imported = { source_name: options.fileName ?? null, report: JSON.stringify(report) };
  if (replacing) {
    await tx.updateTable('workshop_imports').set(imported).where('workshop_id', '=', replacing).execute();
  } else {
    // A first import of the same file committed meanwhile: its unique row makes this one a 409, not a 500.
    const claimed = await tx
      .insertInto('workshop_imports')
      .values({ workshop_id: workshopId, source_sha256: sha256, ...imported })
      .onConflict((oc) => oc.column('source_sha256').doNothing())
      .returning('workshop_id')
      .executeTakeFirst();
    if (!claimed) {
      const winner = await tx.selectFrom('workshop_imports').select('workshop_id').where('source_sha256', '=', sha256).executeTakeFirstOrThrow();
      throw alreadyImported(winner.workshop_id);
    }
  }
  return { workshopId, planId, report };
}

async function writeGroups(tx: Tx, workshopId: string, parsed: ParsedGroup[]) {
  const groups: Array<{ id: string; participants: Array<{ id: string; name: string }> }> = [];
  for (const [position, group] of parsed.entries()) {
    const id = randomUUID();
    await tx.insertInto('groups').values({ id, workshop_id: workshopId, name: group.name, position, facilitator_user_id: null, timer_ends_at: null }).execute();
    const participants = group.participants.map((p) => ({ id: randomUUID(), ...p }));
    if (participants.length) {
      await tx
        .insertInto('participants')
        .values(participants.map((p) => ({ id: p.id, workshop_id: workshopId, group_id: id, name: p.name, party: p.party, committee: p.committee, access_token: randomUUID(), anonymised_at: null })))
        .execute();
    }
    groups.push({ id, participants });
  }
  return groups;
}

/**
 * The items a lapp names that are on this part's poster ([PLACE-3]: "strategi 5, 6 og 9" gives
 * all three); none, and the lapp waits in the general box.
 */
function placesOf(note: ParsedNote, ids: Record<string, string[]>, part: 'goals' | 'strategies'): string[] {
  if (!note.itemRef) return [];
  const named = [note.itemRef, ...note.mentions.filter((m) => m.position !== null).map((m) => ({ kind: m.kind, position: m.position! }))];
  const found: string[] = [];
  for (const ref of named) {
    if (!isOnPoster(part, ref.kind)) continue;
    const id = ids[ref.kind]?.[ref.position];
    if (id && !found.includes(id)) found.push(id);
  }
  return found;
}

/** A name written on a lapp ("Signe", "Dag E") becomes the participant it clearly belongs to. */
function author(name: string | null, roster: Array<{ id: string; name: string }>): { participantId: string | null; authorName: string | null } {
  if (!name) return { participantId: null, authorName: null };
  const wanted = name.toLocaleLowerCase('nb').replace(/\s+/g, ' ').trim();
  const matches = roster.filter((p) => {
    const candidate = p.name.toLocaleLowerCase('nb');
    return candidate === wanted || candidate.startsWith(`${wanted} `) || candidate.startsWith(wanted);
  });
  return matches.length === 1 ? { participantId: matches[0]!.id, authorName: null } : { participantId: null, authorName: name };
}

interface ImportedNote {
  workshopId: string;
  posterId: string;
  groupId: string;
  itemIds: string[];
  kind: ParsedNote['kind'] | 'facilitator_note';
  text: string;
  participantId: string | null;
  authorName: string | null;
  placed: boolean;
  facilitator: boolean;
  createdAt: Date;
}

async function insertNotes(tx: Tx, notes: ImportedNote[]): Promise<void> {
  // Keep the file's order visible in time: one millisecond apart.
  const rows = notes.map((note, index) => ({ ...note, id: randomUUID(), createdAt: new Date(note.createdAt.getTime() + index) }));
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await tx
      .insertInto('notes')
      .values(
        chunk.map((note) => ({
          id: note.id,
          workshop_id: note.workshopId,
          poster_id: note.posterId,
          group_id: note.groupId,
          author_participant_id: note.participantId,
          author_user_id: null,
          author_name: note.authorName,
          written_by_user_id: null,
          kind: note.kind,
          text: note.text,
          proposed_item_kind: null,
          reply_to_note_id: null,
          placed: note.placed,
          placed_via: note.placed && !note.facilitator ? ('import' as const) : null,
          withdrawn_at: null,
          created_at: note.createdAt,
        })),
      )
      .execute();
    const links = chunk.flatMap((note) => note.itemIds.map((itemId) => ({ note_id: note.id, item_id: itemId })));
    if (links.length) await tx.insertInto('note_items').values(links).execute();
  }
}

/** "I Bærum har vi …": the municipality is the place most hovedmål open with. */
function guessMunicipality(board: ParsedBoard): string | null {
  const counts = new Map<string, number>();
  for (const perspective of board.perspectives) {
    const place = /\bI ([A-ZÆØÅ][\p{L}-]+)/u.exec(perspective.mainGoal)?.[1];
    if (place) counts.set(place, (counts.get(place) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
}

