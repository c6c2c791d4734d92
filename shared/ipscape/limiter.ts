/**
 * The per-tenant request limiter: a token bucket (steady rate plus burst) and a concurrency cap.
 *
 * ipSCAPE documents no rate limit, so the client paces itself. One limiter instance stands for one
 * tenant: every client talking to that tenant in this process should share it, and every attempt
 * (retries included) goes through it, so the tenant sees at most `requestsPerSecond` on average
 * and `burst` at once, and never more than `maxConcurrency` requests in flight.
 */
import { abortableSleep, abortReason, realSleep, type Sleep } from './abortable-sleep';
import type { TenantConfig } from './tenant-config';

/** Far below one request: only there to keep float error from costing an extra millisecond. */
const EPSILON = 1e-9;

export type TenantLimits = Pick<TenantConfig['limits'], 'requestsPerSecond' | 'burst' | 'maxConcurrency'>;

export interface TenantLimiterOptions {
  /** Monotonic milliseconds; defaults to `performance.now()` (immune to wall-clock jumps). */
  readonly now?: () => number;
  /** Defaults to a real timer; tests pass a fake clock's sleep. */
  readonly sleep?: Sleep;
  /**
   * Tokens in the bucket at creation; defaults to `burst` (a fresh limiter may burst at once).
   * Pass 1 to pace from the first request, e.g. when a server measures the average from request one.
   */
  readonly initialTokens?: number;
}

/** A release function: frees the concurrency slot. Calling it twice is harmless. */
export type ReleaseSlot = () => void;

export interface TenantLimiter {
  /**
   * Waits for a concurrency slot, then for a token (in that order, so the request goes out the moment
   * it has its token and the tenant sees the bucket's pacing), first come first served.
   * Rejects with the signal's reason if `signal` aborts while waiting; nothing is held then.
   */
  acquire(signal?: AbortSignal): Promise<ReleaseSlot>;
  /** Requests holding a slot now. */
  readonly inFlight: number;
  /** Callers waiting for a slot now. */
  readonly waiting: number;
}

/**
 * Creates the limiter for one tenant; share the instance between every client of that tenant.
 *
 * @example
 * const limiter = createTenantLimiter(tenant.limits);
 * const a = createIpscapeClient({ tenant, apiKey, limiter });
 * const b = createIpscapeClient({ tenant, apiKey, limiter }); // a and b together stay within the limits
 */
export function createTenantLimiter(limits: TenantLimits, options: TenantLimiterOptions = {}): TenantLimiter {
  if (!(limits.requestsPerSecond > 0) || !(limits.burst >= 1) || !(limits.maxConcurrency >= 1)) {
    throw new RangeError('tenant limits need requestsPerSecond > 0, burst >= 1 and maxConcurrency >= 1');
  }
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? realSleep;
  const perMs = limits.requestsPerSecond / 1000;
  const burst = limits.burst;
  let tokens = Math.min(burst, Math.max(0, options.initialTokens ?? burst));
  let refilledAt = now();
  // Token takers queue on this chain: only the head sleeps, so arrival order is service order.
  let tokenChain: Promise<void> = Promise.resolve();
  let inFlight = 0;
  const slotWaiters: Array<() => void> = [];

  function refill(): void {
    const t = now();
    tokens = Math.min(burst, tokens + Math.max(0, t - refilledAt) * perMs);
    refilledAt = t;
  }

  async function waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw abortReason(signal);
      refill();
      // The epsilon absorbs float error in the refill (995 ms * 0.001 is not exactly 0.995).
      if (tokens >= 1 - EPSILON) {
        tokens -= 1;
        return;
      }
      // Timers may fire a little early against the monotonic clock: the loop re-checks rather than trusts.
      await abortableSleep(sleep, Math.max(1, Math.ceil((1 - tokens) / perMs - EPSILON)), signal);
    }
  }

  function takeToken(signal?: AbortSignal): Promise<void> {
    const turn = tokenChain.then(() => waitForToken(signal));
    tokenChain = turn.then(
      () => undefined,
      () => undefined,
    );
    return turn;
  }

  function acquireSlot(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (inFlight < limits.maxConcurrency && slotWaiters.length === 0) {
      inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const at = slotWaiters.indexOf(grant);
        if (at !== -1) slotWaiters.splice(at, 1);
        reject(abortReason(signal!));
      };
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        inFlight++;
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      slotWaiters.push(grant);
    });
  }

  function releaseSlot(): void {
    inFlight--;
    slotWaiters.shift()?.();
  }

  return {
    async acquire(signal) {
      await acquireSlot(signal);
      try {
        await takeToken(signal);
      } catch (err) {
        releaseSlot();
        throw err;
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        releaseSlot();
      };
    },
    get inFlight() {
      return inFlight;
    },
    get waiting() {
      return slotWaiters.length;
    },
  };
}
