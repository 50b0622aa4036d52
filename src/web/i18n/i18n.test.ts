import { describe, expect, it } from 'vitest';
import { languages, localeOf } from '../../domain/languages.js';
import { dictionaries, pluralMessage, type PluralKey } from './i18n.js';

const keysOf = (language: (typeof languages)[number]) => Object.keys(dictionaries[language]).sort();
const paramsOf = (message: string) => [...message.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const pluralSuffix = /\.(zero|one|two|few|many|other)$/;

describe('the dictionaries', () => {
  it.each(languages)('[I18N-1] %s has every key of nb.ts and no other, none of them empty', (language) => {
    const keys = keysOf(language);
    const reference = keysOf('nb');
    expect(reference.filter((key) => !keys.includes(key)), `missing in ${language}.ts`).toEqual([]);
    expect(keys.filter((key) => !reference.includes(key)), `in ${language}.ts but not nb.ts`).toEqual([]);
    expect(Object.entries(dictionaries[language]).filter(([, message]) => message.trim() === '').map(([key]) => key)).toEqual([]);
  });

  it.each(languages)('[I18N-1] %s fills in the same {placeholders} as nb.ts', (language) => {
    const differing = Object.entries(dictionaries.nb)
      .filter(([key, message]) => paramsOf(message).join() !== paramsOf(dictionaries[language][key as keyof typeof dictionaries.nb]).join())
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it.each(languages)('[I18N-2] in %s, every message that takes {count} comes in every plural form the language has', (language) => {
    const dictionary = dictionaries[language] as Record<string, string>;
    const categories = new Intl.PluralRules(localeOf[language]).resolvedOptions().pluralCategories;
    const problems: string[] = [];
    for (const [key, message] of Object.entries(dictionary)) {
      if (!message.includes('{count}')) continue;
      if (!pluralSuffix.test(key)) {
        problems.push(`${key}: takes {count} but has no plural forms (write ${key}.one and ${key}.other)`);
        continue;
      }
      const base = key.replace(pluralSuffix, '');
      for (const category of categories) if (!(`${base}.${category}` in dictionary)) problems.push(`${base}: no .${category} form`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });
});

describe('pluralMessage', () => {
  it('[I18N-2] picks the form Intl.PluralRules gives the language, and writes the number the language\'s way', () => {
    expect(pluralMessage('nn', 'live.lapperCount', 1)).toBe('1 lapp');
    expect(pluralMessage('nn', 'live.lapperCount', 3)).toBe('3 lappar');
    expect(pluralMessage('nb', 'live.lapperCount', 0)).toBe('0 lapper');
    expect(pluralMessage('en', 'syn.stars', 1)).toBe('1 star');
    expect(pluralMessage('nb', 'syn.notes', 12500)).toBe('12\u00a0500 lapper');
    expect(pluralMessage('en', 'syn.notes', 12500)).toMatch(/^12,500 /);
  });

  it('keeps the other params of the message', () => {
    expect(pluralMessage('nn', 'imp.csv.done' satisfies PluralKey, 2, { workshop: 'Bærum 2040' })).toBe('2 lappar er lagde til i «Bærum 2040».');
  });
});
