import { diffWordsWithSpace } from 'diff';

export interface DiffSegment {
  type: 'same' | 'added' | 'removed';
  text: string;
}

/** Word-level difference between two texts, for revision history and alternative wordings. */
export function wordDiff(before: string, after: string): DiffSegment[] {
  return diffWordsWithSpace(before, after).map((change) => ({
    type: change.added ? 'added' : change.removed ? 'removed' : 'same',
    text: change.value,
  }));
}
