/**
 * Typed errors of the ipSCAPE client.
 *
 * Every error names the operation, method and path TEMPLATE (`/leads/{leadId}`, never the expanded
 * URL with its query, which may hold a phone number), the HTTP status when there was one, and how
 * many attempts were made. `bodyExcerpt` is the PII-redacted start of the answer's body: the client
 * redacts before constructing the error, and the constructor only bounds its length.
 */
import type { HttpMethod, OperationId } from './routes';
import type { FieldProblem } from './semantic';

/** Discriminant of {@link IpscapeError}; switch on it rather than on `instanceof` across bundles. */
export type IpscapeErrorKind =
  | 'auth'
  | 'not-found'
  | 'validation'
  | 'rate-limited'
  | 'server'
  | 'timeout'
  | 'outcome-unknown'
  | 'network'
  | 'response-shape'
  | 'unexpected-status'
  | 'aborted';

/** Where an error happened and what was seen; shared by every error class. */
export interface IpscapeErrorContext {
  readonly operation: OperationId;
  readonly method: HttpMethod;
  /** The route's path template, e.g. `/leads/{leadId}`. */
  readonly pathTemplate: string;
  readonly attempts: number;
  readonly status?: number;
  /** PII-redacted body start, at most {@link MAX_BODY_EXCERPT} characters. */
  readonly bodyExcerpt?: string;
  /** The client request id sent with every attempt of the call (a UUID), to find it in server logs. */
  readonly requestId?: string;
  /** Network error code from the transport (`ECONNRESET`, `UND_ERR_SOCKET`, ...), never its message. */
  readonly networkCode?: string;
}

export const MAX_BODY_EXCERPT = 500;

/** Base class: `kind` says what went wrong; the rest says where. Message holds no PII and no key. */
export abstract class IpscapeError extends Error {
  abstract readonly kind: IpscapeErrorKind;
  readonly operation: OperationId;
  readonly method: HttpMethod;
  readonly pathTemplate: string;
  readonly attempts: number;
  readonly status?: number;
  readonly bodyExcerpt?: string;
  readonly requestId?: string;
  readonly networkCode?: string;

  constructor(summary: string, context: IpscapeErrorContext) {
    const status = context.status === undefined ? '' : `, status ${context.status}`;
    const code = context.networkCode === undefined ? '' : `, ${context.networkCode}`;
    const attempts = `${context.attempts} attempt${context.attempts === 1 ? '' : 's'}`;
    super(`ipSCAPE ${context.operation} (${context.method} ${context.pathTemplate}): ${summary} (${attempts}${status}${code})`);
    this.name = new.target.name;
    this.operation = context.operation;
    this.method = context.method;
    this.pathTemplate = context.pathTemplate;
    this.attempts = context.attempts;
    if (context.status !== undefined) this.status = context.status;
    if (context.bodyExcerpt !== undefined) this.bodyExcerpt = context.bodyExcerpt.slice(0, MAX_BODY_EXCERPT);
    if (context.requestId !== undefined) this.requestId = context.requestId;
    if (context.networkCode !== undefined) this.networkCode = context.networkCode;
  }
}

/** 401 or 403: the key is wrong, revoked or lacks the permission. Not retried. */
export class AuthError extends IpscapeError {
  readonly kind = 'auth' as const;
}

/** 404: the id does not exist (or the route is wrong for this tenant). Not retried. */
export class NotFoundError extends IpscapeError {
  readonly kind = 'not-found' as const;
}

/**
 * The request is invalid: refused locally before any network call (`status` undefined, `attempts`
 * 0, `problems` lists the fields), or answered 400/422 by ipSCAPE (`problems` empty: the error body
 * format is not documented; see `bodyExcerpt`).
 */
export class ValidationError extends IpscapeError {
  readonly kind = 'validation' as const;
  readonly problems: readonly FieldProblem[];
  constructor(summary: string, context: IpscapeErrorContext, problems: readonly FieldProblem[] = []) {
    super(problems.length ? `${summary}: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}` : summary, context);
    this.problems = problems;
  }
}

/** Still 429 when the attempts ran out. `retryAfterMs` is the server's last hint, if it gave one. */
export class RateLimitedError extends IpscapeError {
  readonly kind = 'rate-limited' as const;
  readonly retryAfterMs?: number;
  constructor(summary: string, context: IpscapeErrorContext, retryAfterMs?: number) {
    super(summary, context);
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

/** Still 5xx when the attempts ran out (idempotent operations only; see {@link OutcomeUnknownError}). */
export class ServerError extends IpscapeError {
  readonly kind = 'server' as const;
}

/** Every attempt timed out (idempotent operations only). */
export class TimeoutError extends IpscapeError {
  readonly kind = 'timeout' as const;
}

/**
 * A non-idempotent request (create lead, bulk create, create list, erasure) may or may not have been
 * processed: the server answered 5xx, the request timed out, or the connection broke after it was
 * sent. It was NOT repeated. Reconcile (e.g. look the lead up by customerKey) before sending again.
 */
export class OutcomeUnknownError extends IpscapeError {
  readonly kind = 'outcome-unknown' as const;
  /** What made the outcome unknown. */
  readonly reason: 'server-error' | 'timeout' | 'network' | 'aborted';
  constructor(reason: OutcomeUnknownError['reason'], context: IpscapeErrorContext) {
    super(`outcome unknown (${reason}); the request was not repeated, reconcile before sending it again`, context);
    this.reason = reason;
  }
}

/** The connection failed (refused, reset, DNS) on every attempt. */
export class NetworkError extends IpscapeError {
  readonly kind = 'network' as const;
}

/** A 2xx answer that is not JSON or does not match the operation's response schema. Not retried. */
export class ResponseShapeError extends IpscapeError {
  readonly kind = 'response-shape' as const;
  /** Schema paths and messages; never the offending values. */
  readonly problems: readonly FieldProblem[];
  constructor(summary: string, context: IpscapeErrorContext, problems: readonly FieldProblem[] = []) {
    const shown = problems.slice(0, 5).map((p) => `${p.field || '(body)'} ${p.message}`);
    const more = problems.length > 5 ? `; and ${problems.length - 5} more` : '';
    super(shown.length ? `${summary}: ${shown.join('; ')}${more}` : summary, context);
    this.problems = problems;
  }
}

/** A status the client has no rule for (3xx, 405, 409, 410, ...). Not retried. */
export class UnexpectedStatusError extends IpscapeError {
  readonly kind = 'unexpected-status' as const;
}

/** The caller's AbortSignal fired before a request was sent (or of an idempotent request in flight). */
export class AbortedError extends IpscapeError {
  readonly kind = 'aborted' as const;
}

/**
 * Type guard for any client error, optionally of one kind.
 *
 * @example if (isIpscapeError(err, 'outcome-unknown')) await reconcile(err.requestId);
 */
export function isIpscapeError<K extends IpscapeErrorKind>(
  err: unknown,
  kind?: K,
): err is Extract<AnyIpscapeError, { kind: K }> {
  return err instanceof IpscapeError && (kind === undefined || err.kind === kind);
}

/** Union of the concrete error classes, for exhaustive `switch (err.kind)`. */
export type AnyIpscapeError =
  | AuthError
  | NotFoundError
  | ValidationError
  | RateLimitedError
  | ServerError
  | TimeoutError
  | OutcomeUnknownError
  | NetworkError
  | ResponseShapeError
  | UnexpectedStatusError
  | AbortedError;
