/** Who is acting. Services decide what an actor may do; transports only say who it is. */
export type Actor =
  | { kind: 'user'; userId: string; role: 'planner' | 'facilitator'; name: string }
  | { kind: 'participant'; participantId: string; workshopId: string; groupId: string; name: string }
  | { kind: 'viewer'; workshopId: string };

export type UserActor = Extract<Actor, { kind: 'user' }>;
export type ParticipantActor = Extract<Actor, { kind: 'participant' }>;

export const isPlanner = (actor: Actor | null): actor is UserActor =>
  actor?.kind === 'user' && actor.role === 'planner';
