import type { Kysely } from 'kysely';
import { runStatements } from './statements.js';

export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(
    db,
    `
    -- Who put a lapp where it is [PLACE-5]: its author live ('participant'), a facilitator or
    -- planner by hand ('facilitator', 'planner'), the import because the text names the item
    -- ('import'), or a planner accepting a placement suggestion ('suggestion'). Null: not placed
    -- by anyone yet, or stored before this was recorded.
    alter table notes add column placed_via text check (placed_via in ('participant', 'facilitator', 'planner', 'import', 'suggestion'));
    `,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, `alter table notes drop column placed_via;`);
}
