import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    create table workshops (
      id uuid primary key,
      plan_id uuid not null references plans (id) on delete restrict,
      title text not null,
      date date,
      state text not null default 'draft' check (state in ('draft', 'open', 'closed')),
      star_budget integer not null default 5 check (star_budget between 0 and 100),
      stars_per_item integer not null default 1 check (stars_per_item between 1 and 100),
      stars_hidden boolean not null default false,
      party_in_reports boolean not null default true,
      join_code text not null unique,
      viewer_token text not null unique,
      is_demo boolean not null default false,
      last_seq bigint not null default 0,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table posters (
      id uuid primary key,
      workshop_id uuid not null references workshops (id) on delete cascade,
      perspective_id uuid not null references perspectives (id) on delete restrict,
      part text not null check (part in ('goals', 'strategies')),
      position integer not null,
      instructions text not null default '',
      box_prompt text not null default '',
      stars_enabled boolean not null default false,
      unique (workshop_id, perspective_id, part)
    );

    create table groups (
      id uuid primary key,
      workshop_id uuid not null references workshops (id) on delete cascade,
      name text not null,
      position integer not null,
      facilitator_user_id uuid references users (id) on delete set null,
      stars_revealed boolean not null default false,
      timer_ends_at timestamptz
    );
    create index groups_workshop_idx on groups (workshop_id, position);

    create table participants (
      id uuid primary key,
      workshop_id uuid not null references workshops (id) on delete cascade,
      group_id uuid not null references groups (id) on delete cascade,
      name text not null,
      party text,
      committee text,
      access_token text not null unique,
      anonymised_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index participants_group_idx on participants (group_id);

    create table notes (
      id uuid primary key,
      workshop_id uuid not null references workshops (id) on delete cascade,
      poster_id uuid not null references posters (id) on delete cascade,
      group_id uuid not null references groups (id) on delete cascade,
      author_participant_id uuid references participants (id) on delete set null,
      author_user_id uuid references users (id) on delete set null,
      author_name text,
      written_by_user_id uuid references users (id) on delete set null,
      kind text not null check (kind in ('comment', 'rewording', 'new_item', 'question', 'facilitator_note')),
      text text not null,
      proposed_item_kind text check (proposed_item_kind in ('main_goal', 'sub_goal', 'strategy', 'land_use_strategy')),
      reply_to_note_id uuid references notes (id) on delete cascade,
      placed boolean not null default true,
      withdrawn_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index notes_poster_group_idx on notes (poster_id, group_id);
    create index notes_workshop_idx on notes (workshop_id, created_at);

    -- A lapp may concern several items; none means the general box.
    create table note_items (
      note_id uuid not null references notes (id) on delete cascade,
      item_id uuid not null references items (id) on delete restrict,
      primary key (note_id, item_id)
    );
    create index note_items_item_idx on note_items (item_id);

    create table agreements (
      note_id uuid not null references notes (id) on delete cascade,
      participant_id uuid not null references participants (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (note_id, participant_id)
    );

    create table stars (
      id uuid primary key,
      workshop_id uuid not null references workshops (id) on delete cascade,
      poster_id uuid not null references posters (id) on delete cascade,
      group_id uuid not null references groups (id) on delete cascade,
      participant_id uuid references participants (id) on delete cascade,
      item_id uuid not null references items (id) on delete restrict,
      created_at timestamptz not null default now()
    );
    create index stars_participant_idx on stars (participant_id, poster_id);
    create index stars_item_idx on stars (item_id);

    -- The workshop's event log: every change, in order, for live resume and audit.
    create table events (
      workshop_id uuid not null references workshops (id) on delete cascade,
      seq bigint not null,
      type text not null,
      group_id uuid,
      poster_id uuid,
      payload jsonb not null,
      created_at timestamptz not null default now(),
      primary key (workshop_id, seq)
    );

    create table workshop_imports (
      workshop_id uuid primary key references workshops (id) on delete cascade,
      source_sha256 text not null unique,
      source_name text,
      report jsonb not null,
      created_at timestamptz not null default now()
    );
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `drop table workshop_imports, events, stars, agreements, note_items, notes, participants, groups, posters, workshops`,
  );
}
