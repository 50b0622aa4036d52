import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { Item, Plan } from '../../../contract/plans.schema.js';
import { api } from '../../api/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { useAnnounce } from '../../components/Announcer.js';
import { useI18n } from '../../i18n/i18n.js';
import { AddPerspectiveForm } from './AddPerspectiveForm.js';
import { HistoryDialog, type HistoryTarget } from './HistoryDialog.js';
import { PerspectiveSection } from './PerspectiveSection.js';
import { PlanDetailsForm } from './PlanDetailsForm.js';
import { WorkshopsSection } from './WorkshopsSection.js';
import { TimelineSection } from '../consultation/TimelineSection.js';

/** What every part of the editor gets: run a change, see the result, hear about it. */
export interface EditorActions {
  /** Runs a change; the returned plan replaces the shown one. Resolves false when it failed. */
  change(run: () => Promise<Plan>, announcement?: (plan: Plan) => string): Promise<boolean>;
  showHistory(target: HistoryTarget): void;
  /** Fetches the plan as the server has it now. */
  reload(): Promise<boolean>;
}

export function PlanEditorPage() {
  const { planId = '' } = useParams();
  const { t } = useI18n();
  const announce = useAnnounce();
  const [plan, setPlan] = useState<Plan | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [history, setHistory] = useState<HistoryTarget | null>(null);

  useEffect(() => {
    api.getPlan(planId).then(setPlan, setError);
  }, [planId]);

  const change = useCallback<EditorActions['change']>(
    async (run, announcement) => {
      try {
        const next = await run();
        setPlan(next);
        setError(null);
        announce(announcement ? announcement(next) : t('common.saved'));
        return true;
      } catch (caught) {
        setError(caught);
        return false;
      }
    },
    [announce, t],
  );
  const actions: EditorActions = { change, showHistory: setHistory, reload: () => change(() => api.getPlan(planId)) };

  if (!plan) {
    return (
      <Layout title={t('common.loading')}>
        <ErrorMessage error={error} />
      </Layout>
    );
  }

  return (
    <Layout title={plan.title}>
      <p className="muted">
        {plan.municipality} · {plan.horizonYear}
      </p>
      <ErrorMessage error={error} />
      <PlanDetailsForm plan={plan} actions={actions} />
      <p>
        <button type="button" className="secondary" onClick={() => setHistory({ kind: 'plan', planId: plan.id, label: plan.title })}>
          {t('editor.planHistory')}
        </button>{' '}
        <a href="#workshops">{t('ws.workshops')}</a>
      </p>
      <h2>{t('editor.perspectives')}</h2>
      <p className="hint">{t('editor.moveHint')}</p>
      {plan.perspectives.length === 0 && <p>{t('editor.noPerspectives')}</p>}
      {plan.perspectives.map((perspective, index) => (
        <PerspectiveSection
          key={perspective.id}
          perspective={perspective}
          index={index}
          count={plan.perspectives.length}
          actions={actions}
        />
      ))}
      <AddPerspectiveForm planId={plan.id} actions={actions} />
      <WorkshopsSection planId={plan.id} />
      <TimelineSection planId={plan.id} />
      {history && <HistoryDialog target={history} onClose={() => setHistory(null)} />}
    </Layout>
  );
}

export const itemLabel = (item: Pick<Item, 'kind' | 'number'>, t: (key: `kind.${Item['kind']}`) => string) =>
  item.kind === 'main_goal' ? t('kind.main_goal') : `${t(`kind.${item.kind}`)} ${item.number ?? ''}`.trim();
