import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- Party is special-category data (GDPR art. 9): new workshops leave it out of reports until a
    -- planner turns it on. Existing workshops keep the choice already made.
    alter table workshops alter column party_in_reports set default false;
    -- [JOIN-5] A name is claimed by the first device that joins with it; another device needs the
    -- facilitator's confirmation.
    create table name_claims (
      participant_id uuid primary key references participants (id) on delete cascade,
      claimed_at timestamptz not null default now()
    );
    create table join_requests (
      id uuid primary key,
      workshop_id uuid not null references workshops (id) on delete cascade,
      participant_id uuid not null references participants (id) on delete cascade,
      -- The waiting device proves it is the one that asked with this secret (only its hash is kept).
      secret_hash text not null,
      created_at timestamptz not null default now(),
      decision text check (decision in ('confirmed', 'refused')),
      decided_by_user_id uuid references users (id) on delete set null,
      decided_at timestamptz,
      -- Set when the confirmed device received its session: a request lets in one device once.
      used_at timestamptz
    );
    create index join_requests_pending_idx on join_requests (workshop_id) where decision is null;
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `drop table join_requests; drop table name_claims; alter table workshops alter column party_in_reports set default true`);
}
