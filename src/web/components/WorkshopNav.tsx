import { useEffect, useState } from 'react';
import { Link, NavLink } from 'react-router';
import type { Workshop } from '../../contract/workshops.schema.js';
import { api } from '../api/api.js';
import { useI18n } from '../i18n/i18n.js';
import { useSession } from './session.js';

export const workshopPaths = (workshopId: string) => ({
  setup: `/workshops/${workshopId}`,
  cards: `/workshops/${workshopId}/cards`,
  facilitate: (groupId?: string) => `/facilitate/${workshopId}${groupId ? `?group=${groupId}` : ''}`,
  synthesis: `/workshops/${workshopId}/synthesis`,
  reports: `/workshops/${workshopId}/synthesis#rapporter`,
});

/** The path of a printed link, so the app stays on the origin it was opened at. */
export const pathOf = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

/**
 * The same navigation on every page of a workshop: where it sits (Planer › plan › workshop) and
 * every place a planner goes from it; a facilitator sees their tables and the synthesis.
 */
export function WorkshopNav({ workshopId, workshop: given }: { workshopId: string; workshop?: Workshop | null }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [fetched, setFetched] = useState<Workshop | null>(null);
  useEffect(() => {
    if (!given) api.getWorkshop(workshopId).then(setFetched, () => setFetched(null));
  }, [workshopId, given]);
  const workshop = given ?? fetched;
  const paths = workshopPaths(workshopId);
  const isPlanner = session?.user.role === 'planner';
  return (
    <div className="workshop-nav">
      <nav aria-label={t('nav.breadcrumb')} className="breadcrumb">
        <ol>
          <li>
            <Link to="/">{t('nav.plans')}</Link>
          </li>
          {workshop && (
            <li>
              <Link to={`/plans/${workshop.planId}`}>{workshop.planTitle}</Link>
            </li>
          )}
          <li>
            <Link to={paths.setup}>{workshop?.title ?? t('nav.workshop')}</Link>
          </li>
        </ol>
      </nav>
      <nav aria-label={t('nav.workshopPages')} className="workshop-tabs">
        <ul>
          <li>
            <NavLink to={paths.setup} end>
              {t('nav.setup')}
            </NavLink>
          </li>
          {isPlanner && (
            <li>
              <NavLink to={paths.cards}>{t('nav.cards')}</NavLink>
            </li>
          )}
          <li>
            <NavLink to={paths.facilitate()}>{t('nav.facilitate')}</NavLink>
          </li>
          {workshop?.viewerUrl && (
            <li>
              <Link to={pathOf(workshop.viewerUrl)}>{t('nav.plenary')}</Link>
            </li>
          )}
          <li>
            <NavLink to={paths.synthesis}>{t('nav.synthesis')}</NavLink>
          </li>
          {isPlanner && (
            <li>
              <Link to={paths.reports}>{t('nav.reports')}</Link>
            </li>
          )}
        </ul>
      </nav>
    </div>
  );
}
