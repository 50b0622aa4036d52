import { languageNames, languages, type Language } from '../../domain/languages.js';
import { useI18n } from '../i18n/i18n.js';

/** The language switch in every page header; the choice is remembered in the browser. Each name is written in its own language. */
export function LanguageSelect() {
  const { t, language, setLanguage } = useI18n();
  return (
    <label>
      <span className="visually-hidden">{t('nav.language')}</span>
      <select value={language} onChange={(event) => setLanguage(event.target.value as Language)}>
        {languages.map((code) => (
          <option key={code} value={code} lang={code}>
            {languageNames[code]}
          </option>
        ))}
      </select>
    </label>
  );
}
