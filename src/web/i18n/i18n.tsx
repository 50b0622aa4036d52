import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_LANGUAGE, isLanguage, localeOf, type Language } from '../../domain/languages.js';
import { dictionaries, interpolate, pluralMessage, type Plural, type Translate } from './messages.js';

export type { Language } from '../../domain/languages.js';
export { dictionaries, interpolate, pluralCategories, pluralMessage, type MessageKey, type Params, type Plural, type PluralKey, type Translate } from './messages.js';
const STORAGE_KEY = 'innspill.language';
/** The language of the last workshop this browser took part in: shown until the person chooses one. */
const WORKSHOP_KEY = 'innspill.workshopLanguage';

interface I18n {
  language: Language;
  /** The person's own choice: kept in the browser and used on every page from now on. */
  setLanguage(language: Language): void;
  /** A workshop's language: shown, on every page of this browser, unless the person has chosen one themselves. */
  suggestLanguage(language: Language): void;
  t: Translate;
  /** "1 lapp" / "3 lapper": the form `Intl.PluralRules` picks for `count`, with `{count}` filled in as a number of the language. */
  plural: Plural;
  /** A date (or date and time) written the way the language writes it. */
  formatDate(value: string | Date, options?: Intl.DateTimeFormatOptions): string;
  formatNumber(value: number): string;
}

const I18nContext = createContext<I18n | null>(null);

function stored(key: string): Language | null {
  const value = typeof localStorage === 'undefined' ? null : localStorage.getItem(key);
  return isLanguage(value) ? value : null;
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => stored(STORAGE_KEY) ?? stored(WORKSHOP_KEY) ?? DEFAULT_LANGUAGE);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const suggestLanguage = useCallback((next: Language) => {
    localStorage.setItem(WORKSHOP_KEY, next);
    if (!stored(STORAGE_KEY)) setLanguageState(next);
  }, []);
  const t = useCallback<Translate>((key, params) => interpolate(dictionaries[language][key] ?? key, params), [language]);
  const value = useMemo<I18n>(() => {
    const locale = localeOf[language];
    return {
      language,
      setLanguage,
      suggestLanguage,
      t,
      plural: (key, count, params) => pluralMessage(language, key, count, params),
      formatDate: (date, options) => (typeof date === 'string' ? new Date(date) : date).toLocaleString(locale, options ?? { dateStyle: 'short', timeStyle: 'short' }),
      formatNumber: (number) => number.toLocaleString(locale),
    };
  }, [language, setLanguage, suggestLanguage, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}

/** A workshop page: show the workshop's language to someone who has not chosen one. */
export function useWorkshopLanguage(language: Language | undefined) {
  const { suggestLanguage } = useI18n();
  useEffect(() => {
    if (language) suggestLanguage(language);
  }, [language, suggestLanguage]);
}
