import { localeOf } from '../../domain/languages.js';
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { MyGroup } from '../../contract/facilitation.schema.js';
import type { PlanSummary } from '../../contract/plans.schema.js';
import { api } from '../api/api.js';
import { ErrorMessage, fieldError } from '../components/ErrorMessage.js';
import { TextField } from '../components/Field.js';
import { Layout } from '../components/Layout.js';
import { useSession } from '../components/session.js';
import { workshopPaths } from '../components/WorkshopNav.js';
import { useI18n } from '../i18n/i18n.js';
import { DemoTour } from './demo/DemoTour.js';

export function PlansPage() {
  const { t, language, plural } = useI18n();
  const navigate = useNavigate();
  const { session } = useSession();
  const [plans, setPlans] = useState<PlanSummary[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [createError, setCreateError] = useState<unknown>(null);

  const [groups, setGroups] = useState<MyGroup[]>([]);

  useEffect(() => {
    api.listPlans().then(setPlans, setError);
    api.myGroups().then(setGroups, () => setGroups([]));
  }, []);

  async function create(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      const plan = await api.createPlan({
        id: crypto.randomUUID(),
        title: String(form.get('title')),
        municipality: String(form.get('municipality')),
        horizonYear: Number(form.get('horizonYear')),
      });
      navigate(`/plans/${plan.id}`);
    } catch (caught) {
      setCreateError(caught);
    }
  }

  return (
    <Layout title={t('plans.title')}>
      {session?.user.role === 'planner' && (
        <p className="page-actions">
          <Link className="button secondary" to="/import">
            {t('imp.link')}
          </Link>{' '}
          <Link className="button secondary" to="/audit">
            {t('audit.link')}
          </Link>
        </p>
      )}
      <MyGroups groups={groups} />
      <DemoTour plans={plans} />
      <ErrorMessage error={error} />
      {plans === null && !error && <p>{t('common.loading')}</p>}
      {plans?.length === 0 && <p>{t('plans.empty')}</p>}
      {plans && plans.length > 0 && (
        <ul className="card-list">
          {plans.map((plan) => (
            <li key={plan.id} className="card">
              <h2>
                <Link to={`/plans/${plan.id}`}>{plan.title}</Link>
              </h2>
              <p>
                {plan.municipality} · {plan.horizonYear} · {plural('plans.perspectiveCount', plan.perspectiveCount)}
              </p>
              <p className="muted">{t('plans.updated', { date: new Date(plan.updatedAt).toLocaleString(localeOf[language]) })}</p>
            </li>
          ))}
        </ul>
      )}
      <section aria-labelledby="new-plan">
        <h2 id="new-plan">{t('plans.new')}</h2>
        <form className="narrow" onSubmit={create}>
          <TextField label={t('plans.planTitle')} name="title" required maxLength={200} error={fieldError(createError, 'title')} />
          <TextField label={t('plans.municipality')} name="municipality" required maxLength={120} error={fieldError(createError, 'municipality')} />
          <TextField
            label={t('plans.horizonYear')}
            name="horizonYear"
            type="number"
            min={2000}
            max={2200}
            defaultValue={new Date().getFullYear() + 14}
            required
            error={fieldError(createError, 'horizonYear')}
          />
          <ErrorMessage error={createError} />
          <button type="submit">{t('plans.create')}</button>
        </form>
      </section>
    </Layout>
  );
}

/** A facilitator lands here: the tables they run, each a link to the facilitator page of that group. */
function MyGroups({ groups }: { groups: MyGroup[] }) {
  const { t } = useI18n();
  if (groups.length === 0) return null;
  const workshops: Array<{ workshop: MyGroup['workshop']; planTitle: string; groups: MyGroup[] }> = [];
  for (const group of groups) {
    let entry = workshops.find((w) => w.workshop.id === group.workshop.id);
    if (!entry) workshops.push((entry = { workshop: group.workshop, planTitle: group.planTitle, groups: [] }));
    entry.groups.push(group);
  }
  return (
    <section aria-labelledby="my-groups" className="my-groups">
      <h2 id="my-groups">{t('nav.myGroups')}</h2>
      <ul className="card-list">
        {workshops.map(({ workshop, planTitle, groups: mine }) => (
          <li key={workshop.id} className="card">
            <h3>
              <Link to={workshopPaths(workshop.id).setup}>{workshop.title}</Link>
            </h3>
            <p className="muted">
              {planTitle}
              {workshop.date && ` · ${workshop.date}`} · {t(`ws.state.${workshop.state}`)}
            </p>
            <ul>
              {mine.map((group) => (
                <li key={group.groupId}>
                  <Link to={workshopPaths(workshop.id).facilitate(group.groupId)}>{t('ws.facilitatorTable', { group: group.groupName })}</Link>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </section>
  );
}
