/**
 * Semantic checks applied before a request is sent: what the structural schemas cannot say.
 *
 * Each check returns a list of problems naming the field (empty when the request is fine), so the
 * client can refuse a request locally with a validation error instead of spending a call on a 400.
 * Problems never quote the offending value: it may be a phone number.
 */
import { parseIpscapeTimestamp } from './schemas/common';
import type { CreateLeadRequest, UpdateLeadRequest } from './schemas/leads';
import type { PrivacyErasureRequest } from './schemas/privacy';

/** E.164: `+`, a non-zero country code digit, 7 to 15 digits in all. */
export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

const zoneCache = new Map<string, boolean>();

/**
 * Whether a name is an IANA time zone this runtime knows (aliases such as `Australia/Canberra` included).
 *
 * @example isIanaTimeZone('Australia/Brisbane') // true
 */
export function isIanaTimeZone(zone: string): boolean {
  let known = zoneCache.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-AU', { timeZone: zone });
      // Intl also accepts offsets like "+10:00"; a lead needs a named zone for daylight saving. Legacy
      // IANA names (EST5EDT, GMT0, W-SU) are named zones too: ingestion accepts them, so must this.
      known = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone);
    } catch {
      known = false;
    }
    zoneCache.set(zone, known);
  }
  return known;
}

/** A semantic problem with a request field. */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

function phoneProblems(body: Partial<Record<'phone1' | 'phone2' | 'phone3', string | null | undefined>>, prefix: string) {
  const problems: FieldProblem[] = [];
  for (const field of ['phone1', 'phone2', 'phone3'] as const) {
    const value = body[field];
    if (value != null && !E164_PATTERN.test(value)) {
      problems.push({ field: `${prefix}${field}`, message: 'must be an E.164 number such as +61412345678' });
    }
  }
  return problems;
}

function commonLeadProblems(body: CreateLeadRequest | UpdateLeadRequest, prefix: string): FieldProblem[] {
  const problems = phoneProblems(body, prefix);
  if (body.timezone != null && !isIanaTimeZone(body.timezone)) {
    problems.push({ field: `${prefix}timezone`, message: 'must be an IANA time zone such as Australia/Sydney' });
  }
  if (body.nextAttemptTimestamp != null && !parseIpscapeTimestamp(body.nextAttemptTimestamp)) {
    problems.push({
      field: `${prefix}nextAttemptTimestamp`,
      message: 'must be an ISO-8601 timestamp with an offset, e.g. 2026-01-31T09:00:00+10:00',
    });
  }
  if (body.listId != null && body.listId <= 0) {
    problems.push({ field: `${prefix}listId`, message: 'must be a positive list id' });
  }
  return problems;
}

/** Checks a create-lead body (also each element of a bulk create). */
export function checkCreateLead(body: CreateLeadRequest, prefix = ''): FieldProblem[] {
  const problems = commonLeadProblems(body, prefix);
  if (body.phone1 == null && body.phone2 == null && body.phone3 == null) {
    problems.push({ field: `${prefix}phone1`, message: 'a lead needs at least one phone number' });
  }
  return problems;
}

/** Checks an update-lead body; `isCompleted: false` is refused because completion cannot be undone. */
export function checkUpdateLead(body: UpdateLeadRequest): FieldProblem[] {
  const problems = commonLeadProblems(body, '');
  if (body.isCompleted === false) {
    problems.push({ field: 'isCompleted', message: 'can only be set to true; a completed lead cannot be reopened' });
  }
  return problems;
}

/** Checks an erasure body: at least one identifier; the phone in E.164; an email with an `@`. */
export function checkPrivacyErasure(body: PrivacyErasureRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!body.phoneNumber && !body.emailAddress) {
    problems.push({ field: 'phoneNumber', message: 'give phoneNumber or emailAddress (or both)' });
  }
  if (body.phoneNumber && !E164_PATTERN.test(body.phoneNumber)) {
    problems.push({ field: 'phoneNumber', message: 'must be an E.164 number such as +61412345678' });
  }
  if (body.emailAddress && !/^[^@\s]+@[^@\s]+$/.test(body.emailAddress)) {
    problems.push({ field: 'emailAddress', message: 'must be an email address' });
  }
  return problems;
}

/** Checks an E.164 `phone1` filter on list leads (only E.164 matches on the server). */
export function checkPhoneFilter(phone1: string | null | undefined): FieldProblem[] {
  return phone1 != null && !E164_PATTERN.test(phone1)
    ? [{ field: 'phone1', message: 'the list leads filter must be E.164' }]
    : [];
}
