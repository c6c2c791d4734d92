/**
 * One logical ipSCAPE call over HTTP: limiter, per-attempt timeout, retries with backoff, and the
 * typed error when it gives up. It knows nothing of schemas; the client validates around it.
 *
 * The API key lives only in this closure's header value. It is never a property of anything
 * returned, never logged, and scrubbed from every body excerpt in case a server echoes it.
 */
import { redactBodyExcerpt, removeSecret } from '../privacy/redact';
import { abortableSleep, type Sleep } from './abortable-sleep';
import { parseRetryAfter, retryDelay } from './backoff';
import {
  AbortedError,
  AuthError,
  NetworkError,
  NotFoundError,
  OutcomeUnknownError,
  RateLimitedError,
  ResponseShapeError,
  ServerError,
  TimeoutError,
  UnexpectedStatusError,
  ValidationError,
  type IpscapeError,
  type IpscapeErrorContext,
} from './errors';
import type { TenantLimiter } from './limiter';
import { decideRetry, networkErrorCode, type AttemptFailure, type RetryDecision } from './retry-policy';
import type { OperationId, Route } from './routes';
import type { TenantConfig } from './tenant-config';

/**
 * Where the client writes its diagnostics. Fields are only operation, method, attempt, status,
 * delay, duration, request id and network code: never bodies, queries, URLs or the key.
 * (Powertools' Logger fits as is.)
 */
export interface IpscapeLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface TransportOptions {
  readonly limits: TenantConfig['limits'];
  /** Auth header name and its full value (the key already formatted in). */
  readonly authHeader: string;
  readonly authValue: string;
  /** Only to scrub it from body excerpts. */
  readonly apiKey: string;
  readonly requestIdHeader: string;
  readonly fetch: typeof fetch;
  readonly limiter: TenantLimiter;
  readonly random: () => number;
  readonly sleep: Sleep;
  /** Wall-clock milliseconds (durations in logs, HTTP-date Retry-After). */
  readonly now: () => number;
  readonly newRequestId: () => string;
  readonly logger?: IpscapeLogger | undefined;
  readonly retryAfterCapMs?: number | undefined;
  /** Told of every attempt's outcome (for metrics by status class); never given bodies or URLs. */
  readonly onAttempt?: ((attempt: AttemptReport) => void) | undefined;
}

/** One attempt as {@link TransportOptions.onAttempt} hears of it. */
export interface AttemptReport {
  readonly operation: OperationId;
  /** HTTP status, when an answer came. */
  readonly status?: number | undefined;
  /** `timeout` or a network error code when no answer came. */
  readonly failure?: string | undefined;
  readonly durationMs: number;
}

export interface TransportRequest {
  readonly operation: OperationId;
  readonly route: Route;
  /** Absolute URL, query included. Never logged or put in an error: it may hold a phone filter. */
  readonly url: string;
  /** JSON-serialisable body, for operations that send one. */
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
}

export interface TransportResponse {
  readonly status: number;
  /** The parsed JSON body; `undefined` for an empty body. */
  readonly json: unknown;
  readonly attempts: number;
  readonly requestId: string;
}

/** Sends one logical call (all its attempts) and returns the 2xx answer, or throws an {@link IpscapeError}. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

type AttemptResult =
  | { readonly ok: true; readonly status: number; readonly text: string }
  | { readonly ok: false; readonly failure: AttemptFailure; readonly text?: string; readonly aborted?: boolean };

/**
 * Builds the transport for one client.
 *
 * @example
 * const send = createTransport({ limits: tenant.limits, authHeader: 'Authorization', authValue: `Bearer ${key}`, ... });
 * const { json } = await send({ operation: 'getLead', route, url });
 */
export function createTransport(options: TransportOptions): Transport {
  const { limits, logger } = options;

  function excerpt(text: string | undefined): string | undefined {
    return text ? redactBodyExcerpt(removeSecret(text, options.apiKey)) : undefined;
  }

  async function attemptOnce(request: TransportRequest, requestId: string): Promise<AttemptResult> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, limits.timeoutMs);
    const onCallerAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort, { once: true });
    let status: number | undefined;
    let retryAfter: string | null = null;
    try {
      const headers: Record<string, string> = {
        accept: 'application/json',
        [options.requestIdHeader]: requestId,
        [options.authHeader]: options.authValue,
      };
      const init: RequestInit = {
        method: request.route.method,
        headers,
        signal: controller.signal,
        // A redirect could carry a custom auth header to another host, and turns a POST into a GET.
        redirect: 'manual',
      };
      if (request.body !== undefined) {
        headers['content-type'] = 'application/json';
        init.body = JSON.stringify(request.body);
      }
      const response = await options.fetch(request.url, init);
      status = response.status;
      retryAfter = response.headers.get('retry-after');
      // The timeout covers the body too: a server may send headers and then stall.
      const text = await response.text();
      if (status >= 200 && status < 300) return { ok: true, status, text };
      return { ok: false, failure: statusFailure(status, retryAfter), text };
    } catch (err) {
      const aborted = !timedOut && request.signal?.aborted === true;
      // A non-2xx status already seen decides the outcome even if its body then failed to arrive.
      if (status !== undefined && (status < 200 || status >= 300)) {
        return { ok: false, failure: statusFailure(status, retryAfter), aborted };
      }
      if (timedOut) return { ok: false, failure: { type: 'timeout' } };
      return { ok: false, failure: { type: 'network', code: networkErrorCode(err) }, aborted };
    } finally {
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }

  function statusFailure(status: number, retryAfter: string | null): AttemptFailure {
    return { type: 'status', status, retryAfterMs: parseRetryAfter(retryAfter, options.now()) };
  }

  function giveUp(decision: RetryDecision, failure: AttemptFailure, context: IpscapeErrorContext): IpscapeError {
    if (decision === 'outcome-unknown') {
      const reason = failure.type === 'status' ? 'server-error' : failure.type === 'timeout' ? 'timeout' : 'network';
      return new OutcomeUnknownError(reason, context);
    }
    if (failure.type === 'timeout') return new TimeoutError(`no complete answer within ${limits.timeoutMs} ms`, context);
    if (failure.type === 'network') return new NetworkError('connection failed', context);
    const { status } = failure;
    if (status === 401 || status === 403) return new AuthError('authentication or permission refused', context);
    if (status === 404) return new NotFoundError('not found', context);
    if (status === 400 || status === 422) return new ValidationError('request rejected by ipSCAPE', context);
    if (status === 429) return new RateLimitedError('still rate limited when the attempts ran out', context, failure.retryAfterMs);
    if (status === 408) return new TimeoutError('the server timed the request out', context);
    if (status >= 500) return new ServerError('server error', context);
    return new UnexpectedStatusError('unexpected status', context);
  }

  return async function send(request: TransportRequest): Promise<TransportResponse> {
    const { operation, route } = request;
    const requestId = options.newRequestId();
    const base = { operation, method: route.method, pathTemplate: route.path, requestId };
    for (let attempt = 1; ; attempt++) {
      let release: (() => void) | undefined;
      try {
        release = await options.limiter.acquire(request.signal);
      } catch {
        throw new AbortedError('aborted by the caller while waiting for the rate limiter', { ...base, attempts: attempt - 1 });
      }
      if (request.signal?.aborted) {
        // Aborted between the grant and the send: nothing went out, so not "outcome unknown".
        release();
        throw new AbortedError('aborted by the caller before sending', { ...base, attempts: attempt - 1 });
      }
      const started = options.now();
      let result: AttemptResult;
      try {
        result = await attemptOnce(request, requestId);
      } finally {
        release();
      }
      const durationMs = Math.round(options.now() - started);
      const status = result.ok ? result.status : result.failure.type === 'status' ? result.failure.status : undefined;
      const networkCode = !result.ok && result.failure.type === 'network' ? result.failure.code : undefined;
      logger?.debug('ipscape attempt', {
        operation,
        method: route.method,
        attempt,
        status,
        durationMs,
        requestId,
        ...(networkCode ? { networkCode } : {}),
        ...(!result.ok && result.failure.type === 'timeout' ? { timedOut: true } : {}),
      });
      options.onAttempt?.({
        operation,
        status,
        durationMs,
        failure: !result.ok && result.failure.type === 'timeout' ? 'timeout' : networkCode,
      });

      if (result.ok) {
        const context = { ...base, attempts: attempt, status: result.status };
        let json: unknown;
        if (result.text.trim() !== '') {
          try {
            json = JSON.parse(result.text);
          } catch {
            throw new ResponseShapeError('the answer is not JSON', { ...context, bodyExcerpt: excerpt(result.text) });
          }
        }
        return { status: result.status, json, attempts: attempt, requestId };
      }

      const { failure } = result;
      const context: IpscapeErrorContext = {
        ...base,
        attempts: attempt,
        ...(status !== undefined ? { status } : {}),
        ...(networkCode ? { networkCode } : {}),
        ...(result.text ? { bodyExcerpt: excerpt(result.text) } : {}),
      };
      const decision = decideRetry(failure, route.idempotent);
      if (result.aborted) {
        // The caller gave up mid-flight: unless the failure proves nothing was done, a create may have landed.
        if (decision === 'outcome-unknown') throw new OutcomeUnknownError('aborted', context);
        throw new AbortedError('aborted by the caller', context);
      }
      if (decision !== 'retry' || attempt >= limits.maxAttempts) {
        const error = giveUp(decision, failure, context);
        logger?.warn('ipscape call failed', { operation, method: route.method, kind: error.kind, status, attempts: attempt, requestId });
        throw error;
      }
      const retryAfterMs = failure.type === 'status' ? failure.retryAfterMs : undefined;
      const delayMs = Math.round(
        retryDelay({ retry: attempt - 1, limits, random: options.random, retryAfterMs, capMs: options.retryAfterCapMs }),
      );
      logger?.info('ipscape retry', {
        operation,
        method: route.method,
        attempt,
        status,
        delayMs,
        requestId,
        reason: failure.type === 'status' ? `status ${failure.status}` : failure.type === 'timeout' ? 'timeout' : (networkCode ?? 'network'),
      });
      try {
        await abortableSleep(options.sleep, delayMs, request.signal);
      } catch {
        throw new AbortedError('aborted by the caller during backoff', context);
      }
    }
  };
}
