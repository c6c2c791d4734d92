/**
 * The per-tenant request limiter: a token bucket (steady rate plus burst) and a concurrency cap.
 *
 * ipSCAPE documents no rate limit, so the client paces itself. One limiter instance stands for one
 * tenant: every client talking to that tenant in this process should share it, and every attempt
 * (retries included) goes through it, so the tenant sees at most `requestsPerSecond` on average
 * and `burst` at once, and never more than `maxConcurrency` requests in flight.
 *
 * Two priorities share the one budget: a `high` waiter is served before every `normal` one, for both
 * the concurrency slot and the token; within a priority, first come, first served. Job polls are
 * `high`: they are cheap, read-only and latency-sensitive (how late the end of a bulk job is noticed),
 * while a bulk create queued behind them loses at most a token period per poll. Polls cannot starve
 * creates for long: there are at most a few per job, and jobs only come from creates.
 */
import { abortReason, realSleep, type Sleep } from './abortable-sleep';
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

/** Which waiters go first: `high` ones are served before any `normal` one. */
export type RequestPriority = 'high' | 'normal';

/** A release function: frees the concurrency slot. Calling it twice is harmless. */
export type ReleaseSlot = () => void;

export interface TenantLimiter {
  /**
   * Waits for a concurrency slot, then for a token (in that order, so the request goes out the moment
   * it has its token and the tenant sees the bucket's pacing), first come first served.
   * Rejects with the signal's reason if `signal` aborts while waiting; nothing is held then.
   * `priority` (default `normal`): `high` waiters are served before every `normal` one.
   */
  acquire(signal?: AbortSignal, priority?: RequestPriority): Promise<ReleaseSlot>;
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
  let inFlight = 0;
  // Waiters by priority, served high first, then in arrival order.
  const slotWaiters: WaiterQueues = { high: [], normal: [] };
  const tokenWaiters: WaiterQueues = { high: [], normal: [] };
  // Only one loop hands out tokens and sleeps for the next one, so service order is queue order.
  let serving = false;

  function refill(): void {
    const t = now();
    tokens = Math.min(burst, tokens + Math.max(0, t - refilledAt) * perMs);
    refilledAt = t;
  }

  async function serveTokens(): Promise<void> {
    if (serving) return;
    serving = true;
    try {
      for (;;) {
        const next = headOf(tokenWaiters);
        if (next === undefined) return;
        refill();
        // The epsilon absorbs float error in the refill (995 ms * 0.001 is not exactly 0.995).
        if (tokens >= 1 - EPSILON) {
          tokens -= 1;
          removeWaiter(tokenWaiters, next);
          next.grant();
          continue;
        }
        // Timers may fire a little early against the monotonic clock: the loop re-checks rather than trusts.
        await sleep(Math.max(1, Math.ceil((1 - tokens) / perMs - EPSILON)));
      }
    } finally {
      serving = false;
    }
  }

  function wait(queues: WaiterQueues, priority: RequestPriority, signal: AbortSignal | undefined, onGrant: () => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        removeWaiter(queues, waiter);
        reject(abortReason(signal!));
      };
      const waiter: Waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          onGrant();
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queues[priority].push(waiter);
    });
  }

  function takeToken(priority: RequestPriority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const turn = wait(tokenWaiters, priority, signal, () => undefined);
    void serveTokens();
    return turn;
  }

  function acquireSlot(priority: RequestPriority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (inFlight < limits.maxConcurrency && headOf(slotWaiters) === undefined) {
      inFlight++;
      return Promise.resolve();
    }
    return wait(slotWaiters, priority, signal, () => {
      inFlight++;
    });
  }

  function releaseSlot(): void {
    inFlight--;
    const next = headOf(slotWaiters);
    if (next !== undefined) {
      removeWaiter(slotWaiters, next);
      next.grant();
    }
  }

  return {
    async acquire(signal, priority = 'normal') {
      await acquireSlot(priority, signal);
      try {
        await takeToken(priority, signal);
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
      return slotWaiters.high.length + slotWaiters.normal.length;
    },
  };
}

/**
 * The same limiter (same budget, same queues) with every acquire at `priority`, for a transport
 * that takes a plain limiter.
 *
 * @example const urgent = atPriority(limiter, 'high'); await urgent.acquire(); // served before normal waiters
 */
export function atPriority(limiter: TenantLimiter, priority: RequestPriority): TenantLimiter {
  return {
    acquire: (signal) => limiter.acquire(signal, priority),
    get inFlight() {
      return limiter.inFlight;
    },
    get waiting() {
      return limiter.waiting;
    },
  };
}

interface Waiter {
  readonly grant: () => void;
}
type WaiterQueues = Record<RequestPriority, Waiter[]>;

function headOf(queues: WaiterQueues): Waiter | undefined {
  return queues.high[0] ?? queues.normal[0];
}

function removeWaiter(queues: WaiterQueues, waiter: Waiter): void {
  for (const queue of [queues.high, queues.normal]) {
    const at = queue.indexOf(waiter);
    if (at !== -1) {
      queue.splice(at, 1);
      return;
    }
  }
}
