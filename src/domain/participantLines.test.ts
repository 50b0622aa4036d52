import { describe, expect, it } from 'vitest';
import { readParticipantLines, splitFields } from './participantLines.js';
import { assertTransition, formatJoinCode, makeJoinCode, nextGroupName, normaliseJoinCode } from './workshops.js';

describe('pasted participant lines', () => {
  it('splits on semicolons, tabs and spaced dashes, but not on a hyphen inside a name', () => {
    expect(splitFields('Kari; Høyre; FSK')).toEqual(['Kari', 'Høyre', 'FSK']);
    expect(splitFields('Kari\tHøyre\t\t')).toEqual(['Kari', 'Høyre']);
    expect(splitFields('Stein — Rødt — FSK')).toEqual(['Stein', 'Rødt', 'FSK']);
    expect(splitFields('Stein–Rødt')).toEqual(['Stein', 'Rødt']);
    expect(splitFields('Anne-Lise - Ap')).toEqual(['Anne-Lise', 'Ap']);
    expect(splitFields('Anne-Lise Berg')).toEqual(['Anne-Lise Berg']);
  });

  it('[JOIN-4] skips blank lines, reports each bad line by number, and finds duplicates', () => {
    const reading = readParticipantLines('Kari\n\n; Ap\nOla;A;B;C\nkari\nPer', ['Per']);
    expect(reading.participants.map((p) => [p.line, p.name])).toEqual([[1, 'Kari']]);
    expect(reading.problems).toEqual([
      { line: 3, problem: 'missing_name' },
      { line: 4, problem: 'too_many_fields' },
      { line: 5, problem: 'duplicate_in_paste' },
      { line: 6, problem: 'duplicate_in_group' },
    ]);
    expect(reading.lineCount).toBe(6);
  });

  it('counts lines without the trailing blank ones', () => {
    expect(readParticipantLines('a\nb\n\n').lineCount).toBe(2);
    expect(readParticipantLines('   ').lineCount).toBe(0);
  });
});

describe('workshop rules', () => {
  it('moves draft → open → closed, reopens, and never goes back to draft', () => {
    expect(() => assertTransition('draft', 'open')).not.toThrow();
    expect(() => assertTransition('open', 'closed')).not.toThrow();
    expect(() => assertTransition('closed', 'open')).not.toThrow();
    expect(() => assertTransition('draft', 'closed')).toThrow(/cannot become closed/);
    expect(() => assertTransition('open', 'draft')).toThrow();
  });

  it('makes join codes from an alphabet without look-alikes and reads them back in any spelling', () => {
    let i = 0;
    const code = makeJoinCode(() => i++ % 31);
    expect(code).toBe('ABCDEF');
    expect(normaliseJoinCode('abc def')).toBe('ABCDEF');
    expect(normaliseJoinCode('ABC-DEF')).toBe('ABCDEF');
    expect(normaliseJoinCode('ABCDE0')).toBeNull();
    expect(normaliseJoinCode('ABCDEFG')).toBeNull();
    expect(formatJoinCode('ABCDEF')).toBe('ABC DEF');
  });

  it('names the next group after the highest number in use', () => {
    expect(nextGroupName([])).toBe('Gruppe 1');
    expect(nextGroupName(['Gruppe 1', 'Gruppe 2'])).toBe('Gruppe 3');
    expect(nextGroupName(['Gruppe 1', 'Gruppe 7'])).toBe('Gruppe 8');
    expect(nextGroupName(['Bordet'])).toBe('Gruppe 2');
  });
});
