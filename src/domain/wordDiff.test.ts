import { describe, expect, it } from 'vitest';
import { wordDiff } from './wordDiff.js';

describe('wordDiff', () => {
  it('marks a replaced word as removed then added, keeping the rest', () => {
    const segments = wordDiff('Bærum har et likestilt arbeidsliv', 'Bærum har et inkluderende arbeidsliv');
    expect(segments.filter((s) => s.type === 'removed').map((s) => s.text.trim())).toEqual(['likestilt']);
    expect(segments.filter((s) => s.type === 'added').map((s) => s.text.trim())).toEqual(['inkluderende']);
    expect(segments.filter((s) => s.type !== 'added').map((s) => s.text).join('')).toBe('Bærum har et likestilt arbeidsliv');
  });

  it('returns one unchanged segment for equal texts', () => {
    expect(wordDiff('Samme tekst', 'Samme tekst')).toEqual([{ type: 'same', text: 'Samme tekst' }]);
  });
});
