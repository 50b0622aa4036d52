/**
 * The languages of the UI and the reports: bokmål first (the default), nynorsk, English.
 * A workshop names the one its participants see first; each person can switch.
 */
export const languages = ['nb', 'nn', 'en'] as const;
export type Language = (typeof languages)[number];

export const DEFAULT_LANGUAGE: Language = 'nb';

/** The locale that formats dates and numbers in each language. */
export const localeOf: Record<Language, string> = { nb: 'nb-NO', nn: 'nn-NO', en: 'en-GB' };

/** Each language's name written in itself, for the language switch. */
export const languageNames: Record<Language, string> = { nb: 'Norsk bokmål', nn: 'Norsk nynorsk', en: 'English' };

export const isLanguage = (value: unknown): value is Language => typeof value === 'string' && (languages as readonly string[]).includes(value);
