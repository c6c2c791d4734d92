/**
 * The client against the simulator's injected faults, over real HTTP: 5xx and 429 under sustained
 * load through one tenant limiter, a hanging request, and bulk create answered 5xx or 429.
 *
 * Rates are checked as upper bounds from the simulator's own arrival log; nothing asserts that
 * anything was fast, so the file holds on a loaded 2-core machine.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../../local/simulator/index';
import { seededIds } from '../../../local/simulator/index';
import { realSleep } from '../../../shared/ipscape/abortable-sleep';
import { OutcomeUnknownError } from '../../../shared/ipscape/errors';
import { createTenantLimiter } from '../../../shared/ipscape/limiter';
import { classifyBulkStatus } from '../../../shared/ipscape/tenant-config';
import { byRequestId, FAST_LIMITS, seededRandom, startSimulatorFixture, type SimulatorFixture } from '../../support/simulator';

const API_KEY = 'faults-test-key';
const BULK_JOB_MS = 10_000;
const { campaigns, lists, leads } = seededIds;

const is2xx = (r: RequestLogEntry) => r.status !== null && r.status >= 200 && r.status < 300;
const is5xx = (r: RequestLogEntry) => r.status !== null && r.status >= 500;

let fx: SimulatorFixture;
beforeAll(async () => {
  fx = await startSimulatorFixture({
    apiKey: API_KEY,
    document: { limits: FAST_LIMITS },
    // A fixed seed: the k-th request to arrive meets the same fault decision on every run.
    simulator: { seed: 20_240_611, freezeClock: true, bulkJobDurationMs: BULK_JOB_MS },
  });
});
beforeEach(async () => {
  await fx.reset(); // seeded tenant, no faults, random sequence from the start, empty log
});
afterAll(async () => {
  await fx?.close();
});

describe('sustained load against 5xx and a rate limit, through one tenant limiter', () => {
  /** The tenant limit, as the simulator enforces it and as the client is configured. */
  const RATE = 5;
  /**
   * The window is measured from the simulator's arrival stamps (Date.now(), 1 ms resolution), not
   * from the limiter's grants. Each arrival lags its grant by the time to hand the request to undici
   * and for the server to read it: under a millisecond on an idle machine, tens of milliseconds on a
   * loaded 2-core one. Only a first request arriving later than the last one (relative to their
   * grants) shrinks the measured window. 500 ms covers that with a wide margin; over the ~50 s run
   * it lets the measured rate exceed 5/s by about 1%, while a limiter that let even a 1.05x rate
   * through would exceed the bound by several times as much.
   */
  const ARRIVAL_JITTER_ALLOWANCE_MS = 500;
  const CALLS = 200;

  it(
    `${CALLS} concurrent idempotent calls all succeed; the simulator saw at most ${RATE}/s; nothing repeated after a success`,
    async () => {
      // Warm-up outside the measurement: the first fetch in a process loads undici and opens a
      // connection, which would delay the first measured arrival and shrink the window.
      await fx.client().getCampaign(campaigns.salesOutbound);
      await fx.faults({ errorRate: 0.2, rateLimitPerSecond: RATE, rateLimitBurst: RATE });
      await fx.clearRequests();

      const limits = {
        requestsPerSecond: RATE,
        burst: RATE,
        maxConcurrency: 4,
        timeoutMs: 15_000,
        // Why 8: with 20% of answers a 5xx, a call fails only if all 8 attempts do:
        // P = 0.2^8 ≈ 2.6e-6, about 3 in a million per call, ~5e-4 for the whole run of 200 calls.
        // (429s would add attempts, but the client paces at the server's rate and gets almost none.)
        maxAttempts: 8,
        baseDelayMs: 200,
        maxDelayMs: 5_000,
      };
      // initialTokens 1: pace from the very first request. A full bucket would let 5 go at t=0 and
      // the average measured from the first arrival would be (N-1)/((N-5)/5) ≈ 5.1/s, not 5/s.
      const limiter = createTenantLimiter(limits, { initialTokens: 1 });
      const client = fx.client({ limits, limiter, random: seededRandom(7) });

      const calls = Array.from({ length: CALLS }, (_, i): Promise<unknown> => {
        switch (i % 3) {
          case 0:
            return client.getLead(i % 2 === 0 ? leads.withHistory : leads.fresh).then((lead) => {
              expect([leads.withHistory, leads.fresh]).toContain(lead.leadId);
            });
          case 1:
            return client.listLeadLists().then((page) => {
              expect(page.items.map((l) => l.id)).toEqual([lists.listOne, lists.callbacks, lists.retention]);
            });
          default: {
            const campaignId = [campaigns.salesOutbound, campaigns.supportInbound, campaigns.retentionOutbound][i % 3]!;
            return client.getCampaign(campaignId).then((campaign) => {
              expect(campaign.campaignId).toBe(campaignId);
            });
          }
        }
      });
      const outcomes = await Promise.allSettled(calls);
      const failed = outcomes.filter((o) => o.status === 'rejected');
      expect(failed.map((o) => String((o as PromiseRejectedResult).reason))).toEqual([]);

      const log = (await fx.requests()).sort((a, b) => a.seq - b.seq);
      const first = log[0]!;
      const last = log[log.length - 1]!;
      const windowMs = last.wallTimeMs - first.wallTimeMs;
      const limited = log.filter((r) => r.status === 429);
      const serverErrors = log.filter(is5xx);
      const accepted = log.filter((r) => r.status !== 429);

      // Every request the simulator received, accepted or limited, counts against the tenant:
      // N requests span N - 1 intervals, which at RATE/s need (N - 1) / RATE seconds at least.
      expect(log.length - 1).toBeLessThanOrEqual((RATE * (windowMs + ARRIVAL_JITTER_ALLOWANCE_MS)) / 1000);
      expect(accepted.length - 1).toBeLessThanOrEqual((RATE * (windowMs + ARRIVAL_JITTER_ALLOWANCE_MS)) / 1000);

      // One group per call; within it, exactly one 2xx and it is the last attempt: nothing was
      // repeated after it had succeeded, and every earlier attempt was a fault.
      const groups = byRequestId(log);
      expect(groups.size).toBe(CALLS);
      expect(groups.has('(none)')).toBe(false);
      const badGroups = [...groups.entries()].filter(([, attempts]) => {
        const successes = attempts.filter(is2xx);
        const lastAttempt = attempts[attempts.length - 1]!;
        const earlierAllFaults = attempts.slice(0, -1).every((a) => a.faulted && (a.status === 429 || is5xx(a)));
        return successes.length !== 1 || !is2xx(lastAttempt) || !earlierAllFaults;
      });
      expect(badGroups.map(([id, attempts]) => `${id}: ${attempts.map((a) => a.status).join(',')}`)).toEqual([]);
      // The faults were really in play: some calls needed retries.
      expect(serverErrors.length).toBeGreaterThan(0);
      expect(serverErrors.every((r) => r.fault === 'error')).toBe(true);
      expect(log.length).toBe(CALLS + serverErrors.length + limited.length);

      const attemptsHistogram: Record<number, number> = {};
      for (const attempts of groups.values()) attemptsHistogram[attempts.length] = (attemptsHistogram[attempts.length] ?? 0) + 1;
      const acceptedWindowMs = accepted[accepted.length - 1]!.wallTimeMs - accepted[0]!.wallTimeMs;
      console.info(
        `[faults] ${log.length} requests over ${(windowMs / 1000).toFixed(1)} s = ${((log.length - 1) / (windowMs / 1000)).toFixed(3)}/s; ` +
          `accepted ${accepted.length} = ${((accepted.length - 1) / (acceptedWindowMs / 1000)).toFixed(3)}/s; ` +
          `429: ${limited.length}; 5xx: ${serverErrors.length}; attempts per call: ${JSON.stringify(attemptsHistogram)}`,
      );
    },
    120_000,
  );
});

describe('a hanging request', () => {
  it('times out and is retried with the same request id; the retry succeeds', async () => {
    await fx.faults({ hangRate: 1 });
    const backoffs: number[] = [];
    const client = fx.client({
      // 1 s rather than less: the retry must not time out too on a loaded machine, or the log
      // would show a third attempt.
      limits: { timeoutMs: 1_000, maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 20 },
      // The backoff after the first attempt is where the hang is switched off: by then the first
      // request has been logged (and has timed out), so exactly one request hangs.
      sleep: async (ms) => {
        backoffs.push(ms);
        await fx.faults({ hangRate: 0 });
        await realSleep(ms);
      },
    });
    const lead = await client.getLead(leads.withHistory);
    expect(lead.leadId).toBe(leads.withHistory);
    expect(backoffs).toHaveLength(1);

    const log = await fx.requests();
    expect(log).toHaveLength(2);
    const [hung, retried] = log;
    expect(hung!.requestId).toBeTruthy();
    expect(retried!.requestId).toBe(hung!.requestId);
    expect(hung).toMatchObject({ operationId: 'getLead', status: null, fault: 'hang', durationMs: null });
    expect(retried).toMatchObject({ operationId: 'getLead', status: 200, fault: null });
  });

  it('a hanging create times out as outcome unknown and is not repeated', async () => {
    await fx.faults({ hangRate: 1 });
    const client = fx.client({ limits: { timeoutMs: 300, maxAttempts: 8, baseDelayMs: 10, maxDelayMs: 20 } });
    const error = await client.createLead({ listId: lists.listOne, phone1: '+61255500400' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect(error).toMatchObject({ reason: 'timeout', attempts: 1 });
    const log = await fx.requests();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ operationId: 'createLead', status: null, fault: 'hang' });
  });
});

describe('bulk create under faults', () => {
  const rows = [1, 2, 3].map((i) => ({ listId: lists.listOne, customerKey: `FAULT-${i}`, phone1: `+6125550050${i}` }));

  async function bulkCreateFailure(): Promise<unknown> {
    // maxAttempts 8: the client could retry, and must not.
    const client = fx.client({ limits: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 10 } });
    return client.bulkCreateLeads({ leads: rows }).then(
      () => undefined,
      (e: unknown) => e,
    );
  }

  it('answered 5xx: not retried, surfaces as OutcomeUnknownError ("outcome unknown"); here no job was made', async () => {
    await fx.faults({ errorRate: 1 });
    const error = await bulkCreateFailure();
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as Error).message).toContain('outcome unknown');
    const log = (await fx.requests()).filter((r) => r.operationId === 'bulkCreateLeads');
    expect(log).toHaveLength(1);
    // errorRate 1 picks 500, 502 or 503 from the seeded sequence; after a reset, this seed's first pick is 500.
    expect(log[0]!.status).toBe(500);
    expect(error).toMatchObject({ reason: 'server-error', attempts: 1, status: log[0]!.status, requestId: log[0]!.requestId });
    // The 5xx came before processing: nothing was created.
    expect(await fx.bulkJobs()).toEqual([]);
  });

  it('answered 5xx after processing: still one request, yet the job exists, which is why a blind retry would duplicate leads', async () => {
    await fx.faults({ errorRate: 1, errorsAfterProcessing: true });
    const error = await bulkCreateFailure();
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    expect((error as Error).message).toContain('outcome unknown');
    expect((await fx.requests()).filter((r) => r.operationId === 'bulkCreateLeads').map((r) => r.status)).toEqual([500]);
    expect(error).toMatchObject({ reason: 'server-error', attempts: 1, status: 500 });

    const jobs = await fx.bulkJobs();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ total: rows.length, mode: 'normal' });
    // The job runs to the end and its leads land, although the client was told nothing but a 5xx.
    await fx.faults({ errorRate: 0 });
    await fx.advanceClock(BULK_JOB_MS);
    const landed = await fx.client().listLeads({ customerKey: 'FAULT-1' });
    expect(landed.items).toHaveLength(1);
  });

  it('answered 429: retried (nothing was processed), and exactly one job is created', async () => {
    // A bucket of one that refills once in ~17 minutes: the first request takes the token, the bulk
    // create meets an empty bucket. The backoff hook lifts the limit before the retry goes out.
    await fx.faults({ rateLimitPerSecond: 0.001, rateLimitBurst: 1 });
    const backoffs: number[] = [];
    const client = fx.client({
      limits: { maxAttempts: 3 },
      sleep: async (ms) => {
        backoffs.push(ms);
        await fx.faults({ rateLimitPerSecond: 0 });
      },
    });
    await client.getCampaign(campaigns.salesOutbound);
    const job = await client.bulkCreateLeads({ leads: rows });

    // Retry-After (~1000 s) was honoured up to the client's cap (60 s by default), not ignored.
    expect(backoffs).toEqual([60_000]);
    const log = (await fx.requests()).filter((r) => r.operationId === 'bulkCreateLeads');
    expect(log.map((r) => r.status)).toEqual([429, 200]);
    expect(log[1]!.requestId).toBe(log[0]!.requestId);
    const jobs = await fx.bulkJobs();
    expect(jobs.map((j) => j.uuid)).toEqual([job.uuid]);

    await fx.advanceClock(BULK_JOB_MS);
    const done = await client.getBulkJob(job.uuid);
    expect(classifyBulkStatus(fx.tenant, done.status)).toBe('succeeded');
    const created = await client.listLeads({ customerKey: 'FAULT-2' });
    expect(created.items).toHaveLength(1);
  });
});
