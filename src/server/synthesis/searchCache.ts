import { SearchIndex } from '../../domain/text/index.js';
import type { Queryable } from '../db/database.js';

interface Entry {
  version: string;
  index: SearchIndex;
}

/** What a search index is built from, and a cheap version that changes whenever that does. */
export interface SearchSource {
  key: string;
  version(): Promise<string>;
  texts(): Promise<{ id: string; text: string }[]>;
}

/**
 * One search index per source (a workshop's lapper, a plan's høring inputs), rebuilt only when its
 * version changed. Building takes seconds for 100,000 lapper; a search then takes milliseconds.
 */
export class SearchCache {
  private readonly entries = new Map<string, Entry>();
  private readonly building = new Map<string, Promise<Entry>>();

  /** The ids of a workshop's lapper that match `query` (Norwegian stems and compounds). */
  search(db: Queryable, workshopId: string, query: string): Promise<string[]> {
    return this.searchSource(workshopNotes(db, workshopId), query);
  }

  async searchSource(source: SearchSource, query: string): Promise<string[]> {
    const version = await source.version();
    let entry = this.entries.get(source.key);
    if (!entry || entry.version !== version) entry = await this.build(source, version);
    return entry.index.search(query);
  }

  private build(source: SearchSource, version: string): Promise<Entry> {
    const key = `${source.key}:${version}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = (async () => {
        const entry = { version, index: new SearchIndex(await source.texts()) };
        this.entries.set(source.key, entry);
        return entry;
      })().finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }
}

/** A workshop's lapper; their count and newest change tell when to rebuild. */
function workshopNotes(db: Queryable, workshopId: string): SearchSource {
  return {
    key: `workshop:${workshopId}`,
    async version() {
      const row = await db
        .selectFrom('notes')
        .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('updated_at').as('newest')])
        .where('workshop_id', '=', workshopId)
        .executeTakeFirstOrThrow();
      return `${row.count}:${row.newest ? new Date(row.newest as Date).toISOString() : ''}`;
    },
    texts: () => db.selectFrom('notes').select(['id', 'text']).where('workshop_id', '=', workshopId).execute(),
  };
}
