/** Inclusive time range filters (`...From` "not earlier than", `...To` "not later than"). */
import { parseIpscapeTimestamp } from '../../../shared/ipscape/schemas/common';
import { validationError, type FieldError } from '../http-errors';

export interface TimeRange {
  readonly fromMs: number;
  readonly toMs: number;
}

/**
 * Reads a pair of timestamp query parameters (any ipSCAPE offset style).
 *
 * @throws HttpError 400 naming a parameter that is not a timestamp.
 */
export function timeRange(query: Readonly<Record<string, unknown>>, fromName: string, toName: string): TimeRange {
  const problems: FieldError[] = [];
  const read = (name: string, fallback: number): number => {
    const value = query[name];
    if (typeof value !== 'string' || value === '') return fallback;
    const date = parseIpscapeTimestamp(value);
    if (!date) {
      problems.push({ field: name, message: 'must be an ISO-8601 timestamp with an offset' });
      return fallback;
    }
    return date.getTime();
  };
  const range = { fromMs: read(fromName, -Infinity), toMs: read(toName, Infinity) };
  if (problems.length) throw validationError(problems);
  return range;
}

/** Whether an instant lies in the range. */
export function inRange(range: TimeRange, ms: number): boolean {
  return ms >= range.fromMs && ms <= range.toMs;
}
