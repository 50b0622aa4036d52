import type { Command, LiveEvent, LiveNote, Snapshot } from './protocol.js';

/**
 * How a device's board evolves: a snapshot plus the later events, applied in sequence order.
 * Pure and idempotent per event (an event at or below the board's seq is ignored), so the server
 * tests and the web client share it, and snapshot + events always equals a later snapshot.
 */
export function applyEvent(board: Snapshot, event: LiveEvent): Snapshot {
  // The board this event changed comes as a snapshot right after it; the seq stays, so a device
  // that drops before the snapshot resumes from before the change and gets it then ([LIVE-14]).
  if (event.seq <= board.seq || event.type === 'board.changed') return board;
  const next = { ...board, seq: event.seq };
  switch (event.type) {
    case 'note.created':
      return next.notes.some((note) => note.id === event.note.id) ? next : { ...next, notes: [...next.notes, event.note] };
    case 'note.edited':
      return { ...next, notes: next.notes.map((note) => (note.id === event.noteId ? { ...note, text: event.text, updatedAt: event.updatedAt } : note)) };
    case 'note.withdrawn':
      return { ...next, notes: next.notes.map((note) => (note.id === event.noteId ? { ...note, withdrawn: true, updatedAt: event.updatedAt } : note)) };
    case 'note.moved':
      return {
        ...next,
        notes: next.notes.map((note) => (note.id === event.noteId ? { ...note, itemIds: event.itemIds, placed: event.placed, updatedAt: event.updatedAt } : note)),
      };
    case 'note.authorSet': {
      // The name is the roster's, as a snapshot reads it; the note is in a group this board follows.
      const name = next.groups.flatMap((group) => group.participants).find((p) => p.id === event.participantId)?.name;
      return {
        ...next,
        notes: next.notes.map((note) =>
          note.id === event.noteId
            ? { ...note, author: { participantId: event.participantId, userId: null, name: name ?? note.author.name }, updatedAt: event.updatedAt }
            : note,
        ),
      };
    }
    case 'agreement.changed':
      return {
        ...next,
        notes: next.notes.map((note) => {
          if (note.id !== event.noteId) return note;
          const others = note.agreedBy.filter((id) => id !== event.participantId);
          return { ...note, agreedBy: event.agreed ? [...others, event.participantId] : others };
        }),
      };
    case 'star.given':
      return next.stars.some((star) => star.id === event.star.id) ? next : { ...next, stars: [...next.stars, event.star] };
    case 'star.taken':
      return { ...next, stars: next.stars.filter((star) => star.id !== event.starId) };
    case 'group.starsRevealed':
      return { ...next, groups: next.groups.map((group) => (group.id === event.groupId ? { ...group, starsRevealed: event.revealed } : group)) };
    case 'group.timer':
      return { ...next, groups: next.groups.map((group) => (group.id === event.groupId ? { ...group, timerEndsAt: event.endsAt } : group)) };
    case 'workshop.changed':
      return { ...next, workshop: { ...next.workshop, state: event.state } };
    case 'joinRequests.changed':
      return next;
  }
}

export const applyEvents = (board: Snapshot, events: readonly LiveEvent[]) =>
  [...events].sort((a, b) => a.seq - b.seq).reduce(applyEvent, board);

/**
 * The lapp a `note.create` command makes, as every device shows it: the server builds its event
 * from this, and a device shows its own unsent lapp the same way until the event arrives.
 */
export function noteFromCommand(command: Extract<Command, { type: 'note.create' }>, groupId: string, author: LiveNote['author'], at: string): LiveNote {
  return {
    id: command.noteId,
    posterId: command.posterId,
    groupId,
    itemIds: [...new Set(command.itemIds)].sort(),
    kind: command.kind,
    text: command.text,
    proposedItemKind: command.kind === 'new_item' ? (command.proposedItemKind ?? null) : null,
    replyToNoteId: command.replyToNoteId ?? null,
    author,
    placed: true,
    withdrawn: false,
    agreedBy: [],
    createdAt: at,
    updatedAt: at,
  };
}
