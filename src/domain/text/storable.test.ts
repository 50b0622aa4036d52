import { describe, expect, it } from 'vitest';
import { findUnstorableText, isStorableText, jsonMayHoldUnstorable } from './storable.js';

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

  it('[SAFE-1] a raw JSON text without an escape or a bad character of its own holds no bad string; every bad one is caught', () => {
    for (const value of ['a\0b', 'x\uD800', '\uDC00y', 'a\uFFFE', '\uFDD0', 'x\u{1FFFF}']) {
      const json = JSON.stringify({ command: { text: value } });
      expect(findUnstorableText(JSON.parse(json)), json).not.toBeNull();
      expect(jsonMayHoldUnstorable(json), json).toBe(true);
    }
    // Escaped by hand where JSON.stringify would not escape (non-characters), and as a key.
    expect(jsonMayHoldUnstorable('{"text":"a\\uFFFF"}')).toBe(true);
    expect(jsonMayHoldUnstorable('{"k\\u0000":1}')).toBe(true);
    expect(jsonMayHoldUnstorable(JSON.stringify({ type: 'command', command: { text: 'Blåbærsyltetøy 👍🏽\n\t"sitat"' } }))).toBe(false);
  });
});
