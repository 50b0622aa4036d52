/**
 * The live protocol: every message between a device and the server, as zod unions discriminated
 * on `type`. Bump PROTOCOL_VERSION on any incompatible change; the server closes older clients
 * with CLOSE_CODES.protocolVersion so they reload.
 *
 * Flow: the client sends `connect` with the last sequence number it saw (or null). The server
 * answers `welcome`, then either `snapshot` (first visit, or too far behind) or `events` (exactly
 * what it missed), then streams `event`s in sequence order. Every `command` gets exactly one
 * `ack` (after its transaction committed) or `reject`. Commands carry a client-made `commandId`;
 * sending the same command again is answered with the first result and stored once.
 */
import { z } from 'zod';
import { languages } from '../domain/languages.js';
import { errorCodes } from '../domain/errors.js';
import { NOTE_ITEMS_MAX, NOTE_TEXT_MAX, participantNoteKinds } from '../domain/notes.js';
import { itemKindSchema, plainText } from './plans.schema.js';

export const PROTOCOL_VERSION = 1;

/** WebSocket close codes (4000–4999 are ours). */
export const CLOSE_CODES = {
  /** The client speaks another protocol version: reload the page. */
  protocolVersion: 4000,
  /** No valid session, participant cookie or viewer token. */
  unauthenticated: 4001,
  /** Authenticated, but not for this workshop or group. */
  forbidden: 4003,
  /** The workshop does not exist. */
  notFound: 4004,
  /** A cap on open sockets (per person, address or workshop) is reached: back off and retry later ([SAFE-5]). */
  tooManySockets: 4029,
  /** Too many malformed frames: the client is broken. */
  malformed: 4400,
  /** The first frame was not `connect` within the time limit. */
  connectTimeout: 4408,
  /**
   * [LIVE-15] Who this device is changed under it (the participant was anonymised, removed or moved
   * to another group, the facilitator unassigned, the plenary link regenerated): reconnect, and if
   * that is refused with 4001/4003, join again.
   */
  accessChanged: 4010,
  /** The server is shutting down: reconnect with your last sequence number. */
  goingAway: 1001,
} as const;

const id = z.uuid();

// ---- commands (the one write path, also accepted over HTTP) ----

const onBehalfOf = id.optional().describe('A facilitator writing for a named participant at a shared device');

export const commandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('note.create'),
    noteId: id,
    posterId: id,
    groupId: id.optional().describe('Needed when a facilitator or planner writes; a participant writes in their own group'),
    itemIds: z.array(id).max(NOTE_ITEMS_MAX).default([]).describe('Empty means the general box'),
    kind: z.enum(participantNoteKinds).or(z.literal('facilitator_note')),
    text: plainText(NOTE_TEXT_MAX),
    proposedItemKind: itemKindSchema.optional().describe('For kind new_item: what kind of item is proposed'),
    replyToNoteId: id.optional(),
    onBehalfOf,
  }),
  z.object({ type: z.literal('note.edit'), noteId: id, text: plainText(NOTE_TEXT_MAX) }),
  z.object({ type: z.literal('note.withdraw'), noteId: id }),
  z.object({
    type: z.literal('note.move'),
    noteId: id,
    itemIds: z.array(id).max(NOTE_ITEMS_MAX).describe('Empty moves the lapp to the general box'),
    fromSuggestion: z.boolean().optional().describe('A planner accepted a placement suggestion: recorded as such [PLACE-5]'),
    ifUnplaced: z.boolean().optional().describe('Refuse with version_conflict when someone placed the lapp first [PLACE-6]'),
    unplace: z.boolean().optional().describe('Undo a placement: the lapp waits unplaced again (itemIds must be empty)'),
  }),
  z.object({
    type: z.literal('note.setAuthor'),
    noteId: id.describe('An imported lapp without an author'),
    participantId: id.describe('A participant of the lapp’s own group, e.g. from an author suggestion [PLACE-8]'),
  }),
  z.object({ type: z.literal('agreement.set'), noteId: id, agreed: z.boolean(), onBehalfOf }),
  z.object({ type: z.literal('star.give'), starId: id, posterId: id, itemId: id, onBehalfOf }),
  z.object({ type: z.literal('star.take'), posterId: id, itemId: id, onBehalfOf }),
  z.object({ type: z.literal('group.revealStars'), groupId: id, revealed: z.boolean() }),
  z.object({
    type: z.literal('group.timer'),
    groupId: id,
    seconds: z.number().int().min(0).max(4 * 3600).nullable().describe('Round length from now; null stops the timer'),
  }),
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];

/** The same write path over HTTP (`POST /api/workshops/:id/commands`): one command with its client-made id. */
export const commandRequestSchema = z.object({ commandId: id, command: commandSchema });
/** The HTTP answer to a command, after its transaction committed; `duplicate` when the id was seen before. */
export const commandAckSchema = z.object({ seq: z.number().int(), duplicate: z.boolean() });
export type CommandAck = z.infer<typeof commandAckSchema>;

// ---- events (what every subscriber receives, in sequence order) ----

export const noteSchema = z.object({
  id,
  posterId: id,
  groupId: id,
  itemIds: z.array(id),
  kind: z.enum(['comment', 'rewording', 'new_item', 'question', 'facilitator_note']),
  text: z.string(),
  proposedItemKind: itemKindSchema.nullable(),
  replyToNoteId: id.nullable(),
  author: z.object({
    participantId: id.nullable(),
    userId: id.nullable(),
    name: z.string().nullable(),
  }),
  /** A lapp from an import that no item could be found for; shown in the general box until placed. */
  placed: z.boolean(),
  withdrawn: z.boolean(),
  agreedBy: z.array(id).describe('Participant ids who agree ("Enig")'),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type LiveNote = z.infer<typeof noteSchema>;

export const starSchema = z.object({ id, posterId: id, groupId: id, itemId: id, participantId: id.nullable() });
export type LiveStar = z.infer<typeof starSchema>;

/**
 * What changed when a writer outside the live commands (setup, roster, import, merge, privacy,
 * plan edits) changed what a board shows. The event carries no state: each device gets a fresh
 * snapshot after it ([LIVE-14]).
 */
export const boardChangeReasons = ['settings', 'joinCode', 'viewerLink', 'posters', 'groups', 'participants', 'import', 'merge', 'anonymised', 'plan'] as const;
export type BoardChangeReason = (typeof boardChangeReasons)[number];

const eventBase = { seq: z.number().int(), workshopId: id, groupId: id.nullable(), at: z.string() };

export const eventSchema = z.discriminatedUnion('type', [
  z.object({ ...eventBase, type: z.literal('note.created'), note: noteSchema }),
  z.object({ ...eventBase, type: z.literal('note.edited'), noteId: id, text: z.string(), updatedAt: z.string() }),
  z.object({ ...eventBase, type: z.literal('note.withdrawn'), noteId: id, updatedAt: z.string() }),
  z.object({ ...eventBase, type: z.literal('note.moved'), noteId: id, itemIds: z.array(id), placed: z.boolean(), updatedAt: z.string() }),
  z.object({ ...eventBase, type: z.literal('note.authorSet'), noteId: id, participantId: id, updatedAt: z.string() }),
  z.object({ ...eventBase, type: z.literal('agreement.changed'), noteId: id, participantId: id, agreed: z.boolean() }),
  z.object({ ...eventBase, type: z.literal('star.given'), star: starSchema }),
  z.object({ ...eventBase, type: z.literal('star.taken'), starId: id, posterId: id, itemId: id, participantId: id.nullable() }),
  z.object({ ...eventBase, type: z.literal('group.starsRevealed'), revealed: z.boolean() }),
  z.object({ ...eventBase, type: z.literal('group.timer'), endsAt: z.string().nullable() }),
  z.object({ ...eventBase, type: z.literal('workshop.changed'), state: z.enum(['draft', 'open', 'closed']) }),
  z.object({ ...eventBase, type: z.literal('board.changed'), reason: z.enum(boardChangeReasons) }),
  /** [JOIN-5] A join request of this group was made or answered; only its facilitators and planners get it (and read the list). */
  z.object({ ...eventBase, type: z.literal('joinRequests.changed') }),
]);
export type LiveEvent = z.infer<typeof eventSchema>;
/** An event as written by a command, before the transaction gives it its place in the sequence. */
export type NewEvent = LiveEvent extends infer E ? (E extends LiveEvent ? Omit<E, 'seq' | 'workshopId' | 'at'> : never) : never;

// ---- the state a device rebuilds: a snapshot plus later events ----

export const boardItemSchema = z.object({ id, kind: itemKindSchema, number: z.number().int(), text: z.string() });

export const boardPosterSchema = z.object({
  id,
  perspectiveId: id,
  perspectiveTitle: z.string(),
  part: z.enum(['goals', 'strategies']),
  position: z.number().int(),
  instructions: z.string(),
  boxPrompt: z.string(),
  starsEnabled: z.boolean(),
  mainGoal: z.string(),
  items: z.array(boardItemSchema).describe('The items of this part (posterKinds in src/domain/items.ts): hovedmål and delmål on Del 1, strategier and arealstrategier on Del 2'),
});
export type BoardPoster = z.infer<typeof boardPosterSchema>;

export const boardGroupSchema = z.object({
  id,
  name: z.string(),
  position: z.number().int(),
  starsRevealed: z.boolean(),
  timerEndsAt: z.string().nullable(),
  participants: z.array(z.object({ id, name: z.string() })),
});
export type BoardGroup = z.infer<typeof boardGroupSchema>;

export const snapshotSchema = z.object({
  seq: z.number().int(),
  workshop: z.object({
    id,
    title: z.string(),
    state: z.enum(['draft', 'open', 'closed']),
    starBudget: z.number().int(),
    starsPerItem: z.number().int(),
    starsHidden: z.boolean(),
    /** [I18N-3] The language participants see first; a settings change arrives as `board.changed`. */
    language: z.enum(languages),
    joinCode: z.string().nullable().describe('Only for facilitators, planners and the plenary screen'),
  }),
  posters: z.array(boardPosterSchema),
  groups: z.array(boardGroupSchema).describe('The groups this device follows'),
  notes: z.array(noteSchema),
  /** Stars this device may see: all, or only its own while the group's totals are hidden. */
  stars: z.array(starSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

// ---- messages ----

export const subscriptionSchema = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('group'), groupId: id }),
  z.object({ scope: z.literal('workshop') }),
]);
export type Subscription = z.infer<typeof subscriptionSchema>;

/** Which part of a workshop a device follows, as a query: one group, or (without `groupId`) the whole workshop. */
export const scopeQuerySchema = z.object({ groupId: id.optional().describe('Follow one group; without it, the whole workshop') });

/**
 * The event stream over HTTP (`GET /api/workshops/:id/stream`, server-sent events) for networks
 * that block WebSockets: the `connect` message as a query. Each SSE `message` carries one server
 * message as JSON (with `id:` its sequence number); the stream ends with a `close` event carrying
 * the same close codes as the socket. Commands go to `POST /api/workshops/:id/commands`.
 */
export const streamQuerySchema = scopeQuerySchema.extend({
  lastSeq: z.coerce.number().int().min(0).optional().describe('The last sequence number this device saw; a `Last-Event-ID` header wins'),
  viewerToken: z.string().max(200).optional().describe('The plenary link token, for screens without a login'),
});
export type StreamQuery = z.infer<typeof streamQuerySchema>;
/** The `Last-Event-ID` header an EventSource sends when it reconnects by itself. */
export const lastEventIdSchema = z.coerce.number().int().min(0);
/** The stream's last event (`event: close`): why it ended, as a WebSocket close code. */
export const streamCloseSchema = z.object({ code: z.number().int(), reason: z.string() });
/** Over the event stream the server sends a `pong` this often, so the device can tell a dead stream (it pings after 20 s and waits 10 s). */
export const STREAM_HEARTBEAT_MS = 8_000;

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('connect'),
    protocolVersion: z.number().int(),
    workshopId: id,
    subscription: subscriptionSchema,
    lastSeq: z.number().int().min(0).nullable(),
    viewerToken: z.string().max(200).optional().describe('The plenary link token, for screens without a login'),
  }),
  z.object({ type: z.literal('command'), commandId: id, command: commandSchema }),
  z.object({ type: z.literal('ping'), at: z.number().optional() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;

export const wireErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  retryAfterSeconds: z.number().optional(),
});

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    protocolVersion: z.number().int(),
    you: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('participant'), participantId: id, groupId: id, name: z.string() }),
      z.object({ kind: z.literal('user'), userId: id, role: z.enum(['planner', 'facilitator']), name: z.string() }),
      z.object({ kind: z.literal('viewer') }),
    ]),
  }),
  z.object({ type: z.literal('snapshot'), snapshot: snapshotSchema }),
  z.object({ type: z.literal('events'), events: z.array(eventSchema) }),
  z.object({ type: z.literal('event'), event: eventSchema }),
  z.object({ type: z.literal('ack'), commandId: id, seq: z.number().int(), duplicate: z.boolean() }),
  z.object({ type: z.literal('reject'), commandId: id, error: wireErrorSchema }),
  z.object({ type: z.literal('error'), error: z.object({ code: z.string(), message: z.string() }) }),
  z.object({ type: z.literal('pong'), at: z.number().optional() }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
