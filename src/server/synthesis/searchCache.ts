import { SearchIndex } from '../../domain/text/index.js';
import type { Queryable } from '../db/database.js';

interface Entry {
  version: string;
  index: SearchIndex;
}

/**
 * One search index per workshop, rebuilt only when its lapper changed (their count or the newest
 * change). Building takes seconds for 100,000 lapper; a search then takes milliseconds.
 */
export class SearchCache {
  private readonly entries = new Map<string, Entry>();
  private readonly building = new Map<string, Promise<Entry>>();

  async search(db: Queryable, workshopId: string, query: string): Promise<string[]> {
    const version = await this.version(db, workshopId);
    let entry = this.entries.get(workshopId);
    if (!entry || entry.version !== version) entry = await this.build(db, workshopId, version);
    return entry.index.search(query);
  }

  private async version(db: Queryable, workshopId: string): Promise<string> {
    const row = await db
      .selectFrom('notes')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.max('updated_at').as('newest')])
      .where('workshop_id', '=', workshopId)
      .executeTakeFirstOrThrow();
    return `${row.count}:${row.newest ? new Date(row.newest as Date).toISOString() : ''}`;
  }

  private build(db: Queryable, workshopId: string, version: string): Promise<Entry> {
    const key = `${workshopId}:${version}`;
    let pending = this.building.get(key);
    if (!pending) {
      pending = (async () => {
        const notes = await db.selectFrom('notes').select(['id', 'text']).where('workshop_id', '=', workshopId).execute();
        const entry = { version, index: new SearchIndex(notes) };
        this.entries.set(workshopId, entry);
        return entry;
      })().finally(() => this.building.delete(key));
      this.building.set(key, pending);
    }
    return pending;
  }
}
