/** The kinds of lapp a participant writes; facilitator notes are the facilitator's Notater. */
export const noteKinds = ['comment', 'rewording', 'new_item', 'question', 'facilitator_note'] as const;
export type NoteKind = (typeof noteKinds)[number];
export const participantNoteKinds = ['comment', 'rewording', 'new_item', 'question'] as const;

/** Longest lapp we accept: a sticky note, generously. */
export const NOTE_TEXT_MAX = 2000;
/** A lapp may concern a few items at most; more is a general comment. */
export const NOTE_ITEMS_MAX = 20;
