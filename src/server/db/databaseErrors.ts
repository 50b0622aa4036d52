/** SQLSTATEs of a transaction that lost a race and may simply run again: deadlock, serialization, lock wait. */
const RETRYABLE_CODES = new Set(['40P01', '40001', '55P03']);

/** True when the database refused a transaction only because a concurrent one won a race. */
export const isRetryableDatabaseError = (error: unknown): boolean => RETRYABLE_CODES.has(String((error as { code?: unknown } | null)?.code));
