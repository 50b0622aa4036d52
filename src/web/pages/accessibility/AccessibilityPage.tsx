import { Layout } from '../../components/Layout.js';
import { useI18n } from '../../i18n/i18n.js';
import statement from './statement.json' with { type: 'json' };

const UUTILSYNET = 'https://www.uutilsynet.no/';

/**
 * `/accessibility`: the accessibility statement (tilgjengelighetserklæring) Uutilsynet asks for.
 * The facts live in ./statement.json, which the release routine updates (`npm run release:accessibility`).
 */
export function AccessibilityPage() {
  const { t, plural, language, formatDate } = useI18n();
  const checked = formatDate(`${statement.lastChecked}T12:00:00`, { dateStyle: 'long' });
  const tools = Object.entries(statement.tools).map(([name, version]) => `${name} ${version}`).join(', ');
  return (
    <Layout title={t('a11y.title')}>
      <p>{t('a11y.intro')}</p>
      <h2>{t('a11y.conformance.heading')}</h2>
      <p>{t(statement.conformance === 'full' ? 'a11y.conformance.full' : 'a11y.conformance.partial', { standard: statement.standard })}</p>
      <h2>{t('a11y.deviations.heading')}</h2>
      {statement.deviations.length === 0 ? (
        <p>{t('a11y.deviations.none')}</p>
      ) : (
        <ul className="a11y-deviations">
          {statement.deviations.map((deviation) => (
            <li key={deviation.what.nb}>
              <p>
                {deviation.criterion !== '—' && <strong>{t('a11y.deviations.criterion', { criterion: deviation.criterion })} </strong>}
                {deviation.what[language]}
              </p>
              <p>
                <strong>{t('a11y.deviations.reason')}</strong> {deviation.reason[language]}
              </p>
            </li>
          ))}
        </ul>
      )}
      <h2>{t('a11y.checked.heading')}</h2>
      <p>{t('a11y.checked.when', { date: checked })}</p>
      <p>{t('a11y.checked.how', { tools, widths: statement.widths.map((width) => `${width} px`).join(` ${t('a11y.and')} `) })}</p>
      <p>{t('a11y.checked.keyboard')}</p>
      {statement.checkedPages.length > 0 && (
        <details>
          <summary>{plural('a11y.checked.pages', statement.checkedPages.length)}</summary>
          <ul>
            {statement.checkedPages.map((page) => (
              <li key={page}>
                <code>{page}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
      <h2>{t('a11y.contact.heading')}</h2>
      <p>{statement.contact.note[language]}</p>
      <p>
        {t('a11y.contact.email')} <a href={`mailto:${statement.contact.email}`}>{statement.contact.email}</a>
      </p>
      <h2>{t('a11y.complaint.heading')}</h2>
      <p>
        {t('a11y.complaint.text')} <a href={UUTILSYNET}>{t('a11y.complaint.link')}</a>
      </p>
    </Layout>
  );
}
