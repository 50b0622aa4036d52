/**
 * The catalogue of domain errors. Services throw these; the HTTP and WebSocket layers turn the
 * code into a status and the client turns it into a sentence in the user's language.
 */
export const errorCodes = [
  'validation_failed',
  'unauthenticated',
  'invalid_credentials',
  'csrf_failed',
  'forbidden',
  'not_found',
  'version_conflict',
  'item_has_input',
  'last_main_goal',
  'invitation_invalid',
  'setup_done',
  'email_taken',
  'rate_limited',
  'workshop_closed',
  'workshop_not_open',
  'star_budget_exhausted',
  'star_limit_per_item',
  'stars_disabled',
  'already_imported',
  'not_an_export',
  'payload_too_large',
  'server_busy',
  // workshops
  'invalid_transition',
  'group_not_empty',
  'participant_has_input',
  'name_claimed',
  // sign-in through the identity provider
  'oidc_refused',
  'local_login_off',
  // consultations
  'consultation_not_open',
  'consultation_closed',
  'unsupported_media_type',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/**
 * The HTTP status of each error code: the one map the server's error hook and the web client (for
 * a command refused over the socket) both use.
 */
const httpStatusByCode: Record<ErrorCode, number> = {
  validation_failed: 400,
  not_an_export: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  csrf_failed: 403,
  forbidden: 403,
  invitation_invalid: 403,
  not_found: 404,
  version_conflict: 409,
  item_has_input: 409,
  last_main_goal: 409,
  setup_done: 409,
  email_taken: 409,
  workshop_closed: 409,
  workshop_not_open: 409,
  star_budget_exhausted: 409,
  star_limit_per_item: 409,
  stars_disabled: 409,
  already_imported: 409,
  payload_too_large: 413,
  server_busy: 503,
  rate_limited: 429,
  // workshops
  invalid_transition: 409,
  group_not_empty: 409,
  participant_has_input: 409,
  name_claimed: 409,
  oidc_refused: 401,
  local_login_off: 403,
  // consultations: a closed window is a refusal ([CONS-3]); a file is judged by its content ([CONS-6])
  consultation_not_open: 403,
  consultation_closed: 403,
  unsupported_media_type: 415,
};

export const httpStatusOf = (code: ErrorCode): number => httpStatusByCode[code];

export interface FieldProblem {
  /** Dotted path of the field, e.g. `text` or `items.2.kind`. */
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: { fields?: FieldProblem[]; current?: unknown; retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const fail = {
  notFound: (what: string) => new DomainError('not_found', `${what} not found`),
  forbidden: (why = 'You may not do this') => new DomainError('forbidden', why),
  unauthenticated: () => new DomainError('unauthenticated', 'Log in first'),
  versionConflict: (current: unknown) =>
    new DomainError('version_conflict', 'Someone else changed this first; here is the current version', { current }),
  invalid: (path: string, message: string) =>
    new DomainError('validation_failed', `${path}: ${message}`, { fields: [{ path, message }] }),
};
