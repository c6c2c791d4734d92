import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  australianState,
  checkTimeZone,
  epochOfWallClock,
  zoneForState,
  zoneOffsetAt,
} from '../../../shared/leads/time-zone';

describe('zoneForState', () => {
  it.each([
    ['NSW', 'Australia/Sydney'],
    ['New South Wales', 'Australia/Sydney'],
    ['n.s.w.', 'Australia/Sydney'],
    ['  new  south  wales ', 'Australia/Sydney'],
    ['VIC', 'Australia/Melbourne'],
    ['Victoria', 'Australia/Melbourne'],
    ['Vic.', 'Australia/Melbourne'],
    ['QLD', 'Australia/Brisbane'],
    ['Queensland', 'Australia/Brisbane'],
    ['SA', 'Australia/Adelaide'],
    ['S.A.', 'Australia/Adelaide'],
    ['South Australia', 'Australia/Adelaide'],
    ['WA', 'Australia/Perth'],
    ['Western Australia', 'Australia/Perth'],
    ['western-australia', 'Australia/Perth'],
    ['TAS', 'Australia/Hobart'],
    ['Tasmania', 'Australia/Hobart'],
    ['NT', 'Australia/Darwin'],
    ['Northern Territory', 'Australia/Darwin'],
    ['ACT', 'Australia/Sydney'],
    ['A.C.T.', 'Australia/Sydney'],
    ['Australian Capital Territory', 'Australia/Sydney'],
  ])('%j → %s', (state, zone) => {
    expect(zoneForState(state)).toBe(zone);
  });

  it.each(['', 'Ontario', 'Australia', 'N S W X', 'Sydney', 'NZ'])('%j is not an Australian state', (state) => {
    expect(zoneForState(state)).toBeUndefined();
  });

  it('names the state code', () => {
    expect(australianState('northern territory')).toBe('NT');
  });

  it('only ever returns zones the runtime knows', () => {
    for (const state of ['NSW', 'VIC', 'QLD', 'SA', 'WA', 'TAS', 'NT', 'ACT']) {
      expect(checkTimeZone(zoneForState(state) ?? '')).toEqual({ ok: true, zone: zoneForState(state) });
    }
  });
});

describe('checkTimeZone', () => {
  it.each([
    ['Australia/Sydney', 'Australia/Sydney'],
    ['Australia/Perth', 'Australia/Perth'],
    ['Australia/Broken_Hill', 'Australia/Broken_Hill'],
    ['  Australia/Brisbane ', 'Australia/Brisbane'],
    ['australia/sydney', 'Australia/Sydney'],
    ['AUSTRALIA/ADELAIDE', 'Australia/Adelaide'],
    ['Australia/Lord Howe', 'Australia/Lord_Howe'],
    ['Australia/Canberra', 'Australia/Canberra'],
    ['Australia/ACT', 'Australia/ACT'],
    ['Pacific/Auckland', 'Pacific/Auckland'],
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
  ])('accepts %j as %s', (zone, canonical) => {
    expect(checkTimeZone(zone)).toEqual({ ok: true, zone: canonical });
  });

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['+10:00', 'offset'],
    ['+1000', 'offset'],
    ['-05', 'offset'],
    ['\u221205:00', 'offset'],
    ['UTC+10', 'offset'],
    ['GMT +10:00', 'offset'],
    ['Etc/GMT-10', 'offset'],
    ['AEST', 'abbreviation'],
    ['AEDT', 'abbreviation'],
    ['ACST', 'abbreviation'],
    ['AWST', 'abbreviation'],
    ['EST', 'abbreviation'],
    ['NSW', 'abbreviation'],
    ['Australia/Sydnee', 'unknown-zone'],
    ['Sydney', 'unknown-zone'],
    ['Mars/Olympus_Mons', 'unknown-zone'],
  ])('refuses %j: %s', (zone, reason) => {
    expect(checkTimeZone(zone)).toEqual({ ok: false, reason });
  });

  it('never throws and never accepts an offset', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = checkTimeZone(text);
        if (result.ok) expect(result.zone).not.toMatch(/^[+-]\d/);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('zoneOffsetAt', () => {
  it('follows daylight saving where there is some', () => {
    const january = Date.UTC(2026, 0, 15);
    const july = Date.UTC(2026, 6, 15);
    const hours = (zone: string, at: number) => (zoneOffsetAt(at, zone) ?? NaN) / 3_600_000;
    expect([hours('Australia/Sydney', january), hours('Australia/Sydney', july)]).toEqual([11, 10]);
    expect([hours('Australia/Adelaide', january), hours('Australia/Adelaide', july)]).toEqual([10.5, 9.5]);
    expect([hours('Australia/Brisbane', january), hours('Australia/Brisbane', july)]).toEqual([10, 10]);
    expect([hours('Australia/Perth', january), hours('Australia/Darwin', january)]).toEqual([8, 9.5]);
  });

  it('is undefined for an unknown zone', () => {
    expect(zoneOffsetAt(0, 'Mars/Olympus_Mons')).toBeUndefined();
    expect(epochOfWallClock(0, 'Mars/Olympus_Mons')).toBeUndefined();
  });
});

describe('epochOfWallClock', () => {
  const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

  it.each([
    // Sydney, clocks back 2026-04-05 03:00 AEDT → 02:00 AEST: 02:30 happens twice, the earlier is taken.
    ['Australia/Sydney', Date.UTC(2026, 3, 5, 2, 30), '2026-04-04T15:30:00.000Z'],
    ['Australia/Sydney', Date.UTC(2026, 3, 5, 1, 59), '2026-04-04T14:59:00.000Z'],
    ['Australia/Sydney', Date.UTC(2026, 3, 5, 3, 0), '2026-04-04T17:00:00.000Z'],
    // Sydney, clocks forward 2026-10-04 02:00 AEST → 03:00 AEDT: 02:30 never happens, read as 03:30.
    ['Australia/Sydney', Date.UTC(2026, 9, 4, 2, 30), '2026-10-03T16:30:00.000Z'],
    ['Australia/Sydney', Date.UTC(2026, 9, 4, 1, 59), '2026-10-03T15:59:00.000Z'],
    ['Australia/Sydney', Date.UTC(2026, 9, 4, 3, 0), '2026-10-03T16:00:00.000Z'],
    // Adelaide, half-hour offsets, same days.
    ['Australia/Adelaide', Date.UTC(2026, 3, 5, 2, 30), '2026-04-04T16:00:00.000Z'],
    ['Australia/Adelaide', Date.UTC(2026, 9, 4, 2, 30), '2026-10-03T17:00:00.000Z'],
    ['Australia/Adelaide', Date.UTC(2026, 9, 4, 3, 30), '2026-10-03T17:00:00.000Z'],
    // Brisbane has no daylight saving.
    ['Australia/Brisbane', Date.UTC(2026, 9, 4, 2, 30), '2026-10-03T16:30:00.000Z'],
  ])('%s %s', (zone, wallClock, expected) => {
    expect(iso(epochOfWallClock(wallClock, zone))).toBe(expected);
  });

  const zones = fc.constantFrom(
    'Australia/Sydney',
    'Australia/Adelaide',
    'Australia/Hobart',
    'Australia/Lord_Howe',
    'Australia/Perth',
    'Pacific/Auckland',
    'America/New_York',
    'Europe/London',
  );
  const instant = fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 }).map((s) => s * 1000);

  it('reads an instant back from its own wall clock, unless that wall-clock time happens twice', () => {
    fc.assert(
      fc.property(instant, zones, (epochMs, zone) => {
        const wallClock = epochMs + (zoneOffsetAt(epochMs, zone) ?? 0);
        const back = epochOfWallClock(wallClock, zone);
        if (back !== epochMs) {
          // Only in a repeated hour, and then the earlier of the two.
          expect(back).toBeLessThan(epochMs);
          expect((back ?? 0) + (zoneOffsetAt(back ?? 0, zone) ?? 0)).toBe(wallClock);
        }
      }),
      { numRuns: 3_000 },
    );
  });
});
