import { sql, type Kysely } from 'kysely';
import { runStatements } from './statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- [AUDIT-1] Who did what and when: every planner action that changes data or shows personal
    -- data. No foreign key to users: an entry outlives the account it names (name kept as written).
    create table audit_log (
      id bigserial primary key,
      at timestamptz not null default now(),
      actor_user_id uuid,
      actor_name text not null,
      actor_role text not null,
      action text not null,
      workshop_id uuid,
      target_type text,
      target_id text,
      detail jsonb not null default '{}'::jsonb
    );
    create index audit_log_at on audit_log (at);
    create index audit_log_actor on audit_log (actor_user_id, at);
    create index audit_log_action on audit_log (action, at);

    -- [AUTH-2] Accounts signed in through the identity provider: issuer and subject, never a password.
    alter table users add column oidc_issuer text;
    alter table users add column oidc_subject text;
    create unique index users_oidc on users (oidc_issuer, oidc_subject) where oidc_subject is not null;

    -- [AUTH-3] A sign-in under way at the identity provider: its state (hashed), PKCE verifier and
    -- nonce, kept in the database so any process can finish it, and deleted when used (a replayed
    -- state finds nothing).
    create table oidc_logins (
      state_hash text primary key,
      code_verifier text not null,
      nonce text not null,
      expires_at timestamptz not null
    );
    `,
  );
  // [AUDIT-2] Append-only in the database itself, on PostgreSQL and PGlite alike: a trigger refuses
  // UPDATE, DELETE and TRUNCATE, whoever asks. (One statement each: the function body has semicolons.)
  await sql
    .raw(
      `create function audit_log_append_only() returns trigger language plpgsql as $$
       begin
         raise exception 'audit_log is append-only' using errcode = '55000';
       end
       $$`,
    )
    .execute(db);
  await sql.raw(`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`).execute(db);
  await sql.raw(`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`).execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    drop table oidc_logins;
    drop table audit_log;
    drop function audit_log_append_only();
    drop index users_oidc;
    alter table users drop column oidc_subject;
    alter table users drop column oidc_issuer;
    `,
  );
}
