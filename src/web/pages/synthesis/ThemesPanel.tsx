import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { AssessmentStatus } from '../../../contract/export.schema.js';
import { JUSTIFICATION_MAX, type Overview, type OverviewNote } from '../../../contract/synthesis.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { TextField } from '../../components/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { collectNotes, filterSearch, type Filters } from './filters.js';
import { authorLabel } from './labels.js';
import { StatusSelect } from './StatusSelect.js';
import { NearDuplicates } from './NearDuplicates.js';

type Theme = Overview['facets']['themes'][number];

interface Props {
  workshopId: string;
  themes: Theme[];
  filters: Filters;
  canEdit: boolean;
  /** Themes, assessments or counts changed on the server: read the overview again. */
  reload(): Promise<void>;
}

/**
 * The themes found in the lapper, each a link that filters the overview; for planners the
 * recomputation, the corrections (rename, merge, split; a lapp is moved from its card) and the
 * assessment of a whole theme at once.
 */
export function ThemesPanel({ workshopId, themes, filters, canEdit, reload }: Props) {
  const { t, plural } = useI18n();
  const announce = useAnnounce();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [summary, setSummary] = useState<string | null>(null);
  const selected = themes.find((theme) => theme.key === filters.themeKey);

  async function recompute() {
    setBusy(true);
    try {
      const result = await api.recomputeThemes(workshopId);
      const message = plural('syn.themes.computed', result.themes.length, { ms: result.milliseconds })
        + (result.skipped > 0 ? ` ${plural('syn.themes.skipped', result.skipped)}` : '');
      setSummary(message);
      setError(null);
      await reload();
      announce(message);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="syn-themes">
      <h2 id="themes-heading">{t('syn.themes')}</h2>
      {canEdit && (
        <p>
          <button type="button" onClick={recompute} disabled={busy}>
            {t('syn.themes.compute')}
          </button>
        </p>
      )}
      {summary && <p className="syn-theme-summary">{summary}</p>}
      <ErrorMessage error={error} />
      {themes.length === 0 ? (
        <p className="muted">{t(canEdit ? 'syn.themes.noneYetPlanner' : 'syn.themes.noneYet')}</p>
      ) : (
        <ul className="syn-theme-list">
          {themes.map((theme) => (
            <li key={theme.key}>
              <Link to={{ search: filterSearch(filters, { themeKey: theme.key }) }} aria-current={theme.key === filters.themeKey ? 'true' : undefined}>
                {theme.label}
              </Link>{' '}
              <span className="syn-count">
                {plural('syn.notes', theme.noteCount)}
                {theme.inputCount > 0 && `, ${plural('syn.inputs', theme.inputCount)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {filters.themeKey && (
        <p>
          <Link to={{ search: filterSearch({ ...filters, themeKey: undefined }) }}>{t('syn.themes.showAll')}</Link>
        </p>
      )}
      {canEdit && selected && <ThemeTools key={selected.key} workshopId={workshopId} theme={selected} themes={themes} reload={reload} />}
      <NearDuplicates workshopId={workshopId} canEdit={canEdit} reload={reload} />
    </div>
  );
}

/** Collapsed by default, so the panel stays short; each opens with Enter or Space on its summary. */
function Tool({ title, children }: { title: string; children: ReactNode }) {
  return (
    <details className="syn-tool">
      <summary>{title}</summary>
      {children}
    </details>
  );
}

function ThemeTools({ workshopId, theme, themes, reload }: { workshopId: string; theme: Theme; themes: Theme[]; reload(): Promise<void> }) {
  const { t, plural } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [themeNotes, setThemeNotes] = useState<OverviewNote[] | null>(null);

  async function run(action: () => Promise<string>) {
    setBusy(true);
    try {
      const message = await action();
      setError(null);
      await reload();
      announce(message);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  const assess = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const overwrite = form.get('overwrite') === 'on';
    void run(async () => {
      const notes = await collectNotes(workshopId, { themeKey: theme.key, status: overwrite ? undefined : 'unassessed' });
      if (notes.length === 0) return t('syn.themes.nothingToAssess');
      const result = await api.assessNotes(workshopId, {
        noteIds: notes.map((note) => note.id),
        status: String(form.get('status')) as AssessmentStatus,
        justification: String(form.get('justification')),
      });
      return plural('syn.themes.assessed', result.assessed);
    });
  };

  const rename = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const label = String(new FormData(event.currentTarget).get('label'));
    void run(async () => {
      await api.correctTheme(workshopId, { type: 'rename', themeKey: theme.key, label });
      return t('syn.themes.renamed', { label });
    });
  };

  const merge = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const keys = new FormData(event.currentTarget).getAll('themeKeys').map(String);
    if (keys.length === 0) return;
    void run(async () => {
      await api.correctTheme(workshopId, { type: 'merge', themeKeys: [theme.key, ...keys], intoKey: theme.key });
      return t('syn.themes.merged', { label: theme.label });
    });
  };

  const split = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const noteIds = form.getAll('noteIds').map(String);
    const label = String(form.get('label'));
    if (noteIds.length === 0) return;
    void run(async () => {
      await api.correctTheme(workshopId, { type: 'split', themeKey: theme.key, noteIds, newKey: `split-${crypto.randomUUID()}`, label });
      setThemeNotes(null);
      return t('syn.themes.split', { label });
    });
  };

  const loadThemeNotes = () => {
    if (themeNotes) return;
    collectNotes(workshopId, { themeKey: theme.key }).then(setThemeNotes, setError);
  };

  const others = themes.filter((other) => other.key !== theme.key);
  return (
    <div className="syn-theme-tools" aria-labelledby={`${id}-title`} role="group">
      <h3 id={`${id}-title`}>{t('syn.themes.selected', { label: theme.label })}</h3>
      <Tool title={t('syn.themes.assessAll')}>
        <form onSubmit={assess}>
          <div className="field">
            <StatusSelect id={`${id}-status`} name="status" defaultValue="" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-justification`}>{t('syn.assess.justification')}</label>
            <textarea id={`${id}-justification`} name="justification" required rows={2} maxLength={JUSTIFICATION_MAX} />
          </div>
          <label className="checkbox">
            <input type="checkbox" name="overwrite" /> {t('syn.themes.overwrite')}
          </label>
          <p>
            <button type="submit" disabled={busy}>
              {t('syn.themes.assessSubmit')}
            </button>
          </p>
        </form>
      </Tool>
      <Tool title={t('syn.themes.rename')}>
        <form onSubmit={rename}>
          <TextField label={t('syn.themes.newLabel')} name="label" defaultValue={theme.label} maxLength={200} required />
          <button type="submit" disabled={busy}>
            {t('syn.themes.renameSubmit')}
          </button>
        </form>
      </Tool>
      {others.length > 0 && (
        <Tool title={t('syn.themes.merge')}>
          <form onSubmit={merge}>
            <fieldset className="syn-checklist">
              <legend>{t('syn.themes.mergeLegend', { label: theme.label })}</legend>
              {others.map((other) => (
                <label key={other.key} className="checkbox">
                  <input type="checkbox" name="themeKeys" value={other.key} /> {other.label}
                </label>
              ))}
            </fieldset>
            <button type="submit" disabled={busy}>
              {t('syn.themes.mergeSubmit')}
            </button>
          </form>
        </Tool>
      )}
      <details className="syn-tool" onToggle={(event) => event.currentTarget.open && loadThemeNotes()}>
        <summary>{t('syn.themes.splitTitle')}</summary>
        {themeNotes === null ? (
          <p>{t('common.loading')}</p>
        ) : (
          <form onSubmit={split}>
            <fieldset className="syn-checklist">
              <legend>{t('syn.themes.splitLegend')}</legend>
              {themeNotes.map((note) => (
                <label key={note.id} className="checkbox">
                  <input type="checkbox" name="noteIds" value={note.id} />
                  <span>
                    «{note.text}» <span className="muted">– {note.group.name}, {authorLabel(note, t)}</span>
                  </span>
                </label>
              ))}
            </fieldset>
            <TextField label={t('syn.themes.splitLabel')} name="label" maxLength={200} required />
            <button type="submit" disabled={busy}>
              {t('syn.themes.splitSubmit')}
            </button>
          </form>
        )}
      </details>
      <ErrorMessage error={error} />
    </div>
  );
}
