import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TIMESTAMP_PATTERN } from '../../../shared/ipscape/schemas/common';
import { parseLeadTimestamp } from '../../../shared/leads/timestamp';

const utcOf = (text: string, zone?: string) => {
  const result = parseLeadTimestamp(text, zone);
  return result.ok ? result.utc : result.reason;
};

describe('parseLeadTimestamp: ISO-8601 with an offset', () => {
  it.each([
    ['2019-08-24T14:15:22Z', '2019-08-24T14:15:22Z'],
    ['2019-08-24t14:15:22z', '2019-08-24T14:15:22Z'],
    ['2026-01-31T09:00:00+10:00', '2026-01-30T23:00:00Z'],
    ['2026-01-31T09:00:00+1000', '2026-01-30T23:00:00Z'],
    ['2026-01-31T09:00:00+10', '2026-01-30T23:00:00Z'],
    ['2026-01-31T09:00+10:30', '2026-01-30T22:30:00Z'],
    ['2026-01-31T09:00:00.123+10:00', '2026-01-30T23:00:00Z'],
    ['2026-01-31T09:00:00,999999Z', '2026-01-31T09:00:00Z'],
    ['2026-01-31 09:00:00 +10:00', '2026-01-30T23:00:00Z'],
    ['2026-01-31T09:00:00-05:00', '2026-01-31T14:00:00Z'],
    ['2026-01-01T05:00:00+11:00', '2025-12-31T18:00:00Z'],
    ['  2026-01-31T09:00Z  ', '2026-01-31T09:00:00Z'],
  ])('%j → %s', (text, utc) => {
    expect(utcOf(text)).toBe(utc);
  });

  it('ignores the zone when the text has an offset', () => {
    expect(utcOf('2026-01-31T09:00:00+10:00', 'Australia/Perth')).toBe('2026-01-30T23:00:00Z');
  });

  it('returns the epoch too', () => {
    expect(parseLeadTimestamp('1970-01-01T00:00:01Z')).toEqual({ ok: true, utc: '1970-01-01T00:00:01Z', epochMs: 1000 });
  });
});

describe('parseLeadTimestamp: wall-clock time in the lead’s zone', () => {
  it.each([
    ['2026-01-31T09:00', 'Australia/Sydney', '2026-01-30T22:00:00Z'],
    ['2026-07-31T09:00', 'Australia/Sydney', '2026-07-30T23:00:00Z'],
    ['2026-01-31 09:00:30', 'Australia/Brisbane', '2026-01-30T23:00:30Z'],
    ['2026-01-31T09:00', 'Australia/Adelaide', '2026-01-30T22:30:00Z'],
    ['2026-01-31T09:00', 'Australia/Perth', '2026-01-31T01:00:00Z'],
    ['2026-01-31T09:00', 'Australia/Darwin', '2026-01-30T23:30:00Z'],
    ['2026-01-31T09:00', ' Australia/Hobart ', '2026-01-30T22:00:00Z'],
  ])('%j in %s → %s', (text, zone, utc) => {
    expect(utcOf(text, zone)).toBe(utc);
  });

  // Clocks go back on 2026-04-05 at 03:00 and forward on 2026-10-04 at 02:00, in Sydney and in Adelaide.
  it.each([
    ['2026-04-05T02:30', 'Australia/Sydney', '2026-04-04T15:30:00Z', 'a time that happens twice is the earlier'],
    ['2026-04-05T03:00', 'Australia/Sydney', '2026-04-04T17:00:00Z', 'the first time after'],
    ['2026-10-04T02:30', 'Australia/Sydney', '2026-10-03T16:30:00Z', 'a time that never happens moves forward by the gap'],
    ['2026-10-04T01:59:59', 'Australia/Sydney', '2026-10-03T15:59:59Z', 'the last second before'],
    ['2026-10-04T03:00', 'Australia/Sydney', '2026-10-03T16:00:00Z', 'the first time after'],
    ['2026-04-05T02:30', 'Australia/Adelaide', '2026-04-04T16:00:00Z', 'a time that happens twice is the earlier'],
    ['2026-10-04T02:15', 'Australia/Adelaide', '2026-10-03T16:45:00Z', 'a time that never happens moves forward by the gap'],
    ['2026-10-04T03:00', 'Australia/Adelaide', '2026-10-03T16:30:00Z', 'the first time after'],
  ])('%j in %s → %s (%s)', (text, zone, utc) => {
    expect(utcOf(text, zone)).toBe(utc);
  });

  it('refuses a wall-clock time with no zone, or an unknown one', () => {
    expect(parseLeadTimestamp('2026-01-31T09:00')).toEqual({ ok: false, reason: 'missing-zone' });
    expect(parseLeadTimestamp('2026-01-31T09:00', ' ')).toEqual({ ok: false, reason: 'missing-zone' });
    expect(parseLeadTimestamp('31/01/2026 09:00', 'Mars/Olympus_Mons')).toEqual({ ok: false, reason: 'unknown-zone' });
  });
});

describe('parseLeadTimestamp: Australian day-first dates', () => {
  it.each([
    ['31/01/2026 09:00', '2026-01-30T22:00:00Z'],
    ['31/01/2026 9:00', '2026-01-30T22:00:00Z'],
    ['1/2/2026 09:00:15', '2026-01-31T22:00:15Z'],
    ['31/01/2026, 9:00', '2026-01-30T22:00:00Z'],
    ['31/01/2026 9:00 am', '2026-01-30T22:00:00Z'],
    ['31/01/2026 9:00AM', '2026-01-30T22:00:00Z'],
    ['31/01/2026 2:30 pm', '2026-01-31T03:30:00Z'],
    ['31/01/2026 12:00 p.m.', '2026-01-31T01:00:00Z'],
    ['31/01/2026 12:15 am', '2026-01-30T13:15:00Z'],
  ])('%j in Sydney → %s', (text, utc) => {
    expect(utcOf(text, 'Australia/Sydney')).toBe(utc);
  });
});

describe('parseLeadTimestamp: invalid', () => {
  it.each([
    '',
    'tomorrow',
    '2026-01-31',
    '31/01/2026',
    '01/31/2026 09:00', // month first: never read that way
    '2026-02-29T09:00Z', // not a leap year
    '2026-13-01T09:00Z',
    '2026-01-32T09:00Z',
    '2026-01-31T24:00Z',
    '2026-01-31T09:60Z',
    '2026-01-31T09:00:60Z',
    '2026-01-31T09:00+15:00',
    '2026-01-31T09:00+10:60',
    '2026-01-31T9:00Z',
    '31/01/26 09:00',
    '31/01/2026 13:00 pm',
    '31/01/2026 0:30 am',
    '9999-12-31T23:59-10:00', // past year 9999 in UTC
    '2026-01-31T09:00:00+10:00 extra',
  ])('%j', (text) => {
    expect(parseLeadTimestamp(text, 'Australia/Sydney')).toEqual({ ok: false, reason: 'invalid-timestamp' });
  });

  it('accepts 29 February in a leap year', () => {
    expect(utcOf('2028-02-29T09:00Z')).toBe('2028-02-29T09:00:00Z');
  });
});

describe('parseLeadTimestamp properties', () => {
  const instant = fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2090, 0, 1) / 1000 }).map((s) => new Date(s * 1000));
  const offsetMinutes = fc.integer({ min: -12 * 60, max: 14 * 60 });

  it('gives the same instant for every offset style, in the form ipSCAPE and the client expect', () => {
    fc.assert(
      fc.property(instant, offsetMinutes, fc.constantFrom('colon', 'compact', 'hours'), (date, offset, style) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
        const sign = offset < 0 ? '-' : '+';
        const hh = String(Math.floor(Math.abs(offset) / 60)).padStart(2, '0');
        const mm = String(Math.abs(offset) % 60).padStart(2, '0');
        fc.pre(style !== 'hours' || mm === '00');
        const suffix = style === 'colon' ? `${sign}${hh}:${mm}` : style === 'compact' ? `${sign}${hh}${mm}` : `${sign}${hh}`;
        const result = parseLeadTimestamp(local + suffix);
        expect(result).toEqual({ ok: true, utc: `${date.toISOString().slice(0, 19)}Z`, epochMs: date.getTime() });
        if (result.ok) expect(TIMESTAMP_PATTERN.test(result.utc)).toBe(true);
      }),
      { numRuns: 3_000 },
    );
  });

  it('is idempotent: its own output parses to itself', () => {
    fc.assert(
      fc.property(instant, (date) => {
        const first = parseLeadTimestamp(`${date.toISOString().slice(0, 16)}`, 'Australia/Adelaide');
        if (first.ok) expect(parseLeadTimestamp(first.utc, 'Australia/Perth')).toEqual(first);
      }),
      { numRuns: 1_000 },
    );
  });

  it('never throws, and a refusal names a reason only', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.option(fc.string({ maxLength: 20 }), { nil: undefined }), (text, zone) => {
        const result = parseLeadTimestamp(text, zone);
        if (!result.ok) expect(Object.keys(result).sort()).toEqual(['ok', 'reason']);
      }),
      { numRuns: 3_000 },
    );
  });
});
