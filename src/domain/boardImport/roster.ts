/**
 * Group labels ("Gruppe 5") and the roster written under them: name, party, committee, one per
 * line, with party names broken across lines by the export ("Senter-" / "partietpartiet").
 */
import type { ParsedParticipant } from './boardImport.types.js';
import { isBlank, type SourceLine } from './lines.js';

export const GROUP_LABEL = /^gruppe\s*(\d{1,3}|[a-zæøå])\s*:?$/i;

/** Norwegian parties by the names and abbreviations rosters use. */
const PARTIES: { name: string; aliases: string[] }[] = [
  { name: 'Ap', aliases: ['ap', 'arbeiderpartiet', 'dna'] },
  { name: 'Høyre', aliases: ['h', 'høyre'] },
  { name: 'FrP', aliases: ['frp', 'fremskrittspartiet'] },
  { name: 'Sp', aliases: ['sp', 'senterpartiet'] },
  { name: 'SV', aliases: ['sv', 'sosialistiskventreparti', 'sosialistiskvenstreparti'] },
  { name: 'Venstre', aliases: ['v', 'venstre'] },
  { name: 'KrF', aliases: ['krf', 'kristeligfolkeparti'] },
  { name: 'MDG', aliases: ['mdg', 'miljøpartietdegrønne', 'degrønne'] },
  { name: 'Rødt', aliases: ['r', 'rødt', 'raudt'] },
  { name: 'Pensjonistpartiet', aliases: ['pp', 'pensjonistpartiet'] },
  { name: 'INP', aliases: ['inp', 'industriognæringspartiet'] },
  { name: 'Partiet Sentrum', aliases: ['partietsentrum'] },
  { name: 'Konservativt', aliases: ['konservativt'] },
  { name: 'Liberalistene', aliases: ['liberalistene'] },
  { name: 'FNB', aliases: ['fnb', 'folkeaksjonenneitilmerbompenger'] },
];

const lettersOnly = (text: string): string => text.toLowerCase().replace(/[^\p{L}]+/gu, '');

/** The party a roster line names, and how many lines it took (a name can be broken over two). */
export function readParty(line: string, next: string | undefined): { party: string; lines: 1 | 2 } | null {
  const here = lettersOnly(line);
  if (here === '') return null;
  for (const { name, aliases } of PARTIES) {
    for (const alias of aliases) {
      if (here === alias) return { party: name, lines: 1 };
      if (alias.length < 6) continue;
      // The export repeats a tail ("Senterpartietpartiet") or breaks the word ("Pensjonistpar" / "tiet").
      if (here.startsWith(alias)) return { party: name, lines: 1 };
      if (next !== undefined && here.length >= 4 && alias.startsWith(here)) {
        const joined = here + lettersOnly(next);
        if (joined.startsWith(alias) || alias === joined) return { party: name, lines: 2 };
      }
    }
  }
  return null;
}

const looksLikeRosterLine = (text: string): boolean =>
  text.length <= 40 && text.split(' ').length <= 4 && !/[?!:;]/.test(text) && !/^\d+$/.test(text);

export interface GroupSplit {
  label: string | null;
  /** Lines of the poster body that hold lapper and notes (blanks kept). */
  writingLines: SourceLine[];
  rosterLines: SourceLine[];
}

/** The group label is the last "Gruppe N" line; the roster is the short lines under it. */
export function splitAtGroupLabel(bodyLines: readonly SourceLine[]): GroupSplit {
  let labelAt = -1;
  bodyLines.forEach((line, i) => {
    if (GROUP_LABEL.test(line.text)) labelAt = i;
  });
  if (labelAt < 0) return { label: null, writingLines: [...bodyLines], rosterLines: [] };
  const rosterLines: SourceLine[] = [];
  let i = labelAt + 1;
  for (; i < bodyLines.length; i++) {
    const line = bodyLines[i]!;
    if (isBlank(line)) continue;
    if (!looksLikeRosterLine(line.text)) break;
    rosterLines.push(line);
  }
  const label = bodyLines[labelAt]!.text.replace(/\s*:$/, '');
  return { label, writingLines: [...bodyLines.slice(0, labelAt), ...bodyLines.slice(i)], rosterLines };
}

type Token = { kind: 'party'; text: string; party: string } | { kind: 'word'; text: string };

function tokenise(lines: readonly SourceLine[]): Token[] {
  const tokens: Token[] = [];
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!.text;
    const party = readParty(text, lines[i + 1]?.text);
    if (party) {
      tokens.push({ kind: 'party', text, party: party.party });
      i += party.lines - 1;
    } else tokens.push({ kind: 'word', text });
  }
  return tokens;
}

export interface RosterVocabulary {
  /** Lower-case names: a word directly followed by a party in some roster. */
  names: Set<string>;
  /** Lower-case committees: a word after a party that is never followed by one. */
  committees: Set<string>;
}

/** Learns from all rosters of the file which words are names and which are committees. */
export function learnRosterVocabulary(rosters: readonly (readonly SourceLine[])[]): RosterVocabulary {
  const names = new Set<string>();
  const afterParty = new Set<string>();
  for (const roster of rosters) {
    const tokens = tokenise(roster);
    tokens.forEach((token, i) => {
      const next = tokens[i + 1];
      const previous = tokens[i - 1];
      if (token.kind !== 'word') return;
      if (next?.kind === 'party' && !committeeLike(token.text)) names.add(token.text.toLowerCase());
      if (previous?.kind === 'party') afterParty.add(token.text.toLowerCase());
    });
  }
  const committees = new Set([...afterParty].filter((word) => !names.has(word)));
  return { names, committees };
}

const committeeLike = (text: string): boolean =>
  /^[\p{Lu}\d][\p{Lu}\d/&.\- ]+$/u.test(text) || text.includes('/') || /\.$/.test(text);

const nameLike = (text: string): boolean => /^\p{Lu}[\p{L}'’.\- ]*$/u.test(text);

export interface RosterReading {
  participants: ParsedParticipant[];
  /** Parties or committees with no name before them (a partial roster). */
  orphans: string[];
  unreadable: string[];
}

export function readRoster(lines: readonly SourceLine[], vocabulary: RosterVocabulary): RosterReading {
  const tokens = tokenise(lines);
  const participants: ParsedParticipant[] = [];
  const orphans: string[] = [];
  const unreadable: string[] = [];
  let current: ParsedParticipant | null = null;
  let orphan = false;
  tokens.forEach((token, i) => {
    const previous = tokens[i - 1];
    const next = tokens[i + 1];
    if (token.kind === 'party') {
      if (current && !orphan && current.party === null && current.committee === null) current.party = token.party;
      else {
        orphans.push(token.text);
        current = { name: '', party: token.party, committee: null };
        orphan = true;
      }
      return;
    }
    const lower = token.text.toLowerCase();
    const isName = !committeeLike(token.text) && (vocabulary.names.has(lower) || next?.kind === 'party');
    const isCommittee =
      !isName && (vocabulary.committees.has(lower) || committeeLike(token.text) || previous?.kind === 'party');
    if (isCommittee && current && current.committee === null) {
      current.committee = token.text;
      if (orphan) orphans.push(token.text);
    } else if (isCommittee) orphans.push(token.text);
    else if (nameLike(token.text)) {
      current = { name: token.text, party: null, committee: null };
      orphan = false;
      participants.push(current);
    } else unreadable.push(token.text);
  });
  return { participants, orphans, unreadable };
}

/** Union of rosters, one entry per name; a later roster fills what an earlier one left out. */
export function mergeParticipants(lists: readonly (readonly ParsedParticipant[])[]): ParsedParticipant[] {
  const byName = new Map<string, ParsedParticipant>();
  for (const list of lists) {
    for (const person of list) {
      const key = person.name.toLowerCase().replace(/\s+/g, ' ');
      const known = byName.get(key);
      if (!known) byName.set(key, { ...person });
      else {
        known.party ??= person.party;
        known.committee ??= person.committee;
      }
    }
  }
  return [...byName.values()];
}
