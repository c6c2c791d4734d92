import { describe, expect, it } from 'vitest';
import { atPriority, createTenantLimiter } from '../../../shared/ipscape/limiter';

/**
 * A virtual clock: sleeping advances time at once, so schedules are exact and tests are not
 * timing-based. The sleep first yields a macrotask so every caller already granted sees the time
 * of its grant, not a time advanced by the next sleeper.
 */
function virtualClock() {
  let t = 0;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      await new Promise((resolve) => setImmediate(resolve));
      t += ms;
    },
  };
}

/** A sleep the test resolves by hand, to hold the limiter mid-wait. */
function manualSleep() {
  const pending: Array<() => void> = [];
  return { pending, sleep: (_ms: number) => new Promise<void>((resolve) => pending.push(resolve)) };
}

async function grantTimes(count: number, limits: { requestsPerSecond: number; burst: number; maxConcurrency: number }, initialTokens?: number) {
  const clock = virtualClock();
  const limiter = createTenantLimiter(limits, { ...clock, ...(initialTokens !== undefined ? { initialTokens } : {}) });
  return Promise.all(
    Array.from({ length: count }, async () => {
      const release = await limiter.acquire();
      const at = clock.now();
      release();
      return at;
    }),
  );
}

describe('createTenantLimiter: token bucket', () => {
  it('lets a burst through at once, then paces at the rate', async () => {
    const times = await grantTimes(12, { requestsPerSecond: 5, burst: 5, maxConcurrency: 100 });
    expect(times).toEqual([0, 0, 0, 0, 0, 200, 400, 600, 800, 1000, 1200, 1400]);
  });

  it('200 calls at 5/s, burst 5: never more than the bucket allows in any window', async () => {
    const rate = 5;
    const burst = 5;
    const times = await grantTimes(200, { requestsPerSecond: rate, burst, maxConcurrency: 4 });
    // Token bucket invariant: calls i..j (inclusive) fit in burst + rate * elapsed.
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) {
        expect(j - i + 1).toBeLessThanOrEqual(burst + (rate * (times[j]! - times[i]!)) / 1000 + 1e-9);
      }
    }
    // After the initial burst the average is exactly the rate; over the whole run only the burst adds.
    expect(times.at(-1)).toBe(((200 - burst) / rate) * 1000);
    expect((200 - burst) / ((times.at(-1)! - times[burst - 1]!) / 1000)).toBeLessThanOrEqual(rate);
  });

  it('with initialTokens 1 the average from the first call is at most the rate', async () => {
    const times = await grantTimes(200, { requestsPerSecond: 5, burst: 5, maxConcurrency: 4 }, 1);
    expect((times.length - 1) / ((times.at(-1)! - times[0]!) / 1000)).toBeLessThanOrEqual(5);
  });

  it('stays under a non-integer period (3/s) without drifting above the rate', async () => {
    const times = await grantTimes(100, { requestsPerSecond: 3, burst: 1, maxConcurrency: 10 });
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000 / 3);
    expect((times.length - 1) / (times.at(-1)! / 1000)).toBeLessThanOrEqual(3);
  });

  it('refills while idle, up to the burst only', async () => {
    const clock = virtualClock();
    const limiter = createTenantLimiter({ requestsPerSecond: 10, burst: 3, maxConcurrency: 10 }, clock);
    for (let i = 0; i < 3; i++) (await limiter.acquire())();
    expect(clock.now()).toBe(0);
    await clock.sleep(10_000); // idle for a long time
    const before = clock.now();
    for (let i = 0; i < 4; i++) (await limiter.acquire())();
    expect(clock.now() - before).toBe(100); // three from the refilled bucket, the fourth waits one period
  });

  it('re-checks when a timer fires early instead of trusting it', async () => {
    let t = 0;
    let sleeps = 0;
    const limiter = createTenantLimiter(
      { requestsPerSecond: 1, burst: 1, maxConcurrency: 1 },
      {
        now: () => t,
        sleep: async (ms) => {
          sleeps++;
          t += sleeps === 1 ? ms - 5 : ms; // the first timer fires 5 ms early
        },
      },
    );
    (await limiter.acquire())();
    (await limiter.acquire())();
    expect(t).toBe(1000);
    expect(sleeps).toBe(2);
  });

  it('serves waiters first come, first served', async () => {
    const clock = virtualClock();
    const limiter = createTenantLimiter({ requestsPerSecond: 2, burst: 1, maxConcurrency: 10 }, clock);
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map(async (i) => ((await limiter.acquire()), order.push(i))));
    expect(order).toEqual([0, 1, 2, 3]);
  });
});

describe('createTenantLimiter: concurrency cap', () => {
  it('holds at most maxConcurrency slots, and hands a freed slot to the next waiter', async () => {
    const limiter = createTenantLimiter({ requestsPerSecond: 1000, burst: 1000, maxConcurrency: 2 }, virtualClock());
    const releases: Array<() => void> = [];
    const granted: number[] = [];
    const all = [0, 1, 2, 3].map((i) =>
      limiter.acquire().then((release) => {
        granted.push(i);
        releases.push(release);
      }),
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(granted).toEqual([0, 1]);
    expect(limiter.inFlight).toBe(2);
    expect(limiter.waiting).toBe(2);
    releases[0]!();
    releases[0]!(); // a second release of the same slot is ignored
    await new Promise((r) => setTimeout(r, 0));
    expect(granted).toEqual([0, 1, 2]);
    expect(limiter.inFlight).toBe(2);
    releases[1]!();
    releases[2]!();
    await Promise.all(all);
    releases[3]!();
    expect(limiter.inFlight).toBe(0);
  });

  it('an abort while waiting for a slot rejects and leaks nothing', async () => {
    const limiter = createTenantLimiter({ requestsPerSecond: 1000, burst: 1000, maxConcurrency: 1 }, virtualClock());
    const first = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect(limiter.waiting).toBe(0);
    first();
    expect(limiter.inFlight).toBe(0);
    (await limiter.acquire())();
  });

  it('an abort while waiting for a token frees the slot it held', async () => {
    const manual = manualSleep();
    const limiter = createTenantLimiter({ requestsPerSecond: 1, burst: 1, maxConcurrency: 5 }, { now: () => 0, sleep: manual.sleep });
    (await limiter.acquire())();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    await new Promise((r) => setTimeout(r, 0));
    expect(manual.pending).toHaveLength(1);
    expect(limiter.inFlight).toBe(1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });
    expect(limiter.inFlight).toBe(0);
  });

  it('rejects nonsensical limits', () => {
    expect(() => createTenantLimiter({ requestsPerSecond: 0, burst: 1, maxConcurrency: 1 })).toThrow(RangeError);
    expect(() => createTenantLimiter({ requestsPerSecond: 1, burst: 0, maxConcurrency: 1 })).toThrow(RangeError);
    expect(() => createTenantLimiter({ requestsPerSecond: 1, burst: 1, maxConcurrency: 0 })).toThrow(RangeError);
  });
});

describe('createTenantLimiter: priorities', () => {
  it('serves a high waiter before normal ones that came earlier, for tokens', async () => {
    const clock = virtualClock();
    const limiter = createTenantLimiter({ requestsPerSecond: 2, burst: 1, maxConcurrency: 10 }, clock);
    const order: string[] = [];
    const take = async (name: string, priority?: 'high' | 'normal') => {
      const release = await limiter.acquire(undefined, priority);
      order.push(`${name}@${clock.now()}`);
      release();
    };
    await Promise.all([take('n0'), take('n1'), take('n2'), take('h0', 'high'), take('h1', 'high')]);
    // n0 takes the burst token; the two high waiters get the next two tokens, then the normal ones in order.
    expect(order).toEqual(['n0@0', 'h0@500', 'h1@1000', 'n1@1500', 'n2@2000']);
  });

  it('keeps the bucket invariant with both priorities mixed', async () => {
    const clock = virtualClock();
    const limiter = createTenantLimiter({ requestsPerSecond: 5, burst: 5, maxConcurrency: 3 }, clock);
    const times = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const release = await limiter.acquire(undefined, i % 3 === 0 ? 'high' : 'normal');
        const at = clock.now();
        release();
        return at;
      }),
    );
    times.sort((a, b) => a - b);
    for (let i = 0; i < times.length; i++) {
      for (let j = i; j < times.length; j++) expect(j - i + 1).toBeLessThanOrEqual(5 + (5 * (times[j]! - times[i]!)) / 1000 + 1e-9);
    }
  });

  it('hands a freed slot to a high waiter first, and atPriority acquires at its priority', async () => {
    const limiter = createTenantLimiter({ requestsPerSecond: 1000, burst: 1000, maxConcurrency: 1 }, virtualClock());
    const first = await limiter.acquire();
    const granted: string[] = [];
    const normal = limiter.acquire().then((release) => (granted.push('normal'), release));
    const high = atPriority(limiter, 'high')
      .acquire()
      .then((release) => (granted.push('high'), release));
    await new Promise((r) => setTimeout(r, 0));
    expect(limiter.waiting).toBe(2);
    first();
    (await high)();
    (await normal)();
    expect(granted).toEqual(['high', 'normal']);
    expect(limiter.inFlight).toBe(0);
  });

  it('an aborted high waiter leaves the normal ones served in order', async () => {
    const clock = virtualClock();
    const limiter = createTenantLimiter({ requestsPerSecond: 1, burst: 1, maxConcurrency: 10 }, clock);
    (await limiter.acquire())();
    const controller = new AbortController();
    const order: string[] = [];
    const a = limiter.acquire().then((r) => (order.push(`a@${clock.now()}`), r()));
    const h = limiter.acquire(controller.signal, 'high');
    controller.abort(new Error('gave up'));
    await expect(h).rejects.toThrow('gave up');
    await a;
    expect(order).toEqual(['a@1000']);
    expect(limiter.inFlight).toBe(0);
  });
});
