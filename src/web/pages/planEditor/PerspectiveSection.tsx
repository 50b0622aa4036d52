import { useState, type FormEvent } from 'react';
import { listItemKindSchema, type Perspective } from '../../../contract/plans.schema.js';
import { api } from '../../api/api.js';
import { TextField } from '../../components/Field.js';
import { ActionButton } from '../../components/ActionButton.js';
import { useI18n } from '../../i18n/i18n.js';
import { AddItemForm } from './AddItemForm.js';
import { ItemRow } from './ItemRow.js';
import type { EditorActions } from './PlanEditorPage.js';

interface Props {
  perspective: Perspective;
  index: number;
  count: number;
  actions: EditorActions;
}

export function PerspectiveSection({ perspective, index, count, actions }: Props) {
  const { t } = useI18n();
  const [renaming, setRenaming] = useState(false);
  const [showArchived, setShowArchived] = useState(false);
  const headingId = `perspective-${perspective.id}`;
  const mainGoal = perspective.items.find((item) => item.kind === 'main_goal');

  const move = (to: number) =>
    actions.change(
      () => api.movePerspective(perspective.id, to),
      () => t('editor.moved', { label: perspective.title, number: to + 1 }),
    );

  async function rename(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const title = String(new FormData(event.currentTarget).get('title'));
    if (await actions.change(() => api.renamePerspective(perspective.id, { title, version: perspective.version }))) setRenaming(false);
  }

  function remove() {
    if (!window.confirm(t('editor.confirmRemovePerspective', { title: perspective.title }))) return;
    void actions.change(() => api.removePerspective(perspective.id));
  }

  return (
    <section className="perspective" aria-labelledby={headingId} data-perspective-id={perspective.id}>
      <div className="perspective-header">
        <h2 id={headingId}>
          {index + 1}. {perspective.title}
        </h2>
        <div className="toolbar">
          <button type="button" className="secondary" onClick={() => setRenaming((open) => !open)} aria-expanded={renaming}>
            {t('editor.renamePerspective')}
          </button>
          <ActionButton
            className="secondary"
            disabled={index === 0}
            onClick={() => move(index - 1)}
            label={t('editor.moveUp')}
            target={perspective.title}
          />
          <ActionButton
            className="secondary"
            disabled={index === count - 1}
            onClick={() => move(index + 1)}
            label={t('editor.moveDown')}
            target={perspective.title}
          />
          <button type="button" className="danger" onClick={remove}>
            {t('editor.removePerspective')}
          </button>
        </div>
      </div>
      {renaming && (
        <form onSubmit={rename} className="inline-form">
          <TextField label={t('editor.perspectiveTitle')} name="title" defaultValue={perspective.title} required maxLength={200} autoFocus />
          <button type="submit">{t('common.save')}</button>
          <button type="button" className="secondary" onClick={() => setRenaming(false)}>
            {t('common.cancel')}
          </button>
        </form>
      )}
      {mainGoal && (
        <ul className="items main-goal" aria-label={t('kind.main_goal')}>
          <ItemRow item={mainGoal} siblings={1} actions={actions} />
        </ul>
      )}
      {listItemKindSchema.options.map((kind) => {
        const items = perspective.items.filter((item) => item.kind === kind && (showArchived || !item.archived));
        const live = items.filter((item) => !item.archived).length;
        const listId = `${perspective.id}-${kind}`;
        return (
          <div key={kind} className="kind-block">
            <h3 id={listId}>{t(`kindPlural.${kind}`)}</h3>
            {items.length > 0 && (
              <ol className="items" aria-labelledby={listId}>
                {items.map((item) => (
                  <ItemRow key={item.id} item={item} siblings={live} actions={actions} />
                ))}
              </ol>
            )}
            <AddItemForm perspectiveId={perspective.id} kind={kind} actions={actions} />
          </div>
        );
      })}
      {perspective.items.some((item) => item.archived) && (
        <label className="checkbox">
          <input type="checkbox" checked={showArchived} onChange={(event) => setShowArchived(event.target.checked)} />
          {t('editor.showArchived')}
        </label>
      )}
    </section>
  );
}
