/**
 * Groups of a board: one per group label ("Gruppe 5"), with the union of its posters' rosters,
 * and one per unlabelled poster so its lapper stay apart and the planner sees why.
 */
import type { ImportWarning, ParsedGroup, ParsedParticipant, ParsedPerspective } from './boardImport.types.js';
import { learnRosterVocabulary, mergeParticipants, readRoster, type GroupSplit, type RosterVocabulary } from './roster.js';
import type { PosterLayout } from './template.js';

export interface GroupAssembly {
  groups: ParsedGroup[];
  /** Group index of each poster. */
  groupIndexOf: number[];
  warnings: ImportWarning[];
}

const labelKey = (label: string): string => label.toLowerCase().replace(/\s+/g, ' ');

export function assembleGroups(
  splits: readonly GroupSplit[],
  posters: readonly PosterLayout[],
  perspectives: readonly ParsedPerspective[],
): GroupAssembly {
  const warnings: ImportWarning[] = [];
  const labelled = readLabelledGroups(splits, learnRosterVocabulary(splits.map((split) => split.rosterLines)), warnings);
  const groups: ParsedGroup[] = labelled.map(({ label, lists }) => ({
    name: label,
    label,
    participants: mergeParticipants(lists),
  }));
  const indexByKey = new Map(labelled.map(({ label }, i) => [labelKey(label), i]));
  const groupIndexOf = splits.map((split, posterIndex) => {
    if (split.label !== null) return indexByKey.get(labelKey(split.label)) ?? 0;
    const poster = posterName(posters[posterIndex]!, perspectives);
    const name = `Uten gruppe (plakat ${posterIndex + 1}: ${poster})`;
    groups.push({ name, label: null, participants: [] });
    warnings.push({
      code: 'poster_without_group',
      message: `Plakat ${posterIndex + 1} (${poster}) har ingen gruppe. Lappene er lagt i «${name}».`,
      posterIndex,
    });
    return groups.length - 1;
  });
  return { groups, groupIndexOf, warnings };
}

function posterName(poster: PosterLayout, perspectives: readonly ParsedPerspective[]): string {
  const part = poster.anchor.part === 'goals' ? 'Del 1' : 'Del 2';
  return `${part} ${perspectives[poster.anchor.perspectiveIndex]?.title ?? ''}`.trim();
}

/** Labelled groups in label order ("Gruppe 2" before "Gruppe 10"), each with its posters' rosters. */
function readLabelledGroups(
  splits: readonly GroupSplit[],
  vocabulary: RosterVocabulary,
  warnings: ImportWarning[],
): { label: string; lists: ParsedParticipant[][] }[] {
  const byKey = new Map<string, { label: string; lists: ParsedParticipant[][] }>();
  splits.forEach((split, posterIndex) => {
    if (split.label === null) return;
    const reading = readRoster(split.rosterLines, vocabulary);
    const entry = byKey.get(labelKey(split.label)) ?? { label: split.label, lists: [] };
    entry.lists.push(reading.participants);
    byKey.set(labelKey(split.label), entry);
    const where = `Deltakerlisten for ${split.label} på plakat ${posterIndex + 1}`;
    if (reading.orphans.length > 0) {
      warnings.push({
        code: 'unrecognised_block',
        message: `${where} har ${quoteAll(reading.orphans)} uten navn; listen er ufullstendig.`,
        posterIndex,
      });
    }
    if (reading.unreadable.length > 0) {
      const message = `${where}: forsto ikke ${quoteAll(reading.unreadable)}.`;
      warnings.push({ code: 'unrecognised_block', message, posterIndex });
    }
  });
  return [...byKey.entries()].sort(([a], [b]) => a.localeCompare(b, 'nb', { numeric: true })).map(([, entry]) => entry);
}

const quoteAll = (texts: readonly string[]): string => texts.map((text) => `«${text}»`).join(', ');
