import { Link } from 'react-router';
import { formatJoinCode } from '../../../domain/workshops.js';
import type { Workshop } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { CopyField } from '../../components/CopyButton.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { workshopPaths } from '../../components/WorkshopNav.js';
import { useI18n } from '../../i18n/i18n.js';
import type { WorkshopActions } from './WorkshopSetupPage.js';

/** How people get in: the code to type, the QR code to scan, the links to share. */
export function JoinSection({ workshop, actions, canChange }: { workshop: Workshop; actions: WorkshopActions; canChange: boolean }) {
  const { t } = useI18n();

  function renewCode() {
    if (!window.confirm(t('ws.confirmNewCode'))) return;
    void actions.change('join', () => api.regenerateJoinCode(workshop.id), t('ws.newCodeDone'));
  }
  function renewViewer() {
    if (!window.confirm(t('ws.confirmNewViewer'))) return;
    void actions.change('join', () => api.regenerateViewerToken(workshop.id), t('ws.newViewerDone'));
  }

  return (
    <section aria-labelledby="ws-join" className="ws-section join-section">
      <h2 id="ws-join">{t('ws.joinHeading')}</h2>
      <div className="join-grid">
        <div>
          <p className="join-code-label" id="ws-join-code-label">
            {t('ws.joinCode')}
          </p>
          <p className="join-code" aria-labelledby="ws-join-code-label" data-testid="join-code">
            {formatJoinCode(workshop.joinCode)}
          </p>
          <p className="hint">{t('ws.joinCodeHelp', { url: workshop.joinUrl.replace(/\/join\/.*$/, '/join') })}</p>
          <CopyField label={t('ws.joinLink')} value={workshop.joinUrl} />
          {workshop.viewerUrl && <CopyField label={t('ws.viewerLink')} value={workshop.viewerUrl} hint={t('ws.viewerHelp')} />}
          {canChange && (
            <p>
              <Link to={workshopPaths(workshop.id).cards}>{t('cards.link')}</Link>
            </p>
          )}
          <ErrorMessage error={actions.errorFor('join')} />
          {canChange && (
            <div className="toolbar">
              <button type="button" className="secondary" onClick={renewCode}>
                {t('ws.newCode')}
              </button>
              <button type="button" className="secondary" onClick={renewViewer}>
                {t('ws.newViewer')}
              </button>
            </div>
          )}
        </div>
        <img
          className="join-qr"
          src={`/api/workshops/${workshop.id}/join-qr.svg?code=${workshop.joinCode}`}
          alt={t('ws.qrAlt', { url: workshop.joinUrl })}
          width={220}
          height={220}
        />
      </div>
    </section>
  );
}
