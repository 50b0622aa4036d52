import { describe, expect, it } from 'vitest';
import { isOnPoster, itemKinds, moveInOrder, numberItems, posterKinds } from './items.js';

describe('numberItems', () => {
  it('[PLAN-1] numbers items by position within their kind, never by what was typed', () => {
    const numbered = numberItems([
      { id: 's2', kind: 'strategy', position: 5 },
      { id: 'd1', kind: 'sub_goal', position: 0 },
      { id: 's1', kind: 'strategy', position: 2 },
      { id: 'h', kind: 'main_goal', position: 0 },
      { id: 'a1', kind: 'land_use_strategy', position: 0 },
    ]);
    expect(numbered.map((i) => [i.id, i.number])).toEqual([
      ['h', 1],
      ['d1', 1],
      ['s1', 1],
      ['s2', 2],
      ['a1', 1],
    ]);
  });

  it('gives two strategies two different numbers even when their positions tie', () => {
    const numbered = numberItems([
      { id: 'a', kind: 'strategy', position: 11 },
      { id: 'b', kind: 'strategy', position: 11 },
    ]);
    expect(numbered.map((i) => i.number)).toEqual([1, 2]);
  });

  it('skips archived items so the live ones stay numbered without gaps', () => {
    const numbered = numberItems([
      { id: 'a', kind: 'sub_goal', position: 0 },
      { id: 'b', kind: 'sub_goal', position: 1, archivedAt: new Date() },
      { id: 'c', kind: 'sub_goal', position: 2 },
    ]);
    expect(numbered.map((i) => i.number)).toEqual([1, null, 2]);
  });
});

describe('moveInOrder', () => {
  it('moves an element down and up', () => {
    expect(moveInOrder(['a', 'b', 'c'], 'a', 2)).toEqual(['b', 'c', 'a']);
    expect(moveInOrder(['a', 'b', 'c'], 'c', 0)).toEqual(['c', 'a', 'b']);
  });

  it('clamps a target outside the list', () => {
    expect(moveInOrder(['a', 'b'], 'a', 99)).toEqual(['b', 'a']);
    expect(moveInOrder(['a', 'b'], 'b', -3)).toEqual(['b', 'a']);
  });

  it('leaves the order alone for an unknown id', () => {
    expect(moveInOrder(['a', 'b'], 'x', 0)).toEqual(['a', 'b']);
  });
});

describe('posterKinds', () => {
  it('[PLAN-6] puts the hovedmål and the delmål on Del 1, the strategier and arealstrategier on Del 2, each kind on exactly one part', () => {
    expect(posterKinds).toEqual({ goals: ['main_goal', 'sub_goal'], strategies: ['strategy', 'land_use_strategy'] });
    for (const kind of itemKinds) expect([isOnPoster('goals', kind), isOnPoster('strategies', kind)].filter(Boolean), kind).toHaveLength(1);
    expect(isOnPoster('goals', 'main_goal')).toBe(true);
    expect(isOnPoster('goals', 'strategy')).toBe(false);
  });
});
