/**
 * Retry delays: exponential backoff with full jitter, and the server's `Retry-After`.
 *
 * Full jitter (a uniform delay between 0 and the exponential ceiling) spreads the retries of many
 * Lambda instances hitting one tenant, instead of having them all come back at the same moment.
 */

export interface BackoffLimits {
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/** Retry-After values are obeyed up to this long by default; past it the ceiling applies. */
export const DEFAULT_RETRY_AFTER_CAP_MS = 60_000;

/**
 * The full-jitter delay before retry number `retry` (0 for the first retry):
 * `random() * min(maxDelayMs, baseDelayMs * 2^retry)`.
 *
 * @param random - returns a number in [0, 1), like Math.random.
 * @example backoffDelay(2, { baseDelayMs: 200, maxDelayMs: 20_000 }, () => 0.5) // 400
 */
export function backoffDelay(retry: number, limits: BackoffLimits, random: () => number): number {
  const ceiling = Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** Math.max(0, retry));
  const r = Math.min(Math.max(random(), 0), 1);
  return r * ceiling;
}

/**
 * Reads a `Retry-After` header: delta seconds (`120`, fractions tolerated) or an HTTP date.
 *
 * @param nowMs - the current wall-clock time, for HTTP dates.
 * @returns milliseconds to wait (0 for a date in the past), or `undefined` when absent or unreadable.
 * @example parseRetryAfter('2', Date.now()) // 2000
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  // Only something that looks like a date goes to Date.parse, which is lenient about odd inputs.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

export interface RetryDelayInput {
  /** 0 for the first retry. */
  readonly retry: number;
  readonly limits: BackoffLimits;
  readonly random: () => number;
  /** From {@link parseRetryAfter}, when the answer carried the header. */
  readonly retryAfterMs?: number | undefined;
  /** Longest wait ever chosen; defaults to max(maxDelayMs, {@link DEFAULT_RETRY_AFTER_CAP_MS}). */
  readonly capMs?: number | undefined;
}

/**
 * The delay actually slept before a retry: the larger of the jittered backoff and the server's
 * Retry-After, capped so one odd header cannot park a Lambda for an hour.
 *
 * @example retryDelay({ retry: 0, limits, random: Math.random, retryAfterMs: 3000 }) // >= 3000
 */
export function retryDelay(input: RetryDelayInput): number {
  const cap = input.capMs ?? Math.max(input.limits.maxDelayMs, DEFAULT_RETRY_AFTER_CAP_MS);
  const jittered = backoffDelay(input.retry, input.limits, input.random);
  return Math.min(cap, Math.max(jittered, input.retryAfterMs ?? 0));
}
