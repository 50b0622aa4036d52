import type { AssessmentStatus } from '../../../contract/export.schema.js';
import type { OverviewItem, OverviewNote } from '../../../contract/synthesis.schema.js';
import type { Translate } from '../../i18n/i18n.js';

/** The merknadsbehandling outcomes in the order a planner chooses them (keys 1–5 in the walk-through). */
export const assessmentStatuses = ['accepted', 'partly', 'rejected', 'already_covered', 'out_of_scope'] as const satisfies readonly AssessmentStatus[];

export const noteKinds = ['comment', 'rewording', 'new_item', 'question', 'facilitator_note'] as const satisfies readonly OverviewNote['kind'][];

/** "Tatt til følge", "Delvis tatt til følge" … */
export const statusLabel = (status: AssessmentStatus, t: Translate) => t(`syn.status.${status}`);

/** "Kommentar", "Alternativ formulering" … */
export const noteKindLabel = (kind: OverviewNote['kind'], t: Translate) => t(`syn.kind.${kind}`);

/** "Delmål 2", "Strategi 11", "Hovedmål"; an archived item has no number. */
export const itemLabel = (item: Pick<OverviewItem, 'kind' | 'number'>, t: Translate) =>
  item.kind === 'main_goal' ? t('kind.main_goal') : `${t(`kind.${item.kind}`)} ${item.number ?? ''}`.trim();

/** Who wrote a lapp, as the overview shows it: "Stein (Rødt)". */
export function authorLabel(note: Pick<OverviewNote, 'author' | 'kind'>, t: Translate): string {
  const name = note.author.name ?? (note.kind === 'facilitator_note' ? t('syn.facilitator') : t('syn.unknownAuthor'));
  return note.author.party ? `${name} (${note.author.party})` : name;
}

/** The first words of a text, for labels that must stay short. */
export const shortText = (text: string, max = 50) => (text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text);
