/** Retries of transient engine errors (AppError 'engine-busy'): exponential backoff, bounded. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 6, baseMs: 2_000, maxMs: 60_000 };

/** Wait before attempt `failures + 1`, after `failures` (≥ 1) busy answers in a row. */
export function backoffMs(failures: number, options: RetryOptions): number {
  return Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, failures - 1));
}
