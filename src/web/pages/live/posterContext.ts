import type { BoardGroup, BoardPoster, Command, LiveNote } from '../../../contract/protocol.js';
import type { BoardView, Me } from '../../live/applyPending.js';

/** Everything a poster's parts need: what to show, who is acting, and how to change it. */
export interface PosterContext {
  view: BoardView;
  poster: BoardPoster;
  group: BoardGroup;
  mode: 'participant' | 'facilitator';
  me: Me;
  /** The participant this device acts as: the participant themself, or the one a facilitator writes for. */
  actingFor: { id: string; name: string } | null;
  /** Closed (or not yet open) workshop: nothing can be written. */
  readOnly: boolean;
  online: boolean;
  send(command: Command): string;
}

/** Sent with commands when a facilitator acts for a participant. */
export const onBehalf = (ctx: PosterContext) => (ctx.mode === 'facilitator' && ctx.actingFor ? { onBehalfOf: ctx.actingFor.id } : {});

/** May this device edit, withdraw and move this lapp as its author? */
export function isOwnNote(ctx: PosterContext, note: LiveNote): boolean {
  if (ctx.mode === 'participant') return note.author.participantId !== null && note.author.participantId === ctx.me.participantId;
  return note.author.userId !== null && note.author.userId === ctx.me.userId;
}

/** The names of a group's participants by id. */
export const participantNames = (group: BoardGroup) => new Map(group.participants.map((p) => [p.id, p.name]));
