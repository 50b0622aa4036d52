/** A note as text analysis sees it: its id and what the participant wrote. */
export interface NoteText {
  id: string;
  text: string;
}

/** Copy of `notes` sorted by id, so every result is independent of input order. */
export function sortById<T extends { id: string }>(notes: readonly T[]): T[] {
  return [...notes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
