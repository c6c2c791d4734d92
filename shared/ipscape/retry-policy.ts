/**
 * Whether a failed attempt is repeated: the client's retry decision table, as one pure function.
 *
 * | what happened                                   | idempotent | non-idempotent    |
 * |-------------------------------------------------|------------|-------------------|
 * | 429                                             | retry      | retry             |
 * | connect-phase network error (ECONNREFUSED, DNS  |            |                   |
 * |   ENOTFOUND/EAI_AGAIN, undici connect timeout)  | retry      | retry             |
 * | 5xx (except 501, 505), 408                      | retry      | outcome unknown   |
 * | our per-request timeout                         | retry      | outcome unknown   |
 * | other network error (ECONNRESET, UND_ERR_SOCKET,|            |                   |
 * |   EPIPE, EHOSTUNREACH, unknown)                 | retry      | outcome unknown   |
 * | 400/401/403/404/422, 501, 505, 3xx, other 4xx   | fail       | fail              |
 *
 * "retry" gives up with the outcome's error once `maxAttempts` is reached.
 */

/** How one attempt failed. */
export type AttemptFailure =
  | { readonly type: 'status'; readonly status: number; readonly retryAfterMs?: number | undefined }
  | { readonly type: 'timeout' }
  | { readonly type: 'network'; readonly code?: string | undefined };

export type RetryDecision = 'retry' | 'fail' | 'outcome-unknown';

/**
 * Codes that only occur before a connection exists, so no byte of the request reached the server:
 * safe to repeat even a create. (undici reports these in `err.cause.code`.) EHOSTUNREACH and
 * ENETUNREACH are left out on purpose: they can also hit a connection that already carried the request.
 */
export const NOT_SENT_CODES: ReadonlySet<string> = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Decides what to do after a failed attempt.
 *
 * @example decideRetry({ type: 'status', status: 503 }, false) // 'outcome-unknown'
 */
export function decideRetry(failure: AttemptFailure, idempotent: boolean): RetryDecision {
  switch (failure.type) {
    case 'status': {
      const { status } = failure;
      if (status === 429) return 'retry';
      // 501/505 say the server will never handle this request: repeating cannot help, nothing was done.
      if (status === 501 || status === 505) return 'fail';
      if (status === 408 || (status >= 500 && status <= 599)) return idempotent ? 'retry' : 'outcome-unknown';
      return 'fail';
    }
    case 'timeout':
      return idempotent ? 'retry' : 'outcome-unknown';
    case 'network':
      if (failure.code !== undefined && NOT_SENT_CODES.has(failure.code)) return 'retry';
      return idempotent ? 'retry' : 'outcome-unknown';
  }
}

/**
 * The network error code of a fetch failure. undici throws `TypeError: fetch failed` with the
 * socket error in `cause` (sometimes nested, or an AggregateError when several addresses were tried).
 *
 * @example networkErrorCode(await fetch(url).catch((e) => e)) // 'ECONNREFUSED'
 */
export function networkErrorCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const candidate = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string') return candidate.code;
    if (Array.isArray(candidate.errors) && candidate.errors.length > 0) {
      const codes = new Set(candidate.errors.map((e: unknown) => networkErrorCode(e)));
      // Several addresses tried: only a code they all share says what happened.
      if (codes.size === 1) return [...codes][0];
      return undefined;
    }
    current = candidate.cause;
  }
  return undefined;
}
