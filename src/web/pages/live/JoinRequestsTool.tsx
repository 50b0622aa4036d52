import { useCallback, useEffect, useId, useState } from 'react';
import type { JoinRequest } from '../../../contract/facilitation.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';

/** Only while the live connection is down: then nothing tells of a new request. */
const FALLBACK_POLL_MS = 2000;

/**
 * [JOIN-5] Devices asking to join under a name already in use, for the groups this person
 * facilitates: confirm it is that participant, or refuse. The list is read again when a
 * `joinRequests.changed` event arrives (`changes` counts them) and when the connection comes back;
 * while it is down, every two seconds.
 */
export function JoinRequestsTool({ workshopId, changes, online }: { workshopId: string; changes: number; online: boolean }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  const [requests, setRequests] = useState<JoinRequest[]>([]);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async () => {
    try {
      const next = await api.joinRequests(workshopId);
      setRequests((current) => {
        const fresh = next.filter((r) => !current.some((c) => c.id === r.id));
        if (fresh.length > 0) announce(t('live.joinRequests.new', { name: fresh.map((r) => r.participantName).join(', ') }));
        return next;
      });
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }, [workshopId, announce, t]);

  useEffect(() => {
    void load();
  }, [load, changes, online]);

  useEffect(() => {
    if (online) return;
    const timer = setInterval(load, FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [load, online]);

  async function decide(request: JoinRequest, decision: 'confirmed' | 'refused') {
    try {
      await api.decideJoinRequest(workshopId, request.id, decision);
      setRequests((current) => current.filter((r) => r.id !== request.id));
      announce(t(decision === 'confirmed' ? 'live.joinRequests.confirmed' : 'live.joinRequests.refused', { name: request.participantName }));
    } catch (caught) {
      setError(caught);
    }
  }

  if (requests.length === 0 && !error) return null;
  return (
    <section className="tool join-requests" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('live.joinRequests.heading')}</h2>
      <ErrorMessage error={error} />
      <ul>
        {requests.map((request) => (
          <li key={request.id}>
            <p>{t('live.joinRequests.asks', { name: request.participantName, group: request.groupName })}</p>
            <div className="toolbar">
              <button type="button" onClick={() => decide(request, 'confirmed')}>
                {t('live.joinRequests.confirm')}
                <span className="visually-hidden"> {request.participantName}</span>
              </button>
              <button type="button" className="secondary" onClick={() => decide(request, 'refused')}>
                {t('live.joinRequests.refuse')}
                <span className="visually-hidden"> {request.participantName}</span>
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
