import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './simulator-harness';

describe('simulator faults', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.sim.close();
    h = undefined;
  });

  it('answers 429 with Retry-After once the bucket is empty, and logs accepted vs limited', async () => {
    h = await startHarness({ faults: { rateLimitPerSecond: 2 } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i += 1) {
      const res = await h.api('/campaigns');
      statuses.push(res.status);
      if (res.status === 429) retryAfter = res.headers.get('retry-after');
    }
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429, 429, 429]);
    expect(retryAfter).toBe('1');
    const { requests } = await h.admin('/requests');
    expect(requests.filter((r: { fault: string | null }) => r.fault === 'rate-limited')).toHaveLength(6);
    expect(requests.filter((r: { faulted: boolean }) => !r.faulted)).toHaveLength(2);
  });

  it('accepts requests at the configured average rate under sustained load', async () => {
    h = await startHarness({ faults: { rateLimitPerSecond: 20, rateLimitBurst: 1 } });
    const harness = h;
    const started = Date.now();
    const inflight: Promise<unknown>[] = [];
    while (Date.now() - started < 1_000) {
      inflight.push(harness.api('/campaigns'));
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inflight);
    const { requests } = await harness.admin('/requests');
    const accepted = requests.filter((r: { status: number }) => r.status === 200);
    const windowS = (requests.at(-1).wallTimeMs - requests[0].wallTimeMs) / 1000;
    // burst 1 + 20/s over the window, within scheduling noise
    expect(accepted.length).toBeGreaterThanOrEqual(Math.floor(20 * windowS * 0.85));
    expect(accepted.length).toBeLessThanOrEqual(Math.ceil(1 + 20 * windowS) + 1);
    expect(requests.length).toBeGreaterThan(accepted.length);
  });

  it('answers a seeded share of 5xx, the same sequence for the same seed', async () => {
    const run = async () => {
      const sim = await startHarness({ seed: 7, faults: { errorRate: 0.3 } });
      try {
        const statuses: number[] = [];
        const bodies = new Map<number, unknown>();
        for (let i = 0; i < 200; i += 1) {
          const res = await sim.api('/campaigns');
          statuses.push(res.status);
          bodies.set(res.status, res.body);
        }
        return { statuses, bodies };
      } finally {
        await sim.sim.close();
      }
    };
    const first = await run();
    const second = await run();
    expect(second.statuses).toEqual(first.statuses);
    const errors = first.statuses.filter((s) => s >= 500);
    expect(errors.length).toBeGreaterThan(200 * 0.2);
    expect(errors.length).toBeLessThan(200 * 0.4);
    expect(new Set(errors)).toEqual(new Set([500, 502, 503]));
    expect(first.statuses.filter((s) => s !== 200 && s < 500)).toEqual([]);
    // A gateway's 502 is HTML, not the API's JSON.
    expect(first.bodies.get(502)).toMatch(/^<html>/);
  });

  it('processes the request before a 5xx when errorsAfterProcessing is set', async () => {
    h = await startHarness({ faults: { errorRate: 1, errorsAfterProcessing: true } });
    const res = await h.api('/leads', { body: { listId: 1, phone1: '+61491570180' } });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect((await h.admin('/state')).leads.total).toBe(3);
    const { requests } = await h.admin('/requests');
    expect(requests[0]).toMatchObject({ operationId: 'createLead', faulted: true, fault: 'error' });
  });

  it('never faults the admin API, and reset restores the start faults', async () => {
    h = await startHarness({ faults: { errorRate: 1 } });
    await h.admin('/faults', { rateLimitPerSecond: 1, hangRate: 0 });
    for (let i = 0; i < 5; i += 1) expect((await h.admin('/state')).campaigns).toBe(3);
    expect((await h.admin('/reset', {})).faults).toMatchObject({ errorRate: 1, rateLimitPerSecond: 0 });
    expect((await h.api('/campaigns')).status).toBeGreaterThanOrEqual(500);
    await h.admin('/faults', undefined, 'DELETE');
    expect((await h.api('/campaigns')).status).toBeGreaterThanOrEqual(500);
    await h.admin('/faults', { errorRate: 0 });
    expect((await h.api('/campaigns')).status).toBe(200);
  });

  it('adds latency to answers', async () => {
    h = await startHarness({ faults: { latencyMs: 120 } });
    const started = performance.now();
    expect((await h.api('/campaigns')).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });

  it('leaves hung requests unanswered, and close() still resolves promptly', async () => {
    const hung = await startHarness({ faults: { hangRate: 1 } });
    const pending = hung.api('/campaigns', { headers: { 'X-Request-Id': 'hung-1' } }).then(
      () => 'answered',
      () => 'aborted',
    );
    for (let i = 0; i < 50; i += 1) {
      const { requests } = await hung.admin('/requests');
      if (requests.length) {
        expect(requests[0]).toMatchObject({ requestId: 'hung-1', status: null, faulted: true, fault: 'hang' });
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const started = performance.now();
    await hung.sim.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBe('aborted');
  });

  it('close() resolves during a latency wait', async () => {
    const slow = await startHarness({ faults: { latencyMs: 60_000 } });
    const pending = slow.api('/campaigns').catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    await slow.sim.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await pending).toBe('aborted');
  });
});
