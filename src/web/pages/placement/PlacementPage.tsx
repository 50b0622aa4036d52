import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { BoardPoster, LiveNote, Snapshot } from '../../../server/live/protocol.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { useAnnounce } from '../../components/Announcer.js';
import { describeError, ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { useI18n, type Translate } from '../../i18n/i18n.js';
import '../imports/imports.css';

/** A placement on its way to the server; sent one at a time, in order, and retried until it is stored. */
interface Job {
  commandId: string;
  noteId: string;
  itemIds: string[];
  text: string;
}

interface Failure {
  commandId: string;
  text: string;
  error: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => window.setTimeout(resolve, ms));

/**
 * [IMPORT-1] The lapper an import could not place, one after another: choose the item with the
 * arrow keys and press Enter, B keeps the lapp in the general box, S or → skips. The page moves on
 * at once and stores each choice in the background (note.move over HTTP, retried on a rate limit or
 * a dropped connection), so 500 lapper go as fast as the planner can read.
 */
export function PlacementPage() {
  const { workshopId = '' } = useParams();
  const { t } = useI18n();
  const announce = useAnnounce();
  const [board, setBoard] = useState<Snapshot | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  /** Lapper placed on this page (optimistically, before the server confirmed). */
  const [placedHere, setPlacedHere] = useState<ReadonlySet<string>>(new Set());
  /** Skipped lapper come back after the others, in the order they were skipped. */
  const [skipped, setSkipped] = useState<ReadonlyMap<string, number>>(new Map());
  const [posterFilter, setPosterFilter] = useState('');
  const [choice, setChoice] = useState<{ noteId: string; itemId: string } | null>(null);
  const [saving, setSaving] = useState(0);
  const [failures, setFailures] = useState<Failure[]>([]);
  const outbox = useRef<Job[]>([]);
  const draining = useRef(false);
  const wantFocus = useRef(false);
  const fieldsetRef = useRef<HTMLFieldSetElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    api.workshopBoard(workshopId).then(setBoard, setLoadError);
  }, [workshopId]);

  const view = useMemo(() => (board ? boardView(board) : null), [board]);

  const queue = useMemo(() => {
    if (!view) return [];
    const waiting = view.unplaced.filter((note) => !placedHere.has(note.id) && (!posterFilter || note.posterId === posterFilter));
    return waiting
      .map((note, index) => ({ note, key: skipped.get(note.id) ?? -1, index }))
      .sort((a, b) => a.key - b.key || a.index - b.index)
      .map((entry) => entry.note);
  }, [view, placedHere, skipped, posterFilter]);

  const current = queue[0] ?? null;
  const poster = current ? view!.posters.get(current.posterId) ?? null : null;
  const chosenItemId = current && choice?.noteId === current.id ? choice.itemId : (poster?.items[0]?.id ?? null);
  const placedCount = (view?.placedAtLoad ?? 0) + placedHere.size;
  const total = view?.total ?? 0;
  const remainingAll = total - placedCount;

  useEffect(() => {
    if (!wantFocus.current) return;
    wantFocus.current = false;
    if (!current) {
      doneRef.current?.focus();
      return;
    }
    const checked = fieldsetRef.current?.querySelector<HTMLInputElement>('input[type=radio]:checked');
    (checked ?? document.getElementById('place-box'))?.focus();
  }, [current]);

  // Leaving with placements not yet stored would lose them.
  useEffect(() => {
    if (saving === 0) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [saving]);

  const drain = useCallback(async () => {
    if (draining.current) return;
    draining.current = true;
    while (outbox.current.length > 0) {
      const job = outbox.current[0]!;
      try {
        await api.runCommand(workshopId, job.commandId, { type: 'note.move', noteId: job.noteId, itemIds: job.itemIds });
        outbox.current.shift();
      } catch (error) {
        if (error instanceof ApiError && (error.code === 'rate_limited' || error.code === 'network')) {
          // The same command id again: the server stores it once, however often it is sent.
          await sleep(error.code === 'rate_limited' ? (error.retryAfterSeconds ?? 2) * 1000 : 3000);
          continue;
        }
        outbox.current.shift();
        setPlacedHere((before) => {
          const next = new Set(before);
          next.delete(job.noteId);
          return next;
        });
        setFailures((before) => [...before, { commandId: job.commandId, text: job.text, error }]);
      }
      setSaving(outbox.current.length);
    }
    setSaving(0);
    draining.current = false;
  }, [workshopId]);

  function move(itemId: string | null) {
    if (!current) return;
    const label = itemId && poster ? itemLabel(poster.items.find((item) => item.id === itemId)!, t) : null;
    outbox.current.push({ commandId: crypto.randomUUID(), noteId: current.id, itemIds: itemId ? [itemId] : [], text: current.text });
    setSaving(outbox.current.length);
    void drain();
    setPlacedHere((before) => new Set(before).add(current.id));
    wantFocus.current = true;
    const progress = t('place.progress', { placed: placedCount + 1, total });
    const last = queue.length === 1;
    const said = label ? t('place.placed', { label, progress }) : t('place.boxed', { progress });
    announce(last ? `${said} ${t(posterFilter ? 'place.doneFiltered' : 'place.done')}` : said);
  }

  function skip() {
    if (!current) return;
    setSkipped((before) => new Map(before).set(current.id, before.size));
    wantFocus.current = true;
    announce(t('place.skipped'));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (chosenItemId) move(chosenItemId);
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const onRadio = (event.target as HTMLElement).matches('input[type=radio]');
    const key = event.key.toLowerCase();
    if (onRadio && event.key === 'Enter') {
      event.preventDefault();
      if (chosenItemId) move(chosenItemId);
    } else if (key === 'b') {
      event.preventDefault();
      move(null);
    } else if (key === 's' || (onRadio && event.key === 'ArrowRight')) {
      event.preventDefault();
      skip();
    }
  }

  if (!board || !view) {
    return (
      <Layout title={t('place.title')}>
        {loadError ? <ErrorMessage error={loadError} /> : <p>{t('common.loading')}</p>}
      </Layout>
    );
  }

  const unplacedByPoster = new Map<string, number>();
  for (const note of view.unplaced) {
    if (!placedHere.has(note.id)) unplacedByPoster.set(note.posterId, (unplacedByPoster.get(note.posterId) ?? 0) + 1);
  }
  const posterLabel = (p: BoardPoster) => `${p.perspectiveTitle} – ${t(`live.part.${p.part}`)}`;

  return (
    <Layout title={t('place.title')}>
      <p className="workshop-meta">
        <Link to={`/workshops/${workshopId}`}>{board.workshop.title}</Link>
      </p>
      <p>{t('place.intro')}</p>
      <p className="hint" id="place-keys">
        {t('place.keys')}
      </p>

      <div className="place-status">
        <div className="place-progress">
          <p id="place-progress">
            <strong>{t('place.progress', { placed: placedCount, total })}</strong> · <span data-testid="place-remaining">{t('place.remaining', { count: remainingAll })}</span>
            {saving > 0 && <span className="muted"> · {t('place.saving', { count: saving })}</span>}
          </p>
          <progress max={Math.max(total, 1)} value={placedCount} aria-labelledby="place-progress" />
        </div>
        <div className="field place-filter">
          <label htmlFor="place-filter">{t('place.filter')}</label>
          <select id="place-filter" value={posterFilter} onChange={(event) => setPosterFilter(event.target.value)}>
            <option value="">{t('place.allPosters', { count: remainingAll })}</option>
            {[...view.posters.values()]
              .filter((p) => unplacedByPoster.has(p.id) || p.id === posterFilter)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {t('place.posterOption', { poster: posterLabel(p), count: unplacedByPoster.get(p.id) ?? 0 })}
                </option>
              ))}
          </select>
        </div>
      </div>

      {failures.length > 0 && (
        <div className="rejections" role="alert">
          {failures.map((failure) => (
            <p key={failure.commandId} className="rejection">
              {t('place.failed', { text: excerpt(failure.text), reason: describeError(failure.error, t) })}
            </p>
          ))}
        </div>
      )}

      {!current || !poster ? (
        <div className="place-done">
          <p ref={doneRef} tabIndex={-1} className="success">
            {t(posterFilter ? 'place.doneFiltered' : 'place.done')}
          </p>
          <p>
            <Link to={`/workshops/${workshopId}/synthesis`}>{t('place.synthesis')}</Link> · <Link to={`/workshops/${workshopId}`}>{t('place.back')}</Link>
          </p>
        </div>
      ) : (
        <div className="place-work">
          <section className="lapp-card" aria-labelledby="lapp-heading">
            <h2 id="lapp-heading">{t('place.current')}</h2>
            <p className="lapp-text" id="lapp-text" data-note-id={current.id}>
              {current.text}
            </p>
            <dl className="lapp-meta" id="lapp-meta">
              <div>
                <dt>{t('place.poster')}</dt>
                <dd>{posterLabel(poster)}</dd>
              </div>
              <div>
                <dt>{t('place.group')}</dt>
                <dd>{view.groupNames.get(current.groupId) ?? '–'}</dd>
              </div>
              <div>
                <dt>{t('place.author')}</dt>
                <dd>
                  {authorName(current, view) ?? t('live.unknownAuthor')}
                  {current.kind !== 'comment' && <span className="badge lapp-kind">{t(`live.kind.${current.kind}`)}</span>}
                </dd>
              </div>
            </dl>
          </section>
          <form className="place-form" onSubmit={submit} onKeyDown={onKeyDown}>
            <fieldset ref={fieldsetRef} key={current.id} aria-describedby="lapp-text lapp-meta place-keys">
              <legend>{t('place.choose')}</legend>
              {poster.items.length === 0 ? (
                <p>{t('place.noItems')}</p>
              ) : (
                <ul className="place-items">
                  {poster.items.map((item) => (
                    <li key={item.id}>
                      <label className={chosenItemId === item.id ? 'place-item chosen' : 'place-item'}>
                        <input
                          type="radio"
                          name="itemId"
                          value={item.id}
                          checked={chosenItemId === item.id}
                          onChange={() => setChoice({ noteId: current.id, itemId: item.id })}
                        />
                        <span>
                          <strong>{itemLabel(item, t)}</strong> {item.text}
                        </span>
                      </label>
                    </li>
                  ))}
                </ul>
              )}
            </fieldset>
            <div className="toolbar place-actions">
              {chosenItemId && (
                <button type="submit" aria-keyshortcuts="Enter">
                  {t('place.place', { label: itemLabel(poster.items.find((item) => item.id === chosenItemId)!, t) })}
                  <kbd aria-hidden="true">Enter</kbd>
                </button>
              )}
              <button type="button" id="place-box" className="secondary" aria-keyshortcuts="B" onClick={() => move(null)}>
                {t('place.box')}
                <kbd aria-hidden="true">B</kbd>
              </button>
              <button type="button" className="secondary" aria-keyshortcuts="S ArrowRight" onClick={skip}>
                {t('place.skip')}
                <kbd aria-hidden="true">S</kbd>
              </button>
            </div>
          </form>
        </div>
      )}
    </Layout>
  );
}

interface BoardView {
  posters: Map<string, BoardPoster>;
  groupNames: Map<string, string>;
  participantNames: Map<string, string>;
  /** Lapper waiting for a place, by poster, then group, then the order they were written in. */
  unplaced: LiveNote[];
  placedAtLoad: number;
  total: number;
}

function boardView(board: Snapshot): BoardView {
  const posters = new Map(board.posters.map((p) => [p.id, p]));
  const groupOrder = new Map(board.groups.map((g) => [g.id, g.position]));
  const lapper = board.notes.filter((note) => !note.withdrawn && note.kind !== 'facilitator_note');
  const unplaced = lapper
    .filter((note) => !note.placed)
    .sort(
      (a, b) =>
        (posters.get(a.posterId)?.position ?? 0) - (posters.get(b.posterId)?.position ?? 0) ||
        (groupOrder.get(a.groupId) ?? 0) - (groupOrder.get(b.groupId) ?? 0) ||
        a.createdAt.localeCompare(b.createdAt),
    );
  return {
    posters,
    groupNames: new Map(board.groups.map((g) => [g.id, g.name])),
    participantNames: new Map(board.groups.flatMap((g) => g.participants.map((p) => [p.id, p.name] as const))),
    unplaced,
    placedAtLoad: lapper.length - unplaced.length,
    total: lapper.length,
  };
}

function authorName(note: LiveNote, view: BoardView): string | null {
  return note.author.name ?? (note.author.participantId ? view.participantNames.get(note.author.participantId) ?? null : null);
}

function itemLabel(item: BoardPoster['items'][number], t: Translate): string {
  return `${t(`kind.${item.kind}`)} ${item.number}`;
}

const excerpt = (text: string) => (text.length > 60 ? `${text.slice(0, 59)}…` : text);
