import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Overview } from '../../../contract/synthesis.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Layout } from '../../components/Layout.js';
import { WorkshopNav } from '../../components/WorkshopNav.js';
import { useSession } from '../../components/session.js';
import { useI18n } from '../../i18n/i18n.js';
import { HistoryDialog, type HistoryTarget } from '../planEditor/HistoryDialog.js';
import type { Assessment } from './AssessmentControl.js';
import { FilterBar } from './FilterBar.js';
import { filterSearch, useFilters } from './filters.js';
import { InputList, type InputActions } from './InputCard.js';
import { ItemCard } from './ItemCard.js';

import { NoteList, type NoteActions } from './NoteCard.js';
import { PrivacySection } from './PrivacySection.js';
import { SynthesisHeader } from './SynthesisHeader.js';
import { ThemesPanel } from './ThemesPanel.js';

/**
 * The synthesis overview: every lapp per goal and strategy across groups and the plan's høring inputs beside them ([CONS-20]), filtered by what the URL
 * says, with stars, themes and the merknadsbehandling. Facilitators read; planners assess and revise.
 */
export function SynthesisPage() {
  const { workshopId = '' } = useParams();
  const { t, plural } = useI18n();
  const { session } = useSession();
  const announce = useAnnounce();
  const canEdit = session?.user.role === 'planner';
  const { filters, page, setFilter, clear, active } = useFilters();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [history, setHistory] = useState<HistoryTarget | null>(null);
  const latest = useRef(0);
  const loadedOnce = useRef(false);

  /** Reads the overview for the URL's filters; after a filter change it says how many lapper matched. */
  const load = useCallback(
    async (announceResult = false) => {
      const request = ++latest.current;
      try {
        const next = await api.synthesisOverview(workshopId, { ...filters, page });
        // Only the answer to the newest request is shown, however the answers arrive.
        if (request !== latest.current) return;
        setOverview(next);
        setError(null);
        if (announceResult) announce(plural('syn.matching', next.matchingNotes));
      } catch (caught) {
        if (request === latest.current) setError(caught);
      }
    },
    [workshopId, filters, page, announce, plural],
  );

  useEffect(() => {
    void load(loadedOnce.current);
    loadedOnce.current = true;
  }, [load]);
  const reload = useCallback(() => load(false), [load]);

  const onAssessed = useCallback((noteId: string, assessment: Assessment) => {
    setOverview((current) => {
      if (!current) return current;
      let newlyAssessed = false;
      const patch = <N extends Overview['items'][number]['notes'][number]>(note: N): N => {
        if (note.id !== noteId) return note;
        if (!note.assessment) newlyAssessed = true;
        return { ...note, assessment };
      };
      const items = current.items.map((item) => ({ ...item, notes: item.notes.map(patch) }));
      const generalBox = current.generalBox.map((box) => ({ ...box, notes: box.notes.map(patch) }));
      const progress = newlyAssessed ? { ...current.progress, assessed: current.progress.assessed + 1 } : current.progress;
      return { ...current, items, generalBox, progress };
    });
  }, []);

  const onInputAssessed = useCallback((inputId: string, assessment: Assessment) => {
    setOverview((current) => {
      if (!current) return current;
      const patch = <I extends Overview['generalInputs']['inputs'][number]>(input: I): I => (input.id === inputId ? { ...input, assessment } : input);
      return {
        ...current,
        items: current.items.map((item) => ({ ...item, inputs: item.inputs.map(patch) })),
        generalInputs: { ...current.generalInputs, inputs: current.generalInputs.inputs.map(patch) },
      };
    });
  }, []);

  if (!overview) {
    return (
      <Layout title={t('syn.titleLoading')} context={<WorkshopNav workshopId={workshopId} />}>
        <ErrorMessage error={error} />
        {error ? (
          <p>
            <button type="button" onClick={clear}>
              {t('syn.filters.clear')}
            </button>
          </p>
        ) : (
          <p>{t('common.loading')}</p>
        )}
      </Layout>
    );
  }

  const actions: NoteActions & InputActions & { showHistory(target: HistoryTarget): void } = {
    workshopId,
    canEdit,
    themes: overview.facets.themes,
    onAssessed,
    onInputAssessed,
    reload,
    showHistory: setHistory,
  };
  const perspectives = overview.facets.perspectives.filter(
    (perspective) =>
      overview.items.some((item) => item.perspectiveId === perspective.id) || overview.generalBox.some((box) => box.perspectiveId === perspective.id),
  );
  const walkSearch = filterSearch({ ...filters, status: undefined });

  return (
    <Layout title={t('syn.title', { title: overview.workshop.title })} context={<WorkshopNav workshopId={workshopId} />}>
      <SynthesisHeader workshopId={workshopId} progress={overview.progress} canEdit={canEdit} search={walkSearch} />
      {!canEdit && <p className="notice">{t('syn.readOnly')}</p>}
      <ErrorMessage error={error} />
      <div className="syn-layout">
        <div className="syn-main">
          <FilterBar facets={overview.facets} filters={filters} setFilter={setFilter} clear={clear} active={active} />
          <p className="syn-matching">
            {plural('syn.matching', overview.matchingNotes)}
            {overview.facets.consultations.length > 0 && ` · ${plural('syn.matchingInputs', overview.matchingInputs)}`}
            {overview.pageCount > 1 && ` · ${t('syn.page', { page: overview.page, pageCount: overview.pageCount })}`}
          </p>
          {perspectives.length === 0 && overview.generalInputs.inputCount === 0 && <p>{t(active ? 'syn.nothingMatches' : 'syn.empty')}</p>}
          {perspectives.map((perspective) => {
            const items = overview.items.filter((item) => item.perspectiveId === perspective.id);
            const box = overview.generalBox.find((entry) => entry.perspectiveId === perspective.id);
            return (
              <section key={perspective.id} className="syn-perspective" aria-labelledby={`perspective-${perspective.id}`}>
                <h2 id={`perspective-${perspective.id}`}>{perspective.title}</h2>
                {items.length > 0 && (
                  <ul className="syn-items">
                    {items.map((item) => (
                      <ItemCard key={item.id} item={item} groups={overview.facets.groups} actions={actions} />
                    ))}
                  </ul>
                )}
                {box && (
                  <section className="syn-general" aria-labelledby={`box-${perspective.id}`}>
                    <h3 id={`box-${perspective.id}`}>{t('syn.generalBox')}</h3>
                    <p className="syn-note-count">{plural('syn.notes', box.noteCount)}</p>
                    {box.notes.length < box.noteCount && <p className="hint">{t('syn.generalBoxLimited', { shown: box.notes.length })}</p>}
                    <NoteList notes={box.notes} actions={actions} />
                  </section>
                )}
              </section>
            );
          })}
          {overview.generalInputs.inputCount > 0 && (
            <section className="syn-perspective syn-general" aria-labelledby="general-inputs">
              <h2 id="general-inputs">{t('syn.generalInputs')}</h2>
              <p className="syn-note-count">{plural('syn.inputs', overview.generalInputs.inputCount)}</p>
              {overview.generalInputs.inputs.length < overview.generalInputs.inputCount && (
                <p className="hint">{t('syn.generalBoxLimited', { shown: overview.generalInputs.inputs.length })}</p>
              )}
              <InputList inputs={overview.generalInputs.inputs} actions={actions} />
            </section>
          )}
          {overview.pageCount > 1 && (
            <nav className="syn-pages" aria-label={t('syn.pages')}>
              {overview.page > 1 ? <Link to={{ search: filterSearch(filters, { page: overview.page - 1 }) }}>{t('syn.prevPage')}</Link> : <span />}
              <span>{t('syn.page', { page: overview.page, pageCount: overview.pageCount })}</span>
              {overview.page < overview.pageCount ? <Link to={{ search: filterSearch(filters, { page: overview.page + 1 }) }}>{t('syn.nextPage')}</Link> : <span />}
            </nav>
          )}
        </div>
        <aside className="syn-side" aria-labelledby="themes-heading">
          <ThemesPanel workshopId={workshopId} themes={overview.facets.themes} filters={filters} canEdit={canEdit} reload={reload} />
        </aside>
      </div>
      {canEdit && <PrivacySection workshopId={workshopId} reload={reload} />}
      {history && <HistoryDialog target={history} onClose={() => setHistory(null)} />}
    </Layout>
  );
}
