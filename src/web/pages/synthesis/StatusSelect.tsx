import type { SelectHTMLAttributes } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import { assessmentStatuses, statusLabel } from './labels.js';

/** The labelled choice of an assessment (tatt til følge …), for one lapp or a whole theme. */
export function StatusSelect({ id, ...select }: { id: string } & SelectHTMLAttributes<HTMLSelectElement>) {
  const { t } = useI18n();
  return (
    <>
      <label htmlFor={id}>{t('syn.assess.status')}</label>
      <select id={id} required {...select}>
        <option value="" disabled>
          {t('syn.assess.choose')}
        </option>
        {assessmentStatuses.map((value) => (
          <option key={value} value={value}>
            {statusLabel(value, t)}
          </option>
        ))}
      </select>
    </>
  );
}
