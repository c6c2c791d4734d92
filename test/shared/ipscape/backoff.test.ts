import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_AFTER_CAP_MS, parseRetryAfter, retryDelay } from '../../../shared/ipscape/backoff';

const limits = { baseDelayMs: 200, maxDelayMs: 20_000 };

describe('backoffDelay (full jitter)', () => {
  it('is random() times the exponential ceiling', () => {
    expect(backoffDelay(0, limits, () => 0.5)).toBe(100);
    expect(backoffDelay(2, limits, () => 0.5)).toBe(400);
    expect(backoffDelay(3, limits, () => 0)).toBe(0);
  });

  it('never exceeds maxDelayMs', () => {
    expect(backoffDelay(30, limits, () => 0.999999)).toBeLessThan(20_000);
    expect(backoffDelay(1_000, limits, () => 0.5)).toBe(10_000);
  });

  it('stays within [0, min(max, base * 2^retry)) for any random in [0, 1)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (retry, r) => {
        const delay = backoffDelay(retry, limits, () => r);
        const ceiling = Math.min(limits.maxDelayMs, limits.baseDelayMs * 2 ** retry);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }),
    );
  });

  it('clamps a misbehaving random source', () => {
    expect(backoffDelay(0, limits, () => 7)).toBe(200);
    expect(backoffDelay(0, limits, () => -1)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it.each([
    ['0', 0],
    ['2', 2_000],
    [' 120 ', 120_000],
    ['1.5', 1_500],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
  ])('%j is %i ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });

  it.each([null, undefined, '', '-1', 'soon', '12abc', '1e3'])('%j is unreadable', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});

describe('retryDelay', () => {
  it('uses the jittered backoff when there is no Retry-After', () => {
    expect(retryDelay({ retry: 1, limits, random: () => 0.5 })).toBe(200);
  });

  it('waits at least Retry-After', () => {
    expect(retryDelay({ retry: 0, limits, random: () => 0.5, retryAfterMs: 3_000 })).toBe(3_000);
  });

  it('keeps the jittered delay when it is longer than Retry-After', () => {
    expect(retryDelay({ retry: 10, limits, random: () => 0.5, retryAfterMs: 1_000 })).toBe(10_000);
  });

  it('caps an absurd Retry-After', () => {
    expect(retryDelay({ retry: 0, limits, random: () => 0.5, retryAfterMs: 3_600_000 })).toBe(DEFAULT_RETRY_AFTER_CAP_MS);
    expect(retryDelay({ retry: 0, limits, random: () => 0.5, retryAfterMs: 3_600_000, capMs: 5_000 })).toBe(5_000);
    expect(retryDelay({ retry: 0, limits: { baseDelayMs: 1, maxDelayMs: 120_000 }, random: () => 0, retryAfterMs: 3_600_000 })).toBe(120_000);
  });
});
