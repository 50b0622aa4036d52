import { useId, useState, type FormEvent } from 'react';
import { OTHER_THEME_KEY, OTHER_THEME_LABEL } from '../../../domain/text/theme.js';
import type { Overview, OverviewNote } from '../../../server/synthesis/synthesis.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { DiffView } from '../../components/DiffView.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';
import { AssessmentControl, AssessmentSummary, type Assessment } from './AssessmentControl.js';
import { authorLabel, noteKindLabel, plural, shortText } from './labels.js';

export interface NoteActions {
  workshopId: string;
  canEdit: boolean;
  themes: Overview['facets']['themes'];
  onAssessed(noteId: string, assessment: Assessment): void;
  /** Themes or counts changed on the server: read the overview again. */
  reload(): Promise<void>;
}

/** One lapp in the overview: kind, text as typed, who and where, its theme, and its assessment. */
export function NoteCard({ note, actions }: { note: OverviewNote; actions: NoteActions }) {
  const { t } = useI18n();
  return (
    <li className={`syn-note syn-note-${note.kind}`} data-note-id={note.id}>
      <p className="syn-note-head">
        <span className="syn-kind">{noteKindLabel(note.kind, t)}</span>
        <span>
          {note.group.name} · {authorLabel(note, t)}
        </span>
        {note.agreeCount > 0 && <span>· {plural(t, 'syn.agree', note.agreeCount)}</span>}
        {note.placedVia && note.itemIds.length > 0 && <span className="syn-placed-via">· {t(`syn.placedVia.${note.placedVia}`)}</span>}
      </p>
      <p className="syn-note-text">{note.text}</p>
      {note.diff && (
        <div className="syn-rewording">
          <p className="hint">{t('syn.rewordingDiff')}</p>
          <DiffView segments={note.diff} />
        </div>
      )}
      {note.theme && <p className="syn-note-theme">{t('syn.themeOf', { label: note.theme.label })}</p>}
      {actions.canEdit ? <AssessmentControl note={note} onSaved={actions.onAssessed} /> : <AssessmentSummary note={note} />}
      {actions.canEdit && actions.themes.length > 0 && <MoveToTheme note={note} actions={actions} />}
    </li>
  );
}

/** A planner's correction: this lapp belongs in another theme (kept through every recomputation). */
function MoveToTheme({ note, actions }: { note: OverviewNote; actions: NoteActions }) {
  const { t } = useI18n();
  const announce = useAnnounce();
  const id = useId();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // "Øvrige" is always a place to move to; the server creates it when needed.
  const targets = actions.themes.some((theme) => theme.key === OTHER_THEME_KEY) ? actions.themes : [...actions.themes, { key: OTHER_THEME_KEY, label: OTHER_THEME_LABEL }];
  const others = targets.filter((theme) => theme.key !== note.theme?.key);

  async function move(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const toThemeKey = String(new FormData(event.currentTarget).get('theme'));
    setBusy(true);
    try {
      await api.correctTheme(actions.workshopId, { type: 'moveNote', noteId: note.id, toThemeKey });
      announce(t('syn.themes.moved', { label: others.find((theme) => theme.key === toThemeKey)?.label ?? toThemeKey }));
      await actions.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  if (!note.theme || others.length === 0) return null;
  return (
    <details className="syn-move">
      <summary>
        {t('syn.themes.move')}
        <span className="visually-hidden">: {shortText(note.text)}</span>
      </summary>
      <form className="inline-form" onSubmit={move}>
        <div className="field">
          <label htmlFor={`${id}-theme`}>{t('syn.themes.moveTo')}</label>
          <select id={`${id}-theme`} name="theme">
            {others.map((theme) => (
              <option key={theme.key} value={theme.key}>
                {theme.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy}>
          {t('syn.themes.moveSubmit')}
        </button>
      </form>
      <ErrorMessage error={error} />
    </details>
  );
}
