import type { Insertable } from 'kysely';
import { assertOpenForInput, formatReference } from '../../domain/consultation/consultation.js';
import { fail } from '../../domain/errors.js';
import type { Db, Tx } from '../db/database.js';
import type { SubmissionAttachmentsTable, SubmissionsTable } from '../db/tables.js';
import * as q from './consultations.queries.js';

/** A checked submission, its files already in place, waiting for its transaction. */
export interface NewSubmission {
  /** The row without its reference, which the transaction gives it. */
  row: Omit<Insertable<SubmissionsTable>, 'reference'> & { consultation_id: string; submitted_at: Date };
  itemIds: string[];
  attachments: Insertable<SubmissionAttachmentsTable>[];
}

interface Pending {
  submission: NewSubmission;
  resolve(reference: string): void;
  reject(error: unknown): void;
}

/**
 * Most submissions one transaction carries: a multi-row insert of 100 submissions and their items
 * stays far below PostgreSQL's 65,535 parameters.
 */
const MAX_BATCH = 100;

const commits = new WeakMap<Db, SubmissionCommit>();

/** The process's group commit of submissions on this database. */
export function submissionCommitOf(db: Db): SubmissionCommit {
  let commit = commits.get(db);
  if (!commit) commits.set(db, (commit = new SubmissionCommit(db)));
  return commit;
}

/**
 * [CONS-24] Group commit of submissions. One transaction runs at a time in a process; the
 * submissions that arrive meanwhile wait and share the next one, so under load many pay for one
 * BEGIN, one check of the window, one step of the year's reference counter, one insert per table
 * and one COMMIT (one WAL flush), and the counter row is held by one transaction instead of being
 * queued for by every request. Nothing is answered before its transaction committed. A
 * submission refused at commit (the consultation closed while it was uploaded) is refused alone;
 * a transaction that fails for any other reason runs again with each submission alone, so one
 * bad row never costs the others their receipt.
 */
export class SubmissionCommit {
  private queue: Pending[] = [];
  private running = false;

  constructor(private readonly db: Db) {}

  /** Stores the submission; resolves with its reference once committed. */
  submit(submission: NewSubmission): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.queue.push({ submission, resolve, reject });
      if (this.running) return;
      this.running = true;
      // Submissions that arrive in the same turn of the event loop join the first transaction.
      queueMicrotask(() => void this.drain());
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.commit(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.running = false;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    let outcomes: Array<{ reference: string } | { error: unknown }>;
    try {
      outcomes = await this.db.transaction().execute((tx) => storeBatch(tx, batch.map((pending) => pending.submission)));
    } catch (error) {
      if (batch.length > 1) {
        for (const pending of batch) await this.commit([pending]);
        return;
      }
      // The commit may have happened and only its answer been lost (a dropped connection): a stored
      // submission gets its receipt, and its files stay where its row says they are.
      const stored = await q.findSubmission(this.db, batch[0]!.submission.row.id).catch(() => undefined);
      outcomes = [stored ? { reference: stored.reference } : { error }];
    }
    for (const [index, pending] of batch.entries()) {
      const outcome = outcomes[index]!;
      if ('reference' in outcome) pending.resolve(outcome.reference);
      else pending.reject(outcome.error);
    }
  }
}

/** The batch's statements; returns each submission's reference or why it was refused. */
async function storeBatch(tx: Tx, batch: NewSubmission[]): Promise<Array<{ reference: string } | { error: unknown }>> {
  // [CONS-3] The window as it is now, in this transaction: a consultation closed while a file was
  // uploading refuses what was received after its closing.
  const windows = await q.findConsultationWindows(tx, [...new Set(batch.map((s) => s.row.consultation_id))]);
  const outcomes: Array<{ reference: string } | { error: unknown }> = batch.map(({ row }) => {
    const window = windows.get(row.consultation_id);
    try {
      if (!window) throw fail.notFound('Consultation');
      assertOpenForInput({ opensAt: window.opens_at, closesAt: window.closes_at }, row.submitted_at);
      return { reference: '' };
    } catch (error) {
      return { error };
    }
  });
  const accepted = batch.flatMap((submission, index) => ('reference' in outcomes[index]! ? [{ submission, index }] : []));
  if (accepted.length === 0) return outcomes;
  // [CONS-4] One step of each year's counter for the whole batch, numbered in arrival order.
  const years = new Map<number, typeof accepted>();
  for (const entry of accepted) {
    const year = entry.submission.row.submitted_at.getUTCFullYear();
    years.set(year, [...(years.get(year) ?? []), entry]);
  }
  for (const [year, entries] of years) {
    const last = await q.takeReferenceNumbers(tx, year, entries.length);
    entries.forEach(({ index }, n) => (outcomes[index] = { reference: formatReference(year, last - entries.length + 1 + n) }));
  }
  const reference = (index: number) => (outcomes[index] as { reference: string }).reference;
  await q.insertSubmissions(
    tx,
    accepted.map(({ submission, index }) => ({ ...submission.row, reference: reference(index) })),
  );
  await q.insertItemsOfSubmissions(
    tx,
    accepted.flatMap(({ submission }) => [...new Set(submission.itemIds)].map((item_id) => ({ submission_id: submission.row.id, item_id }))),
  );
  await q.insertAttachments(
    tx,
    accepted.flatMap(({ submission }) => submission.attachments),
  );
  return outcomes;
}
