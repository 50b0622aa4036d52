import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DomainError } from '../domain/errors.js';
import { configFromEnv } from '../server/config.js';
import type { Db } from '../server/db/database.js';
import { importBoardText } from '../server/imports/boardImport.service.js';
import { importLapperCsv } from '../server/imports/csvImport.service.js';
import type { ImportReport } from '../contract/imports.schema.js';
import { importWorkshopExport, parseWorkshopExport } from '../server/imports/jsonImport.service.js';
import { openConfiguredDatabase, type Command } from './command.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The Bærum workshop ships with the app (demo/), so the demo never depends on anything outside it. */
export const DEMO_FILE = path.resolve(here, '../../demo/baerum-2040.txt');
export const DEMO_TITLE = 'Bærum 2040 — politisk verksted (demo)';

/** Loads the demo workshop into an empty database; returns its id, or null when the database has plans. */
export async function loadDemoIfEmpty(db: Db): Promise<string | null> {
  const anyPlan = await db.selectFrom('plans').select('id').limit(1).executeTakeFirst();
  if (anyPlan) return null;
  const text = await readFile(DEMO_FILE, 'utf8');
  const { workshopId } = await importBoardText(
    { text, fileName: 'baerum-2040.txt', title: DEMO_TITLE, planTitle: 'Kommuneplanens samfunnsdel 2040', municipality: 'Bærum', horizonYear: 2040, demo: true },
    db,
  );
  return workshopId;
}

/** Runs a command body against the configured database, turning domain errors into a message and exit 1. */
async function withDatabase(run: (db: Db) => Promise<number>): Promise<number> {
  const database = await openConfiguredDatabase(configFromEnv());
  try {
    return await run(database.db);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    console.error(error.message);
    for (const field of error.details.fields ?? []) console.error(`  ${field.path}: ${field.message}`);
    return 1;
  } finally {
    await database.close();
  }
}

export function printReport(report: ImportReport): void {
  console.log(`Perspektiver: ${report.perspectives.length}`);
  for (const p of report.perspectives) console.log(`  ${p.title}: ${p.subGoals} delmål, ${p.strategies} strategier, ${p.landUseStrategies} arealstrategier`);
  console.log(`Plakater i filen: ${report.posters}`);
  console.log(`Grupper: ${report.groups.length} (${report.groups.map((g) => `${g.name}: ${g.participants}`).join(', ')})`);
  console.log(`Deltakere: ${report.participants}`);
  console.log(`Lapper: ${report.notesPlaced} plassert, ${report.notesUnplaced} uplassert (i boksen nederst)`);
  console.log(`Fasilitatornotater: ${report.facilitatorNotes}`);
  console.log(`Løse stjernetall: ${report.detachedStarDigits}`);
  if (report.warnings.length) {
    console.log(`Advarsler (${report.warnings.length}):`);
    for (const warning of report.warnings) console.log(`  - ${warning.message}`);
  }
}

const importBoard: Command = {
  summary: 'Import a workshop from a whiteboard text export',
  help: `Usage: innspill import board-text FILE [--title T] [--plan-title T] [--municipality M] [--horizon YEAR] [--replace]

Reads the text extracted from a whiteboard PDF (posters with Hovedmål, Delmål, Strategier, lapper,
Notater and group rosters) and builds the plan, the workshop, its groups and every lapp in one
transaction. Prints the import report; the last line is the new workshop's id. The same file twice
is refused unless --replace.`,
  options: { title: { type: 'string' }, 'plan-title': { type: 'string' }, municipality: { type: 'string' }, horizon: { type: 'string' }, replace: { type: 'boolean' } },
  async run(values, positionals) {
    const file = positionals[0];
    if (!file) {
      console.error('Name the file to import: innspill import board-text FILE');
      return 1;
    }
    const text = await readFile(file, 'utf8');
    const horizon = values.horizon ? Number(values.horizon) : undefined;
    if (horizon !== undefined && (!Number.isInteger(horizon) || horizon < 2000 || horizon > 2200)) {
      console.error('--horizon must be a year between 2000 and 2200');
      return 1;
    }
    return withDatabase(async (db) => {
      const result = await importBoardText(
        {
          text,
          fileName: path.basename(file),
          title: values.title as string | undefined,
          planTitle: values['plan-title'] as string | undefined,
          municipality: values.municipality as string | undefined,
          horizonYear: horizon,
          replace: Boolean(values.replace),
        },
        db,
      );
      printReport(result.report);
      console.log(result.workshopId);
      return 0;
    });
  },
};

const importJson: Command = {
  summary: 'Import a workshop from its open-data JSON export',
  help: 'Usage: innspill import json FILE\n\nRebuilds the plan and workshop of an Innspill export (format innspill.workshop-export, version 1) with the same ids. Prints the workshop id.',
  options: {},
  async run(_values, positionals) {
    const file = positionals[0];
    if (!file) {
      console.error('Name the file to import: innspill import json FILE');
      return 1;
    }
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      console.error(`${file} is not JSON`);
      return 1;
    }
    return withDatabase(async (db) => {
      const { workshopId } = await importWorkshopExport(parseWorkshopExport(json), db);
      console.log(workshopId);
      return 0;
    });
  },
};

const importCsv: Command = {
  summary: 'Add lapper typed in from a paper workshop (CSV) to a workshop',
  help: `Usage: innspill import csv WORKSHOP_ID FILE

One lapp per row; columns (header row, ; or , separated): gruppe;plakat;punkt;forfatter;type;tekst
  plakat  "Sosial bærekraft / Del 1" (perspective / Del 1 or Del 2)
  punkt   "Delmål 2", "Strategi 11", "Arealstrategi 3", "Hovedmål", or empty for the general box
  type    kommentar | alternativ formulering | nytt punkt | spørsmål | fasilitator (empty: kommentar)
See docs/formats/lapper-csv.md. A file with any bad row is refused whole.`,
  options: {},
  async run(_values, positionals) {
    const [workshopId, file] = positionals;
    if (!workshopId || !file) {
      console.error('Usage: innspill import csv WORKSHOP_ID FILE');
      return 1;
    }
    const text = await readFile(file, 'utf8');
    return withDatabase(async (db) => {
      const operator = { kind: 'user' as const, userId: await operatorUserId(db), role: 'planner' as const, name: 'CLI' };
      const result = await importLapperCsv(operator, workshopId, text, db);
      console.log(`Importerte ${result.imported} lapper${result.groupsCreated.length ? `; nye grupper: ${result.groupsCreated.join(', ')}` : ''}`);
      return 0;
    });
  },
};

/** The shell user acts as the first planner (the CLI runs with the operator's full rights). */
async function operatorUserId(db: Db): Promise<string> {
  const planner = await db.selectFrom('users').select('id').where('role', '=', 'planner').orderBy('created_at').limit(1).executeTakeFirst();
  if (!planner) throw new DomainError('validation_failed', 'Create a planner first (innspill user add)');
  return planner.id;
}

export const importCommands: Record<string, Command> = {
  'import board-text': importBoard,
  'import json': importJson,
  'import csv': importCsv,
};
