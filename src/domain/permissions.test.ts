import { describe, expect, it } from 'vitest';
import type { Actor } from './actors.js';
import { assertPlanner, assertUser } from './permissions.js';

const planner: Actor = { kind: 'user', userId: 'u1', role: 'planner', name: 'P' };
const facilitator: Actor = { kind: 'user', userId: 'u2', role: 'facilitator', name: 'F' };
const participant: Actor = { kind: 'participant', participantId: 'p', workshopId: 'w', groupId: 'g', name: 'Stein' };
const viewer: Actor = { kind: 'viewer', workshopId: 'w' };

describe('permissions', () => {
  it.each([
    ['nobody', null, 'unauthenticated'],
    ['a facilitator', facilitator, 'forbidden'],
    ['a participant', participant, 'forbidden'],
    ['a plenary viewer', viewer, 'forbidden'],
  ])('refuses plan changes from %s', (_who, actor, code) => {
    expect(() => assertPlanner(actor)).toThrow(expect.objectContaining({ code }));
  });

  it('lets a planner change the plan', () => {
    expect(() => assertPlanner(planner)).not.toThrow();
  });

  it('counts planners and facilitators as users, not participants', () => {
    expect(() => assertUser(facilitator)).not.toThrow();
    expect(() => assertUser(participant)).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});
