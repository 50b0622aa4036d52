/**
 * Who wrote a lapp and which group an unlabelled poster was, suggested from the evidence an
 * imported board holds; nothing changes until the planner accepts ([PLACE-7]). Pure.
 */
import { agreedNames } from './suggestions.js';

export interface IdentityParticipant {
  id: string;
  name: string;
  groupId: string;
}

export interface IdentityGroup {
  id: string;
  name: string;
  /** False for a group the import made for a poster without a group label. */
  labelled: boolean;
}

export interface IdentityNote {
  id: string;
  text: string;
  posterId: string;
  groupId: string;
  /** A name written on the lapp that is no participant of its group yet. */
  writtenName: string | null;
  participantId: string | null;
}

export interface IdentityPoster {
  id: string;
  perspectiveId: string;
  part: 'goals' | 'strategies';
  /** "Del 1 Sosial bærekraft", for the reasons. */
  label: string;
}

export interface IdentityInput {
  groups: readonly IdentityGroup[];
  participants: readonly IdentityParticipant[];
  posters: readonly IdentityPoster[];
  notes: readonly IdentityNote[];
}

export interface AuthorSuggestion {
  noteId: string;
  participantId: string;
  name: string;
  evidence: string;
}

export interface GroupSuggestion {
  groupId: string;
  intoGroupId: string;
  reasons: string[];
}

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const firstName = (name: string) => name.trim().toLowerCase().split(/\s+/)[0] ?? '';

/** The one participant of the workshop a written name fits ("Dag E" → Dag), preferring the lapp's own group. */
function personFor(name: string, participants: readonly IdentityParticipant[], groupId: string): IdentityParticipant | null {
  const key = name.trim().toLowerCase().replace(/\s+/g, ' ');
  const exact = participants.filter((p) => p.name.toLowerCase() === key);
  const byFirst = exact.length > 0 ? exact : participants.filter((p) => firstName(p.name) === firstName(key));
  const own = byFirst.filter((p) => p.groupId === groupId);
  if (own.length === 1) return own[0]!;
  return byFirst.length === 1 ? byFirst[0]! : null;
}

/** Authors: a name standing alone next to a lapp names one participant of the workshop. */
export function suggestAuthors(input: IdentityInput): AuthorSuggestion[] {
  const suggestions: AuthorSuggestion[] = [];
  for (const note of input.notes) {
    if (note.participantId || !note.writtenName) continue;
    const person = personFor(note.writtenName, input.participants, note.groupId);
    if (!person) continue;
    suggestions.push({
      noteId: note.id,
      participantId: person.id,
      name: person.name,
      evidence: `Navnet «${note.writtenName}» står alene på en linje ved lappen, og bare ${person.name} i verkstedet heter det.`,
    });
  }
  return suggestions;
}

/**
 * Groups: for each unlabelled group, the labelled group whose participants it names (signed or
 * agreed with) and whose labelled posters leave this perspective and part uncovered.
 */
export function suggestGroups(input: IdentityInput): GroupSuggestion[] {
  const labelled = input.groups.filter((g) => g.labelled);
  const posters = new Map(input.posters.map((p) => [p.id, p]));
  const groupName = new Map(input.groups.map((g) => [g.id, g.name]));
  const covered = new Map<string, Set<string>>();
  for (const note of input.notes) {
    const poster = posters.get(note.posterId);
    if (!poster) continue;
    const set = covered.get(note.groupId) ?? new Set<string>();
    set.add(`${poster.perspectiveId}:${poster.part}`);
    covered.set(note.groupId, set);
  }
  const suggestions: GroupSuggestion[] = [];
  for (const group of input.groups.filter((g) => !g.labelled)) {
    const notes = input.notes.filter((n) => n.groupId === group.id);
    const posterIds = [...new Set(notes.map((n) => n.posterId))];
    const score = new Map<string, number>();
    const reasons = new Map<string, string[]>();
    const note = (groupId: string, points: number, reason: string) => {
      score.set(groupId, (score.get(groupId) ?? 0) + points);
      const list = reasons.get(groupId) ?? [];
      if (!list.includes(reason)) list.push(reason);
      reasons.set(groupId, list);
    };
    for (const lapp of notes) {
      const names = [...(lapp.writtenName ? [lapp.writtenName] : []), ...agreedNames(lapp.text)];
      for (const name of names) {
        const person = personFor(name, input.participants.filter((p) => labelled.some((g) => g.id === p.groupId)), '');
        if (person) note(person.groupId, 2, `«${capitalised(name)}» står på plakaten, og ${person.name} er med i ${groupName.get(person.groupId)}.`);
      }
    }
    for (const posterId of posterIds) {
      const poster = posters.get(posterId);
      if (!poster) continue;
      const other = poster.part === 'goals' ? 'strategies' : 'goals';
      for (const candidate of labelled) {
        const has = covered.get(candidate.id) ?? new Set();
        if (has.has(`${poster.perspectiveId}:${other}`) && !has.has(`${poster.perspectiveId}:${poster.part}`)) {
          note(candidate.id, 1, `${candidate.name} har en merket plakat for den andre delen av dette perspektivet, men ingen ${poster.label}.`);
        }
      }
    }
    const ranked = [...score].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    const [best, second] = ranked;
    // Only a clear lead is suggested; a tie says nothing.
    if (!best || (second && second[1] === best[1])) continue;
    suggestions.push({ groupId: group.id, intoGroupId: best[0], reasons: reasons.get(best[0]) ?? [] });
  }
  return suggestions;
}
