/**
 * Retries DynamoDB writes that were refused because of a concurrent transaction.
 *
 * On AWS, a TransactWriteItems touching an item another transaction is changing is cancelled with
 * reason `TransactionConflict`, and a plain write to such an item fails with
 * `TransactionConflictException`. Neither is retried by the SDK, and neither changed anything, so
 * trying again is safe. Every chunk of an upload ends with a transaction on the upload item, so these
 * conflicts are expected under load, not exceptional. (moto never reports them: it does not isolate
 * concurrent requests at all; see docs/architecture.md.)
 */
import type { CancellationReason } from '@aws-sdk/client-dynamodb';

/** Cancellation reasons that mean "not applied, try again". */
const RETRYABLE_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

export interface ConflictRetryOptions {
  /** Attempts in all, the first included. */
  readonly attempts?: number;
  /** Upper bound of the first backoff; doubles each attempt (full jitter). */
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** The reasons of a cancelled transaction, in the order of its items; undefined for other errors. */
export function cancellationReasons(error: unknown): readonly CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== 'TransactionCanceledException') return undefined;
  return (error as Error & { CancellationReasons?: CancellationReason[] }).CancellationReasons ?? [];
}

/** True when the error says the write lost a race with a transaction (or was throttled) and changed nothing. */
export function isRetryableConflict(error: unknown): boolean {
  if (error instanceof Error && error.name === 'TransactionConflictException') return true;
  const reasons = cancellationReasons(error);
  if (!reasons) return false;
  // A failed condition is an answer, not a race: retrying would only fail it again.
  if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) return false;
  return reasons.some((r) => r.Code !== undefined && RETRYABLE_REASONS.has(r.Code));
}

/** Runs `write`, retrying with jittered exponential backoff while it fails with a retryable conflict. */
export async function retryOnConflict<T>(write: () => Promise<T>, options: ConflictRetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 8;
  const baseDelayMs = options.baseDelayMs ?? 20;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= attempts || !isRetryableConflict(error)) throw error;
      await sleep(Math.floor(random() * baseDelayMs * 2 ** (attempt - 1)));
    }
  }
}
