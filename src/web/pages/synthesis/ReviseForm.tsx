import { useId, useState, type FormEvent } from 'react';
import { ITEM_TEXT_MAX } from '../../../domain/items.js';
import { wordDiff } from '../../../domain/wordDiff.js';
import type { OverviewItem } from '../../../contract/synthesis.schema.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { DiffView } from '../../components/DiffView.js';
import { ErrorMessage, fieldError } from '../../components/ErrorMessage.js';
import { TextAreaField } from '../../components/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import { authorLabel } from './labels.js';

interface Conflict {
  mine: string;
  theirs: { text: string; version: number };
}

/**
 * Rewrites an item from the overview and links the lapper and høring inputs ([CONS-22]) that motivated it. Another planner's newer
 * text gives a 409: it is shown with a word diff, and nothing is overwritten unless the planner says so.
 */
export function ReviseForm({ item, label, onDone }: { item: OverviewItem; label: string; onDone(result: 'saved' | 'theirs' | 'cancelled'): Promise<void> | void }) {
  const { t } = useI18n();
  const id = useId();
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = String(form.get('text'));
    const noteIds = form.getAll('noteIds').map(String);
    const submissionIds = form.getAll('submissionIds').map(String);
    setBusy(true);
    try {
      await api.editItem(item.id, { text, version: conflict?.theirs.version ?? item.version, noteIds, submissionIds });
      setConflict(null);
      await onDone('saved');
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'version_conflict') {
        setConflict({ mine: text, theirs: caught.current as Conflict['theirs'] });
        setError(null);
      } else setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="syn-revise" onSubmit={save} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t('syn.revise.title', { label })}</h4>
      <p className="hint">{t('syn.revise.current')}</p>
      <p className="syn-current-text">{conflict?.theirs.text ?? item.text}</p>
      <TextAreaField
        label={t('syn.revise.newText')}
        name="text"
        defaultValue={item.text}
        maxLength={ITEM_TEXT_MAX}
        rows={3}
        required
        autoFocus
        error={fieldError(error, 'text')}
      />
      <fieldset className="syn-checklist">
        <legend>{t('syn.revise.notes')}</legend>
        {item.notes.length === 0 && <p className="muted">{t('syn.revise.noNotes')}</p>}
        {item.notes.map((note) => (
          <label key={note.id} className="checkbox">
            <input type="checkbox" name="noteIds" value={note.id} />
            <span>
              «{note.text}» <span className="muted">– {note.group.name}, {authorLabel(note, t)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {item.inputs.length > 0 && (
        <fieldset className="syn-checklist">
          <legend>{t('syn.revise.inputs')}</legend>
          {item.inputs.map((input) => (
            <label key={input.id} className="checkbox">
              <input type="checkbox" name="submissionIds" value={input.id} />
              <span>
                «{input.text || input.attachments.map((file) => file.name).join(', ')}»{' '}
                <span className="muted">
                  – {input.reference}, {input.submitter ?? t(`cons.role.${input.role}`)}
                </span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      {conflict && (
        <div className="conflict" role="alert">
          <p>
            <strong>{t('editor.conflictTitle')}</strong> {t('editor.conflictBody')}
          </p>
          <p>{conflict.theirs.text}</p>
          <p className="hint">{t('syn.revise.diff')}</p>
          <DiffView segments={wordDiff(conflict.mine, conflict.theirs.text)} />
          <button type="button" className="secondary" onClick={() => void onDone('theirs')}>
            {t('editor.conflictUseTheirs')}
          </button>
        </div>
      )}
      <ErrorMessage error={error} />
      <div className="toolbar">
        <button type="submit" disabled={busy}>
          {conflict ? t('editor.conflictKeepMine') : t('syn.revise.save')}
        </button>
        <button type="button" className="secondary" onClick={() => void onDone('cancelled')}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
