import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import type { BoardPoster, Command, LiveNote, Snapshot } from '../../../contract/protocol.js';
import type { AcceptPlacementsResult, IdentitySuggestions, PlacementSuggestionView } from '../../../contract/placement.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { useSession } from '../../components/session.js';
import { useI18n, type Translate } from '../../i18n/i18n.js';
import type { Me } from '../../live/applyPending.js';
import { useLiveBoard } from '../../live/useLiveBoard.js';
import { ConnectionIndicator, RejectionList } from '../live/LiveStatus.js';
import { GroupSuggestions, type AuthorState, type AuthorSuggestionView } from './GroupSuggestions.js';
import '../imports/imports.css';

type Item = BoardPoster['items'][number];

/**
 * [IMPORT-1] [PLACE-1] The lapper an import could not place, one after another, each opened on its
 * suggestion: the suggested item is preselected and the words that matched are marked. Enter
 * accepts, a digit picks another item, B keeps the lapp in the general box, S skips, A sets the
 * suggested author ([PLACE-8], `note.setAuthor`). Every choice
 * is a `note.move` through the live client (one outbox with the live pages, kept across reloads),
 * and other planners' placements arrive live and leave the queue.
 */
export function PlacementPage() {
  const { workshopId = '' } = useParams();
  const { t, plural } = useI18n();
  const announce = useAnnounce();
  const { session } = useSession();
  const user = session!.user;
  const me = useMemo<Me>(() => ({ participantId: null, userId: user.id, name: user.name, groupId: null }), [user.id, user.name]);
  const subscription = useMemo(() => ({ scope: 'workshop' as const }), []);
  const live = useLiveBoard(workshopId, subscription, { deviceKey: user.id, me });
  const [suggestions, setSuggestions] = useState<Map<string, PlacementSuggestionView> | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [identities, setIdentities] = useState<IdentitySuggestions | null>(null);
  /** Skipped lapper come back after the others, in the order they were skipped. */
  const [skipped, setSkipped] = useState<ReadonlyMap<string, number>>(new Map());
  const [posterFilter, setPosterFilter] = useState('');
  const [choice, setChoice] = useState<{ noteId: string; itemId: string } | null>(null);
  const [review, setReview] = useState<PlacementSuggestionView[] | null>(null);
  const [accepted, setAccepted] = useState<PlacementSuggestionView[]>([]);
  /** The server's answer to the last accept-all: its counts are what the page says ([PLACE-13]). */
  const [acceptAnswer, setAcceptAnswer] = useState<AcceptPlacementsResult | null>(null);
  const [refusedReasons, setRefusedReasons] = useState<ReadonlyMap<string, string>>(new Map());
  const [accepting, setAccepting] = useState(false);
  const [acceptError, setAcceptError] = useState<unknown>(null);
  const wantFocus = useRef(false);
  /** What to announce for each placement sent, once the server has acknowledged it. */
  const awaitingAck = useRef(new Map<string, string>());
  const fieldsetRef = useRef<HTMLFieldSetElement>(null);
  const doneRef = useRef<HTMLParagraphElement>(null);
  const reviewRef = useRef<HTMLElement>(null);
  const acceptedRef = useRef<HTMLElement>(null);

  useEffect(() => {
    api.placementSuggestions(workshopId).then((result) => setSuggestions(new Map(result.suggestions.map((s) => [s.noteId, s]))), setLoadError);
    api.identitySuggestions(workshopId).then(setIdentities, setLoadError);
  }, [workshopId]);

  const view = useMemo(() => (live.view ? boardView(live.view) : null), [live.view]);

  const queue = useMemo(() => {
    if (!view) return [];
    const waiting = view.unplaced.filter((note) => !posterFilter || note.posterId === posterFilter);
    return waiting
      .map((note, index) => ({ note, key: skipped.get(note.id) ?? -1, index }))
      .sort((a, b) => a.key - b.key || a.index - b.index)
      .map((entry) => entry.note);
  }, [view, skipped, posterFilter]);

  const current = queue[0] ?? null;
  const poster = current ? (view!.posters.get(current.posterId) ?? null) : null;
  const suggestion = current ? suggestions?.get(current.id) : undefined;
  const ordered = poster ? orderByRank(poster.items, suggestion) : [];
  const suggestedId = suggestion && suggestion.confidence !== 'none' ? suggestion.items[0]?.itemId : undefined;
  const chosenItemId = current && choice?.noteId === current.id ? choice.itemId : (suggestedId ?? ordered[0]?.id ?? null);
  const authorSuggestion = current ? identities?.authors.find((a) => a.noteId === current.id) : undefined;
  const total = view?.total ?? 0;
  const placedCount = total - (view?.unplaced.length ?? 0);

  /** Focus to move once React has rendered the change that removed the focused button. */
  const focusAfterRender = useRef<(() => void) | null>(null);
  useEffect(() => {
    const move = focusAfterRender.current;
    focusAfterRender.current = null;
    move?.();
  });

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

  function send(command: Command): string {
    return live.send(command);
  }

  function move(itemIds: string[], fromSuggestion: boolean) {
    if (!current) return;
    const commandId = send({ type: 'note.move', noteId: current.id, itemIds, fromSuggestion, ifUnplaced: true });
    wantFocus.current = true;
    const label = itemIds.length > 0 && poster ? itemIds.map((id) => itemLabel(poster.items.find((item) => item.id === id)!, t)).join(', ') : null;
    const progress = t('place.progress', { placed: placedCount + 1, total });
    const said = label ? t('place.placed', { label, progress }) : t('place.boxed', { progress });
    awaitingAck.current.set(commandId, queue.length === 1 ? `${said} ${t(posterFilter ? 'place.doneFiltered' : 'place.done')}` : said);
  }

  // A placement is announced when the server has taken it, not when it is sent: the outbox may
  // wait out a rate limit and send it again ([LIVE-9]), and a refusal is shown in its stead.
  useEffect(() => {
    const waiting = new Set(live.pending.map((p) => p.commandId));
    const refused = new Set(live.rejections.map((r) => r.commandId));
    for (const [commandId, said] of awaitingAck.current) {
      if (waiting.has(commandId)) continue;
      awaitingAck.current.delete(commandId);
      if (!refused.has(commandId)) announce(said);
    }
  }, [live.pending, live.rejections, announce]);

  /** Accepting the suggestion links every item it names ([PLACE-3]); another item is a planner's own choice. */
  function place(itemId: string) {
    if (suggestion && suggestion.accept[0] === itemId) move(suggestion.accept, true);
    else move([itemId], false);
  }

  /** [PLACE-8] Whether an author suggestion can be accepted: not when the lapp has an author, nor across groups. */
  function authorState(a: AuthorSuggestionView): AuthorState {
    const note = live.view?.notes.find((n) => n.id === a.noteId);
    if (!note || note.author.participantId || note.author.userId) return 'done';
    return view?.participantGroups.get(a.participantId) === note.groupId ? 'open' : 'otherGroup';
  }

  function acceptAuthor(a: AuthorSuggestionView) {
    if (authorState(a) !== 'open') return;
    send({ type: 'note.setAuthor', noteId: a.noteId, participantId: a.participantId });
    announce(t('place.authors.accepted', { name: a.name }));
  }

  function skip() {
    if (!current) return;
    setSkipped((before) => new Map(before).set(current.id, before.size));
    wantFocus.current = true;
    announce(t('place.skipped'));
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (chosenItemId) place(chosenItemId);
  }

  function onKeyDown(event: KeyboardEvent<HTMLFormElement>) {
    if (event.ctrlKey || event.altKey || event.metaKey) return;
    const onRadio = (event.target as HTMLElement).matches('input[type=radio]');
    const key = event.key.toLowerCase();
    if (onRadio && event.key === 'Enter') {
      event.preventDefault();
      if (chosenItemId) place(chosenItemId);
    } else if (/^[1-9]$/.test(event.key) && current) {
      const item = ordered[Number(event.key) - 1];
      if (!item) return;
      event.preventDefault();
      setChoice({ noteId: current.id, itemId: item.id });
      wantFocus.current = true;
      fieldsetRef.current?.querySelector<HTMLInputElement>(`input[value="${item.id}"]`)?.focus();
    } else if (key === 'a' && authorSuggestion) {
      event.preventDefault();
      acceptAuthor(authorSuggestion);
    } else if (key === 'b') {
      event.preventDefault();
      move([], false);
    } else if (key === 's' || (onRadio && event.key === 'ArrowRight')) {
      event.preventDefault();
      skip();
    }
  }

  if (!view || !suggestions || !identities) {
    return (
      <Layout title={t('place.title')}>
        {loadError ? <ErrorMessage error={loadError} /> : <p>{t('common.loading')}</p>}
      </Layout>
    );
  }

  const unplacedByPoster = new Map<string, number>();
  for (const note of view.unplaced) unplacedByPoster.set(note.posterId, (unplacedByPoster.get(note.posterId) ?? 0) + 1);
  const posterLabel = (p: BoardPoster) => `${p.perspectiveTitle} – ${t(`live.part.${p.part}`)}`;
  const waitingIds = new Set(view.unplaced.map((n) => n.id));
  const highOnPoster = (posterFilter ? view.unplaced.filter((n) => n.posterId === posterFilter) : [])
    .map((n) => suggestions.get(n.id))
    .filter((s): s is PlacementSuggestionView => s?.confidence === 'high');
  const withSuggestion = view.unplaced.filter((n) => (suggestions.get(n.id)?.confidence ?? 'none') !== 'none').length;

  /**
   * A keyboard user whose button disappears with its row goes on from the same place: the button
   * of the row that took its place, else `fallback` (after React has rendered the change).
   */
  function focusAfterRemoval(list: HTMLElement | null, index: number, fallback: () => HTMLElement | null | undefined) {
    // After the commit, not on the next frame: a render after an awaited answer may come later than that frame.
    focusAfterRender.current = () => {
      const buttons = list?.querySelectorAll<HTMLButtonElement>('[data-row-button]') ?? [];
      (buttons[Math.min(index, buttons.length - 1)] ?? fallback())?.focus();
    };
  }

  function leaveOut(s: PlacementSuggestionView, index: number) {
    if (!review) return;
    setReview(review.filter((other) => other.noteId !== s.noteId));
    focusAfterRemoval(reviewRef.current, index, () => reviewRef.current?.querySelector<HTMLButtonElement>('.toolbar button:not(:disabled)'));
  }

  /**
   * [PLACE-13] The reviewed rows go to the server in one request (not one live command each, which
   * a device's write limit would turn away); the page says what the answer says: the placed rows
   * can be undone, the refused ones stay in the review list with their reason.
   */
  async function acceptReviewed() {
    if (!review || accepting) return;
    const rows = review.filter((s) => waitingIds.has(s.noteId));
    setAccepting(true);
    setAcceptError(null);
    try {
      const answer = rows.length > 0 ? await api.acceptPlacements(workshopId, { rows: rows.map((s) => ({ noteId: s.noteId, itemIds: s.accept })) }) : { placed: 0, alreadyPlaced: 0, refused: 0, rows: [] };
      const outcomes = new Map(answer.rows.map((row) => [row.noteId, row]));
      const refused = rows.filter((s) => outcomes.get(s.noteId)?.outcome === 'refused');
      setAccepted((before) => [...before.filter((s) => outcomes.get(s.noteId)?.outcome !== 'placed'), ...rows.filter((s) => outcomes.get(s.noteId)?.outcome === 'placed')]);
      setAcceptAnswer(answer);
      setRefusedReasons(new Map(refused.map((s) => [s.noteId, outcomes.get(s.noteId)!.reason ?? outcomes.get(s.noteId)!.code ?? ''])));
      announce(acceptSummary(answer));
      if (refused.length > 0) {
        setReview(refused);
        focusAfterRemoval(null, 0, () => reviewRef.current?.querySelector<HTMLElement>('h2'));
      } else {
        setReview(null);
        focusAfterRemoval(null, 0, () => acceptedRef.current?.querySelector<HTMLElement>('h2'));
      }
    } catch (error) {
      // Nothing is claimed: the review list stays as it was, to send again.
      setAcceptError(error);
    } finally {
      setAccepting(false);
    }
  }

  /** [PLACE-14] The rows the answer placed that were undone since (no longer in the accepted list). */
  function undoneSince(answer: AcceptPlacementsResult): number {
    const standing = new Set(accepted.map((s) => s.noteId));
    return answer.rows.filter((row) => row.outcome === 'placed' && !standing.has(row.noteId)).length;
  }

  /**
   * [PLACE-14] What the last accept-all placed, as it stands now: a row undone since is no longer
   * counted as placed, and the line says how many were undone.
   */
  function acceptSummary(answer: AcceptPlacementsResult, undone = 0): string {
    return [
      plural('place.acceptedAll', answer.placed - undone),
      undone > 0 ? plural('place.acceptUndone', undone) : '',
      answer.alreadyPlaced > 0 ? plural('place.acceptAlready', answer.alreadyPlaced) : '',
      answer.refused > 0 ? plural('place.acceptRefused', answer.refused) : '',
    ]
      .filter(Boolean)
      .join(' ');
  }

  function undo(s: PlacementSuggestionView, index: number) {
    send({ type: 'note.move', noteId: s.noteId, itemIds: [], unplace: true });
    setAccepted((before) => before.filter((other) => other.noteId !== s.noteId));
    announce(t('place.undone', { text: excerpt(s.text) }));
    focusAfterRemoval(acceptedRef.current, index, () => fieldsetRef.current?.querySelector<HTMLInputElement>('input[type=radio]:checked') ?? doneRef.current);
  }

  const labelOf = (itemId: string) => {
    for (const p of view.posters.values()) {
      const item = p.items.find((i) => i.id === itemId);
      if (item) return itemLabel(item, t);
    }
    return '?';
  };

  return (
    <Layout title={t('place.title')}>
      <p className="workshop-meta">
        <Link to={`/workshops/${workshopId}`}>{view.workshopTitle}</Link> · <ConnectionIndicator status={live.status} pending={live.pending} transport={live.transport} retryAt={live.retryAt} />
      </p>
      <p>{t('place.intro')}</p>
      <p data-testid="place-summary">{plural('place.summary', view.unplaced.length, { suggested: withSuggestion })}</p>
      <p className="hint" id="place-keys">
        {t('place.keys')}
      </p>
      <RejectionList rejections={live.rejections} dismiss={live.dismiss} />

      <div className="place-status">
        <div className="place-progress">
          <p id="place-progress">
            <strong>{t('place.progress', { placed: placedCount, total })}</strong> · <span data-testid="place-remaining">{plural('place.remaining', view.unplaced.length)}</span>
            {live.pending.length > 0 && <span className="muted"> · {plural('place.saving', live.pending.length)}</span>}
          </p>
          <progress max={Math.max(total, 1)} value={placedCount} aria-labelledby="place-progress" />
        </div>
        <div className="field place-filter">
          <label htmlFor="place-filter">{t('place.filter')}</label>
          <select id="place-filter" value={posterFilter} onChange={(event) => setPosterFilter(event.target.value)}>
            <option value="">{plural('place.allPosters', view.unplaced.length)}</option>
            {[...view.posters.values()]
              .filter((p) => unplacedByPoster.has(p.id) || p.id === posterFilter)
              .map((p) => (
                <option key={p.id} value={p.id}>
                  {plural('place.posterOption', unplacedByPoster.get(p.id) ?? 0, { poster: posterLabel(p) })}
                </option>
              ))}
          </select>
        </div>
        {posterFilter && highOnPoster.length > 0 && !review && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setReview(highOnPoster);
              setRefusedReasons(new Map());
            }}
          >
            {plural('place.reviewAll', highOnPoster.length)}
          </button>
        )}
      </div>

      {review && (
        <section ref={reviewRef} className="place-review" aria-labelledby="place-review-heading">
          <h2 id="place-review-heading">{plural('place.reviewHeading', review.length)}</h2>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('place.current')}</th>
                <th scope="col">{t('place.suggested')}</th>
                <th scope="col">{t('place.matched')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('place.leaveOut')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {review.map((s, index) => (
                <tr key={s.noteId}>
                  <td>
                    {s.text}
                    {refusedReasons.has(s.noteId) && <span className="error place-refused">{t('place.refusedReason', { reason: refusedReasons.get(s.noteId)! })}</span>}
                  </td>
                  <td data-label={t('place.suggested')}>{s.accept.map(labelOf).join(', ')}</td>
                  <td data-label={t('place.matched')}>{s.items[0]?.matched.join(', ')}</td>
                  <td>
                    <button type="button" className="secondary" data-row-button onClick={() => leaveOut(s, index)}>
                      {t('place.leaveOutRow', { text: excerpt(s.text, 30) })}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {acceptError !== null && <ErrorMessage error={acceptError} />}
          <div className="toolbar">
            <button type="button" data-accept-all onClick={() => void acceptReviewed()} disabled={review.length === 0 || accepting} aria-busy={accepting}>
              {accepting ? t('place.accepting') : plural('place.acceptAll', review.length)}
            </button>
            <button type="button" className="secondary" onClick={() => setReview(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </section>
      )}

      {acceptAnswer && (
        <p className={acceptAnswer.refused > 0 ? undefined : 'success'} data-testid="place-accept-result">
          {acceptSummary(acceptAnswer, undoneSince(acceptAnswer))}
        </p>
      )}

      {accepted.length > 0 && (
        <section ref={acceptedRef} className="place-accepted" aria-labelledby="place-accepted-heading">
          <h2 id="place-accepted-heading" tabIndex={-1}>{plural('place.acceptedHeading', accepted.length)}</h2>
          <ul>
            {accepted.map((s, index) => (
              <li key={s.noteId}>
                «{excerpt(s.text)}» → {s.accept.map(labelOf).join(', ')}{' '}
                <button type="button" className="secondary" data-row-button onClick={() => undo(s, index)}>
                  {t('place.undo')}
                </button>
              </li>
            ))}
          </ul>
        </section>
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
              {highlight(current.text, suggestedId ? (suggestion?.items[0]?.matched ?? []) : [])}
            </p>
            <p className="hint" id="lapp-suggestion" data-testid="place-suggestion">
              {suggestion && suggestion.confidence !== 'none' && suggestedId
                ? t(`place.confidence.${suggestion.confidence}`, { label: suggestion.accept.map(labelOf).join(', '), matched: suggestion.items[0]!.matched.join(', ') })
                : t('place.confidence.none')}
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
                  {authorSuggestion && authorState(authorSuggestion) !== 'done' && (
                    <span className="lapp-author-suggestion" id="lapp-author-suggestion">
                      {' '}
                      {t('place.authors.suggested', { name: authorSuggestion.name, evidence: authorSuggestion.evidence })}{' '}
                      {authorState(authorSuggestion) === 'otherGroup' && t('place.authors.otherGroup', { name: authorSuggestion.name })}
                    </span>
                  )}
                </dd>
              </div>
            </dl>
          </section>
          <form className="place-form" onSubmit={submit} onKeyDown={onKeyDown}>
            <fieldset ref={fieldsetRef} key={current.id} aria-describedby="lapp-text lapp-suggestion lapp-meta place-keys">
              <legend>{t('place.choose')}</legend>
              {ordered.length === 0 ? (
                <p>{t('place.noItems')}</p>
              ) : (
                <ul className="place-items">
                  {ordered.map((item, index) => (
                    <li key={item.id}>
                      <label className={`place-item${chosenItemId === item.id ? ' chosen' : ''}${suggestedId === item.id ? ' suggested' : ''}`}>
                        <input
                          type="radio"
                          name="itemId"
                          value={item.id}
                          checked={chosenItemId === item.id}
                          onChange={() => setChoice({ noteId: current.id, itemId: item.id })}
                          aria-keyshortcuts={index < 9 ? String(index + 1) : undefined}
                        />
                        <span>
                          {index < 9 && <kbd aria-hidden="true">{index + 1}</kbd>} <strong>{itemLabel(item, t)}</strong> {item.text}
                          {suggestedId === item.id && <span className="badge">{t('place.suggestedBadge')}</span>}
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
              <button type="button" id="place-box" className="secondary" aria-keyshortcuts="B" onClick={() => move([], false)}>
                {t('place.box')}
                <kbd aria-hidden="true">B</kbd>
              </button>
              <button type="button" className="secondary" aria-keyshortcuts="S ArrowRight" onClick={skip}>
                {t('place.skip')}
                <kbd aria-hidden="true">S</kbd>
              </button>
              {authorSuggestion && authorState(authorSuggestion) === 'open' && (
                <button type="button" className="secondary" aria-keyshortcuts="A" onClick={() => acceptAuthor(authorSuggestion)}>
                  {t('place.authors.accept', { name: authorSuggestion.name })}
                  <kbd aria-hidden="true">A</kbd>
                </button>
              )}
            </div>
          </form>
        </div>
      )}

      <GroupSuggestions workshopId={workshopId} found={identities} authorState={authorState} acceptAuthor={acceptAuthor} />
    </Layout>
  );
}

interface BoardView {
  workshopTitle: string;
  posters: Map<string, BoardPoster>;
  groupNames: Map<string, string>;
  participantNames: Map<string, string>;
  participantGroups: Map<string, string>;
  /** Lapper waiting for a place, by poster, then group, then the order they were written in. */
  unplaced: LiveNote[];
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
    workshopTitle: board.workshop.title,
    posters,
    groupNames: new Map(board.groups.map((g) => [g.id, g.name])),
    participantNames: new Map(board.groups.flatMap((g) => g.participants.map((p) => [p.id, p.name] as const))),
    participantGroups: new Map(board.groups.flatMap((g) => g.participants.map((p) => [p.id, g.id] as const))),
    unplaced,
    total: lapper.length,
  };
}

/** The suggested items first, best first, then the rest of the poster in its own order. */
function orderByRank(items: readonly Item[], suggestion: PlacementSuggestionView | undefined): Item[] {
  const rank = new Map((suggestion?.confidence === 'none' ? [] : (suggestion?.items ?? [])).map((r, i) => [r.itemId, i]));
  return [...items].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity) || 0);
}

/** The lapp's text with the matched words marked. */
function highlight(text: string, words: readonly string[]): ReactNode {
  const wanted = new Set(words.map((w) => w.toLowerCase()));
  if (wanted.size === 0) return text;
  return text.split(/([\p{L}\p{N}]+)/u).map((part, i) => (wanted.has(part.toLowerCase()) ? <mark key={i}>{part}</mark> : part));
}

function authorName(note: LiveNote, view: BoardView): string | null {
  return note.author.name ?? (note.author.participantId ? (view.participantNames.get(note.author.participantId) ?? null) : null);
}

function itemLabel(item: Item, t: Translate): string {
  return `${t(`kind.${item.kind}`)} ${item.number}`;
}

const excerpt = (text: string, length = 60) => (text.length > length ? `${text.slice(0, length - 1)}…` : text);
