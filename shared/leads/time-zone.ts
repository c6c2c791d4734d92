/**
 * Lead time zones: an Australian state or territory to its IANA zone, and checks on zone names as
 * people write them.
 *
 * A state is a coarse guide (domain-notes.md): Broken Hill (NSW) keeps Adelaide time, Lord Howe Island
 * (NSW) has its own zone, and a mobile number says nothing about where its owner is.
 */

/** The eight states and territories, by their usual abbreviations. */
export type AustralianState = 'NSW' | 'VIC' | 'QLD' | 'SA' | 'WA' | 'TAS' | 'NT' | 'ACT';

/** The IANA zone of each state's capital (ACT as `Australia/Sydney`, of which `Australia/Canberra` is an alias). */
export const STATE_TIME_ZONES: { readonly [S in AustralianState]: string } = {
  NSW: 'Australia/Sydney',
  ACT: 'Australia/Sydney',
  VIC: 'Australia/Melbourne',
  TAS: 'Australia/Hobart',
  QLD: 'Australia/Brisbane',
  SA: 'Australia/Adelaide',
  NT: 'Australia/Darwin',
  WA: 'Australia/Perth',
};

// Keys are spellings with case, spaces, dots, hyphens and underscores removed.
const STATE_SPELLINGS: ReadonlyMap<string, AustralianState> = new Map<string, AustralianState>([
  ['nsw', 'NSW'],
  ['newsouthwales', 'NSW'],
  ['vic', 'VIC'],
  ['victoria', 'VIC'],
  ['qld', 'QLD'],
  ['queensland', 'QLD'],
  ['sa', 'SA'],
  ['southaustralia', 'SA'],
  ['wa', 'WA'],
  ['westernaustralia', 'WA'],
  ['tas', 'TAS'],
  ['tasmania', 'TAS'],
  ['nt', 'NT'],
  ['northernterritory', 'NT'],
  ['act', 'ACT'],
  ['australiancapitalterritory', 'ACT'],
]);

const IGNORED_IN_STATE = /[\s._-]+/g;

/**
 * The state or territory a text names, in any of the usual spellings (`NSW`, `N.S.W.`, `new south wales`).
 *
 * @example australianState(' Qld ') // 'QLD'
 */
export function australianState(text: string): AustralianState | undefined {
  // A file has a handful of distinct spellings and a million rows: remember each answer.
  let state = stateCache.get(text);
  if (state === undefined && !stateCache.has(text)) {
    state = STATE_SPELLINGS.get(text.replace(IGNORED_IN_STATE, '').toLowerCase());
    remember(stateCache, text, state);
  }
  return state;
}

/** Memo tables stay small whatever the input: cleared when they grow past this. */
const MEMO_LIMIT = 10_000;
const stateCache = new Map<string, AustralianState | undefined>();

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/**
 * The IANA zone for an Australian state or territory, or `undefined` for anything else.
 *
 * @example zoneForState('Western Australia') // 'Australia/Perth'
 * @example zoneForState('Ontario') // undefined
 */
export function zoneForState(state: string): string | undefined {
  const code = australianState(state);
  return code === undefined ? undefined : STATE_TIME_ZONES[code];
}

/** Why a time zone name was refused. */
export type TimeZoneRejectionReason =
  | 'empty'
  /** A UTC offset (`+10:00`, `UTC+10`, `Etc/GMT-10`): it cannot follow daylight saving. */
  | 'offset'
  /** An abbreviation (`AEST`, `EST`): ambiguous between zones and between countries. */
  | 'abbreviation'
  | 'unknown-zone';

export type TimeZoneCheck =
  | { readonly ok: true; readonly zone: string }
  | { readonly ok: false; readonly reason: TimeZoneRejectionReason };

const OFFSET = /^(?:(?:utc|gmt|z)\s*)?[+\-\u2212]\s*\d{1,2}(?::?\d{2})?$|^etc\/gmt[+-]\d{1,2}$/i;
// Letters only and short: AEST, ACDT, AWST, EST, PST, NZ, and state abbreviations given as zones.
// UTC is the one such name kept: it is unambiguous.
const ABBREVIATION = /^[a-z]{2,5}$/i;

let canonicalSpellings: ReadonlyMap<string, string> | undefined;

/** The runtime's zone names by lower case, to correct the case of a name people typed. */
function spellingOf(zone: string): string | undefined {
  canonicalSpellings ??= new Map(Intl.supportedValuesOf('timeZone').map((name) => [name.toLowerCase(), name]));
  return canonicalSpellings.get(zone.toLowerCase());
}

function isKnownToIntl(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-AU', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks an IANA time zone name as written in a lead file.
 *
 * Decisions: surrounding space is trimmed and inner spaces read as underscores (`Australia/Lord Howe`);
 * a zone the runtime lists gets its spelling (`australia/sydney` → `Australia/Sydney`); an alias the
 * runtime accepts but does not list (`Australia/Canberra`, `Australia/ACT`, `US/Eastern`) is kept as
 * written, not rewritten to its target (runtimes disagree on canonical names: Node 20 calls
 * `Asia/Kolkata` `Asia/Calcutta`); no guessing at misspelt names. Offsets and abbreviations are refused with their own reasons, as is
 * `Etc/GMT±N` (its sign is inverted, a classic trap).
 *
 * @example checkTimeZone('australia/sydney') // { ok: true, zone: 'Australia/Sydney' }
 * @example checkTimeZone('+10:00') // { ok: false, reason: 'offset' }
 */
export function checkTimeZone(zone: string): TimeZoneCheck {
  // Creating an Intl.DateTimeFormat to test a name costs ~70 µs: answer each spelling once.
  return zoneChecks.get(zone) ?? remember(zoneChecks, zone, checkTimeZoneUncached(zone));
}

const zoneChecks = new Map<string, TimeZoneCheck>();

function checkTimeZoneUncached(zone: string): TimeZoneCheck {
  const trimmed = zone.trim();
  if (trimmed === '') return { ok: false, reason: 'empty' };
  if (OFFSET.test(trimmed)) return { ok: false, reason: 'offset' };
  const name = trimmed.replace(/\s+/g, '_');
  if (name.toUpperCase() === 'UTC') return { ok: true, zone: 'UTC' };
  if (ABBREVIATION.test(name)) return { ok: false, reason: 'abbreviation' };
  if (!isKnownToIntl(name)) return { ok: false, reason: 'unknown-zone' };
  return { ok: true, zone: spellingOf(name) ?? name };
}

const formatters = new Map<string, Intl.DateTimeFormat | null>();

function wallClockFormatter(zone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(zone);
  if (formatter === undefined) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      formatter = null;
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

/**
 * The UTC offset of a zone at an instant, in milliseconds (east positive), from the runtime's tz data.
 *
 * @returns `undefined` for a zone the runtime does not know.
 * @example zoneOffsetAt(Date.UTC(2026, 0, 15), 'Australia/Sydney') // 39_600_000 (+11:00, daylight saving)
 */
export function zoneOffsetAt(epochMs: number, zone: string): number | undefined {
  // formatToParts costs ~6 µs and a timestamp needs three. Offsets change at most once a UTC day (the
  // assumption `epochOfWallClock` makes too), so each zone's days are remembered: a day whose offset is
  // the same at its start and at the next day's start has that offset throughout; a day with a change
  // remembers the quarter hour (UTC) in which it happens, found by bisection, and only instants within
  // that quarter hour are asked of the runtime again. A file's timestamps span a few hundred days, so
  // this asks the runtime a few hundred times, where a memo per quarter hour asked for nearly every row.
  const day = Math.floor(epochMs / DAY_MS);
  let days = offsetDays.get(zone);
  if (days === undefined) {
    if (wallClockFormatter(zone) === null) return undefined;
    days = remember(offsetDays, zone, new Map());
  }
  let known = days.get(day);
  if (known === undefined) {
    known = offsetDayUncached(day, zone);
    if (known === undefined) return zoneOffsetAtUncached(epochMs, zone);
    remember(days, day, known);
  }
  if (typeof known === 'number') return known;
  const quarter = Math.floor((epochMs - day * DAY_MS) / QUARTER_HOUR_MS);
  if (quarter < known.changeQuarter) return known.before;
  if (quarter > known.changeQuarter) return known.after;
  return zoneOffsetAtUncached(epochMs, zone);
}

const DAY_MS = 86_400_000;
const QUARTER_HOUR_MS = 900_000;
const QUARTERS_A_DAY = 96;
/** The furthest instant a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/** A UTC day's offset: one number when it holds all day, else the change within the day. */
type OffsetDay = number | { readonly before: number; readonly after: number; readonly changeQuarter: number };

/** Per zone, per UTC day (days since the epoch). */
const offsetDays = new Map<string, Map<number, OffsetDay>>();

function offsetDayUncached(day: number, zone: string): OffsetDay | undefined {
  const start = day * DAY_MS;
  const end = start + DAY_MS;
  if (start < -MAX_DATE_MS || end > MAX_DATE_MS) return undefined;
  const before = zoneOffsetAtUncached(start, zone);
  const after = zoneOffsetAtUncached(end, zone);
  if (before === undefined || after === undefined) return undefined;
  if (before === after) return before;
  // The first quarter hour whose start has the later offset: the change lies within the one before it.
  let low = 0; // start has `before`
  let high = QUARTERS_A_DAY; // start (the next day's) has `after`
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (zoneOffsetAtUncached(start + middle * QUARTER_HOUR_MS, zone) === before) low = middle;
    else high = middle;
  }
  return { before, after, changeQuarter: low };
}

function zoneOffsetAtUncached(epochMs: number, zone: string): number | undefined {
  const formatter = wallClockFormatter(zone);
  if (!formatter) return undefined;
  const instant = Math.floor(epochMs / 1000) * 1000;
  const fields = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  for (const part of formatter.formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  const wallClock = new Date(0);
  wallClock.setUTCFullYear(fields.year, fields.month - 1, fields.day);
  wallClock.setUTCHours(fields.hour, fields.minute, fields.second, 0);
  return wallClock.getTime() - instant;
}

/**
 * The instant a wall-clock time in a zone denotes. The wall-clock time is given as the epoch
 * milliseconds it would be in UTC (`Date.UTC(y, m, d, h, min, s)`).
 *
 * Daylight saving follows `Temporal`'s "compatible" rule (also RFC 5545's): a time that happens twice
 * (clocks going back) is the earlier instant; a time that never happens (clocks going forward) moves
 * forward by the gap, so 02:30 on the morning clocks jump from 02:00 to 03:00 is 03:30.
 *
 * @returns `undefined` for a zone the runtime does not know.
 * @example new Date(epochOfWallClock(Date.UTC(2026, 0, 31, 9), 'Australia/Sydney')!).toISOString() // '2026-01-30T22:00:00.000Z'
 */
export function epochOfWallClock(wallClockAsUtcMs: number, zone: string): number | undefined {
  // The offsets a day either side bracket any transition near this time (zones change at most once a day).
  const before = zoneOffsetAt(wallClockAsUtcMs - DAY_MS, zone);
  const after = zoneOffsetAt(wallClockAsUtcMs + DAY_MS, zone);
  if (before === undefined || after === undefined) return undefined;
  const earlier = wallClockAsUtcMs - Math.max(before, after);
  const later = wallClockAsUtcMs - Math.min(before, after);
  for (const candidate of [earlier, later]) {
    if (candidate + (zoneOffsetAt(candidate, zone) ?? 0) === wallClockAsUtcMs) return candidate;
  }
  // In a gap: read the time with the offset in force before it, which lands after the gap.
  return wallClockAsUtcMs - before;
}
