import { useId, type FormEvent } from 'react';
import type { CreateItemBody } from '../../../contract/plans.schema.js';
import { api } from '../../api/api.js';
import { useI18n } from '../../i18n/i18n.js';
import type { EditorActions } from './PlanEditorPage.js';

export function AddItemForm({ perspectiveId, kind, actions }: { perspectiveId: string; kind: CreateItemBody['kind']; actions: EditorActions }) {
  const { t } = useI18n();
  const id = useId();
  const label = t('editor.newItemText', { kind: t(`kindIndefinite.${kind}`) });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const text = String(new FormData(formElement).get('text'));
    const saved = await actions.change(() => api.addItem(perspectiveId, { id: crypto.randomUUID(), kind, text }));
    if (saved) {
      formElement.reset();
      formElement.querySelector('textarea')?.focus();
    }
  }

  return (
    <form className="add-item" onSubmit={submit}>
      <label htmlFor={id}>{label}</label>
      <div className="add-item-row">
        <textarea id={id} name="text" rows={1} maxLength={1000} required />
        <button type="submit">
          {t('editor.addItem')}
          <span className="visually-hidden"> {t(`kindIndefinite.${kind}`)}</span>
        </button>
      </div>
    </form>
  );
}
