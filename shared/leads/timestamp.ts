/**
 * A lead's `nextAttemptTimestamp` as written in a lead file, turned into the instant ipSCAPE gets.
 *
 * Decisions:
 * - Output is UTC, `YYYY-MM-DDTHH:mm:ssZ`, the form of the reference's request example
 *   (`2019-08-24T14:15:22Z`): one spelling per instant, whatever offset style came in. Fractions of a
 *   second are dropped (truncated); a dialler schedules to the second at best.
 * - ISO-8601 extended dates with a time: `T` or a space between them, seconds and a fraction (`.` or
 *   `,`) optional, the offset `Z`, `+10:00`, `+1000` or `+10`, or none.
 * - Australian day-first `31/01/2026 09:00` (`D/M/YYYY`, 24-hour or with am/pm, seconds optional,
 *   never month-first: `01/31/2026` is invalid, not January).
 * - Without an offset, the time is the wall-clock time in the given zone (the lead's, else the file's
 *   default), with daylight saving resolved as {@link epochOfWallClock} does; with no zone it is refused.
 * - A date without a time is refused: midnight is rarely what "next attempt on the 31st" means.
 */
import { epochOfWallClock } from './time-zone';

/** Why a timestamp was refused. */
export type TimestampRejectionReason =
  | 'invalid-timestamp'
  /** A wall-clock time with no offset, and no zone to read it in. */
  | 'missing-zone'
  /** The zone to read a wall-clock time in is not a zone this runtime knows. */
  | 'unknown-zone';

export type LeadTimestamp =
  | { readonly ok: true; readonly utc: string; readonly epochMs: number }
  | { readonly ok: false; readonly reason: TimestampRejectionReason };

interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)? ?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;
const DAY_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))? ?([ap])?(?:\.?m\.?)?$/i;

function invalid(): LeadTimestamp {
  return { ok: false, reason: 'invalid-timestamp' };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isValidWallClock({ year, month, day, hour, minute, second }: WallClock): boolean {
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59
  );
}

function wallClockAsUtc({ year, month, day, hour, minute, second }: WallClock): number {
  // setUTCFullYear, unlike Date.UTC, leaves years below 100 alone.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** Offset text (`Z`, `+10`, `+1000`, `+10:00`) to milliseconds east of UTC; `undefined` when out of range. */
function offsetMs(text: string): number | undefined {
  if (text === 'Z' || text === 'z') return 0;
  const digits = text.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  if (hours > 14 || minutes > 59) return undefined;
  return (text.startsWith('-') ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

function parseIso(match: RegExpExecArray): { wallClock: WallClock; offset: string | undefined } {
  const [, year, month, day, hour, minute, second, offset] = match;
  return {
    wallClock: {
      year: Number(year),
      month: Number(month),
      day: Number(day),
      hour: Number(hour),
      minute: Number(minute),
      second: Number(second ?? 0),
    },
    offset,
  };
}

function parseDayFirst(match: RegExpExecArray): WallClock | undefined {
  const [, day, month, year, hour, minute, second, meridiem] = match;
  let hours = Number(hour);
  if (meridiem !== undefined) {
    if (hours < 1 || hours > 12) return undefined;
    hours = (hours % 12) + (meridiem.toLowerCase() === 'p' ? 12 : 0);
  }
  return { year: Number(year), month: Number(month), day: Number(day), hour: hours, minute: Number(minute), second: Number(second ?? 0) };
}

/** Years 0 to 9999, as epoch ms: outside, `toISOString` gives an expanded `+YYYYYY` year. */
const FIRST_FORMATTED_MS = new Date(0).setUTCFullYear(0, 0, 1);
const END_FORMATTED_MS = Date.UTC(10_000, 0, 1);

const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);

function formatUtc(epochMs: number): string | undefined {
  // Years past 9999 (or before 0) get an expanded `+YYYYYY` form: not a timestamp ipSCAPE reads.
  if (!(epochMs >= FIRST_FORMATTED_MS && epochMs < END_FORMATTED_MS)) return undefined;
  // `toISOString` sliced to the second, from whole-number arithmetic (days since 1970-01-01 to a civil
  // date, H. Hinnant's algorithm): a third of the time, and no Date per row.
  const seconds = Math.floor(epochMs / 1000);
  const days = Math.floor(seconds / 86_400);
  const inDay = seconds - days * 86_400;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(inDay / 3_600);
  const minute = Math.floor((inDay - hour * 3_600) / 60);
  const second = inDay - hour * 3_600 - minute * 60;
  const yyyy = year >= 1_000 ? `${year}` : `${year}`.padStart(4, '0');
  return `${yyyy}-${two(month)}-${two(day)}T${two(hour)}:${two(minute)}:${two(second)}Z`;
}

/**
 * Parses a lead's next-attempt time to the UTC instant ipSCAPE gets.
 *
 * @param zone - IANA zone for a time written without an offset (the lead's zone, else the file's default).
 * @example parseLeadTimestamp('2026-01-31T09:00:00+1000') // { ok: true, utc: '2026-01-30T23:00:00Z', epochMs: 1769814000000 }
 * @example parseLeadTimestamp('31/01/2026 9:00 am', 'Australia/Sydney') // { ok: true, utc: '2026-01-30T22:00:00Z', … }
 * @example parseLeadTimestamp('2026-01-31 09:00') // { ok: false, reason: 'missing-zone' }
 */
export function parseLeadTimestamp(text: string, zone?: string): LeadTimestamp {
  const trimmed = text.trim();
  let wallClock: WallClock | undefined;
  let offset: string | undefined;
  const iso = ISO.exec(trimmed);
  if (iso) ({ wallClock, offset } = parseIso(iso));
  else {
    const dayFirst = DAY_FIRST.exec(trimmed);
    if (dayFirst) wallClock = parseDayFirst(dayFirst);
  }
  if (!wallClock || !isValidWallClock(wallClock)) return invalid();

  const local = wallClockAsUtc(wallClock);
  let epochMs: number;
  if (offset !== undefined) {
    const ms = offsetMs(offset);
    if (ms === undefined) return invalid();
    epochMs = local - ms;
  } else {
    if (zone === undefined || zone.trim() === '') return { ok: false, reason: 'missing-zone' };
    const resolved = epochOfWallClock(local, zone.trim());
    if (resolved === undefined) return { ok: false, reason: 'unknown-zone' };
    epochMs = resolved;
  }
  const utc = formatUtc(epochMs);
  return utc === undefined ? invalid() : { ok: true, utc, epochMs };
}
