import { sql, type Kysely } from 'kysely';

/**
 * Runs a script of SQL statements one by one: PGlite's extended protocol takes one statement
 * per query, and the same script then runs unchanged on PostgreSQL.
 */
export async function runStatements(db: Kysely<unknown>, script: string): Promise<void> {
  const statements = script
    .split(/;\s*(?:\n|$)/)
    .map((statement) => statement.trim())
    .filter((statement) => statement.replace(/--.*$/gm, '').trim().length > 0);
  for (const statement of statements) await sql.raw(statement).execute(db);
}
