/**
 * Writes timestamps the way ipSCAPE does: local time in the tenant's zone with its offset, either
 * `+10:00` (leads, lists, campaigns, dialler attempts) or `+1000` (some activities).
 */

/** `colon`: `2020-07-06T13:55:06+10:00`; `compact`: `2020-07-06T13:11:06+1000`. */
export type OffsetStyle = 'colon' | 'compact';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Formats an instant in a time zone, offset included (daylight saving comes from Intl).
 *
 * @example formatInZone(Date.UTC(2020, 6, 6, 3, 55, 6), 'Australia/Sydney') // '2020-07-06T13:55:06+10:00'
 */
export function formatInZone(ms: number, zone: string, style: OffsetStyle = 'colon'): string {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  // longOffset is "GMT+10:00", or plain "GMT" at UTC.
  const offset = (parts.timeZoneName ?? 'GMT').replace('GMT', '') || '+00:00';
  const written = style === 'compact' ? offset.replace(':', '') : offset;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${written}`;
}
