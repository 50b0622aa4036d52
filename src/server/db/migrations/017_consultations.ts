import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- [CONS-1] A consultation (høring) is a step of a plan's participation, on the plan's text as it
    -- was when it opened: later revisions never change what people commented on. The snapshot keeps
    -- the item ids, so input still lines up per item.
    create table consultations (
      id uuid primary key,
      plan_id uuid not null references plans (id) on delete cascade,
      title text not null,
      introduction text not null default '',
      opens_at timestamptz not null,
      closes_at timestamptz not null,
      -- What the public sees of a published input: nothing, the text without the name, or with it.
      publication text not null default 'named' check (publication in ('none', 'anonymous', 'named')),
      plan_version integer not null,
      plan_snapshot jsonb not null,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      version integer not null default 1,
      check (closes_at > opens_at)
    );
    create index consultations_plan_idx on consultations (plan_id, opens_at);

    -- [CONS-4] Reference numbers run per year ("2027-0014"); the counter row is the lock.
    create table consultation_reference_counters (
      year integer primary key,
      last integer not null
    );

    create table submissions (
      id uuid primary key,
      consultation_id uuid not null references consultations (id) on delete cascade,
      reference text not null unique,
      -- The personal follow link's secret; only its hash is kept. Split parts have none.
      follow_token_hash text unique,
      name text not null,
      email text,
      organisation text,
      role text not null check (role in ('private', 'organisation', 'business', 'public_body')),
      text text not null,
      status text not null default 'pending' check (status in ('pending', 'published', 'hidden')),
      hidden_reason text,
      copy_of uuid references submissions (id) on delete set null,
      -- [CONS-11] A part split from a letter points at the letter; its text is the planner's summary.
      split_from uuid references submissions (id) on delete cascade,
      submitted_at timestamptz not null default now(),
      version integer not null default 1,
      check (status <> 'hidden' or hidden_reason is not null)
    );
    create index submissions_consultation_idx on submissions (consultation_id, submitted_at);
    create index submissions_split_idx on submissions (split_from) where split_from is not null;

    create table submission_items (
      submission_id uuid not null references submissions (id) on delete cascade,
      item_id uuid not null references items (id) on delete cascade,
      primary key (submission_id, item_id)
    );
    create index submission_items_item_idx on submission_items (item_id);

    -- The file itself lives in the attachment store (docs/decisions/011-consultation-attachments.md).
    create table submission_attachments (
      id uuid primary key,
      submission_id uuid not null references submissions (id) on delete cascade,
      position integer not null,
      name text not null,
      media_type text not null,
      bytes integer not null,
      sha256 text not null,
      storage_key text not null,
      created_at timestamptz not null default now()
    );
    create index submission_attachments_submission_idx on submission_attachments (submission_id, position);

    -- [CONS-10] Every moderation action: who, when, what. Never updated or deleted.
    create table moderation_log (
      id uuid primary key,
      consultation_id uuid not null references consultations (id) on delete cascade,
      submission_id uuid not null references submissions (id) on delete cascade,
      action text not null,
      detail jsonb not null default '{}',
      actor_user_id uuid references users (id) on delete set null,
      created_at timestamptz not null default now()
    );
    create index moderation_log_submission_idx on moderation_log (submission_id, created_at);

    -- [CONS-13] Merknadsbehandling of a høring input: the same statuses as a lapp's.
    create table submission_assessments (
      submission_id uuid primary key references submissions (id) on delete cascade,
      consultation_id uuid not null references consultations (id) on delete cascade,
      status text not null check (status in ('accepted', 'partly', 'rejected', 'already_covered', 'out_of_scope')),
      justification text not null,
      assessed_by uuid references users (id) on delete set null,
      assessed_at timestamptz not null default now(),
      version integer not null default 1
    );

    -- Which høring inputs motivated a revision of an item (beside revision_notes for lapper).
    create table revision_submissions (
      revision_id uuid not null references revisions (id) on delete cascade,
      submission_id uuid not null references submissions (id) on delete cascade,
      primary key (revision_id, submission_id)
    );
    create index revision_submissions_submission_idx on revision_submissions (submission_id);
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `drop table revision_submissions; drop table submission_assessments; drop table moderation_log; drop table submission_attachments; drop table submission_items; drop table submissions; drop table consultation_reference_counters; drop table consultations`,
  );
}
