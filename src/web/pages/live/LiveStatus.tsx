import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useAnnounce } from '../../components/Announcer.js';
import { CopyButton } from '../../components/CopyButton.js';
import { describeError } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';
import type { ConnectionStatus, FatalReason, PendingCommand, Rejection, Transport } from '../../live/liveClient.js';
import { excerpt, formatCountdown } from './labels.js';

/**
 * "Tilkoblet" or "Frakoblet – …", with how many changes wait to be sent, whether the connection runs
 * over the HTTP fallback, and whether the server asked us to wait. A status region: read politely.
 */
export function ConnectionIndicator({
  status,
  pending,
  transport = 'websocket',
  retryAt = null,
}: {
  status: ConnectionStatus;
  pending: readonly PendingCommand[];
  transport?: Transport;
  retryAt?: number | null;
}) {
  const { t, plural } = useI18n();
  const waiting = pending.filter((entry) => entry.status !== 'acked').length;
  const state = status === 'online' ? 'online' : status === 'connecting' ? 'connecting' : 'offline';
  return (
    <p className={`connection connection-${state}`} role="status">
      <span className="connection-dot" aria-hidden="true" />
      <span>
        {t(state === 'online' && transport === 'http' ? 'live.connection.fallback' : `live.connection.${state}`)}
        {waiting > 0 && state !== 'connecting' && <> · {plural('live.connection.waiting', waiting)}</>}
        {waiting > 0 && retryAt !== null && state === 'online' && <> · {t('live.connection.paused')}</>}
      </span>
    </p>
  );
}

/**
 * Commands the server refused for good, each in the user's language. A refused lapp keeps its whole
 * text in a field to select and a button to copy, so nothing typed is lost ([LIVE-18]).
 */
export function RejectionList({ rejections, dismiss }: { rejections: readonly Rejection[]; dismiss(id: string): void }) {
  const { t } = useI18n();
  if (rejections.length === 0) return null;
  return (
    <div className="rejections" role="alert">
      {rejections.map(({ commandId, command, error }) => {
        const text = command.type === 'note.create' || command.type === 'note.edit' ? command.text : null;
        return (
          <div key={commandId} className="rejection">
            <p>
              {text === null ? t('live.rejected.change') : t('live.rejected.note', { text: excerpt(text, 60) })} {describeError(error, t)}
            </p>
            {text !== null && <RefusedText commandId={commandId} text={text} />}
            <div className="toolbar">
              {text !== null && <CopyButton text={text} target={t('live.rejected.yourText')} />}
              <button type="button" className="secondary" onClick={() => dismiss(commandId)}>
                {t('common.close')}
              </button>
            </div>
          </div>
        );
      })}
    </div>
  );
}

function RefusedText({ commandId, text }: { commandId: string; text: string }) {
  const { t } = useI18n();
  const id = `refused-${commandId}`;
  const label = t('live.rejected.yourText');
  return (
    <div className="field refused-text">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} value={text} readOnly rows={Math.min(6, 1 + Math.ceil(text.length / 60))} onFocus={(event) => event.currentTarget.select()} />
    </div>
  );
}

/** Why this page stopped following the workshop, and what to do. */
export function FatalNotice({ reason, who }: { reason: FatalReason; who: 'participant' | 'user' | 'viewer' }) {
  const { t } = useI18n();
  return (
    <div className="notice fatal" role="alert">
      <p>{t(`live.fatal.${reason}`)}</p>
      {reason === 'reload' && (
        <button type="button" onClick={() => window.location.reload()}>
          {t('live.fatal.reloadButton')}
        </button>
      )}
      {(reason === 'unauthenticated' || reason === 'accessChanged') && who === 'participant' && <Link to="/join">{t('live.joinAgain')}</Link>}
      {reason === 'unauthenticated' && who === 'user' && <Link to="/login">{t('login.title')}</Link>}
    </div>
  );
}

/** The round timer: counts down visibly; the screen reader hears only "one minute left" and "time is up". */
export function RoundTimer({ endsAt, speak = true }: { endsAt: string | null; /** Only one timer on a page should speak. */ speak?: boolean }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const [now, setNow] = useState(() => Date.now());
  // Starts unset, so a timer already near its end when the page opens is not announced.
  const said = useRef<{ endsAt: string | null | undefined; minute: boolean; over: boolean }>({ endsAt: undefined, minute: false, over: false });
  useEffect(() => {
    if (!endsAt) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [endsAt]);
  const left = endsAt ? Date.parse(endsAt) - now : 0;
  useEffect(() => {
    if (said.current.endsAt !== endsAt) said.current = { endsAt, minute: left <= 60_000, over: left <= 0 };
    if (!endsAt || !speak) return;
    if (left <= 0 && !said.current.over) {
      said.current.over = true;
      announce(t('live.timer.over'));
    } else if (left <= 60_000 && left > 0 && !said.current.minute) {
      said.current.minute = true;
      announce(t('live.timer.oneMinute'));
    }
  }, [endsAt, left, announce, t, speak]);
  if (!endsAt) return null;
  return (
    <p className={`round-timer${left <= 60_000 ? ' ending' : ''}`}>
      <span>{t('live.timer.label')}</span>{' '}
      <span role="timer" className="countdown">
        {left > 0 ? formatCountdown(left) : t('live.timer.overShort')}
      </span>
    </p>
  );
}
