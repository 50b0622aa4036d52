import type { Workshop } from '../../../contract/workshops.schema.js';
import { allowedTransitions, type WorkshopState } from '../../../domain/workshops.js';
import { api } from '../../api/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import type { WorkshopActions } from './WorkshopSetupPage.js';

const actionKey: Record<WorkshopState, MessageKey> = { draft: 'ws.toDraft', open: 'ws.toOpen', closed: 'ws.toClosed' };
const confirmKey: Record<WorkshopState, MessageKey> = { draft: 'ws.toDraft', open: 'ws.confirmOpen', closed: 'ws.confirmClose' };

/** The workshop's state and the buttons that move it on, each asking first. */
export function StateSection({ workshop, actions, canChange }: { workshop: Workshop; actions: WorkshopActions; canChange: boolean }) {
  const { t } = useI18n();
  const targets = allowedTransitions(workshop.state);

  function move(to: WorkshopState) {
    const reopening = workshop.state === 'closed' && to === 'open';
    if (!window.confirm(t(reopening ? 'ws.confirmReopen' : confirmKey[to], { title: workshop.title }))) return;
    void actions.change('state', () => api.changeWorkshopState(workshop.id, to), t('ws.stateChanged', { state: t(`ws.state.${to}`) }));
  }

  return (
    <section aria-labelledby="ws-state" className="ws-section">
      <h2 id="ws-state">{t('ws.stateHeading')}</h2>
      <p>
        <strong>{t(`ws.state.${workshop.state}`)}.</strong> {t(`ws.stateHelp.${workshop.state}`)}
      </p>
      <ErrorMessage error={actions.errorFor('state')} />
      {canChange && (
        <div className="toolbar">
          {targets.map((to) => (
            <button key={to} type="button" className={to === 'closed' ? 'danger' : undefined} onClick={() => move(to)}>
              {workshop.state === 'closed' && to === 'open' ? t('ws.reopen') : t(actionKey[to])}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}
