import { describe, expect, it } from 'vitest';
import { signatureOf, suggestAuthors, type IdentityInput } from './identities.js';

const roster = [
  { id: 'dag', name: 'Dag', groupId: 'g1' },
  { id: 'signe', name: 'Signe', groupId: 'g1' },
  { id: 'finn', name: 'Finn Oddvar', groupId: 'g1' },
  { id: 'dina', name: 'Dina', groupId: 'g2' },
  { id: 'dag2', name: 'Dag Eriksen', groupId: 'g2' },
];
const input = (texts: string[], groupId = 'g1'): IdentityInput => ({
  groups: [
    { id: 'g1', name: 'Gruppe 1', labelled: true },
    { id: 'g2', name: 'Gruppe 2', labelled: true },
  ],
  participants: roster,
  posters: [{ id: 'p', perspectiveId: 'x', part: 'goals', label: 'Del 1 X' }],
  notes: texts.map((text, i) => ({ id: `n${i}`, text, posterId: 'p', groupId, writtenName: null, participantId: null })),
});
const authors = (texts: string[], groupId?: string) => suggestAuthors(input(texts, groupId)).map((s) => [s.noteId, s.participantId]);

describe('[PLACE-11] authors from a signature at the end of a lapp', () => {
  it('reads "Skrevet av …", "– …", "/…" and "(…)" at the end, and nothing else', () => {
    expect(signatureOf('Flere sykkelveier. Skrevet av Signe')).toBe('Signe');
    expect(signatureOf('Flere sykkelveier – Dag E.')).toBe('Dag E');
    expect(signatureOf('Flere sykkelveier /Signe')).toBe('Signe');
    expect(signatureOf('Flere sykkelveier (Finn Oddvar)')).toBe('Finn Oddvar');
    expect(signatureOf('Flere sykkelveier - FO')).toBe('FO');
    // A name inside the text, a reference or an ordinary word after a slash is no signature.
    expect(signatureOf('Bra poeng av Mathias - motstridende til knutepunkt?')).toBeNull();
    expect(signatureOf('Husk ytringsfrihet jfr. Stein.')).toBeNull();
    expect(signatureOf('Kortere vei (hilsen kringsjåbeboer)')).toBeNull();
    expect(signatureOf('Kortere vei hilsen kringsjåbeboer')).toBeNull();
    expect(signatureOf('bedrifter/næringsliv')).toBeNull();
  });

  it('suggests the one person of the poster’s roster the signature names, by name or by initials', () => {
    expect(authors(['Flere sykkelveier. Skrevet av Signe', 'Flere busser – Dag E', 'Mer grønt (Finn Oddvar)', 'Mer grønt /FO', 'Billigere boliger - D.E.'])).toEqual([
      ['n0', 'signe'],
      ['n1', 'dag'],
      ['n2', 'finn'],
      ['n3', 'finn'],
      ['n4', 'dag'],
    ]);
  });

  it('never invents a person: a name not on the poster’s roster, or initials two people share, suggest nobody', () => {
    // Dina is in the workshop but not on this poster's roster; Kari is nowhere.
    expect(authors(['Flere busser – Dina', 'Kari møteplasser for ungdom – Kari', 'Øst/Vest'])).toEqual([]);
    const twoD = { ...input(['Flere busser - DE']), participants: [...roster, { id: 'didrik', name: 'Didrik Eng', groupId: 'g1' }] };
    expect(suggestAuthors(twoD)).toEqual([]);
  });

  it('a lapp that has an author, or a name alone beside it, is not read for a signature', () => {
    const base = input(['Flere busser – Signe']);
    const withAuthor = { ...base, notes: [{ ...base.notes[0]!, participantId: 'dag' }] };
    expect(suggestAuthors(withAuthor)).toEqual([]);
    const written = { ...base, notes: [{ ...base.notes[0]!, writtenName: 'Dag' }] };
    expect(suggestAuthors(written).map((s) => s.participantId)).toEqual(['dag']);
  });
});
