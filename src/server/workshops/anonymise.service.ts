import type { Actor } from '../../domain/actors.js';
import { fail } from '../../domain/errors.js';
import { assertPlanner } from '../../domain/permissions.js';
import type { Tx } from '../db/database.js';

/**
 * [PRIV-1] The participants row of an anonymised participant (workshops owns it): name, party and
 * committee removed, the personal link ended. Locks the row; called in the privacy service's
 * transaction. Returns the workshop and the label the lapper now carry ("Deltaker, Gruppe 5").
 */
export async function anonymiseParticipantRecord(actor: Actor | null, input: { participantId: string }, tx: Tx): Promise<{ workshopId: string; name: string }> {
  assertPlanner(actor);
  const participant = await tx
    .selectFrom('participants as p')
    .innerJoin('groups as g', 'g.id', 'p.group_id')
    .select(['p.id', 'p.workshop_id', 'g.name as group_name', 'p.anonymised_at'])
    .where('p.id', '=', input.participantId)
    .forUpdate()
    .executeTakeFirst();
  if (!participant) throw fail.notFound('Participant');
  const name = `Deltaker, ${participant.group_name}`;
  await tx
    .updateTable('participants')
    .set({ name, party: null, committee: null, anonymised_at: participant.anonymised_at ?? new Date(), access_token: `anonymised-${participant.id}` })
    .where('id', '=', participant.id)
    .execute();
  return { workshopId: participant.workshop_id, name };
}
