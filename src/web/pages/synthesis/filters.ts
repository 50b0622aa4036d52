import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { OverviewNote, OverviewQuery } from '../../../contract/synthesis.schema.js';
import { api } from '../../api/api.js';

/** The overview's filters, named as the API names them; they live in the page URL so a view can be shared. */
export const filterKeys = ['perspectiveId', 'groupId', 'party', 'kind', 'placed', 'status', 'themeKey', 'q', 'itemId', 'notesPerItem', 'source'] as const;
export type FilterKey = (typeof filterKeys)[number];
export type Filters = Partial<Record<FilterKey, string>>;
/** The overview query as the URL carries it: strings, checked by the server. */
export type OverviewParams = Partial<Record<keyof OverviewQuery, string | number>>;

export function readFilters(params: URLSearchParams): Filters {
  const filters: Filters = {};
  for (const key of filterKeys) {
    const value = params.get(key);
    if (value) filters[key] = value;
  }
  return filters;
}

/** `?groupId=…&q=…` for a link to the overview (or walk-through) with these filters. */
export function filterSearch(filters: Filters, extra: Record<string, string | number | undefined> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...filters, ...extra })) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Filters and page from the URL, and setters that keep them there (a filter change goes back to page 1). */
export function useFilters() {
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const filters = useMemo(() => readFilters(new URLSearchParams(search)), [search]);
  const page = Math.max(1, Math.floor(Number(params.get('page'))) || 1);

  const setFilter = useCallback(
    (key: FilterKey, value: string | undefined) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(key, value);
        else next.delete(key);
        next.delete('page');
        return next;
      }),
    [setParams],
  );
  const clear = useCallback(() => setParams(new URLSearchParams()), [setParams]);
  return { filters, page, setFilter, clear, active: Object.keys(filters).length > 0 };
}

/**
 * Every lapp matching `filters`, read page by page from the overview (items and general box), once
 * each: what a whole-theme assessment, a split or the near-duplicate list needs.
 */
export async function collectNotes(workshopId: string, filters: OverviewParams) {
  const notes = new Map<string, OverviewNote>();
  for (let page = 1, pageCount = 1; page <= pageCount; page++) {
    const overview = await api.synthesisOverview(workshopId, { ...filters, page, pageSize: 100 });
    pageCount = overview.pageCount;
    for (const note of [...overview.items.flatMap((item) => item.notes), ...overview.generalBox.flatMap((box) => box.notes)]) notes.set(note.id, note);
  }
  return [...notes.values()];
}
