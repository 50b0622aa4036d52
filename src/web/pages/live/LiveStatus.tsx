import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { Command } from '../../../server/live/protocol.js';
import { useAnnounce } from '../../components/Announcer.js';
import { describeError } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';
import type { ConnectionStatus, FatalReason, PendingCommand, Rejection } from '../../live/liveClient.js';
import { countText, excerpt, formatCountdown } from './labels.js';

/** "Tilkoblet" or "Frakoblet – …", with how many changes wait to be sent. A status region: read politely. */
export function ConnectionIndicator({ status, pending }: { status: ConnectionStatus; pending: readonly PendingCommand[] }) {
  const { t } = useI18n();
  const waiting = pending.filter((entry) => entry.status !== 'acked').length;
  const state = status === 'online' ? 'online' : status === 'connecting' ? 'connecting' : 'offline';
  return (
    <p className={`connection connection-${state}`} role="status">
      <span className="connection-dot" aria-hidden="true" />
      <span>
        {t(`live.connection.${state}`)}
        {waiting > 0 && state !== 'connecting' && <> · {countText(t, 'live.connection.waiting', waiting)}</>}
      </span>
    </p>
  );
}

/** Commands the server refused, each in the user's language; a lapp that was refused shows its text so nothing typed is lost. */
export function RejectionList({ rejections, dismiss, retry }: { rejections: readonly Rejection[]; dismiss(id: string): void; retry(command: Command): void }) {
  const { t } = useI18n();
  if (rejections.length === 0) return null;
  return (
    <div className="rejections" role="alert">
      {rejections.map(({ commandId, command, error }) => (
        <div key={commandId} className="rejection">
          <p>
            {command.type === 'note.create' || command.type === 'note.edit' ? (
              <>
                {t('live.rejected.note', { text: excerpt(command.text, 120) })}{' '}
              </>
            ) : null}
            {describeError(error, t)}
          </p>
          <div className="toolbar">
            {error.code === 'rate_limited' && (command.type === 'note.create' || command.type === 'note.edit') && (
              <button
                type="button"
                onClick={() => {
                  dismiss(commandId);
                  retry(command);
                }}
              >
                {t('live.rejected.retry')}
              </button>
            )}
            <button type="button" className="secondary" onClick={() => dismiss(commandId)}>
              {t('common.close')}
            </button>
          </div>
        </div>
      ))}
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
      {reason === 'unauthenticated' && who === 'participant' && <Link to="/join">{t('live.joinAgain')}</Link>}
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
