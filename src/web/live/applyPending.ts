import { noteFromCommand } from '../../contract/boardState.js';
import type { Command, LiveNote, LiveStar, Snapshot } from '../../contract/protocol.js';
import type { PendingCommand } from './liveClient.js';

/** Who this device acts as, to fill in what the server would: the author of a lapp, the owner of a star. */
export interface Me {
  participantId: string | null;
  userId: string | null;
  name: string | null;
  /** The participant's group; a facilitator names the group in each command. */
  groupId: string | null;
}

/** The board as this device shows it: confirmed state with its own unsent changes on top. */
export interface BoardView extends Snapshot {
  /** Lapper whose creation, edit, move or withdrawal the server has not acknowledged yet. */
  unsavedNotes: ReadonlySet<string>;
  /** `posterId:itemId` of items where a star given or taken back is not acknowledged yet. */
  unsavedStars: ReadonlySet<string>;
}

export const starKey = (posterId: string, itemId: string) => `${posterId}:${itemId}`;

/**
 * Optimistic UI: the confirmed board plus the commands that are still on their way, applied the way
 * the server will apply them. Pure; the server stays the judge (a refused command simply drops out).
 */
export function applyPending(board: Snapshot, pending: readonly PendingCommand[], me: Me): BoardView {
  const unsavedNotes = new Set<string>();
  const unsavedStars = new Set<string>();
  let view: Snapshot = board;
  for (const entry of pending) {
    const unsaved = entry.status !== 'acked';
    const next = applyCommand(view, entry.command, me, entry.queuedAt);
    if (next === view) continue;
    view = next;
    if (!unsaved) continue;
    const command = entry.command;
    if ('noteId' in command) unsavedNotes.add(command.noteId);
    if (command.type === 'star.give' || command.type === 'star.take') unsavedStars.add(starKey(command.posterId, command.itemId));
  }
  return { ...view, unsavedNotes, unsavedStars };
}

const participantGroup = (board: Snapshot, participantId: string) =>
  board.groups.find((group) => group.participants.some((p) => p.id === participantId))?.id ?? null;

const participantName = (board: Snapshot, participantId: string) =>
  board.groups.flatMap((group) => group.participants).find((p) => p.id === participantId)?.name ?? null;

const updateNote = (board: Snapshot, noteId: string, change: (note: LiveNote) => LiveNote): Snapshot => {
  if (!board.notes.some((note) => note.id === noteId)) return board;
  return { ...board, notes: board.notes.map((note) => (note.id === noteId ? change(note) : note)) };
};

function applyCommand(board: Snapshot, command: Command, me: Me, queuedAt: number): Snapshot {
  switch (command.type) {
    case 'note.create': {
      if (board.notes.some((note) => note.id === command.noteId)) return board;
      const groupId = command.groupId ?? me.groupId;
      if (!groupId) return board;
      const participantId = command.onBehalfOf ?? me.participantId;
      const at = new Date(queuedAt).toISOString();
      const author = participantId
        ? { participantId, userId: null, name: participantName(board, participantId) ?? (command.onBehalfOf ? null : me.name) }
        : { participantId: null, userId: me.userId, name: me.name };
      const note = noteFromCommand(command, groupId, author, at);
      return { ...board, notes: [...board.notes, note] };
    }
    case 'note.edit':
      return updateNote(board, command.noteId, (note) => ({ ...note, text: command.text }));
    case 'note.withdraw':
      return updateNote(board, command.noteId, (note) => ({ ...note, withdrawn: true }));
    case 'note.move':
      return updateNote(board, command.noteId, (note) => ({ ...note, itemIds: [...command.itemIds].sort(), placed: true }));
    case 'note.setAuthor':
      return updateNote(board, command.noteId, (note) => ({
        ...note,
        author: { participantId: command.participantId, userId: null, name: participantName(board, command.participantId) ?? note.author.name },
      }));
    case 'agreement.set': {
      const participantId = command.onBehalfOf ?? me.participantId;
      if (!participantId) return board;
      return updateNote(board, command.noteId, (note) => {
        const others = note.agreedBy.filter((id) => id !== participantId);
        return { ...note, agreedBy: command.agreed ? [...others, participantId] : others };
      });
    }
    case 'star.give': {
      const participantId = command.onBehalfOf ?? me.participantId;
      if (!participantId || board.stars.some((star) => star.id === command.starId)) return board;
      const groupId = command.onBehalfOf ? participantGroup(board, command.onBehalfOf) : me.groupId;
      if (!groupId) return board;
      const star: LiveStar = { id: command.starId, posterId: command.posterId, groupId, itemId: command.itemId, participantId };
      return { ...board, stars: [...board.stars, star] };
    }
    case 'star.take': {
      const participantId = command.onBehalfOf ?? me.participantId;
      // The server takes back the participant's newest star on the item.
      const mine = board.stars.filter((s) => s.participantId === participantId && s.posterId === command.posterId && s.itemId === command.itemId);
      const last = mine.at(-1);
      if (!last) return board;
      return { ...board, stars: board.stars.filter((star) => star.id !== last.id) };
    }
    case 'group.revealStars':
      return { ...board, groups: board.groups.map((g) => (g.id === command.groupId ? { ...g, starsRevealed: command.revealed } : g)) };
    case 'group.timer': {
      const endsAt = command.seconds === null ? null : new Date(queuedAt + command.seconds * 1000).toISOString();
      return { ...board, groups: board.groups.map((g) => (g.id === command.groupId ? { ...g, timerEndsAt: endsAt } : g)) };
    }
  }
}

/** Stars a participant has given on a poster, and how many are left of the budget. */
export function starBudget(board: Snapshot, posterId: string, participantId: string | null) {
  const used = participantId ? board.stars.filter((s) => s.posterId === posterId && s.participantId === participantId).length : 0;
  return { used, left: Math.max(0, board.workshop.starBudget - used), budget: board.workshop.starBudget };
}
