import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import type { TimelineStep } from '../../../contract/consultation.schema.js';
import { api } from '../../api/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useSession } from '../../components/session.js';
import { useI18n } from '../../i18n/i18n.js';

/** The plan's participation, workshops and consultations by date ([CONS-1]); planners open a høring here. */
export function TimelineSection({ planId }: { planId: string }) {
  const { t, language } = useI18n();
  const { session } = useSession();
  const [steps, setSteps] = useState<TimelineStep[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const isPlanner = session?.user.role === 'planner';
  const load = () => api.planTimeline(planId).then(setSteps, setError);
  useEffect(() => {
    if (isPlanner) void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load only depends on planId
  }, [planId, isPlanner]);
  if (!isPlanner) return null;
  const date = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString(language === 'nb' ? 'nb-NO' : 'en-GB', { dateStyle: 'medium' }) : '–');

  async function open(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const closes = String(form.get('closes') ?? '');
    setError(null);
    try {
      await api.openConsultation(planId, {
        title: String(form.get('title') ?? ''),
        closesAt: closes ? new Date(`${closes}T23:59:59`).toISOString() : undefined,
        publication: String(form.get('publication')) as 'named',
      });
      event.currentTarget?.reset();
      await load();
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section aria-labelledby="timeline-heading" className="timeline">
      <h2 id="timeline-heading">{t('cons.timeline')}</h2>
      <ol>
        {steps?.map((step) => (
          <li key={step.id}>
            {step.kind === 'workshop' ? (
              <Link to={`/workshops/${step.id}`}>{t('cons.timeline.workshop', { title: step.title })}</Link>
            ) : (
              <Link to={`/consultations/${step.id}/moderate`}>{t('cons.timeline.consultation', { title: step.title })}</Link>
            )}{' '}
            <span className="muted">
              {date(step.startsAt)}
              {step.endsAt && ` – ${date(step.endsAt)}`}
            </span>
          </li>
        ))}
      </ol>
      <p className="actions">
        <Link className="button secondary" to={`/plans/${planId}/inputs`}>
          {t('cons.inputs.link')}
        </Link>
        <a className="button secondary" href={`/api/plans/${planId}/report.docx?lang=${language}`} download>
          {t('cons.mod.reportDocx')}
        </a>
        <a className="button secondary" href={`/api/plans/${planId}/report.xlsx?lang=${language}`} download>
          {t('cons.mod.reportXlsx')}
        </a>
      </p>
      <details>
        <summary>{t('cons.openNew')}</summary>
        <form onSubmit={open} className="cons-open-form">
          <ErrorMessage error={error} />
          <div className="field">
            <label htmlFor="cons-title">{t('cons.openTitle')}</label>
            <input id="cons-title" name="title" required />
          </div>
          <div className="field">
            <label htmlFor="cons-closes">{t('cons.openCloses')}</label>
            <span className="hint" id="cons-closes-hint">
              {t('cons.openClosesHint')}
            </span>
            <input id="cons-closes" name="closes" type="date" aria-describedby="cons-closes-hint" />
          </div>
          <div className="field">
            <label htmlFor="cons-publication">{t('cons.publication')}</label>
            <select id="cons-publication" name="publication" defaultValue="named">
              {(['named', 'anonymous', 'none'] as const).map((value) => (
                <option key={value} value={value}>
                  {t(`cons.publication.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit">{t('cons.open')}</button>
        </form>
      </details>
    </section>
  );
}
