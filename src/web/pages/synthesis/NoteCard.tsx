import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { OTHER_THEME_KEY, OTHER_THEME_LABEL } from '../../../domain/text/theme.js';
import type { Overview, OverviewNote } from '../../../contract/synthesis.schema.js';
import { api } from '../../api/api.js';
import { useAnnounce } from '../../components/Announcer.js';
import { DiffView } from '../../components/DiffView.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { useI18n } from '../../i18n/i18n.js';
import { AssessmentControl, AssessmentSummary, type Assessment } from './AssessmentControl.js';
import { authorLabel, noteKindLabel, shortText } from './labels.js';

export interface NoteActions {
  workshopId: string;
  canEdit: boolean;
  themes: Overview['facets']['themes'];
  onAssessed(noteId: string, assessment: Assessment): void;
  /** Themes or counts changed on the server: read the overview again. */
  reload(): Promise<void>;
}

/**
 * [REPLY-1] Lapper with each reply under the lapp it answers (nested lists, as a screen reader
 * announces them); a reply whose lapp is not in the list stands on its own.
 */
export function NoteList({ notes, actions, label }: { notes: OverviewNote[]; actions: NoteActions; label?: string }) {
  const { t } = useI18n();
  const listed = new Map(notes.map((note) => [note.id, note]));
  const repliesOf = new Map<string, OverviewNote[]>();
  for (const note of notes) if (note.replyTo && listed.has(note.replyTo)) repliesOf.set(note.replyTo, [...(repliesOf.get(note.replyTo) ?? []), note]);
  const card = (note: OverviewNote, replyTo?: OverviewNote): ReactNode => {
    const replies = repliesOf.get(note.id) ?? [];
    return (
      <NoteCard key={note.id} note={note} actions={actions} replyTo={replyTo}>
        {replies.length > 0 && (
          <ul className="syn-notes syn-replies" aria-label={t('syn.repliesTo', { name: authorLabel(note, t) })}>
            {replies.map((reply) => card(reply, note))}
          </ul>
        )}
      </NoteCard>
    );
  };
  return (
    <ul className="syn-notes" aria-label={label}>
      {notes.filter((note) => !note.replyTo || !listed.has(note.replyTo)).map((note) => card(note))}
    </ul>
  );
}

/** One lapp in the overview: kind, text as typed, who and where, its theme, and its assessment; its replies below. */
export function NoteCard({ note, actions, replyTo, children }: { note: OverviewNote; actions: NoteActions; replyTo?: OverviewNote; children?: ReactNode }) {
  const { t, plural } = useI18n();
  return (
    <li className={`syn-note syn-note-${note.kind}`} data-note-id={note.id}>
      <p className="syn-note-head">
        <span className="syn-kind">{replyTo ? t('syn.replyTo', { name: authorLabel(replyTo, t) }) : noteKindLabel(note.kind, t)}</span>
        <span>
          {note.group.name} · {authorLabel(note, t)}
        </span>
        {note.agreeCount > 0 && <span>· {plural('syn.agree', note.agreeCount)}</span>}
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
      {children}
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
