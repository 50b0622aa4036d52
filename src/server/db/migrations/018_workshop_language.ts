import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- [I18N-3] The language a workshop's participants see first (each person can switch), and the
    -- language of its reports: bokmål, nynorsk or English.
    alter table workshops add column language text not null default 'nb' check (language in ('nb', 'nn', 'en'));
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `alter table workshops drop column language;`);
}
