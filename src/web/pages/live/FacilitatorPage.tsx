import { useCallback, useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { formatJoinCode } from '../../../domain/workshops.js';
import type { BoardGroup, BoardPoster } from '../../../contract/protocol.js';
import { useAnnounce } from '../../components/Announcer.js';
import { Layout } from '../../components/Layout.js';
import { WorkshopNav } from '../../components/WorkshopNav.js';
import { useSession } from '../../components/session.js';
import { useI18n } from '../../i18n/i18n.js';
import type { BoardView, Me } from '../../live/applyPending.js';
import { useLiveBoard, type LiveBoard } from '../../live/useLiveBoard.js';
import { partLabel, posterTitle } from './labels.js';
import { ConnectionIndicator, FatalNotice, RejectionList, RoundTimer } from './LiveStatus.js';
import { JoinRequestsTool } from './JoinRequestsTool.js';
import { NotesPanel, PosterView } from './PosterView.js';
import type { PosterContext } from './posterContext.js';
import { useLiveAnnouncements } from './useLiveAnnouncements.js';

/**
 * `/facilitate/:workshopId?group=…&poster=…`: a facilitator's groups (a planner's: all), one poster
 * at a time, with the table's tools: Notater, writing for a participant, moving lapper, revealing
 * stars, the round timer and the join code.
 */
export function FacilitatorPage() {
  const { workshopId = '' } = useParams();
  const { t } = useI18n();
  const { session } = useSession();
  const user = session!.user;
  const [params, setParams] = useSearchParams();
  const me = useMemo<Me>(() => ({ participantId: null, userId: user.id, name: user.name, groupId: null }), [user.id, user.name]);
  const subscription = useMemo(() => ({ scope: 'workshop' as const }), []);
  const groupParam = params.get('group');
  const posterParam = params.get('poster');
  const announceEvent = useLiveAnnouncements(posterParam, groupParam);
  // [JOIN-5] Join requests arrive as live events; the tool reads the list again on each.
  const [joinRequestChanges, setJoinRequestChanges] = useState(0);
  const onEvent = useCallback<typeof announceEvent>(
    (event, own, board) => {
      if (event.type === 'joinRequests.changed') setJoinRequestChanges((n) => n + 1);
      announceEvent(event, own, board);
    },
    [announceEvent],
  );
  const live = useLiveBoard(workshopId, subscription, { deviceKey: user.id, me, onEvent });
  const view = live.view;
  const groups = useMemo(() => [...(view?.groups ?? [])].sort((a, b) => a.position - b.position), [view?.groups]);
  const posters = useMemo(() => [...(view?.posters ?? [])].sort((a, b) => a.position - b.position), [view?.posters]);
  const group = groups.find((g) => g.id === groupParam) ?? groups[0];
  const poster = posters.find((p) => p.id === posterParam) ?? posters[0];
  const title = view ? `${view.workshop.title}${group ? ` – ${group.name}` : ''}` : t('common.loading');

  const choose = (next: { group?: string; poster?: string }) =>
    setParams((current) => {
      const updated = new URLSearchParams(current);
      for (const [key, value] of Object.entries(next)) updated.set(key, value);
      return updated;
    });

  return (
    <Layout title={title} context={<WorkshopNav workshopId={workshopId} />}>
      {live.fatal ? (
        <FatalNotice reason={live.fatal} who="user" />
      ) : !view ? (
        <>
          <ConnectionIndicator status={live.status} pending={live.pending} transport={live.transport} retryAt={live.retryAt} />
          <p>{t('live.connecting')}</p>
        </>
      ) : !group || !poster ? (
        <p className="notice">{t(groups.length === 0 ? 'live.facilitate.noGroups' : 'live.noPosters')}</p>
      ) : (
        <FacilitatorBoard
          live={live}
          view={view}
          me={me}
          groups={groups}
          posters={posters}
          group={group}
          poster={poster}
          choose={choose}
          workshopId={workshopId}
          joinRequestChanges={joinRequestChanges}
        />
      )}
    </Layout>
  );
}

interface BoardProps {
  live: LiveBoard;
  view: BoardView;
  me: Me;
  groups: BoardGroup[];
  posters: BoardPoster[];
  group: BoardGroup;
  poster: BoardPoster;
  workshopId: string;
  joinRequestChanges: number;
  choose(next: { group?: string; poster?: string }): void;
}

function FacilitatorBoard({ live, view, me, groups, posters, group, poster, workshopId, joinRequestChanges, choose }: BoardProps) {
  const { t } = useI18n();
  const ids = useId();
  // Whom the facilitator writes for, per group: a shared device at the table, as on paper.
  const [actingForByGroup, setActingFor] = useState<Record<string, string>>({});
  const actingForId = actingForByGroup[group.id] ?? '';
  const actingParticipant = group.participants.find((p) => p.id === actingForId) ?? null;
  const readOnly = view.workshop.state === 'closed' || view.workshop.state === 'draft';
  const ctx: PosterContext = {
    view,
    poster,
    group,
    mode: 'facilitator',
    me,
    actingFor: actingParticipant ? { id: actingParticipant.id, name: actingParticipant.name } : null,
    readOnly,
    online: live.status === 'online',
    send: live.send,
  };

  return (
    <div className="facilitator-layout">
      <div className="facilitator-main">
        {/* First on the page, so a facilitator on a phone sees a device waiting at once. */}
        <JoinRequestsTool workshopId={workshopId} changes={joinRequestChanges} online={live.status === 'online'} />
        <div className="live-bar">
          <ConnectionIndicator status={live.status} pending={live.pending} transport={live.transport} retryAt={live.retryAt} />
          <RoundTimer endsAt={group.timerEndsAt} />
        </div>
        <RejectionList rejections={live.rejections} dismiss={live.dismiss} />
        {view.workshop.state !== 'open' && <p className="notice">{t(view.workshop.state === 'closed' ? 'live.closed' : 'live.notOpen')}</p>}
        <nav className="facilitator-nav" aria-label={t('live.facilitate.choose')}>
          {groups.length > 1 ? (
            <div className="field inline-field">
              <label htmlFor={`${ids}-group`}>{t('live.facilitate.group')}</label>
              <select id={`${ids}-group`} value={group.id} onChange={(event) => choose({ group: event.target.value })}>
                {groups.map((g) => (
                  <option key={g.id} value={g.id}>
                    {g.name}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <PosterLinks posters={posters} current={poster.id} groupId={group.id} workshopId={workshopId} />
        </nav>
        <h2 className="poster-heading">{posterTitle(poster, t)}</h2>
        <div className="acting-for field inline-field">
          <label htmlFor={`${ids}-for`}>{t('live.facilitate.writeFor')}</label>
          <select id={`${ids}-for`} value={actingForId} onChange={(event) => setActingFor((current) => ({ ...current, [group.id]: event.target.value }))}>
            <option value="">{t('live.facilitate.myself', { name: me.name ?? '' })}</option>
            {group.participants.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <PosterView ctx={ctx} />
      </div>
      <aside className="facilitator-tools" aria-label={t('live.facilitate.tools')}>
        <NotesPanel ctx={ctx} />
        <TimerTool group={group} send={live.send} readOnly={readOnly} />
        {view.workshop.starsHidden && <RevealTool group={group} send={live.send} readOnly={readOnly} />}
        <JoinTool workshopId={workshopId} joinCode={view.workshop.joinCode} />
      </aside>
    </div>
  );
}

function PosterLinks({ posters, current, groupId, workshopId }: { posters: BoardPoster[]; current: string; groupId: string; workshopId: string }) {
  const { t } = useI18n();
  const perspectives: Array<{ id: string; title: string; posters: BoardPoster[] }> = [];
  for (const poster of posters) {
    let perspective = perspectives.find((p) => p.id === poster.perspectiveId);
    if (!perspective) perspectives.push((perspective = { id: poster.perspectiveId, title: poster.perspectiveTitle, posters: [] }));
    perspective.posters.push(poster);
  }
  return (
    <ul className="poster-tabs">
      {perspectives.map((perspective) => (
        <li key={perspective.id}>
          <span className="poster-tabs-title">{perspective.title}</span>
          <ul>
            {perspective.posters.map((poster) => (
              <li key={poster.id}>
                <Link
                  to={`/facilitate/${workshopId}?group=${groupId}&poster=${poster.id}`}
                  aria-current={poster.id === current ? 'page' : undefined}
                  aria-label={posterTitle(poster, t)}
                >
                  {partLabel(poster, t)}
                </Link>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

function TimerTool({ group, send, readOnly }: { group: BoardGroup; send: LiveBoard['send']; readOnly: boolean }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  const [minutes, setMinutes] = useState('10');
  const running = group.timerEndsAt !== null && Date.parse(group.timerEndsAt) > Date.now();

  function start(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = Number(minutes);
    if (!Number.isFinite(value) || value <= 0 || value > 240) return;
    send({ type: 'group.timer', groupId: group.id, seconds: Math.round(value * 60) });
    announce(t('live.announce.timerStarted', { minutes: value }));
  }

  return (
    <section className="tool" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('live.timer.heading')}</h2>
      <RoundTimer endsAt={group.timerEndsAt} speak={false} />
      <form className="inline-form" onSubmit={start}>
        <div className="field">
          <label htmlFor={`${id}-min`}>{t('live.timer.minutes')}</label>
          <input id={`${id}-min`} type="number" inputMode="numeric" min={1} max={240} step={1} value={minutes} onChange={(event) => setMinutes(event.target.value)} disabled={readOnly} />
        </div>
        <button type="submit" disabled={readOnly}>
          {t(running ? 'live.timer.restart' : 'live.timer.start')}
        </button>
        {group.timerEndsAt && (
          <button
            type="button"
            className="secondary"
            disabled={readOnly}
            onClick={() => {
              send({ type: 'group.timer', groupId: group.id, seconds: null });
              announce(t('live.announce.timerStopped'));
            }}
          >
            {t('live.timer.stop')}
          </button>
        )}
      </form>
    </section>
  );
}

function RevealTool({ group, send, readOnly }: { group: BoardGroup; send: LiveBoard['send']; readOnly: boolean }) {
  const { t } = useI18n();
  const id = useId();
  return (
    <section className="tool" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('live.reveal.heading')}</h2>
      <p className="hint">{t(group.starsRevealed ? 'live.reveal.shown' : 'live.reveal.hidden')}</p>
      <button type="button" aria-pressed={group.starsRevealed} disabled={readOnly} onClick={() => send({ type: 'group.revealStars', groupId: group.id, revealed: !group.starsRevealed })}>
        {t('live.reveal.button')}
      </button>
    </section>
  );
}

function JoinTool({ workshopId, joinCode }: { workshopId: string; joinCode: string | null }) {
  const { t } = useI18n();
  const id = useId();
  const [qrFailed, setQrFailed] = useState(false);
  useEffect(() => setQrFailed(false), [workshopId]);
  if (!joinCode) return null;
  const code = formatJoinCode(joinCode);
  return (
    <section className="tool join-tool" aria-labelledby={`${id}-h`}>
      <h2 id={`${id}-h`}>{t('live.join.heading')}</h2>
      <p>
        {t('live.join.codeLabel')} <strong className="join-code">{code}</strong>
      </p>
      <p className="hint">
        {t('live.join.at', { url: `${window.location.host}/join` })}
      </p>
      {!qrFailed && (
        <img className="qr" src={`/api/workshops/${workshopId}/join-qr.svg`} alt={t('live.join.qrAlt', { code })} width={200} height={200} onError={() => setQrFailed(true)} />
      )}
    </section>
  );
}
