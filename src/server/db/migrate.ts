import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './database.js';
import * as m001 from './migrations/001_plans_and_accounts.js';
import * as m002 from './migrations/002_workshops.js';
import * as m004 from './migrations/004_live_commands.js';
import * as m005 from './migrations/005_synthesis.js';
import * as m012 from './migrations/012_placement_provenance.js';
import * as m010 from './migrations/010_journey.js';
import * as m019 from './migrations/019_audit_and_identity.js';
import * as m018 from './migrations/018_workshop_language.js';
import * as m017 from './migrations/017_consultations.js';
import * as m020 from './migrations/020_submission_themes.js';

// Listed here rather than read from disk so the same list works from src/ (tests) and dist/.
const migrations: Record<string, Migration> = {
  '001_plans_and_accounts': m001,
  '002_workshops': m002,
  '004_live_commands': m004,
  '005_synthesis': m005,
  '012_placement_provenance': m012,
  '010_journey': m010,
  '019_audit_and_identity': m019,
  '018_workshop_language': m018,
  '017_consultations': m017,
  '020_submission_themes': m020,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; returns the names of the migrations it ran. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
