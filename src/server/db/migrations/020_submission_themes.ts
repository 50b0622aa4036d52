import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- [CONS-21] The themes of a workshop's synthesis cover the plan's høring inputs too: each input
    -- in one theme per workshop (a plan's input stands in every workshop's synthesis).
    create table submission_themes (
      submission_id uuid not null references submissions (id) on delete cascade,
      workshop_id uuid not null,
      theme_key text not null,
      primary key (workshop_id, submission_id),
      foreign key (workshop_id, theme_key) references themes (workshop_id, key) on delete cascade
    );
    create index submission_themes_submission_idx on submission_themes (submission_id);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `drop table submission_themes;`);
}
