/**
 * Sleeping that an AbortSignal can cut short, over an injectable sleep so tests run on a fake clock.
 */

/** A sleep function: resolves after `ms` milliseconds (or whatever a test's fake clock decides). */
export type Sleep = (ms: number) => Promise<void>;

/**
 * The real sleep. The timer is deliberately not unref'd: a CLI awaiting a call at top level would
 * otherwise exit mid-backoff with the call unsettled.
 */
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/** The error an aborted wait rejects with: the signal's reason, or a standard AbortError. */
export function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

/**
 * Sleeps `ms` with `sleep`, rejecting with the signal's reason as soon as `signal` aborts.
 *
 * @example await abortableSleep(realSleep, 250, controller.signal);
 */
export async function abortableSleep(sleep: Sleep, ms: number, signal?: AbortSignal): Promise<void> {
  if (!signal) return sleep(ms);
  if (signal.aborted) throw abortReason(signal);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([sleep(ms), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort!);
  }
}
