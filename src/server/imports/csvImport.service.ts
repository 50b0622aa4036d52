import { CsvError, parse } from 'csv-parse/sync';
import type { Actor } from '../../domain/actors.js';
import { DomainError, fail, type FieldProblem } from '../../domain/errors.js';
import { isOnPoster, numberItems } from '../../domain/items.js';
import { NOTE_TEXT_MAX } from '../../domain/notes.js';
import { assertPlanner } from '../../domain/permissions.js';
import { assertStateAllowsWrite } from '../../domain/workshopRules.js';
import type { Db, Tx } from '../db/database.js';
import { publishCommitted, recordBoardChange, type PublishEvents } from '../live/boardChanges.js';
import { insertImportedNotes } from '../live/notes.service.js';
import { groupsForImport } from '../workshops/importGroups.service.js';

/** Columns of a lapper CSV (docs/formats/lapper-csv.md); English names are accepted too. */
const COLUMNS = {
  group: ['gruppe', 'group'],
  poster: ['plakat', 'poster'],
  item: ['punkt', 'item'],
  author: ['forfatter', 'author'],
  kind: ['type', 'kind'],
  text: ['tekst', 'text'],
} as const;

const KINDS: Record<string, 'comment' | 'rewording' | 'new_item' | 'question' | 'facilitator_note'> = {
  '': 'comment',
  kommentar: 'comment',
  comment: 'comment',
  'alternativ formulering': 'rewording',
  omformulering: 'rewording',
  rewording: 'rewording',
  'nytt punkt': 'new_item',
  'forslag til nytt punkt': 'new_item',
  new_item: 'new_item',
  spørsmål: 'question',
  question: 'question',
  fasilitator: 'facilitator_note',
  notat: 'facilitator_note',
  facilitator_note: 'facilitator_note',
};

const ITEM_LABELS: Array<[RegExp, 'main_goal' | 'sub_goal' | 'strategy' | 'land_use_strategy']> = [
  [/^hovedmål$/i, 'main_goal'],
  [/^delmål\s*(\d+)$/i, 'sub_goal'],
  [/^strategi\s*(\d+)$/i, 'strategy'],
  [/^arealstrategi\s*(\d+)$/i, 'land_use_strategy'],
];

/**
 * [IMPORT-3] Lapper typed in from a paper workshop, one per row, added to an existing workshop in
 * one transaction: a file with any bad row is refused whole, naming each bad line.
 */
export async function importLapperCsv(
  actor: Actor | null,
  workshopId: string,
  text: string,
  db: Db,
  publish?: PublishEvents,
): Promise<{ imported: number; groupsCreated: string[] }> {
  assertPlanner(actor);
  const [header, ...lines] = readCsv(text);
  if (!header || lines.length === 0) throw fail.invalid('file', 'the file needs a header row and at least one lapp');
  const column = columnIndexes(header.cells);
  const { events, ...result } = await db.transaction().execute(async (tx) => {
    const board = await loadBoard(tx, actor, workshopId);
    const problems: FieldProblem[] = [];
    const notes: Array<{ posterId: string; groupName: string; itemId: string | null; author: string; kind: (typeof KINDS)[string]; text: string }> = [];
    lines.forEach(({ cells, line }) => {
      const cell = (name: keyof typeof COLUMNS) => (cells[column[name]] ?? '').trim();
      const problem = (message: string) => problems.push({ path: `line ${line}`, message });
      const noteText = cells[column.text] ?? '';
      if (!noteText.trim()) return problem('tekst mangler');
      if (noteText.length > NOTE_TEXT_MAX) return problem(`teksten er lengre enn ${NOTE_TEXT_MAX} tegn`);
      const kind = KINDS[cell('kind').toLocaleLowerCase('nb')];
      if (!kind) return problem(`ukjent type «${cell('kind')}»`);
      if (!cell('group')) return problem('gruppe mangler');
      const poster = board.posterByLabel(cell('poster'));
      if (!poster) return problem(`ukjent plakat «${cell('poster')}» (skriv f.eks. «${board.examplePoster}»)`);
      const itemLabel = cell('item');
      const itemId = itemLabel ? poster.itemByLabel(itemLabel) : null;
      if (itemLabel && !itemId) return problem(`plakaten har ikke «${itemLabel}»`);
      notes.push({ posterId: poster.id, groupName: cell('group'), itemId, author: cell('author'), kind, text: noteText });
    });
    if (problems.length) throw new DomainError('validation_failed', `${problems.length} lines could not be read`, { fields: problems.slice(0, 100) });

    const groups = await groupsForImport(actor, { workshopId, names: [...new Set(notes.map((n) => n.groupName))] }, tx);
    await insertImportedNotes(
      actor,
      {
        workshopId,
        notes: notes.map((note) => {
          const group = groups.byName.get(note.groupName.toLocaleLowerCase('nb'))!;
          const participant = group.participants.find((p) => p.name.toLocaleLowerCase('nb') === note.author.toLocaleLowerCase('nb'));
          return { posterId: note.posterId, groupId: group.id, itemId: note.itemId, authorParticipantId: participant?.id ?? null, authorName: participant ? null : note.author || null, kind: note.kind, text: note.text };
        }),
      },
      tx,
    );
    // [LIVE-14] Devices following the workshop (and those catching up) get the new lapper.
    return { imported: notes.length, groupsCreated: groups.created, events: await recordBoardChange(tx, workshopId, 'import') };
  });
  await publishCommitted(publish, events);
  return result;
}

/** A row of the file with the line it starts on, as a text editor numbers it. */
interface CsvRow {
  line: number;
  cells: string[];
}

/**
 * RFC 4180 through csv-parse. The separator is `;` (what Norwegian Excel writes) or `,`, whichever
 * the header line has more of. Rows are numbered by the line they start on, so a lapp that runs
 * over several lines inside quotes and the empty lines between rows keep the numbers an editor shows.
 * A quote that never closes is refused naming the line it opens on, instead of swallowing the rest.
 */
export function readCsv(file: string): CsvRow[] {
  // One line ending throughout: csv-parse counts a CR LF inside quotes as two lines.
  const text = file.replace(/\r\n?/g, '\n');
  const firstLine = text.replace(/^\uFEFF/, '').split('\n', 1)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) >= (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  // The line each record ends on; the next record starts on the line after.
  const ends: number[] = [];
  let records: string[][];
  try {
    records = parse(text, {
      delimiter,
      bom: true,
      // Quotes inside an unquoted field are kept as typed: «Han sa "ja"».
      relax_quotes: true,
      relax_column_count: true,
      record_delimiter: '\n',
      on_record: (record, context) => {
        ends.push(context.lines);
        return record;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const next = (ends.at(-1) ?? 0) + 1;
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw fail.invalid(`line ${next}`, 'et anførselstegn («"») åpnes her og lukkes aldri; resten av filen ble ikke lest');
    }
    throw fail.invalid(`line ${(error as CsvError & { lines?: number }).lines ?? next}`, `raden kan ikke leses som CSV (${error.message})`);
  }
  const rows = records.map((cells, index) => ({ line: (ends[index - 1] ?? 0) + 1, cells }));
  return rows.filter((row) => row.cells.some((cell) => cell.trim() !== ''));
}

function columnIndexes(header: string[]): Record<keyof typeof COLUMNS, number> {
  const names = header.map((h) => h.trim().toLocaleLowerCase('nb'));
  const result = {} as Record<keyof typeof COLUMNS, number>;
  for (const [key, aliases] of Object.entries(COLUMNS) as Array<[keyof typeof COLUMNS, readonly string[]]>) {
    const index = names.findIndex((name) => aliases.includes(name));
    if (index === -1) throw fail.invalid('file', `the header has no column «${aliases[0]}» (expected: ${Object.values(COLUMNS).map((a) => a[0]).join(';')})`);
    result[key] = index;
  }
  return result;
}

/** The workshop's posters, addressable as "Sosial bærekraft / Del 1", with their numbered items. */
async function loadBoard(tx: Tx, actor: Actor, workshopId: string) {
  const workshop = await tx.selectFrom('workshops').select(['id', 'state']).where('id', '=', workshopId).forUpdate().executeTakeFirst();
  if (!workshop) throw fail.notFound('Workshop');
  assertStateAllowsWrite(actor, workshop.state);
  const posters = await tx
    .selectFrom('posters as po')
    .innerJoin('perspectives as p', 'p.id', 'po.perspective_id')
    .select(['po.id', 'po.part', 'p.id as perspective_id', 'p.title'])
    .where('po.workshop_id', '=', workshopId)
    .orderBy('po.position')
    .execute();
  const items = posters.length
    ? await tx
        .selectFrom('items')
        .select(['id', 'perspective_id', 'kind', 'position', 'archived_at', 'created_at'])
        .where('perspective_id', 'in', posters.map((p) => p.perspective_id))
        .execute()
    : [];
  const partLabel = (part: string) => (part === 'goals' ? 'del 1' : 'del 2');
  const normalise = (label: string) => label.toLocaleLowerCase('nb').replace(/\s+/g, ' ').replace(/\s*[/–-]\s*/g, ' / ').trim();
  const entries = posters.map((poster) => {
    const numbered = numberItems(items.filter((i) => i.perspective_id === poster.perspective_id).map((i) => ({ ...i, archivedAt: i.archived_at })));
    return {
      id: poster.id,
      label: normalise(`${poster.title} / ${partLabel(poster.part)}`),
      itemByLabel(label: string): string | null {
        for (const [pattern, kind] of ITEM_LABELS) {
          const match = pattern.exec(label.trim());
          if (!match) continue;
          // Only the items this poster shows, as for a lapp written live ("Strategi 3" is not on Del 1).
          if (!isOnPoster(poster.part, kind)) return null;
          const number = kind === 'main_goal' ? 1 : Number(match[1]);
          return numbered.find((i) => i.kind === kind && i.number === number)?.id ?? null;
        }
        return null;
      },
    };
  });
  return {
    examplePoster: posters[0] ? `${posters[0].title} / ${posters[0].part === 'goals' ? 'Del 1' : 'Del 2'}` : 'Sosial bærekraft / Del 1',
    posterByLabel: (label: string) => entries.find((entry) => entry.label === normalise(label)) ?? null,
  };
}

