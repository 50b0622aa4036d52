import { useId, type FormEvent } from 'react';
import type { Overview } from '../../../contract/synthesis.schema.js';
import { useI18n, type MessageKey } from '../../i18n/i18n.js';
import type { FilterKey, Filters } from './filters.js';
import { assessmentStatuses, noteKinds, noteKindLabel, statusLabel } from './labels.js';

interface Props {
  facets: Overview['facets'];
  filters: Filters;
  setFilter(key: FilterKey, value: string | undefined): void;
  clear(): void;
  active: boolean;
}

/** The overview's filters. A choice applies at once (and lands in the URL); the search applies on Enter or "Søk". */
export function FilterBar({ facets, filters, setFilter, clear, active }: Props) {
  const { t } = useI18n();
  const id = useId();

  function select(key: FilterKey, label: MessageKey, options: Array<{ value: string; label: string }>) {
    return (
      <div className="field">
        <label htmlFor={`${id}-${key}`}>{t(label)}</label>
        <select id={`${id}-${key}`} value={filters[key] ?? ''} onChange={(event) => setFilter(key, event.target.value || undefined)}>
          <option value="">{t('syn.filters.all')}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    );
  }

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFilter('q', String(new FormData(event.currentTarget).get('q')).trim() || undefined);
  }

  return (
    <form role="search" aria-label={t('syn.filters')} className="syn-filters" onSubmit={search}>
      <div className="syn-search">
        <div className="field">
          <label htmlFor={`${id}-q`}>{t('syn.filters.q')}</label>
          <input id={`${id}-q`} key={filters.q ?? ''} type="search" name="q" defaultValue={filters.q ?? ''} maxLength={200} aria-describedby={`${id}-q-hint`} />
        </div>
        <button type="submit">{t('syn.filters.search')}</button>
      </div>
      <p id={`${id}-q-hint`} className="hint syn-search-hint">
        {t('syn.filters.qHint')}
      </p>
      <div className="syn-filter-fields">
        {facets.consultations.length > 0 &&
          select('source', 'syn.filters.source', [
            { value: 'workshop', label: t('syn.filters.source.workshop') },
            ...facets.consultations.map((c) => ({ value: `consultation:${c.id}`, label: t('syn.filters.source.consultation', { title: c.title }) })),
          ])}
        {select('perspectiveId', 'syn.filters.perspective', facets.perspectives.map((p) => ({ value: p.id, label: p.title })))}
        {select('groupId', 'syn.filters.group', facets.groups.map((g) => ({ value: g.id, label: g.name })))}
        {facets.parties.length > 0 && select('party', 'syn.filters.party', facets.parties.map((party) => ({ value: party, label: party })))}
        {select('kind', 'syn.filters.kind', noteKinds.map((kind) => ({ value: kind, label: noteKindLabel(kind, t) })))}
        {select('placed', 'syn.filters.placed', [
          { value: 'placed', label: t('syn.filters.placed.placed') },
          { value: 'unplaced', label: t('syn.filters.placed.unplaced') },
        ])}
        {select('status', 'syn.filters.status', [
          { value: 'unassessed', label: t('syn.filters.status.unassessed') },
          { value: 'assessed', label: t('syn.filters.status.assessed') },
          ...assessmentStatuses.map((status) => ({ value: status, label: statusLabel(status, t) })),
        ])}
        {facets.themes.length > 0 && select('themeKey', 'syn.filters.theme', facets.themes.map((theme) => ({ value: theme.key, label: theme.label })))}
      </div>
      {active && (
        <p>
          <button type="button" className="secondary" onClick={clear}>
            {t('syn.filters.clear')}
          </button>
        </p>
      )}
    </form>
  );
}
