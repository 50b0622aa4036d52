/**
 * Reading a pasted participant list, one person a line: `Name; Party; Committee`. Tabs (from a
 * spreadsheet) and dashes with spaces ("Stein — Rødt — FSK", as on the paper posters) separate
 * fields too. Party and committee are optional. Pure, so the browser previews with the same rules
 * the server enforces.
 */

export const PARTICIPANT_NAME_MAX = 120;
export const PARTY_MAX = 80;
export const COMMITTEE_MAX = 120;
export const MAX_PASTE_LINES = 2000;

export const lineProblems = [
  'missing_name',
  'too_many_fields',
  'name_too_long',
  'party_too_long',
  'committee_too_long',
  'duplicate_in_paste',
  'duplicate_in_group',
] as const;
export type LineProblem = (typeof lineProblems)[number];

export interface PastedParticipant {
  /** 1-based line number in the pasted text. */
  line: number;
  name: string;
  party: string | null;
  committee: string | null;
}

export interface PasteReading {
  participants: PastedParticipant[];
  problems: Array<{ line: number; problem: LineProblem }>;
  /** Lines counted, blank ones included (trailing blank lines excluded). */
  lineCount: number;
}

/** A hyphen separates only with spaces around it, so "Anne-Lise" stays one name. */
const DASH_SEPARATOR = /\s*[—–]\s*|\s+-\s+/;

export function splitFields(line: string): string[] {
  const separator = line.includes(';') ? ';' : line.includes('\t') ? '\t' : DASH_SEPARATOR;
  const fields = line.split(separator).map((field) => field.trim());
  while (fields.length > 1 && fields.at(-1) === '') fields.pop();
  return fields;
}

/** Names compare without case and repeated spaces: "kari  nordmann" is "Kari Nordmann". */
export const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLocaleLowerCase('nb');

export function readParticipantLines(text: string, existingNames: readonly string[] = []): PasteReading {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  const lineCount = text.trim() === '' ? 0 : lines.length;
  const existing = new Set(existingNames.map(nameKey));
  const seen = new Set<string>();
  const participants: PastedParticipant[] = [];
  const problems: PasteReading['problems'] = [];
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    const fields = splitFields(raw);
    const [name = '', party = '', committee = ''] = fields;
    const problem: LineProblem | null =
      fields.length > 3
        ? 'too_many_fields'
        : name === ''
          ? 'missing_name'
          : name.length > PARTICIPANT_NAME_MAX
            ? 'name_too_long'
            : party.length > PARTY_MAX
              ? 'party_too_long'
              : committee.length > COMMITTEE_MAX
                ? 'committee_too_long'
                : existing.has(nameKey(name))
                  ? 'duplicate_in_group'
                  : seen.has(nameKey(name))
                    ? 'duplicate_in_paste'
                    : null;
    if (problem) {
      problems.push({ line, problem });
      return;
    }
    seen.add(nameKey(name));
    participants.push({ line, name: name.replace(/\s+/g, ' '), party: party || null, committee: committee || null });
  });
  return { participants, problems, lineCount };
}

/** The problem in Norwegian, for the server's answer (the web app translates the code itself). */
export const lineProblemText: Record<LineProblem, string> = {
  missing_name: 'navnet mangler',
  too_many_fields: 'for mange felt; skriv «Navn; Parti; Utvalg»',
  name_too_long: `navnet er lengre enn ${PARTICIPANT_NAME_MAX} tegn`,
  party_too_long: `partiet er lengre enn ${PARTY_MAX} tegn`,
  committee_too_long: `utvalget er lengre enn ${COMMITTEE_MAX} tegn`,
  duplicate_in_paste: 'navnet står to ganger i listen',
  duplicate_in_group: 'navnet finnes allerede i gruppen',
};
