import { writeFile } from 'node:fs/promises';
import { DomainError } from '../domain/errors.js';
import { configFromEnv } from '../server/config.js';
import { acceptSuggestions, suggestionsFor } from '../server/placement/placement.service.js';
import { openConfiguredDatabase, type Command } from './command.js';

async function withDb<T>(run: (db: Awaited<ReturnType<typeof openConfiguredDatabase>>['db']) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(configFromEnv());
  try {
    return await run(database.db);
  } finally {
    await database.close();
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function workshopArgument(positionals: string[], usage: string): string | null {
  const id = positionals[0];
  if (!id || !UUID.test(id)) {
    console.error(`Name the workshop by its id: ${usage}`);
    return null;
  }
  return id;
}

const suggest: Command = {
  summary: 'Suggest where each unplaced lapp belongs (JSON)',
  help: `Usage: innspill place suggest WORKSHOP_ID [--out FILE]

Prints, or writes to FILE, { "suggestions": [ { "noteId", "text", "confidence", "items": [ { "itemId",
"score", "matched" } ], "accept" } ] } for every unplaced lapp of the workshop, items best first.`,
  options: { out: { type: 'string' } },
  async run(values, positionals) {
    const workshopId = workshopArgument(positionals, 'innspill place suggest WORKSHOP_ID');
    if (!workshopId) return 1;
    try {
      const result = await withDb((db) => suggestionsFor(workshopId, db));
      const json = `${JSON.stringify(result, null, 2)}\n`;
      if (typeof values.out === 'string') await writeFile(values.out, json, 'utf8');
      else process.stdout.write(json);
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      console.error(error.message);
      return 1;
    }
  },
};

const accept: Command = {
  summary: 'Accept the placement suggestions of a workshop',
  help: `Usage: innspill place accept WORKSHOP_ID [--min-confidence high|ambiguous]

Places every unplaced lapp whose suggestion is at least as sure as --min-confidence (default high),
recorded as placed by a planner from a suggestion. Prints how many were placed.`,
  options: { 'min-confidence': { type: 'string' } },
  async run(values, positionals) {
    const workshopId = workshopArgument(positionals, 'innspill place accept WORKSHOP_ID --min-confidence high');
    if (!workshopId) return 1;
    const min = values['min-confidence'] ?? 'high';
    if (min !== 'high' && min !== 'ambiguous') {
      console.error('--min-confidence must be high or ambiguous');
      return 1;
    }
    try {
      const { accepted, skipped, left } = await withDb((db) => acceptSuggestions(workshopId, min, db));
      // The count alone on stdout for scripts; the sentence for people on stderr.
      console.error(`Plasserte ${accepted} lapper${skipped ? ` (${skipped} var allerede plassert av andre)` : ''}.${left ? ` ${left} gjenstår: kjør kommandoen igjen.` : ''}`);
      console.log(accepted);
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      console.error(error.message);
      return 1;
    }
  },
};

export const placeCommands: Record<string, Command> = { 'place suggest': suggest, 'place accept': accept };
