import { useEffect, useState, type FormEvent } from 'react';
import { auditActionSchema, type AuditEntry, type AuditPage as AuditPageData } from '../../../contract/audit.schema.js';
import { api } from '../../api/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { TextField } from '../../components/Field.js';
import { Layout } from '../../components/Layout.js';
import { ScrollRegion } from '../../components/ScrollRegion.js';
import { useI18n } from '../../i18n/i18n.js';

interface Filter {
  actor?: string;
  action?: string;
  from?: string;
  to?: string;
}

const query = (filter: Filter & { lang?: string }, before?: number) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value) params.set(key, value);
  if (before) params.set('before', String(before));
  return params.toString();
};

/** [AUDIT-3] Who did what and when, for planners: filters, older pages, and the same selection as CSV. */
export function AuditPage() {
  const { t, language } = useI18n();
  const [filter, setFilter] = useState<Filter>({});
  const [page, setPage] = useState<AuditPageData | null>(null);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    api
      .audit(query(filter))
      .then((next) => {
        if (!current) return;
        setPage(next);
        setEntries(next.entries);
        setError(null);
      })
      .catch((caught: unknown) => current && setError(caught));
    return () => {
      current = false;
    };
  }, [filter]);

  async function older() {
    if (!page?.nextBefore) return;
    try {
      const next = await api.audit(query(filter, page.nextBefore));
      setPage(next);
      setEntries((shown) => [...shown, ...next.entries]);
    } catch (caught) {
      setError(caught);
    }
  }

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilter({
      actor: String(form.get('actor') ?? ''),
      action: String(form.get('action') ?? ''),
      from: String(form.get('from') ?? ''),
      to: String(form.get('to') ?? ''),
    });
  }

  const time = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'nb-NO', { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Oslo' });

  return (
    <Layout title={t('audit.title')}>
      <p>{t('audit.intro')}</p>
      <form className="audit-filters" onSubmit={apply} aria-label={t('audit.filters')}>
        <div className="field">
          <label htmlFor="audit-actor">{t('audit.who')}</label>
          <select id="audit-actor" name="actor" defaultValue="">
            <option value="">{t('audit.everyone')}</option>
            {page?.actors.map((actor) => (
              <option key={actor.id} value={actor.id}>
                {actor.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-action">{t('audit.action')}</label>
          <select id="audit-action" name="action" defaultValue="">
            <option value="">{t('audit.allActions')}</option>
            {auditActionSchema.options.map((action) => (
              <option key={action} value={action}>
                {t(`audit.action.${action}`)}
              </option>
            ))}
          </select>
        </div>
        <TextField label={t('audit.from')} name="from" type="date" />
        <TextField label={t('audit.to')} name="to" type="date" />
        <button type="submit">{t('audit.apply')}</button>
      </form>
      <p>
        <a className="button secondary" href={`/api/audit.csv?${query({ ...filter, lang: language })}`} download>
          {t('audit.csv')}
        </a>
      </p>
      <ErrorMessage error={error} />
      {page && entries.length === 0 && <p>{t('audit.empty')}</p>}
      {entries.length > 0 && (
        <ScrollRegion label={t('audit.title')}>
          <table>
            <caption className="visually-hidden">{t('audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('audit.target')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{time.format(new Date(entry.at))}</td>
                  <td>
                    {entry.actorName} <span className="muted">({entry.actorRole})</span>
                  </td>
                  <td>
                    {t(`audit.action.${entry.action}`)}
                  </td>
                  <td>
                    {entry.targetType} {entry.targetId && <code>{entry.targetId.slice(0, 8)}</code>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
      {page?.nextBefore && (
        <button type="button" className="secondary" onClick={() => void older()}>
          {t('audit.older')}
        </button>
      )}
    </Layout>
  );
}
