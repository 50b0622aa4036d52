import { describe, expect, it } from 'vitest';
import { findUnstorableText, isStorableText } from './storable.js';

describe('storable text [SAFE-1]', () => {
  it('[SAFE-1] refuses NUL, lone surrogates and non-characters', () => {
    for (const bad of ['a\0b', 'x\uD800', '\uDC00y', 'a\uFFFE', 'a\uFFFF', '\uFDD0', 'x\u{1FFFF}']) expect(isStorableText(bad), JSON.stringify(bad)).toBe(false);
  });

  it('[SAFE-1] keeps Norwegian letters, emoji (surrogate pairs), tabs and newlines', () => {
    for (const good of ['Blåbærsyltetøy', 'Bra 👍🏽', 'linje 1\nlinje 2\tslutt', '']) expect(isStorableText(good)).toBe(true);
  });

  it('[SAFE-1] names the path of the first bad string, keys included', () => {
    expect(findUnstorableText({ command: { text: 'ok', itemIds: ['a', 'b\0'] } })).toBe('command.itemIds.1');
    expect(findUnstorableText({ 'k\uFFFF': 1 })).toBe('(key)');
    expect(findUnstorableText('x\uD83D', 'q')).toBe('q');
    expect(findUnstorableText({ a: [1, null, true, { b: 'fine' }] })).toBeNull();
  });
});
