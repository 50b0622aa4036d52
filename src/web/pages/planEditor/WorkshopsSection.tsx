import { localeOf } from '../../../domain/languages.js';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { WorkshopSummary } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { ErrorMessage, fieldError } from '../../components/ErrorMessage.js';
import { TextField } from '../../components/Field.js';
import { useSession } from '../../components/session.js';
import { useI18n } from '../../i18n/i18n.js';

/** The plan's workshops, and for planners a form to make a new one. */
export function WorkshopsSection({ planId }: { planId: string }) {
  const { t, language } = useI18n();
  const { session } = useSession();
  const navigate = useNavigate();
  const [workshops, setWorkshops] = useState<WorkshopSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [createError, setCreateError] = useState<unknown>(null);
  const isPlanner = session?.user.role === 'planner';

  useEffect(() => {
    api.listWorkshops(planId).then(setWorkshops, setError);
  }, [planId]);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const workshop = await api.createWorkshop({
        id: crypto.randomUUID(),
        planId,
        title: String(form.get('title')),
        date: String(form.get('date')) || null,
        groupCount: Number(form.get('groupCount')),
      });
      navigate(`/workshops/${workshop.id}`);
    } catch (caught) {
      setCreateError(caught);
    }
  }

  const formatDate = (date: string) => new Date(`${date}T12:00:00`).toLocaleDateString(localeOf[language], { dateStyle: 'long' });

  return (
    <section aria-labelledby="workshops-heading" className="workshops-section" id="workshops">
      <h2 id="workshops-heading">{t('ws.workshops')}</h2>
      <ErrorMessage error={error} />
      {workshops?.length === 0 && <p>{t('ws.noWorkshops')}</p>}
      {workshops && workshops.length > 0 && (
        <ul className="card-list">
          {workshops.map((workshop) => (
            <li key={workshop.id} className="card">
              <h3>
                <Link to={`/workshops/${workshop.id}`}>{workshop.title}</Link>
              </h3>
              <p>
                <span className={`state-badge state-${workshop.state}`}>{t(`ws.state.${workshop.state}`)}</span>
                {workshop.date && <> · {formatDate(workshop.date)}</>}
              </p>
              <p className="muted">{t('ws.counts', { groups: workshop.groupCount, participants: workshop.participantCount })}</p>
              <p><Link to={`/workshops/${workshop.id}/synthesis`}>{t('syn.link')}<span className="visually-hidden"> – {workshop.title}</span></Link></p>
            </li>
          ))}
        </ul>
      )}
      {isPlanner && (
        <form className="narrow new-workshop" onSubmit={create} aria-labelledby="new-workshop-heading">
          <h3 id="new-workshop-heading">{t('ws.new')}</h3>
          <TextField label={t('ws.title')} name="title" required maxLength={200} error={fieldError(createError, 'title')} />
          <TextField label={t('ws.date')} name="date" type="date" error={fieldError(createError, 'date')} />
          <TextField
            label={t('ws.groupCount')}
            name="groupCount"
            type="number"
            min={0}
            max={50}
            defaultValue={1}
            required
            error={fieldError(createError, 'groupCount')}
          />
          <ErrorMessage error={createError} />
          <button type="submit">{t('ws.create')}</button>
        </form>
      )}
    </section>
  );
}
