import type { FormEvent } from 'react';
import type { Workshop } from '../../../contract/workshops.schema.js';
import { api } from '../../api/api.js';
import { ErrorMessage, fieldError } from '../../components/ErrorMessage.js';
import { SelectField, TextField } from '../../components/Field.js';
import { languageNames, languages, type Language } from '../../../domain/languages.js';
import { useI18n } from '../../i18n/i18n.js';
import type { WorkshopActions } from './WorkshopSetupPage.js';

export function DetailsForm({ workshop, actions }: { workshop: Workshop; actions: WorkshopActions }) {
  const { t } = useI18n();
  const error = actions.errorFor('details');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    await actions.change('details', () =>
      api.updateWorkshop(workshop.id, {
        title: String(form.get('title')),
        date: String(form.get('date')) || null,
        starBudget: Number(form.get('starBudget')),
        starsPerItem: Number(form.get('starsPerItem')),
        starsHidden: form.get('starsHidden') === 'on',
        partyInReports: form.get('partyInReports') === 'on',
        language: form.get('language') as Language,
        version: workshop.version,
      }),
    );
  }

  return (
    <section aria-labelledby="ws-details" className="ws-section">
      <h2 id="ws-details">{t('ws.detailsHeading')}</h2>
      {/* Keyed by version so a saved (or someone else's) change refills the fields. */}
      <form className="details-form" onSubmit={submit} key={workshop.version}>
        <TextField label={t('ws.title')} name="title" defaultValue={workshop.title} required maxLength={200} error={fieldError(error, 'title')} />
        <TextField label={t('ws.date')} name="date" type="date" defaultValue={workshop.date ?? ''} error={fieldError(error, 'date')} />
        <TextField
          label={t('ws.starBudget')}
          hint={t('ws.starBudgetHint')}
          name="starBudget"
          type="number"
          min={0}
          max={100}
          defaultValue={workshop.starBudget}
          required
          error={fieldError(error, 'starBudget')}
        />
        <TextField
          label={t('ws.starsPerItem')}
          name="starsPerItem"
          type="number"
          min={1}
          max={100}
          defaultValue={workshop.starsPerItem}
          required
          error={fieldError(error, 'starsPerItem')}
        />
        <label className="checkbox">
          <input type="checkbox" name="starsHidden" defaultChecked={workshop.starsHidden} />
          {t('ws.starsHidden')}
        </label>
        <label className="checkbox">
          <input type="checkbox" name="partyInReports" defaultChecked={workshop.partyInReports} />
          {t('ws.partyInReports')}
        </label>
        <SelectField label={t('ws.language')} hint={t('ws.languageHint')} name="language" defaultValue={workshop.language} error={fieldError(error, 'language')}>
          {languages.map((code) => (
            <option key={code} value={code} lang={code}>
              {languageNames[code]}
            </option>
          ))}
        </SelectField>
        <ErrorMessage error={error} />
        <div>
          <button type="submit">{t('ws.saveDetails')}</button>
        </div>
      </form>
    </section>
  );
}
