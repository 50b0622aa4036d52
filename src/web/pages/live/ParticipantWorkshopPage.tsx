import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { BoardPoster } from '../../../contract/protocol.js';
import type { ParticipantSession } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { ApiError, setCsrfToken } from '../../api/client.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n, useWorkshopLanguage } from '../../i18n/i18n.js';
import { starBudget, type BoardView, type Me } from '../../live/applyPending.js';
import { useLiveBoard, type LiveBoard } from '../../live/useLiveBoard.js';
import { partLabel, posterTitle } from './labels.js';
import { LiveLayout } from './LiveLayout.js';
import { ConnectionIndicator, FatalNotice, RejectionList, RoundTimer } from './LiveStatus.js';
import { NotesPanel, PosterView } from './PosterView.js';
import type { PosterContext } from './posterContext.js';
import { useLiveAnnouncements } from './useLiveAnnouncements.js';

/** `/w/:workshopId` (the group's posters) and `/w/:workshopId/posters/:posterId` (one poster), on one live connection. */
export function ParticipantWorkshopPage() {
  const { workshopId = '', '*': rest = '' } = useParams();
  const { t } = useI18n();
  const [session, setSession] = useState<ParticipantSession | null>(null);
  const [error, setError] = useState<unknown>(null);
  const navigate = useNavigate();
  const groupId = session?.participant.groupId;
  // The server said this device's access changed and then refused it: moved to another group, follow
  // that one; removed or anonymised, join again.
  const accessChanged = useCallback(() => {
    const rejoin = () => navigate('/join?why=accessChanged');
    api.participantSession().then((next) => {
      if (next.workshop.id !== workshopId || next.participant.groupId === groupId) return rejoin();
      setCsrfToken(next.csrfToken);
      setSession(next);
    }, rejoin);
  }, [navigate, workshopId, groupId]);

  useEffect(() => {
    api.participantSession().then((next) => {
      setCsrfToken(next.csrfToken);
      setSession(next);
    }, setError);
  }, []);

  const home = `/w/${workshopId}`;
  if (error) {
    const notJoined = error instanceof ApiError && error.code === 'unauthenticated';
    return (
      <LiveLayout title={t('live.notJoined.title')} home={home}>
        {notJoined ? (
          <p className="notice">
            {t('live.notJoined.body')} <Link to="/join">{t('live.joinAgain')}</Link>
          </p>
        ) : (
          <ErrorMessage error={error} />
        )}
      </LiveLayout>
    );
  }
  if (!session) {
    return (
      <LiveLayout title={t('common.loading')} home={home}>
        <p role="status">{t('common.loading')}</p>
      </LiveLayout>
    );
  }
  if (session.workshop.id !== workshopId) {
    return (
      <LiveLayout title={t('live.otherWorkshop.title')} home={home}>
        <p className="notice">
          {t('live.otherWorkshop.body', { title: session.workshop.title })} <Link to={`/w/${session.workshop.id}`}>{session.workshop.title}</Link>
        </p>
        <p>
          <Link to="/join">{t('live.joinAgain')}</Link>
        </p>
      </LiveLayout>
    );
  }
  const posterId = rest.startsWith('posters/') ? rest.slice('posters/'.length).split('/')[0]! : null;
  return <LiveWorkshop session={session} posterId={posterId} onAccessChanged={accessChanged} />;
}

function LiveWorkshop({ session, posterId, onAccessChanged }: { session: ParticipantSession; posterId: string | null; onAccessChanged(): void }) {
  const { t } = useI18n();
  const { participant, workshop } = session;
  const me = useMemo<Me>(
    () => ({ participantId: participant.id, userId: null, name: participant.name, groupId: participant.groupId }),
    [participant.id, participant.name, participant.groupId],
  );
  const subscription = useMemo(() => ({ scope: 'group' as const, groupId: participant.groupId }), [participant.groupId]);
  const onEvent = useLiveAnnouncements(posterId, participant.groupId);
  const live = useLiveBoard(workshop.id, subscription, { deviceKey: participant.id, me, onEvent });
  useEffect(() => {
    if (live.fatal === 'accessChanged') onAccessChanged();
  }, [live.fatal, onAccessChanged]);

  // Moving between the list and a poster is a new page for a screen reader: start at its top.
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    document.getElementById('main')?.focus();
    window.scrollTo(0, 0);
  }, [posterId]);

  const home = `/w/${workshop.id}`;
  const who = `${participant.name} · ${participant.groupName}`;
  const view = live.view;
  useWorkshopLanguage(view?.workshop.language);
  const poster = posterId ? view?.posters.find((p) => p.id === posterId) : undefined;
  const group = view?.groups.find((g) => g.id === participant.groupId);
  const title = poster ? posterTitle(poster, t) : (view?.workshop.title ?? workshop.title);

  return (
    <LiveLayout title={title} home={home} who={who}>
      {live.fatal ? (
        <FatalNotice reason={live.fatal} who="participant" />
      ) : (
        <>
          <div className="live-bar">
            <ConnectionIndicator status={live.status} pending={live.pending} transport={live.transport} retryAt={live.retryAt} />
            {group && <RoundTimer endsAt={group.timerEndsAt} />}
          </div>
          <RejectionList rejections={live.rejections} dismiss={live.dismiss} />
          {view && view.workshop.state === 'draft' && <p className="notice">{t('live.notOpen')}</p>}
          {view && view.workshop.state === 'closed' && (
            <p className="notice">
              {t('live.closed')} <Link to="/outcome">{t('live.outcomeLink')}</Link>
            </p>
          )}
          {!view || !group ? (
            <p>{t('live.connecting')}</p>
          ) : posterId && !poster ? (
            <p className="notice">
              {t('live.posterMissing')} <Link to={home}>{t('live.allPosters')}</Link>
            </p>
          ) : poster ? (
            <>
              <p className="back-link">
                <Link to={home}>← {t('live.allPosters')}</Link>
              </p>
              <ParticipantPoster live={live} view={view} poster={poster} group={group} me={me} />
            </>
          ) : (
            <>
              <PosterList view={view} groupId={group.id} participantId={participant.id} home={home} />
              <p className="outcome-link">
                <Link to="/outcome">{t('live.outcomeLink')}</Link>
              </p>
            </>
          )}
        </>
      )}
    </LiveLayout>
  );
}

function ParticipantPoster({ live, view, poster, group, me }: { live: LiveBoard; view: BoardView; poster: BoardPoster; group: BoardView['groups'][number]; me: Me }) {
  const ctx: PosterContext = {
    view,
    poster,
    group,
    mode: 'participant',
    me,
    actingFor: me.participantId ? { id: me.participantId, name: me.name ?? '' } : null,
    readOnly: view.workshop.state !== 'open',
    online: live.status === 'online',
    send: live.send,
  };
  return <PosterView ctx={ctx} notesPanel={<NotesPanel ctx={ctx} />} />;
}

/** The group's posters, by perspective: "Del 1: Delmål", "Del 2: Strategier". */
function PosterList({ view, groupId, participantId, home }: { view: BoardView; groupId: string; participantId: string; home: string }) {
  const { t, plural } = useI18n();
  const perspectives: Array<{ id: string; title: string; posters: BoardPoster[] }> = [];
  for (const poster of [...view.posters].sort((a, b) => a.position - b.position)) {
    let perspective = perspectives.find((p) => p.id === poster.perspectiveId);
    if (!perspective) {
      perspective = { id: poster.perspectiveId, title: poster.perspectiveTitle, posters: [] };
      perspectives.push(perspective);
    }
    perspective.posters.push(poster);
  }
  const count = (poster: BoardPoster) =>
    view.notes.filter((n) => n.posterId === poster.id && n.groupId === groupId && !n.withdrawn && n.kind !== 'facilitator_note' && !n.replyToNoteId).length;
  if (perspectives.length === 0) return <p>{t('live.noPosters')}</p>;
  return (
    <>
      <p>{t('live.pickPoster')}</p>
      {perspectives.map((perspective) => (
        <section key={perspective.id} className="perspective-posters" aria-labelledby={`persp-${perspective.id}`}>
          <h2 id={`persp-${perspective.id}`}>{perspective.title}</h2>
          <ul className="poster-links">
            {perspective.posters.map((poster) => {
              const stars = starBudget(view, poster.id, participantId);
              return (
                <li key={poster.id}>
                  <Link to={`${home}/posters/${poster.id}`} className="poster-link">
                    <span className="poster-link-title">{partLabel(poster, t)}</span>
                    <span className="poster-link-meta">
                      {plural('live.lapperCount', count(poster))}
                      {poster.starsEnabled && <> · {t('live.stars.left', { left: stars.left, budget: stars.budget })}</>}
                    </span>
                  </Link>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </>
  );
}
