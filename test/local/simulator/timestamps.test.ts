import { describe, expect, it } from 'vitest';
import { parseIpscapeTimestamp } from '../../../shared/ipscape/schemas/common';
import { formatInZone } from '../../../local/simulator/timestamps';

describe('formatInZone', () => {
  it('writes Sydney time with the offset in force (daylight saving from Intl)', () => {
    expect(formatInZone(Date.UTC(2020, 6, 6, 3, 55, 6), 'Australia/Sydney')).toBe('2020-07-06T13:55:06+10:00');
    expect(formatInZone(Date.UTC(2023, 10, 13, 22, 37, 10), 'Australia/Sydney')).toBe('2023-11-14T09:37:10+11:00');
    expect(formatInZone(Date.UTC(2020, 6, 6, 3, 11, 6), 'Australia/Sydney', 'compact')).toBe('2020-07-06T13:11:06+1000');
    expect(formatInZone(Date.UTC(2020, 0, 1, 0, 0, 0), 'UTC')).toBe('2020-01-01T00:00:00+00:00');
    expect(formatInZone(Date.UTC(2020, 0, 1, 0, 0, 0), 'Australia/Adelaide', 'compact')).toBe('2020-01-01T10:30:00+1030');
  });

  it('round-trips through the contract parser', () => {
    const ms = Date.UTC(2026, 3, 5, 15, 59, 59); // the hour daylight saving ends in Sydney
    for (const style of ['colon', 'compact'] as const) {
      expect(parseIpscapeTimestamp(formatInZone(ms, 'Australia/Sydney', style))?.getTime()).toBe(ms);
    }
  });
});
