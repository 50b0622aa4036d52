import { useId, type FormEvent } from 'react';
import type { Workshop, WorkshopGroup } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { useI18n } from '../../i18n/i18n.js';
import type { WorkshopActions } from './WorkshopSetupPage.js';
import '../imports/imports.css';

/** Imported posters without a group label ("Uten gruppe …") became groups of their own. */
const isUnlabelled = (group: WorkshopGroup) => group.name.startsWith('Uten gruppe');

/**
 * "Slå sammen med …": moves a group's lapper, stars and participants into another group and
 * removes it. Open at once for an import's group without a label, tucked away for the others.
 */
export function MergeGroupForm({ workshop, group, actions }: { workshop: Workshop; group: WorkshopGroup; actions: WorkshopActions }) {
  const { t } = useI18n();
  const selectId = useId();
  const others = workshop.groups.filter((other) => other.id !== group.id);
  if (others.length === 0) return null;
  // Real groups first: that is where an unlabelled poster belongs.
  const options = [...others.filter((o) => !isUnlabelled(o)), ...others.filter(isUnlabelled)];

  async function merge(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const into = others.find((other) => other.id === new FormData(event.currentTarget).get('intoGroupId'));
    if (!into || !window.confirm(t('merge.confirm', { from: group.name, into: into.name }))) return;
    const merged = await actions.change(
      `group:${group.id}`,
      async () => {
        await api.mergeGroup(workshop.id, group.id, into.id);
        return api.getWorkshop(workshop.id);
      },
      t('merge.done', { from: group.name, into: into.name }),
    );
    if (!merged) return;
    // This card is gone; continue where the lapper went.
    const heading = document.getElementById(`group-${into.id}`);
    heading?.setAttribute('tabindex', '-1');
    heading?.focus();
  }

  const form = (
    <form className="inline-form merge-form" onSubmit={merge}>
      <div className="field">
        <label htmlFor={selectId}>
          {t('merge.label')}
          <span className="visually-hidden"> ({group.name})</span>
        </label>
        <select id={selectId} name="intoGroupId" required defaultValue="">
          <option value="" disabled>
            {t('merge.choose')}
          </option>
          {options.map((other) => (
            <option key={other.id} value={other.id}>
              {other.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="secondary">
        {t('merge.submit')}
        <span className="visually-hidden"> {group.name}</span>
      </button>
    </form>
  );

  if (isUnlabelled(group)) {
    return (
      <div className="merge-group unlabelled">
        <p className="hint">{t('merge.unlabelledHelp')}</p>
        {form}
      </div>
    );
  }
  return (
    <details className="merge-group">
      <summary>
        {t('merge.more')}
        <span className="visually-hidden"> ({group.name})</span>
      </summary>
      {form}
    </details>
  );
}
