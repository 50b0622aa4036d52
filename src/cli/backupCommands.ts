import { backup, restore } from '../server/backup/backup.service.js';
import { configFromEnv } from '../server/config.js';
import type { Command } from './command.js';

const backupCommand: Command = {
  summary: 'Write the whole database to one file (pg_dump, or the PGlite folder)',
  help: `Usage: innspill backup --out FILE

PostgreSQL (DATABASE_URL): a consistent pg_dump (custom format) while the servers keep running;
needs pg_dump of the server's major version or newer.
PGlite (INNSPILL_DATA_DIR): the data folder as a gzipped tar; stop the server first (the folder
has one owner).`,
  options: { out: { type: 'string' } },
  async run(values) {
    if (typeof values.out !== 'string' || !values.out) {
      console.error('Name the file: innspill backup --out FILE');
      return 1;
    }
    console.log(await backup(configFromEnv(), values.out));
    return 0;
  },
};

const restoreCommand: Command = {
  summary: 'Put a backup back into the configured database (refuses a non-empty one without --force)',
  help: `Usage: innspill restore FILE [--force]

Restores a file written by "innspill backup" into DATABASE_URL or INNSPILL_DATA_DIR. A database
that already holds plans, workshops or accounts (or a data folder with files) is refused unless
--force, which replaces it (PGlite keeps the old folder beside the new one). Stop the servers first.`,
  options: { force: { type: 'boolean' } },
  async run(values, positionals) {
    const [file] = positionals;
    if (!file || positionals.length > 1) {
      console.error('Name one backup file: innspill restore FILE [--force]');
      return 1;
    }
    console.log(await restore(configFromEnv(), file, values.force === true));
    return 0;
  },
};

export const backupCommands: Record<string, Command> = { backup: backupCommand, restore: restoreCommand };
