import { describe, expect, it } from 'vitest';
import type { Actor } from './actors.js';
import { assertMayGiveStar, assertMayWrite, starsLeft, type WritePlace } from './workshopRules.js';

const place: WritePlace = { workshopId: 'w1', workshopState: 'open', groupId: 'g1', groupFacilitatorId: 'f1' };
const participant = (groupId = 'g1', workshopId = 'w1'): Actor => ({ kind: 'participant', participantId: 'p1', workshopId, groupId, name: 'Stein' });
const facilitator = (userId = 'f1'): Actor => ({ kind: 'user', userId, role: 'facilitator', name: 'F' });
const planner: Actor = { kind: 'user', userId: 'u1', role: 'planner', name: 'P' };

describe('who may write on a poster', () => {
  it('[LIVE-1] lets a participant write on their own group’s poster', () => {
    expect(() => assertMayWrite(participant(), place)).not.toThrow();
  });

  it('[LIVE-1] refuses a participant of another group or another workshop', () => {
    expect(() => assertMayWrite(participant('g2'), place)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => assertMayWrite(participant('g1', 'w2'), place)).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });

  it('[LIVE-2] lets only the group’s own facilitator act there', () => {
    expect(() => assertMayWrite(facilitator('f1'), place)).not.toThrow();
    expect(() => assertMayWrite(facilitator('f2'), place)).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });

  it('[LIVE-3] keeps a closed workshop read-only for everyone but planners', () => {
    const closed = { ...place, workshopState: 'closed' as const };
    expect(() => assertMayWrite(participant(), closed)).toThrow(expect.objectContaining({ code: 'workshop_closed' }));
    expect(() => assertMayWrite(facilitator(), closed)).toThrow(expect.objectContaining({ code: 'workshop_closed' }));
    expect(() => assertMayWrite(planner, closed)).not.toThrow();
  });

  it('refuses participants before the workshop opens', () => {
    expect(() => assertMayWrite(participant(), { ...place, workshopState: 'draft' })).toThrow(
      expect.objectContaining({ code: 'workshop_not_open' }),
    );
  });

  it('[LIVE-4] never lets the plenary view write', () => {
    expect(() => assertMayWrite({ kind: 'viewer', workshopId: 'w1' }, place)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => assertMayWrite(null, place)).toThrow(expect.objectContaining({ code: 'unauthenticated' }));
  });
});

describe('stars', () => {
  it('[STAR-1] refuses a sixth star when the budget is five', () => {
    expect(() => assertMayGiveStar({ budget: 5, used: 4, perItem: 1, usedOnItem: 0 })).not.toThrow();
    expect(() => assertMayGiveStar({ budget: 5, used: 5, perItem: 1, usedOnItem: 0 })).toThrow(
      expect.objectContaining({ code: 'star_budget_exhausted' }),
    );
  });

  it('[STAR-3] refuses a second star on one item unless the planner allows more', () => {
    expect(() => assertMayGiveStar({ budget: 5, used: 1, perItem: 1, usedOnItem: 1 })).toThrow(
      expect.objectContaining({ code: 'star_limit_per_item' }),
    );
    expect(() => assertMayGiveStar({ budget: 5, used: 1, perItem: 2, usedOnItem: 1 })).not.toThrow();
  });

  it('counts the stars left, never below zero', () => {
    expect(starsLeft(5, 2)).toBe(3);
    expect(starsLeft(5, 7)).toBe(0);
  });
});
