import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- When the workshop first opened: the item texts of that moment are its "original" wording.
    alter table workshops add column opened_at timestamptz;

    -- Merknadsbehandling: one assessment per lapp, with the planner's justification.
    create table assessments (
      note_id uuid primary key references notes (id) on delete cascade,
      workshop_id uuid not null references workshops (id) on delete cascade,
      status text not null check (status in ('accepted', 'partly', 'rejected', 'already_covered', 'out_of_scope')),
      justification text not null,
      assessed_by uuid references users (id) on delete set null,
      assessed_at timestamptz not null default now(),
      version integer not null default 1
    );
    create index assessments_workshop_idx on assessments (workshop_id);

    -- Themes as last computed, with the planner's corrections applied.
    create table themes (
      workshop_id uuid not null references workshops (id) on delete cascade,
      key text not null,
      label text not null,
      position integer not null,
      primary key (workshop_id, key)
    );
    create table note_themes (
      note_id uuid primary key references notes (id) on delete cascade,
      workshop_id uuid not null,
      theme_key text not null,
      foreign key (workshop_id, theme_key) references themes (workshop_id, key) on delete cascade
    );
    -- Corrections (rename, merge, split, move) in the order made; replayed after every recomputation.
    create table theme_corrections (
      id uuid primary key,
      workshop_id uuid not null references workshops (id) on delete cascade,
      correction jsonb not null,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now()
    );
    create index theme_corrections_workshop_idx on theme_corrections (workshop_id, created_at);

    -- Near-duplicate lapper merged by a planner: the duplicate points at the one kept.
    alter table notes add column duplicate_of uuid references notes (id) on delete set null;

    -- Which lapper motivated a revision of an item.
    create table revision_notes (
      revision_id uuid not null references revisions (id) on delete cascade,
      note_id uuid not null references notes (id) on delete cascade,
      primary key (revision_id, note_id)
    );
    create index revision_notes_note_idx on revision_notes (note_id);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `drop table revision_notes; alter table notes drop column duplicate_of; drop table theme_corrections; drop table note_themes; drop table themes; drop table assessments; alter table workshops drop column opened_at`,
  );
}
