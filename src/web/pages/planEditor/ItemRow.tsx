import { useState, type KeyboardEvent } from 'react';
import type { Item } from '../../../contract/plans.schema.js';
import { wordDiff } from '../../../domain/wordDiff.js';
import { api } from '../../api/api.js';
import { ApiError } from '../../api/client.js';
import { DiffView } from '../../components/DiffView.js';
import { TextAreaField } from '../../components/Field.js';
import { ActionButton } from '../../components/ActionButton.js';
import { useI18n } from '../../i18n/i18n.js';
import { itemLabel, type EditorActions } from './PlanEditorPage.js';

interface Props {
  item: Item;
  /** How many live items share its kind, to know whether it can move down. */
  siblings: number;
  actions: EditorActions;
}

interface Conflict {
  mine: string;
  theirs: { text: string; version: number };
}

export function ItemRow({ item, siblings, actions }: Props) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const label = itemLabel(item, t);
  const index = (item.number ?? 1) - 1;
  const movable = item.kind !== 'main_goal' && !item.archived;

  async function move(to: number, focusAction: string) {
    if (to < 0 || to >= siblings) return;
    await actions.change(
      () => api.moveItem(item.id, to),
      () => t('editor.moved', { label: item.text.slice(0, 60), number: to + 1 }),
    );
    // Keep the keyboard where it was: on the same control of the moved item.
    requestAnimationFrame(() => {
      const row = document.querySelector<HTMLElement>(`[data-item-id="${item.id}"]`);
      const control = row?.querySelector<HTMLButtonElement>(`[data-action="${focusAction}"]:not(:disabled)`);
      (control ?? row?.querySelector<HTMLButtonElement>('[data-action="edit"]'))?.focus();
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLLIElement>) {
    if (!movable || !event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
    event.preventDefault();
    const action = (event.target as HTMLElement).dataset.action ?? 'edit';
    void move(event.key === 'ArrowUp' ? index - 1 : index + 1, action);
  }

  async function save(text: string, version: number) {
    try {
      const next = await api.editItem(item.id, { text, version });
      await actions.change(async () => next);
      setEditing(false);
      setConflict(null);
    } catch (caught) {
      if (caught instanceof ApiError && caught.code === 'version_conflict') {
        setConflict({ mine: text, theirs: caught.current as Conflict['theirs'] });
        return;
      }
      await actions.change(() => Promise.reject(caught));
    }
  }

  function remove() {
    if (!window.confirm(t('editor.confirmDelete', { label }))) return;
    void actions.change(() => api.removeItem(item.id));
  }

  return (
    <li className={`item${item.archived ? ' archived' : ''}`} data-item-id={item.id} onKeyDown={onKeyDown}>
      <div className="item-body">
        <span className="item-label">{label}</span>
        {item.archived && <span className="badge">{t('editor.archived')}</span>}
        {item.hasInput && <span className="badge">{t('editor.hasInput')}</span>}
        {!editing && <p className="item-text">{item.text}</p>}
      </div>
      {editing ? (
        <form
          className="edit-form"
          onSubmit={(event) => {
            event.preventDefault();
            void save(String(new FormData(event.currentTarget).get('text')), conflict?.theirs.version ?? item.version);
          }}
        >
          <TextAreaField label={`${t('editor.itemText')}: ${label}`} name="text" defaultValue={conflict?.mine ?? item.text} maxLength={1000} rows={3} required autoFocus />
          {conflict && (
            <div className="conflict" role="alert">
              <p>
                <strong>{t('editor.conflictTitle')}</strong> {t('editor.conflictBody')}
              </p>
              <DiffView segments={wordDiff(conflict.mine, conflict.theirs.text)} />
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setConflict(null);
                  setEditing(false);
                  void actions.reload();
                }}
              >
                {t('editor.conflictUseTheirs')}
              </button>
            </div>
          )}
          <button type="submit">{conflict ? t('editor.conflictKeepMine') : t('common.save')}</button>
          <button type="button" className="secondary" onClick={() => (setEditing(false), setConflict(null))}>
            {t('common.cancel')}
          </button>
        </form>
      ) : (
        <div className="toolbar">
          <ActionButton data-action="edit" onClick={() => setEditing(true)} label={t('common.edit')} target={label} />
          {movable && (
            <>
              <ActionButton
                className="secondary"
                data-action="up"
                disabled={index === 0}
                onClick={() => move(index - 1, 'up')}
                label={t('editor.moveUp')}
                target={label}
              />
              <ActionButton
                className="secondary"
                data-action="down"
                disabled={index >= siblings - 1}
                onClick={() => move(index + 1, 'down')}
                label={t('editor.moveDown')}
                target={label}
              />
            </>
          )}
          <ActionButton
            className="secondary"
            data-action="history"
            onClick={() => actions.showHistory({ kind: 'item', itemId: item.id, label })}
            label={t('editor.history')}
            target={label}
          />
          {item.kind !== 'main_goal' && item.archived && (
            <ActionButton className="secondary" onClick={() => actions.change(() => api.restoreItem(item.id))} label={t('editor.restore')} target={label} />
          )}
          {item.kind !== 'main_goal' && !item.archived && item.hasInput && (
            <ActionButton className="secondary" onClick={() => actions.change(() => api.archiveItem(item.id))} label={t('editor.archive')} target={label} />
          )}
          {item.kind !== 'main_goal' && !item.hasInput && (
            <ActionButton className="danger" onClick={remove} label={t('common.delete')} target={label} />
          )}
        </div>
      )}
    </li>
  );
}
