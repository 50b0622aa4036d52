/**
 * Characters no text a person typed may carry ([SAFE-1]): NUL (PostgreSQL text cannot hold it), a
 * lone UTF-16 surrogate (not a character; UTF-8 cannot encode it) and the non-characters such as
 * U+FFFE/U+FFFF (XML, so XLSX and DOCX, cannot hold them).
 */
const UNSTORABLE = /[\0\p{Cs}\p{Noncharacter_Code_Point}]/u;

export const UNSTORABLE_MESSAGE = 'contains a character that cannot be stored (NUL, a broken surrogate or a non-character)';

export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * Whether the strings of a parsed JSON text may be unstorable. JSON writes NUL and a lone
 * surrogate only as a `\u` escape, so a text with neither an escape nor an unstorable character
 * of its own holds none once parsed: one scan of the raw text instead of a walk of every string.
 */
export function jsonMayHoldUnstorable(json: string): boolean {
  return json.includes('\\u') || UNSTORABLE.test(json);
}

/**
 * The dotted path of the first string (value or object key) in a parsed JSON value that is not
 * storable, or null. Walks arrays and plain objects only, so it is cheap on ordinary requests.
 */
export function findUnstorableText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = findUnstorableText(value[index], join(path, String(index)));
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (!isStorableText(key)) return join(path, '(key)');
      const found = findUnstorableText(inner, join(path, key));
      if (found !== null) return found;
    }
  }
  return null;
}

const join = (path: string, part: string) => (path ? `${path}.${part}` : part);
