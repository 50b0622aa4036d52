import { localeOf, type Language } from '../../domain/languages.js';
import { en } from './en.js';
import { nb } from './nb.js';
import { nn } from './nn.js';

/**
 * The dictionaries and the helpers that read them, without React: the web app reads them through
 * `useI18n()` (i18n.tsx), the server's reports (src/server/reports/reportTexts.ts) directly, so a
 * status is "Teke til følgje" in the nynorsk report exactly as on the nynorsk page.
 */

/** Every key of the UI; nb.ts is the source, nn.ts and en.ts must have the same keys (i18n.test.ts). */
export type MessageKey = keyof typeof nb;
export const dictionaries: Record<Language, Record<MessageKey, string>> = { nb, nn, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

/** The plural categories a message may come in: `key.one`, `key.other` (and `.zero`, `.two`, `.few`, `.many` where a language needs them). */
export const pluralCategories = ['zero', 'one', 'two', 'few', 'many', 'other'] as const;
/** The base of every message that comes in plural forms: `syn.notes` for `syn.notes.one` / `syn.notes.other`. */
export type PluralKey = { [K in MessageKey]: K extends `${infer Base}.other` ? Base : never }[MessageKey];
export type Plural = (key: PluralKey, count: number, params?: Params) => string;

/** `{name}` → params.name; a missing param stays visible as `{name}` rather than vanishing. */
export function interpolate(template: string, params?: Params): string {
  return params ? template.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : template;
}

/** The plural form of `key` for `count` in `language`: the one helper every count goes through. */
export function pluralMessage(language: Language, key: PluralKey, count: number, params: Params = {}): string {
  const dictionary = dictionaries[language] as Record<string, string>;
  const category = new Intl.PluralRules(localeOf[language]).select(count);
  const template = dictionary[`${key}.${category}`] ?? dictionary[`${key}.other`] ?? key;
  return interpolate(template, { ...params, count: count.toLocaleString(localeOf[language]) });
}
