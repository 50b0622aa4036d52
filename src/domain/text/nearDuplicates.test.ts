import { describe, expect, it } from 'vitest';
import { findNearDuplicates } from './nearDuplicates.js';

describe('findNearDuplicates', () => {
  it('finds a lapp copied with other line breaks, punctuation and case', () => {
    const notes = [
      { id: 'n2', text: 'Vi må ha en\njordvernstrategi og få opp lokal\nmatproduksjon.' },
      { id: 'n1', text: 'Vi må ha en jordvernstrategi og få opp lokal matproduksjon' },
      { id: 'n3', text: 'VI MÅ HA EN JORDVERNSTRATEGI, og få opp lokal matproduksjon!' },
      { id: 'n4', text: 'Kollektivtilbudet må bli bedre' },
    ];
    expect(findNearDuplicates(notes)).toEqual([{ keep: 'n1', duplicates: ['n2', 'n3'], similarity: 1 }]);
  });

  it('finds a copy with a small typo, with its similarity', () => {
    const notes = [
      { id: 'a', text: 'Kulturlandskapet og fremtidig matproduksjon sikres gjennom et aktivt jordvern' },
      { id: 'b', text: 'Kulturlandskapet og fremtidig matproduksjon sikres gjenom et aktivt jordvern' },
    ];
    const [group] = findNearDuplicates(notes);
    expect(group).toMatchObject({ keep: 'a', duplicates: ['b'] });
    expect(group!.similarity).toBeGreaterThanOrEqual(0.9);
    expect(group!.similarity).toBeLessThan(1);
  });

  it('does not group notes that only share a subject', () => {
    const notes = [
      { id: 'a', text: 'Ta vare på dyrket mark og matjord' },
      { id: 'b', text: 'Ta vare på dyrket mark for å sikre fremtidig matproduksjon' },
      { id: 'c', text: 'Jordvern må inn som eget delmål' },
    ];
    expect(findNearDuplicates(notes)).toEqual([]);
  });

  it('ignores notes without words', () => {
    expect(findNearDuplicates([{ id: 'a', text: '!!' }, { id: 'b', text: '...' }])).toEqual([]);
  });

  it('gives the same groups whatever the order of the notes', () => {
    const notes = [
      { id: 'x', text: 'Flere boliger for unge' },
      { id: 'y', text: 'Boligbygging ved kollektivknutepunkter' },
      { id: 'z', text: 'Flere boliger for unge.' },
      { id: 'w', text: 'boligbygging ved kollektivknutepunkter!' },
    ];
    const expected = [
      { keep: 'w', duplicates: ['y'], similarity: 1 },
      { keep: 'x', duplicates: ['z'], similarity: 1 },
    ];
    expect(findNearDuplicates(notes)).toEqual(expected);
    expect(findNearDuplicates([...notes].reverse())).toEqual(expected);
  });
});
