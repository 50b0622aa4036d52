import type { Queryable } from '../db/database.js';
import { INCOMING_MAX_AGE_MS, type AttachmentStore } from './attachmentStore.js';
import * as q from './consultations.queries.js';

/**
 * [OPS-7] Removes from the store what no stored submission names: unfinished uploads in
 * `incoming/`, files kept for a submission whose commit never came (a crash between keep and the
 * commit), and the files and folders of deleted consultations. Only files nobody wrote to for
 * `olderThanMs`: far longer than any upload and commit, on every process sharing the volume.
 * Returns how many files were removed.
 */
export async function sweepAttachmentStore(store: AttachmentStore, db: Queryable, olderThanMs = INCOMING_MAX_AGE_MS, now = Date.now()): Promise<number> {
  const unfinished = await store.sweepIncoming(olderThanMs, now);
  const { folders, keys } = await store.listKept(olderThanMs, now);
  const stored = await q.storedAttachmentKeys(db, keys);
  const orphans = keys.filter((key) => !stored.has(key));
  await store.discard(orphans);
  const consultations = await q.existingConsultationIds(db, folders);
  for (const folder of folders) if (!consultations.has(folder)) await store.removeFolderIfEmpty(folder);
  return unfinished + orphans.length;
}
