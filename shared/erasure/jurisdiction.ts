/**
 * When an erasure request is due, by the law it was made under: the Australian Privacy Act (APP 12/13
 * "within a reasonable period", 30 days by OAIC guidance), GDPR Art. 12(3) (one month) and CCPA
 * (45 days). Periods are configuration (`ERASURE_SETTINGS.due`), these are the defaults.
 */
import { z } from 'zod';

export const jurisdictions = ['AU', 'GDPR', 'CCPA'] as const;
export type Jurisdiction = (typeof jurisdictions)[number];

/** A period: whole days (`30d`) or calendar months (`1m`). */
export const periodSchema = z.string().regex(/^[1-9]\d{0,2}[dm]$/, 'must be a period such as 30d or 1m');

export const defaultDuePeriods: Record<Jurisdiction, string> = { AU: '30d', GDPR: '1m', CCPA: '45d' };

/**
 * Adds a period to an instant. A month ends on the same day of the next month, or on that month's
 * last day when it is shorter (31 January + 1m = 28/29 February), as GDPR's "one month" is read.
 *
 * @example addPeriod(new Date('2026-01-31T10:00:00Z'), '1m').toISOString() // '2026-02-28T10:00:00.000Z'
 */
export function addPeriod(from: Date, period: string): Date {
  const n = Number(period.slice(0, -1));
  if (period.endsWith('d')) return new Date(from.getTime() + n * 86_400_000);
  const target = new Date(from.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + n);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/** The due instant of a request received at `receivedAt`. */
export function dueDate(receivedAt: Date, jurisdiction: Jurisdiction, periods: Readonly<Record<Jurisdiction, string>> = defaultDuePeriods): Date {
  return addPeriod(receivedAt, periods[jurisdiction]);
}
