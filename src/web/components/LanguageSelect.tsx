import { useI18n, type Language } from '../i18n/i18n.js';

/** The language switch in every page header; the choice is remembered in the browser. */
export function LanguageSelect() {
  const { t, language, setLanguage } = useI18n();
  return (
    <label>
      <span className="visually-hidden">{t('nav.language')}</span>
      <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
        <option value="nb">Norsk bokmål</option>
        <option value="en">English</option>
      </select>
    </label>
  );
}
