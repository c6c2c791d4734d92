import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusClass } from '../../../shared/aws/observed-ipscape-client';
import type { AttemptReport } from '../../../shared/ipscape/client';
import { FAST_LIMITS, startSimulatorFixture, type SimulatorFixture } from '../../support/simulator';

describe('statusClass', () => {
  it.each([
    [200, undefined, '2xx'],
    [404, undefined, '4xx'],
    [429, undefined, '429'],
    [503, undefined, '5xx'],
    [undefined, 'timeout', 'Timeout'],
    [undefined, 'ECONNRESET', 'NetworkError'],
  ])('%s %s → %s', (status, failure, expected) => {
    expect(statusClass(status, failure)).toBe(expected);
  });
});

describe('the client reports every attempt (what the answer metrics count)', () => {
  let fixture: SimulatorFixture;
  beforeAll(async () => {
    fixture = await startSimulatorFixture({ apiKey: 'k-attempts', simulator: { seed: 3 } });
  });
  afterAll(() => fixture.sim.close());

  it('one report per attempt, retries included, with no body or URL', async () => {
    const reports: AttemptReport[] = [];
    const client = fixture.client({ limits: FAST_LIMITS, onAttempt: (a) => reports.push(a) });
    await fixture.faults({ errorRate: 1 });
    await expect(client.getLead(10001)).rejects.toThrow();
    await fixture.faults({ errorRate: 0 });
    await client.getLead(10001);
    expect(reports.map((r) => r.status)).toEqual([...Array(FAST_LIMITS.maxAttempts).fill(expect.any(Number)), 200]);
    expect(reports.slice(0, -1).every((r) => r.status! >= 500)).toBe(true);
    expect(Object.keys(reports[0]!).sort()).toEqual(['durationMs', 'failure', 'operation', 'status']);
  });
});
