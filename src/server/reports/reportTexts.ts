import type { ItemKind } from '../../domain/items.js';
import { localeOf, type Language } from '../../domain/languages.js';
import type { AssessmentStatus } from '../../contract/export.schema.js';
import { dictionaries, interpolate, pluralMessage, type MessageKey, type Params, type PluralKey } from '../../web/i18n/messages.js';

/**
 * The words of a report in one language. They are keys of the UI's dictionaries
 * (src/web/i18n/{nb,nn,en}.ts): the report-only ones under `report.*`, and the statuses, kinds,
 * parts and item kinds the very keys the pages use, so "Teke til følgje" in a nynorsk report is
 * what the nynorsk synthesis page shows. A key missing in a language fails the type check and
 * [I18N-1] (src/web/i18n/i18n.test.ts).
 */
export interface ReportWords {
  language: Language;
  t(key: MessageKey, params?: Params): string;
  plural(key: PluralKey, count: number, params?: Params): string;
  number(value: number): string;
  /** "12. mars 2025" / "12 March 2025" for a moment, in Oslo. */
  longDate(moment: Date): string;
  /** The same for a date column: `YYYY-MM-DD`, or a Date at local midnight as pg parses it. */
  calendarDate(value: string | Date): string;
  status(status: AssessmentStatus | null): string;
  kind(kind: NoteKind): string;
  part(part: 'goals' | 'strategies'): string;
  /** "Delmål 2", "Hovudmål", or "Strategi (fjerna)" for an item archived since. */
  itemLabel(kind: ItemKind, number: number | null, archived: boolean): string;
}

export type NoteKind = 'comment' | 'rewording' | 'new_item' | 'question' | 'facilitator_note';

const cache = new Map<Language, ReportWords>();

export function reportWords(language: Language): ReportWords {
  const cached = cache.get(language);
  if (cached) return cached;
  const dictionary = dictionaries[language];
  const locale = localeOf[language];
  const osloDate = new Intl.DateTimeFormat(locale, { timeZone: 'Europe/Oslo', day: 'numeric', month: 'long', year: 'numeric' });
  const t = (key: MessageKey, params?: Params) => interpolate(dictionary[key], params);
  const words: ReportWords = {
    language,
    t,
    plural: (key, count, params) => pluralMessage(language, key, count, params),
    number: (value) => value.toLocaleString(locale),
    longDate: (moment) => osloDate.format(moment),
    calendarDate(value) {
      const [year, month, day] =
        typeof value === 'string' ? value.slice(0, 10).split('-').map(Number) : [value.getFullYear(), value.getMonth() + 1, value.getDate()];
      return osloDate.format(new Date(Date.UTC(year!, month! - 1, day!, 12)));
    },
    // "Ikke vurdert" as the synthesis filter names it ("Ikke vurdert ennå" would date the report).
    status: (status) => t(status ? `syn.status.${status}` : 'syn.filters.status.unassessed'),
    kind: (kind) => t(`syn.kind.${kind}`),
    part: (part) => t(`ws.part.${part}`),
    itemLabel(kind, number, archived) {
      const name = t(`kind.${kind}`);
      if (archived) return t('report.removed', { label: name });
      return kind === 'main_goal' || number === null ? name : `${name} ${number}`;
    },
  };
  cache.set(language, words);
  return words;
}
