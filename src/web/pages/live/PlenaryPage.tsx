import { useEffect, useMemo, useRef, useState } from 'react';
import { useParams } from 'react-router';
import { formatJoinCode } from '../../../domain/workshops.js';
import type { BoardGroup, BoardPoster, LiveNote } from '../../../contract/protocol.js';
import type { ViewerInfo } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n, useWorkshopLanguage } from '../../i18n/i18n.js';
import { SiteFooter } from '../../components/SiteFooter.js';
import type { BoardView } from '../../live/applyPending.js';
import { useLiveBoard } from '../../live/useLiveBoard.js';
import { authorName, itemLabel, placeLabel, posterTitle } from './labels.js';
import { ConnectionIndicator, FatalNotice } from './LiveStatus.js';

const NEWEST = 12;
/** Room a group's column needs, and the item column's, in CSS pixels: more groups are paged, never squeezed. */
const GROUP_COLUMN = 150;
const ITEM_COLUMN = 240;
const ROTATE_SECONDS = 20;

/** How many group columns fit in the width of the poster tables (at least one). */
export const groupsPerPage = (width: number, groupCount: number) => Math.max(1, Math.min(groupCount, Math.floor((width - ITEM_COLUMN) / GROUP_COLUMN)));

/**
 * The groups shown now: as many as fit, turning to the next ones every ROTATE_SECONDS unless
 * paused (WCAG 2.2.2), or by the buttons.
 */
function useGroupPages(groups: BoardGroup[]) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(1200);
  const [page, setPage] = useState(0);
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setWidth(entry!.contentRect.width));
    observer.observe(element);
    return () => observer.disconnect();
  }, [groups.length > 0]); // eslint-disable-line react-hooks/exhaustive-deps -- the section appears with the first groups
  const perPage = groupsPerPage(width, groups.length);
  const pages = Math.max(1, Math.ceil(groups.length / perPage));
  const current = page % pages;
  useEffect(() => {
    if (paused || pages < 2) return;
    const timer = setInterval(() => setPage((p) => p + 1), ROTATE_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [paused, pages]);
  return {
    ref,
    shown: groups.slice(current * perPage, current * perPage + perPage),
    page: current,
    pages,
    first: current * perPage + 1,
    last: Math.min(groups.length, (current + 1) * perPage),
    paused,
    setPaused,
    turn: (by: number) => setPage(current + by + pages),
  };
}

/** `/view/:viewerToken`: the projector in the plenary room. Read-only, no login; large type, high contrast. */
export function PlenaryPage() {
  const { viewerToken = '' } = useParams();
  const { t } = useI18n();
  const [info, setInfo] = useState<ViewerInfo | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.viewerInfo(viewerToken).then(setInfo, setError);
  }, [viewerToken]);
  const subscription = useMemo(() => ({ scope: 'workshop' as const }), []);
  const live = useLiveBoard(info?.workshopId ?? null, info ? subscription : null, { deviceKey: null, viewerToken });
  const title = live.view?.workshop.title ?? info?.title ?? t('live.plenary.title');
  useWorkshopLanguage(live.view?.workshop.language);
  useEffect(() => {
    document.title = `${title} – ${t('app.name')}`;
  }, [title, t]);

  return (
    <>
    <main id="main" className="plenary">
      <header className="plenary-header">
        <div>
          <h1>{title}</h1>
          <ConnectionIndicator status={live.status} pending={[]} transport={live.transport} />
        </div>
        {info && <JoinBox info={info} viewerToken={viewerToken} />}
      </header>
      <ErrorMessage error={error} />
      {live.fatal && <FatalNotice reason={live.fatal} who="viewer" />}
      {live.view && <PlenaryBoard view={live.view} />}
    </main>
    <SiteFooter />
    </>
  );
}

function PlenaryBoard({ view }: { view: BoardView }) {
  const { t, plural } = useI18n();
  const groups = useMemo(() => [...view.groups].sort((a, b) => a.position - b.position), [view.groups]);
  const posters = useMemo(() => [...view.posters].sort((a, b) => a.position - b.position), [view.posters]);
  const paging = useGroupPages(groups);
  const [showNotes, setShowNotes] = useState(false);
  return (
    <div className="plenary-body">
      <section className="plenary-posters" aria-label={t('live.plenary.overview')} ref={paging.ref}>
        {paging.pages > 1 && (
          <div className="plenary-paging">
            <p aria-live="polite">{plural('live.plenary.groupsShown', groups.length, { first: paging.first, last: paging.last })}</p>
            <button type="button" className="secondary" onClick={() => paging.turn(-1)}>
              {t('live.plenary.previous')}
            </button>
            <button type="button" className="secondary" onClick={() => paging.turn(1)}>
              {t('live.plenary.next')}
            </button>
            <button type="button" className="secondary" aria-pressed={paging.paused} onClick={() => paging.setPaused(!paging.paused)}>
              {t('live.plenary.pause')}
            </button>
          </div>
        )}
        {posters.map((poster) => (
          <PosterTable key={poster.id} view={view} poster={poster} groups={paging.shown} />
        ))}
      </section>
      <div className="plenary-side">
        <NewestLapper view={view} />
        <div className="plenary-notes-toggle">
          <input id="plenary-show-notes" type="checkbox" checked={showNotes} onChange={(event) => setShowNotes(event.target.checked)} />
          <label htmlFor="plenary-show-notes">{t('live.plenary.showNotes')}</label>
        </div>
        {showNotes && <FacilitatorNotes view={view} groups={paging.shown} />}
      </div>
    </div>
  );
}

/** The facilitators' Notater of the groups shown, per group: on request, since they were written for the table. */
function FacilitatorNotes({ view, groups }: { view: BoardView; groups: BoardGroup[] }) {
  const { t } = useI18n();
  const posterOf = (id: string) => view.posters.find((p) => p.id === id);
  return (
    <section className="plenary-notes" aria-labelledby="plenary-notes-h">
      <h2 id="plenary-notes-h">{t('live.notater')}</h2>
      {groups.map((group) => {
        const notes = view.notes.filter((n) => n.kind === 'facilitator_note' && !n.withdrawn && n.groupId === group.id);
        return (
          <div key={group.id} className="plenary-notes-group">
            <h3>{group.name}</h3>
            {notes.length === 0 ? (
              <p className="muted">{t('live.plenary.noNotes')}</p>
            ) : (
              <ul>
                {notes.map((note) => (
                  <li key={note.id}>
                    <span className="feed-meta">{posterOf(note.posterId) ? posterTitle(posterOf(note.posterId)!, t) : ''}: </span>
                    {note.text}
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </section>
  );
}

function JoinBox({ info, viewerToken }: { info: ViewerInfo; viewerToken: string }) {
  const { t } = useI18n();
  const code = formatJoinCode(info.joinCode);
  const [qrFailed, setQrFailed] = useState(false);
  let host = info.joinUrl;
  try {
    const url = new URL(info.joinUrl);
    host = `${url.host}/join`;
  } catch {
    // keep the whole link
  }
  return (
    <div className="plenary-join">
      <div>
        <p className="plenary-join-label">{t('live.join.heading')}</p>
        <p className="plenary-join-url">{host}</p>
        <p className="plenary-join-code">
          <span className="visually-hidden">{t('live.join.codeLabel')} </span>
          {code}
        </p>
      </div>
      {!qrFailed && (
        <img
          className="qr"
          src={`/api/view/${encodeURIComponent(viewerToken)}/join-qr.svg`}
          alt={t('live.join.qrAlt', { code })}
          width={180}
          height={180}
          onError={() => setQrFailed(true)}
        />
      )}
    </div>
  );
}

function PosterTable({ view, poster, groups }: { view: BoardView; poster: BoardPoster; groups: BoardGroup[] }) {
  const { t, plural } = useI18n();
  const itemIds = new Set(poster.items.map((item) => item.id));
  const lapper = view.notes.filter((n) => n.posterId === poster.id && !n.withdrawn && n.kind !== 'facilitator_note' && !n.replyToNoteId);
  const stars = view.stars.filter((s) => s.posterId === poster.id);
  const starsShown = (groupId: string) => !view.workshop.starsHidden || (view.groups.find((g) => g.id === groupId)?.starsRevealed ?? false);
  // The total counts every group's lapper, but only the stars that are shown: it says so (no silent gaps).
  const hiddenGroups = poster.starsEnabled ? view.groups.filter((g) => !starsShown(g.id)).length : 0;
  const rows = [
    ...poster.items.map((item) => ({ key: item.id, label: itemLabel(item, t), text: item.text, has: (n: LiveNote) => n.placed && n.itemIds.includes(item.id), itemId: item.id as string | null })),
    { key: 'box', label: t('live.generalBox'), text: '', has: (n: LiveNote) => !n.placed || !n.itemIds.some((id) => itemIds.has(id)), itemId: null },
  ];
  const cell = (count: number, starCount: number | null) => (
    <>
      <span className={`cell-lapper${count === 0 ? ' zero' : ''}`}>{plural('live.lapperCount', count)}</span>
      {starCount !== null && (
        <span className={`cell-stars${starCount === 0 ? ' zero' : ''}`}>
          <span aria-hidden="true">★ </span>
          {plural('live.stars.total', starCount)}
        </span>
      )}
    </>
  );
  return (
    <table className="plenary-table" data-poster-id={poster.id}>
      <caption>{posterTitle(poster, t)}</caption>
      <thead>
        <tr>
          <th scope="col">{t('live.plenary.item')}</th>
          {groups.map((group) => (
            <th key={group.id} scope="col">
              {group.name}
            </th>
          ))}
          <th scope="col">{plural('live.plenary.totalAll', view.groups.length)}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => {
          const rowLapper = lapper.filter(row.has);
          const rowStars = row.itemId ? stars.filter((s) => s.itemId === row.itemId) : [];
          const withStars = poster.starsEnabled && row.itemId !== null;
          return (
            <tr key={row.key}>
              <th scope="row">
                <span className="row-label">{row.label}</span>
                {row.text && <span className="row-text">{row.text}</span>}
              </th>
              {groups.map((group) => (
                <td key={group.id} data-group={group.name} data-row={row.label}>
                  {cell(
                    rowLapper.filter((n) => n.groupId === group.id).length,
                    withStars ? (starsShown(group.id) ? rowStars.filter((s) => s.groupId === group.id).length : null) : null,
                  )}
                  {withStars && !starsShown(group.id) && <span className="cell-stars muted">{t('live.plenary.starsHidden')}</span>}
                </td>
              ))}
              <td className="total" data-row={row.label}>
                {cell(rowLapper.length, withStars ? rowStars.filter((s) => starsShown(s.groupId)).length : null)}
                {withStars && hiddenGroups > 0 && <span className="cell-stars muted">{plural('live.plenary.hiddenFor', hiddenGroups)}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function NewestLapper({ view }: { view: BoardView }) {
  const { t } = useI18n();
  const newest = view.notes
    .filter((n) => !n.withdrawn && n.kind !== 'facilitator_note')
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, NEWEST);
  const groupName = (id: string) => view.groups.find((g) => g.id === id)?.name ?? '';
  const posterOf = (id: string) => view.posters.find((p) => p.id === id);
  return (
    <section className="plenary-feed" aria-labelledby="plenary-feed-h">
      <h2 id="plenary-feed-h">{t('live.plenary.newest')}</h2>
      {newest.length === 0 ? (
        <p className="muted">{t('live.plenary.noneYet')}</p>
      ) : (
        <ol className="feed">
          {newest.map((note) => {
            const poster = posterOf(note.posterId);
            return (
              <li key={note.id} className="feed-item">
                <p className="feed-meta">
                  {groupName(note.groupId)} · {poster ? `${poster.perspectiveTitle}, ` : ''}
                  {placeLabel(poster, note.itemIds, t)}
                </p>
                <p className="feed-text">{note.text}</p>
                <p className="feed-author">{authorName(note, t)}</p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
