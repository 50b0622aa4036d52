import { DomainError } from '../errors.js';

/** pbl § 11-14: a draft samfunnsdel is out on consultation for at least six weeks ([CONS-2]). */
export const DEFAULT_CONSULTATION_WEEKS = 6;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Limits of one submission ([CONS-5]). */
export const SUBMISSION_TEXT_MAX = 20_000;
export const SUBMISSION_NAME_MAX = 200;
export const SUBMISSION_FILES_MAX = 5;
export const ATTACHMENT_BYTES_MAX = 10 * 1024 * 1024;
export const ATTACHMENT_NAME_MAX = 200;

export const submitterRoles = ['private', 'organisation', 'business', 'public_body'] as const;
export type SubmitterRole = (typeof submitterRoles)[number];

export const publicationSettings = ['none', 'anonymous', 'named'] as const;
export type PublicationSetting = (typeof publicationSettings)[number];

export const moderationStatuses = ['pending', 'published', 'hidden'] as const;
export type ModerationStatus = (typeof moderationStatuses)[number];

/** The form's hidden field: people never see it, scripts fill it in ([CONS-7]). */
export const HONEYPOT_FIELD = 'website';

/** The default closing time: six weeks after opening. */
export function defaultClosesAt(opensAt: Date): Date {
  return new Date(opensAt.getTime() + DEFAULT_CONSULTATION_WEEKS * 7 * DAY_MS);
}

export type ConsultationWindow = 'not_open' | 'open' | 'closed';

export interface ConsultationDates {
  opensAt: Date;
  closesAt: Date;
}

/** Open from opensAt (inclusive) until closesAt (exclusive). */
export function consultationWindow(dates: ConsultationDates, now: Date): ConsultationWindow {
  if (now.getTime() < dates.opensAt.getTime()) return 'not_open';
  if (now.getTime() >= dates.closesAt.getTime()) return 'closed';
  return 'open';
}

/** [CONS-3] Input is taken only while the consultation is open; the refusal carries the dates. */
export function assertOpenForInput(dates: ConsultationDates, now: Date): void {
  const state = consultationWindow(dates, now);
  if (state === 'open') return;
  const current = { opensAt: dates.opensAt.toISOString(), closesAt: dates.closesAt.toISOString() };
  if (state === 'not_open') {
    throw new DomainError('consultation_not_open', `The consultation opens ${current.opensAt}`, { current });
  }
  throw new DomainError('consultation_closed', `The consultation closed ${current.closesAt}`, { current });
}

/** Checks the dates a planner chose: the closing after the opening. */
export function assertValidWindow(dates: ConsultationDates): void {
  if (dates.closesAt.getTime() <= dates.opensAt.getTime()) {
    throw new DomainError('validation_failed', 'closesAt: must be after the opening', {
      fields: [{ path: 'closesAt', message: 'must be after the opening' }],
    });
  }
}

/** [CONS-4] "2027-0014": the year of submission and the running number within it, four digits at least. */
export function formatReference(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(4, '0')}`;
}

/** The reference of the n-th part split from a letter (from 1): "2027-0014-2". */
export function splitReference(letterReference: string, part: number): string {
  return `${letterReference}-${part}`;
}

/**
 * Who the public and the report name for an input ([CONS-12]): the name (and organisation) only when
 * the consultation publishes names; never the e-mail address.
 */
export function publicSubmitter(
  submitter: { name: string; organisation: string | null },
  publication: PublicationSetting,
): string | null {
  if (publication !== 'named') return null;
  return submitter.organisation ? `${submitter.name} (${submitter.organisation})` : submitter.name;
}

export type ModerationAction = 'publish' | 'hide' | 'mark_copy' | 'split';

/** [CONS-9] Moderation keeps every input: hiding needs a reason, a copy points at another input. */
export function nextModerationStatus(action: ModerationAction, current: ModerationStatus): ModerationStatus {
  switch (action) {
    case 'publish':
      return 'published';
    case 'hide':
    case 'mark_copy':
      return 'hidden';
    case 'split':
      return current;
  }
}
