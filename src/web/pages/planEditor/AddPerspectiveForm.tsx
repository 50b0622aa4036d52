import type { FormEvent } from 'react';
import { api } from '../../api/api.js';
import { TextAreaField, TextField } from '../../components/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import type { EditorActions } from './PlanEditorPage.js';

export function AddPerspectiveForm({ planId, actions }: { planId: string; actions: EditorActions }) {
  const { t } = useI18n();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const title = String(form.get('title'));
    const saved = await actions.change(
      () => api.addPerspective(planId, { id: crypto.randomUUID(), title, mainGoal: String(form.get('mainGoal')) }),
      () => `${t('editor.addPerspective')}: ${title}`,
    );
    if (saved) formElement.reset();
  }

  return (
    <section aria-labelledby="add-perspective" className="add-perspective">
      <h2 id="add-perspective">{t('editor.addPerspective')}</h2>
      <form onSubmit={submit}>
        <TextField label={t('editor.perspectiveTitle')} name="title" required maxLength={200} />
        <TextAreaField label={t('editor.mainGoal')} name="mainGoal" required maxLength={1000} rows={2} />
        <button type="submit">{t('editor.addPerspective')}</button>
      </form>
    </section>
  );
}
