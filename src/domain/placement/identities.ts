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

const NAME = String.raw`\p{Lu}\.?\s?\p{Lu}\.?(?:\s?\p{Lu}\.?)?|\p{Lu}[\p{Ll}'-]*\.?(?:\s+\p{Lu}[\p{Ll}'-]*\.?){0,2}`;
/** How people sign at the end of a lapp: "Skrevet av Signe", "– Dag E", "/Signe", "(Finn Oddvar)". */
const SIGNATURES = [
  // The keywords in either case by hand: an `i` flag would let \p{Lu} take any letter.
  new RegExp(String.raw`(?:[Ss]krevet av|[Hh]ilsen|[Mm]vh\.?)\s+(${NAME})$`, 'u'),
  new RegExp(String.raw`(?:^|\s)[-–—]\s*(${NAME})$`, 'u'),
  new RegExp(String.raw`\/\s*(${NAME})$`, 'u'),
  new RegExp(String.raw`\(\s*(${NAME})\s*\)$`, 'u'),
];

/** The name a lapp is signed with at its end, as written, or null. */
export function signatureOf(text: string): string | null {
  const end = text.trim().replace(/[.!]+$/u, '').trim();
  for (const pattern of SIGNATURES) {
    const name = pattern.exec(end)?.[1];
    if (name) return name.replace(/\.$/u, '');
  }
  return null;
}

const initialsOf = (name: string) =>
  name
    .trim()
    .split(/[\s-]+/u)
    .map((part) => part.charAt(0).toLowerCase())
    .join('');

/**
 * The one person of the poster's roster a signature names: by name ("Signe", "Dag E"), or by
 * initials ("DE", "F.O.") when exactly one person of that roster has them. Nobody else: a name
 * that is no one on the roster is left alone.
 */
function signer(signature: string, roster: readonly IdentityParticipant[]): IdentityParticipant | null {
  const byName = personFor(signature, roster, '');
  if (byName) return byName;
  const letters = signature.replace(/[\s.]/gu, '');
  if (!/^\p{Lu}{2,3}$/u.test(letters)) return null;
  const initials = letters.toLowerCase();
  // A roster that lists first names only ("Dag") fits "DE" through the first letter.
  const fits = roster.filter((p) => {
    const own = initialsOf(p.name);
    return own === initials || (own.length === 1 && initials.startsWith(own));
  });
  return fits.length === 1 ? fits[0]! : null;
}

/**
 * Authors: a name standing alone next to a lapp names one participant of the workshop; a
 * signature at the end of its text names one person of its poster's roster ([PLACE-11]).
 */
export function suggestAuthors(input: IdentityInput): AuthorSuggestion[] {
  const suggestions: AuthorSuggestion[] = [];
  for (const note of input.notes) {
    if (note.participantId) continue;
    if (note.writtenName) {
      const person = personFor(note.writtenName, input.participants, note.groupId);
      if (!person) continue;
      suggestions.push({
        noteId: note.id,
        participantId: person.id,
        name: person.name,
        evidence: `Navnet «${note.writtenName}» står alene på en linje ved lappen, og bare ${person.name} i verkstedet heter det.`,
      });
      continue;
    }
    const signature = signatureOf(note.text);
    if (!signature) continue;
    const person = signer(signature, input.participants.filter((p) => p.groupId === note.groupId));
    if (!person) continue;
    suggestions.push({
      noteId: note.id,
      participantId: person.id,
      name: person.name,
      evidence: `Lappen er signert «${signature}», og bare ${person.name} på plakatens deltakerliste passer.`,
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
