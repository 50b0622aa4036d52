import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/api.js';
import { setCsrfToken } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';

const POLL_MS = 2000;

/**
 * [JOIN-5] The name is in use on another device: say so, and on request ask the facilitator, who
 * confirms it is this person (a new phone, a flat battery) or refuses. Polls for the answer.
 */
export function ClaimedName({ code, participant, onJoined, onBack }: { code: string; participant: { id: string; name: string }; onJoined(workshopId: string): void; onBack(): void }) {
  const { t } = useI18n();
  const [request, setRequest] = useState<{ id: string; secret: string } | null>(null);
  const [state, setState] = useState<'ask' | 'pending' | 'refused'>('ask');
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    if (!request || state !== 'pending') return;
    let stopped = false;
    const timer = setInterval(async () => {
      try {
        const answer = await api.joinRequestStatus(request.id, request.secret);
        if (stopped) return;
        if (answer.state === 'refused') setState('refused');
        if (answer.state === 'confirmed') {
          setCsrfToken(answer.session.csrfToken);
          onJoined(answer.session.workshop.id);
        }
      } catch (caught) {
        if (!stopped) setError(caught);
      }
    }, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [request, state, onJoined]);

  async function ask() {
    try {
      setRequest(await api.requestToJoin(code, participant.id));
      setState('pending');
      setError(null);
    } catch (caught) {
      setError(caught);
    }
  }

  return (
    <div className="notice claimed-name">
      <h2 ref={heading} tabIndex={-1}>
        {t('join.claimed.heading', { name: participant.name })}
      </h2>
      <p>{t('join.claimed.explain', { name: participant.name })}</p>
      {state === 'ask' && (
        <button type="button" className="big-button" onClick={ask}>
          {t('join.claimed.ask')}
        </button>
      )}
      {state === 'pending' && (
        <p role="status" className="claimed-waiting">
          {t('join.claimed.waiting')}
        </p>
      )}
      {state === 'refused' && (
        <p role="alert" className="error">
          {t('join.claimed.refused')}
        </p>
      )}
      <ErrorMessage error={error} />
      <button type="button" className="secondary big-button" onClick={onBack}>
        {t('join.claimed.pickAnother')}
      </button>
    </div>
  );
}
