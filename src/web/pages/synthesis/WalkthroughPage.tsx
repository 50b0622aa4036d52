import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import type { AssessmentStatus } from '../../../contract/export.schema.js';
import { JUSTIFICATION_MAX, type Overview, type OverviewItem, type OverviewNote } from '../../../contract/synthesis.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { DiffView } from '../../components/DiffView.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { WorkshopNav } from '../../components/WorkshopNav.js';
import { useSession } from '../../components/session.js';
import { useI18n } from '../../i18n/i18n.js';
import { filterSearch, useFilters } from './filters.js';
import { assessmentStatuses, authorLabel, itemLabel, noteKindLabel, statusLabel } from './labels.js';
import { SynthesisHeader, synthesisPath } from './SynthesisHeader.js';

interface Entry {
  note: OverviewNote;
  /** The item the lapp sits on; none for the general box. */
  item: OverviewItem | null;
  perspectiveTitle: string;
}

const PAGE_SIZE = 20;

/** Lapper still unassessed, in overview order, except those skipped in this visit. */
function entriesOf(overview: Overview, skipped: ReadonlySet<string>): Entry[] {
  const titles = new Map(overview.facets.perspectives.map((p) => [p.id, p.title]));
  const seen = new Set<string>();
  const all = [
    ...overview.items.flatMap((item) => item.notes.map((note) => ({ note, item, perspectiveTitle: titles.get(item.perspectiveId) ?? '' }))),
    ...overview.generalBox.flatMap((box) => box.notes.map((note) => ({ note, item: null, perspectiveTitle: titles.get(box.perspectiveId) ?? '' }))),
  ];
  return all.filter((entry) => {
    if (skipped.has(entry.note.id) || seen.has(entry.note.id) || entry.note.assessment) return false;
    seen.add(entry.note.id);
    return true;
  });
}

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit'].includes(target.type));

/**
 * The unassessed lapper one at a time, by keyboard: 1–5 choose the outcome, the justification is
 * typed, Ctrl+Enter saves and moves on, "Hopp over" leaves it for later. Progress is read out politely.
 */
export function WalkthroughPage() {
  const { workshopId = '' } = useParams();
  const { t, plural } = useI18n();
  const { session } = useSession();
  const announce = useAnnounce();
  const id = useId();
  const { filters, active } = useFilters();
  const [head, setHead] = useState<Overview | null>(null);
  const [queue, setQueue] = useState<Entry[] | null>(null);
  const [remaining, setRemaining] = useState(0);
  const [status, setStatus] = useState<AssessmentStatus | ''>('');
  const [justification, setJustification] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const skipped = useRef(new Set<string>());
  const heading = useRef<HTMLHeadingElement>(null);
  const form = useRef<HTMLFormElement>(null);
  const justificationField = useRef<HTMLTextAreaElement>(null);
  /** After a choice the next thing to do is to say why: focus goes there. */
  const toJustification = useCallback(() => requestAnimationFrame(() => justificationField.current?.focus()), []);
  const canEdit = session?.user.role === 'planner';

  /** The next unassessed lapper, reading the overview from its first page (assessed ones have left it). */
  const fill = useCallback(async () => {
    for (let page = 1, pageCount = 1; page <= pageCount; page++) {
      const overview = await api.synthesisOverview(workshopId, { ...filters, status: 'unassessed', page, pageSize: PAGE_SIZE });
      pageCount = overview.pageCount;
      setHead(overview);
      const entries = entriesOf(overview, skipped.current);
      if (page === 1) setRemaining(overview.matchingNotes);
      if (entries.length > 0) return entries;
    }
    return [];
  }, [workshopId, filters]);

  useEffect(() => {
    fill().then(setQueue, setError);
  }, [fill]);

  const current = queue?.[0] ?? null;

  const next = useCallback(
    async (rest: Entry[], message: string) => {
      setStatus('');
      setJustification('');
      const upcoming = rest.length > 0 ? rest : await fill();
      setQueue(upcoming);
      announce(upcoming.length > 0 ? message : `${message} ${t('syn.walk.doneAll')}`);
      requestAnimationFrame(() => heading.current?.focus());
    },
    [fill, announce, t],
  );

  const save = useCallback(async () => {
    if (!current || busy) return;
    if (!status || !justification.trim()) {
      form.current?.reportValidity();
      return;
    }
    setBusy(true);
    try {
      await api.assessNote(current.note.id, { status, justification, version: current.note.assessment?.version ?? 0 });
      setError(null);
      const progress = head ? { ...head.progress, assessed: head.progress.assessed + 1 } : null;
      if (head && progress) setHead({ ...head, progress });
      setRemaining((count) => Math.max(0, count - 1));
      await next(
        queue!.slice(1),
        `${t('syn.assess.saved', { status: statusLabel(status, t) })} ${progress ? t('syn.progress', { assessed: progress.assessed, total: progress.total }) : ''}`.trim(),
      );
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }, [current, busy, status, justification, head, queue, next, t]);

  const skip = useCallback(() => {
    if (!current) return;
    skipped.current.add(current.note.id);
    void next(queue!.slice(1), t('syn.walk.skipped'));
  }, [current, queue, next, t]);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        void save();
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      const index = ['1', '2', '3', '4', '5'].indexOf(event.key);
      if (index < 0 || !current) return;
      event.preventDefault();
      const chosen = assessmentStatuses[index]!;
      setStatus(chosen);
      announce(t('syn.walk.chosen', { status: statusLabel(chosen, t) }));
      toJustification();
    }
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [save, current, announce, t, toJustification]);

  function submit(event: FormEvent) {
    event.preventDefault();
    void save();
  }

  const title = head ? t('syn.walk.title', { title: head.workshop.title }) : t('syn.titleLoading');
  return (
    <Layout title={title} context={<WorkshopNav workshopId={workshopId} />}>
      <SynthesisHeader workshopId={workshopId} progress={head?.progress ?? null} canEdit={canEdit} search={filterSearch(filters)} />
      {active && (
        <p className="notice">
          {t('syn.walk.filtered')} <Link to={`${synthesisPath(workshopId)}/assess`}>{t('syn.walk.all')}</Link>
        </p>
      )}
      <p className="hint" id={`${id}-keys`}>
        {t('syn.walk.keys')}
      </p>
      <ErrorMessage error={error} />
      {queue === null && !error && <p>{t('common.loading')}</p>}
      {queue?.length === 0 && (
        <div className="notice">
          <p>{t(skipped.current.size > 0 ? 'syn.walk.doneSkipped' : 'syn.walk.doneAll')}</p>
          <p>
            <Link to={`${synthesisPath(workshopId)}${filterSearch(filters)}`}>{t('syn.walk.back')}</Link>
          </p>
        </div>
      )}
      {current && (
        <article className="syn-walk" aria-labelledby={`${id}-heading`}>
          <p className="syn-walk-remaining">{plural('syn.walk.remaining', remaining)}</p>
          <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
            {current.item ? itemLabel(current.item, t) : t('syn.generalBox')} · {current.perspectiveTitle}
          </h2>
          {current.item && <p className="syn-walk-item">{current.item.text}</p>}
          <div className={`syn-note syn-note-${current.note.kind}`}>
            <p className="syn-note-head">
              <span className="syn-kind">{noteKindLabel(current.note.kind, t)}</span>
              <span>
                {current.note.group.name} · {authorLabel(current.note, t)}
              </span>
              {current.note.agreeCount > 0 && (
                <span>· {plural('syn.agree', current.note.agreeCount)}</span>
              )}
            </p>
            <p className="syn-note-text syn-walk-text">{current.note.text}</p>
            {current.note.diff && (
              <div className="syn-rewording">
                <p className="hint">{t('syn.rewordingDiff')}</p>
                <DiffView segments={current.note.diff} />
              </div>
            )}
            {current.note.theme && <p className="syn-note-theme">{t('syn.themeOf', { label: current.note.theme.label })}</p>}
          </div>
          {canEdit ? (
            <form ref={form} className="syn-walk-form" onSubmit={submit} aria-describedby={`${id}-keys`}>
              <fieldset className="syn-statuses">
                <legend>{t('syn.assess.status')}</legend>
                {assessmentStatuses.map((value, index) => (
                  // A pointer or Space chooses and moves on to the justification; arrow keys only move between the options.
                  <label key={value} className="syn-status-option" onPointerUp={toJustification}>
                    <input
                      type="radio"
                      name="status"
                      value={value}
                      required
                      checked={status === value}
                      onChange={() => setStatus(value)}
                      onKeyUp={(event) => event.key === ' ' && toJustification()}
                    />
                    <kbd aria-hidden="true">{index + 1}</kbd> {statusLabel(value, t)}
                  </label>
                ))}
              </fieldset>
              <div className="field">
                <label htmlFor={`${id}-justification`}>{t('syn.assess.justification')}</label>
                <textarea
                  ref={justificationField}
                  id={`${id}-justification`}
                  value={justification}
                  required
                  rows={3}
                  maxLength={JUSTIFICATION_MAX}
                  onChange={(event) => setJustification(event.target.value)}
                />
              </div>
              <div className="toolbar">
                <button type="submit" disabled={busy} aria-keyshortcuts="Control+Enter">
                  {t('syn.walk.save')}
                </button>
                <button type="button" className="secondary" onClick={skip} disabled={busy}>
                  {t('syn.walk.skip')}
                </button>
              </div>
            </form>
          ) : (
            <p className="notice">{t('syn.readOnly')}</p>
          )}
        </article>
      )}
    </Layout>
  );
}
