import { useEffect, useRef, useState } from 'react';
import type { Workshop, WorkshopParticipant } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { ActionButton } from '../../components/ActionButton.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';

/**
 * GDPR for planners: per participant, everything stored about them (art. 15) and anonymisation —
 * name, party and committee removed, the lapper kept as "Deltaker, Gruppe N".
 */
export function PrivacySection({ workshopId, reload }: { workshopId: string; reload(): Promise<void> }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [workshop, setWorkshop] = useState<Workshop | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState<WorkshopParticipant | null>(null);

  useEffect(() => {
    if (open) api.getWorkshop(workshopId).then(setWorkshop, setError);
  }, [open, workshopId]);

  async function anonymise(participant: WorkshopParticipant) {
    try {
      const result = await api.anonymiseParticipant(participant.id);
      setWorkshop(await api.getWorkshop(workshopId));
      setError(null);
      announce(t('syn.privacy.anonymised', { name: result.name }));
      await reload();
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <section className="syn-privacy" aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">{t('syn.privacy')}</h2>
      <details onToggle={(event) => setOpen(event.currentTarget.open)}>
        <summary>{t('syn.privacy.show')}</summary>
        <p>{t('syn.privacy.intro')}</p>
        <ErrorMessage error={error} />
        {open && !workshop && !error && <p>{t('common.loading')}</p>}
        {workshop?.groups.map((group) => (
          <div key={group.id} className="syn-privacy-group">
            <h3>{group.name}</h3>
            {group.participants.length === 0 ? (
              <p className="muted">{t('syn.privacy.noParticipants')}</p>
            ) : (
              <ul className="syn-participants">
                {group.participants.map((participant) => (
                  <li key={participant.id}>
                    <span className="syn-participant-name">
                      {participant.name}
                      {[participant.party, participant.committee].filter(Boolean).length > 0 && (
                        <span className="muted"> – {[participant.party, participant.committee].filter(Boolean).join(', ')}</span>
                      )}
                      {participant.anonymised && <span className="badge">{t('syn.privacy.isAnonymised')}</span>}
                    </span>
                    <span className="toolbar">
                      <a
                        className="button secondary"
                        href={`/api/participants/${participant.id}/data`}
                        download
                        aria-label={`${t('syn.privacy.download')}: ${participant.name}`}
                      >
                        {t('syn.privacy.download')}
                      </a>
                      {!participant.anonymised && (
                        <ActionButton className="danger" onClick={() => setConfirming(participant)} label={t('syn.privacy.anonymise')} target={participant.name} />
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </details>
      {confirming && (
        <ConfirmAnonymise
          participant={confirming}
          groupName={workshop?.groups.find((group) => group.id === confirming.groupId)?.name ?? ''}
          onClose={(confirmed) => {
            setConfirming(null);
            if (confirmed) void anonymise(confirming);
          }}
        />
      )}
    </section>
  );
}

/** A modal question with the consequences spelled out; Escape or "Avbryt" leaves everything as it was. */
function ConfirmAnonymise({ participant, groupName, onClose }: { participant: WorkshopParticipant; groupName: string; onClose(confirmed: boolean): void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const confirmed = useRef(false);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog ref={dialog} className="syn-confirm" aria-labelledby="anonymise-title" aria-describedby="anonymise-body" onClose={() => onClose(confirmed.current)}>
      <h2 id="anonymise-title">{t('syn.privacy.confirmTitle', { name: participant.name })}</h2>
      <div id="anonymise-body">
        <p>{t('syn.privacy.confirmBody', { group: groupName })}</p>
        <p>{t('syn.privacy.confirmFinal')}</p>
      </div>
      <div className="toolbar">
        <button
          type="button"
          className="danger"
          onClick={() => {
            confirmed.current = true;
            dialog.current?.close();
          }}
        >
          {t('syn.privacy.confirm')}
        </button>
        <button type="button" className="secondary" autoFocus onClick={() => dialog.current?.close()}>
          {t('common.cancel')}
        </button>
      </div>
    </dialog>
  );
}
