import { useState, type FormEvent } from 'react';
import type { Plan } from '../../../contract/plans.schema.js';
import { api } from '../../api/api.js';
import { TextField } from '../../components/Field.js';
import { useI18n } from '../../i18n/i18n.js';
import type { EditorActions } from './PlanEditorPage.js';

export function PlanDetailsForm({ plan, actions }: { plan: Plan; actions: EditorActions }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const saved = await actions.change(() =>
      api.updatePlan(plan.id, {
        title: String(form.get('title')),
        municipality: String(form.get('municipality')),
        horizonYear: Number(form.get('horizonYear')),
        version: plan.version,
      }),
    );
    if (saved) setOpen(false);
  }

  return (
    <details className="plan-details" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>{t('editor.planDetails')}</summary>
      <form onSubmit={submit} key={plan.version}>
        <TextField label={t('plans.planTitle')} name="title" defaultValue={plan.title} required maxLength={200} />
        <TextField label={t('plans.municipality')} name="municipality" defaultValue={plan.municipality} required maxLength={120} />
        <TextField label={t('plans.horizonYear')} name="horizonYear" type="number" min={2000} max={2200} defaultValue={plan.horizonYear} required />
        <button type="submit">{t('common.save')}</button>
      </form>
    </details>
  );
}
