import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

// Plain SQL so the same statements run on PGlite and PostgreSQL.
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- Instance-wide settings such as the cookie-signing secret, shared by every server process.
    create table settings (
      key text primary key,
      value text not null
    );

    create table users (
      id uuid primary key,
      email text not null,
      name text not null,
      role text not null check (role in ('planner', 'facilitator')),
      password_hash text not null,
      created_at timestamptz not null default now()
    );
    create unique index users_email_key on users (lower(email));

    create table user_sessions (
      token_hash text primary key,
      user_id uuid not null references users (id) on delete cascade,
      csrf_token text not null,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null
    );
    create index user_sessions_user_idx on user_sessions (user_id);

    create table invitations (
      token_hash text primary key,
      role text not null check (role in ('planner', 'facilitator')),
      email text,
      name text,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      used_at timestamptz
    );

    create table plans (
      id uuid primary key,
      title text not null,
      municipality text not null,
      horizon_year integer not null,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table perspectives (
      id uuid primary key,
      plan_id uuid not null references plans (id) on delete cascade,
      position integer not null,
      title text not null,
      version integer not null default 1,
      archived_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index perspectives_plan_idx on perspectives (plan_id, position);

    create table items (
      id uuid primary key,
      perspective_id uuid not null references perspectives (id) on delete cascade,
      kind text not null check (kind in ('main_goal', 'sub_goal', 'strategy', 'land_use_strategy')),
      position integer not null,
      text text not null,
      version integer not null default 1,
      archived_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index items_perspective_idx on items (perspective_id, kind, position);
    create unique index items_one_main_goal on items (perspective_id)
      where kind = 'main_goal' and archived_at is null;

    create table revisions (
      id uuid primary key,
      plan_id uuid not null references plans (id) on delete cascade,
      perspective_id uuid references perspectives (id) on delete cascade,
      item_id uuid references items (id) on delete cascade,
      action text not null check (action in ('created', 'edited', 'archived', 'restored', 'moved')),
      before_text text,
      after_text text,
      author_user_id uuid references users (id) on delete set null,
      created_at timestamptz not null default now()
    );
    create index revisions_item_idx on revisions (item_id, created_at);
    create index revisions_plan_idx on revisions (plan_id, created_at);
  `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `drop table revisions, items, perspectives, plans, invitations, user_sessions, users, settings`,
  );
}
