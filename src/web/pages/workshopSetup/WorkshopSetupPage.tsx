import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { UserOption, Workshop } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { WorkshopNav } from '../../components/WorkshopNav.js';
import { useSession } from '../../components/session.js';
import { useI18n } from '../../i18n/i18n.js';
import { DetailsForm } from './DetailsForm.js';
import { GroupCard } from './GroupCard.js';
import { InviteFacilitator } from './InviteFacilitator.js';
import { JoinSection } from './JoinSection.js';
import { PostersSection } from './PostersSection.js';
import { StateSection } from './StateSection.js';
import { WorkshopDataSection } from './WorkshopDataSection.js';
import './workshopSetup.css';

/** Where an error is shown: next to the part of the page that caused it. */
export type Scope = 'state' | 'join' | 'details' | 'posters' | 'groups' | `group:${string}`;

export interface WorkshopActions {
  /** Runs a change; the returned workshop replaces the shown one. Resolves false when it failed (the error shows in `scope`). */
  change(scope: Scope, run: () => Promise<Workshop>, announcement?: string): Promise<boolean>;
  errorFor(scope: Scope): unknown;
  /** Shows a workshop the caller fetched itself. */
  replace(workshop: Workshop): void;
}

export function WorkshopSetupPage() {
  const { workshopId = '' } = useParams();
  const { t } = useI18n();
  const { session } = useSession();
  const announce = useAnnounce();
  const [workshop, setWorkshop] = useState<Workshop | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [users, setUsers] = useState<UserOption[]>([]);
  const [failure, setFailure] = useState<{ scope: Scope; error: unknown } | null>(null);
  const isPlanner = session?.user.role === 'planner';

  useEffect(() => {
    api.getWorkshop(workshopId).then(setWorkshop, setLoadError);
  }, [workshopId]);
  useEffect(() => {
    if (isPlanner) api.listUsers().then(setUsers, () => setUsers([]));
  }, [isPlanner]);

  const change = useCallback<WorkshopActions['change']>(
    async (scope, run, announcement) => {
      try {
        setWorkshop(await run());
        setFailure(null);
        announce(announcement ?? t('common.saved'));
        return true;
      } catch (error) {
        setFailure({ scope, error });
        return false;
      }
    },
    [announce, t],
  );
  const actions: WorkshopActions = {
    change,
    errorFor: (scope) => (failure?.scope === scope ? failure.error : null),
    replace: (next) => {
      setWorkshop(next);
      setFailure(null);
    },
  };

  if (!workshop) {
    return (
      <Layout title={t('common.loading')}>
        <ErrorMessage error={loadError} />
      </Layout>
    );
  }

  return (
    <Layout title={workshop.title} context={<WorkshopNav workshopId={workshop.id} workshop={workshop} />}>
      <p className="workshop-meta">
        <Link to={`/plans/${workshop.planId}`}>{t('ws.backToPlan', { title: workshop.planTitle })}</Link>
        <span className={`state-badge state-${workshop.state}`}>{t(`ws.state.${workshop.state}`)}</span>
      </p>
      <nav aria-label={t('ws.onThisPage')} className="page-toc">
        <ul>
          <li><a href="#ws-state">{t('ws.stateHeading')}</a></li>
          <li><a href="#ws-join">{t('ws.joinHeading')}</a></li>
          {isPlanner && <li><a href="#ws-details">{t('ws.detailsHeading')}</a></li>}
          <li><a href="#ws-posters">{t('ws.postersHeading')}</a></li>
          <li><a href="#ws-groups">{t('ws.groupsHeading')}</a></li>
        </ul>
      </nav>
      <StateSection workshop={workshop} actions={actions} canChange={isPlanner} />
      <JoinSection workshop={workshop} actions={actions} canChange={isPlanner} />
      {isPlanner && <DetailsForm workshop={workshop} actions={actions} />}
      <PostersSection workshop={workshop} actions={actions} canChange={isPlanner} />
      <section aria-labelledby="ws-groups" className="ws-section">
        <h2 id="ws-groups" tabIndex={-1}>
          {t('ws.groupsHeading')}
        </h2>
        {workshop.groups.length === 0 && <p>{t('ws.noGroups')}</p>}
        {workshop.groups.map((group) => (
          <GroupCard key={group.id} workshop={workshop} group={group} users={users} actions={actions} canChange={isPlanner} />
        ))}
        {isPlanner && (
          <>
            <ErrorMessage error={actions.errorFor('groups')} />
            <button
              type="button"
              onClick={() => change('groups', () => api.addGroup(workshop.id, { id: crypto.randomUUID() }), t('ws.groupAdded'))}
            >
              {t('ws.addGroup')}
            </button>
            <InviteFacilitator />
          </>
        )}
      </section>
      {isPlanner && <WorkshopDataSection workshopId={workshop.id} />}
    </Layout>
  );
}
