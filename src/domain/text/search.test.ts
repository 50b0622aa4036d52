import { describe, expect, it } from 'vitest';
import { SearchIndex, matchTerm, matchesQuery, searchIndexTerms } from './search.js';

const notes = [
  { id: 'a', text: 'Flere boliger for unge' },
  { id: 'b', text: 'Boligbygging ved kollektivknutepunkter' },
  { id: 'c', text: 'Avsette bolig- og næringsareal' },
  { id: 'd', text: 'Boligene må være rimelige' },
  { id: 'e', text: 'Bollene i kantina er gode' },
  { id: 'f', text: 'Bygge studentboliger ved Flytårnet' },
  { id: 'g', text: 'Ta vare på dyrket mark og matjord' },
  { id: 'h', text: 'Bedre kollektiv-knutepunkt på Sandvika' },
  { id: 'i', text: 'Markedet for kontorlokaler er mettet' },
];

describe('searchIndexTerms', () => {
  it('indexes words without function words, plus hyphen-joined runs as one word', () => {
    expect(searchIndexTerms('Bedre kollektiv-knutepunkt og bolig- og næringsareal')).toEqual([
      'bedre',
      'kollektiv',
      'knutepunkt',
      'kollektivknutepunkt',
      'bolig',
      'næringsareal',
    ]);
  });
});

describe('matchTerm', () => {
  it('matches inflections by stem and compounds by the word minus its inflection', () => {
    expect(matchTerm('boliger', 'boligene')).toBe('inflection');
    expect(matchTerm('boliger', 'boligbygging')).toBe('compound');
    expect(matchTerm('boliger', 'studentboliger')).toBe('compound');
    expect(matchTerm('areal', 'næringsarealer')).toBe('compound');
    expect(matchTerm('boliger', 'bollene')).toBeUndefined();
  });

  it('does not find short words inside unrelated words', () => {
    expect(matchTerm('vern', 'overnatting')).toBeUndefined();
  });
});

describe('matchesQuery', () => {
  it('needs every query word to be answered by some note word', () => {
    const note = searchIndexTerms('Boligbygging ved kollektivknutepunkter');
    expect(matchesQuery(searchIndexTerms('boliger kollektivknutepunkt'), note)).toBe(true);
    expect(matchesQuery(searchIndexTerms('boliger jordvern'), note)).toBe(false);
  });
});

describe('SearchIndex', () => {
  const index = new SearchIndex(notes);

  it('finds "bolig", "boligene", "boligbygging", "bolig-" and "studentboliger" for "boliger", same-stem matches first', () => {
    expect(index.search('boliger')).toEqual(['a', 'c', 'd', 'b', 'f']);
  });

  it('does not find "bollene" for "bolig"', () => {
    expect(index.search('bolig')).not.toContain('e');
  });

  it('answers a query of several words with the notes that contain all of them', () => {
    expect(index.search('dyrket mark')).toEqual(['g']);
    expect(index.search('boliger unge')).toEqual(['a']);
  });

  it('finds a hyphenated compound by its one-word spelling and the other way round', () => {
    expect(index.search('kollektivknutepunkt')).toEqual(['b', 'h']);
  });

  it('finds nothing for a query of function words only', () => {
    expect(index.search('og i på')).toEqual([]);
  });

  it('gives the same answer whatever the order of the indexed notes', () => {
    const reversed = new SearchIndex([...notes].reverse());
    expect(reversed.search('boliger')).toEqual(index.search('boliger'));
  });
});
