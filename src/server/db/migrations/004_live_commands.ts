import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- Every command a device sent, by its client-made id: a retry gets the first answer and is stored once.
    create table processed_commands (
      workshop_id uuid not null references workshops (id) on delete cascade,
      command_id uuid not null,
      seq bigint not null,
      created_at timestamptz not null default now(),
      primary key (workshop_id, command_id)
    );
    create index stars_poster_group_idx on stars (poster_id, group_id);
    create index agreements_participant_idx on agreements (participant_id);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `drop table processed_commands; drop index stars_poster_group_idx; drop index agreements_participant_idx`);
}
