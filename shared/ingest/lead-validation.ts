/**
 * Validation and normalisation of one mapped row into the create-lead body ipSCAPE gets: phones to
 * E.164 (compacted so the first valid phone is phone1, the one ipSCAPE can search), the time zone
 * checked or derived from the state, the next attempt as a UTC instant, ids as integers, and the
 * target list chosen (row, then upload key, then profile default).
 *
 * A row with any bad field is rejected as a whole, naming the first bad field and a reason code:
 * a partly imported lead (a dropped phone, a lost callback time) is worse than a clear rejection
 * the operator can fix and upload again. Messages never quote a value.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import type { CreateLeadRequest } from '../ipscape/schemas/leads';
import { PHONE_FIELDS } from '../leads/mapping-profile';
import { normalisePhone, type PhoneRejectionReason } from '../leads/phone';
import type { RawLead } from '../leads/raw-lead';
import { checkTimeZone, zoneForState } from '../leads/time-zone';
import { parseLeadTimestamp } from '../leads/timestamp';
import type { ReasonCode } from './outcomes';

/** What the upload contributes to each row. */
export interface LeadContext {
  /** From the upload key. */
  readonly listId?: number;
  /** From the mapping profile. */
  readonly defaults: { readonly listId?: number; readonly timezone?: string; readonly region?: string };
  /** Region of numbers written without a country code (settings), unless the profile says otherwise. */
  readonly region: string;
}

/** A valid lead with what dedupe and suppression need. */
export interface ValidLead {
  readonly ok: true;
  readonly lead: CreateLeadRequest & { listId: number; leadData: Record<string, string> };
  /** The lead's E.164 phones, phone1 first. */
  readonly phones: readonly string[];
  /** The lead's email, lower case, when it has one. */
  readonly email?: string;
}

export interface RejectedLead {
  readonly ok: false;
  readonly reason: ReasonCode;
  /** The field at fault, as the report names it (`phone2`, `listId`...). */
  readonly field: string;
}

/** Longest customerKey accepted (ipSCAPE does not publish one; a conservative bound). */
export const MAX_CUSTOMER_KEY = 255;
/** Longest custom field value accepted. */
export const MAX_LEAD_DATA_VALUE = 4000;

const PHONE_REASONS: Record<PhoneRejectionReason, ReasonCode> = {
  invalid: 'phone-invalid',
  'too-short': 'phone-too-short',
  'too-long': 'phone-too-long',
  'not-dialable': 'phone-not-dialable',
};

const WHOLE_NUMBER = /^\d{1,10}$/;

function reject(reason: ReasonCode, field: string): RejectedLead {
  return { ok: false, reason, field };
}

/**
 * Validates and normalises one mapped row.
 *
 * @example
 * validateLead({ phone1: '0412 345 678', state: 'QLD', leadData: {} }, { listId: 100, defaults: {}, region: 'AU' })
 * // { ok: true, lead: { listId: 100, phone1: '+61412345678', timezone: 'Australia/Brisbane', leadData: {} }, phones: ['+61412345678'] }
 */
export function validateLead(raw: RawLead, context: LeadContext): ValidLead | RejectedLead {
  let listId: number | undefined;
  if (raw.listId !== undefined) {
    if (!WHOLE_NUMBER.test(raw.listId) || Number(raw.listId) === 0) return reject('list-invalid', 'listId');
    listId = Number(raw.listId);
  } else {
    listId = context.listId ?? context.defaults.listId;
  }
  if (listId === undefined) return reject('list-missing', 'listId');

  const region = (context.defaults.region ?? context.region) as CountryCode;
  const phones: string[] = [];
  for (const field of PHONE_FIELDS) {
    const text = raw[field];
    if (text === undefined) continue;
    const result = normalisePhone(text, region);
    if (!result.ok) return reject(PHONE_REASONS[result.reason], field);
    if (!phones.includes(result.e164)) phones.push(result.e164);
  }
  if (phones.length === 0) return reject('phone-missing', 'phone1');

  let timezone: string | undefined;
  if (raw.timezone !== undefined) {
    const check = checkTimeZone(raw.timezone);
    if (!check.ok) return reject('timezone-invalid', 'timezone');
    timezone = check.zone;
  } else {
    timezone = (raw.state !== undefined ? zoneForState(raw.state) : undefined) ?? context.defaults.timezone;
  }

  let nextAttemptTimestamp: string | undefined;
  if (raw.nextAttemptTimestamp !== undefined) {
    const parsed = parseLeadTimestamp(raw.nextAttemptTimestamp, timezone);
    if (!parsed.ok) return reject('timestamp-invalid', 'nextAttemptTimestamp');
    nextAttemptTimestamp = parsed.utc;
  }

  let statusCode: number | undefined;
  if (raw.statusCode !== undefined) {
    if (!WHOLE_NUMBER.test(raw.statusCode)) return reject('number-invalid', 'statusCode');
    statusCode = Number(raw.statusCode);
  }
  let agentId: number | undefined;
  if (raw.agentId !== undefined) {
    if (!WHOLE_NUMBER.test(raw.agentId)) return reject('number-invalid', 'agentId');
    agentId = Number(raw.agentId);
  }
  if (raw.customerKey !== undefined && raw.customerKey.length > MAX_CUSTOMER_KEY) return reject('field-too-long', 'customerKey');

  const leadData: Record<string, string> = {};
  for (const key of Object.keys(raw.leadData)) {
    const value = raw.leadData[key]!;
    if (value.length > MAX_LEAD_DATA_VALUE) return reject('field-too-long', `leadData.${key}`);
    leadData[key] = value;
  }
  const email = leadData.email?.toLowerCase();

  const lead: ValidLead['lead'] = { listId, phone1: phones[0]!, leadData };
  if (phones[1] !== undefined) lead.phone2 = phones[1];
  if (phones[2] !== undefined) lead.phone3 = phones[2];
  if (raw.customerKey !== undefined) lead.customerKey = raw.customerKey;
  if (timezone !== undefined) lead.timezone = timezone;
  if (nextAttemptTimestamp !== undefined) lead.nextAttemptTimestamp = nextAttemptTimestamp;
  if (statusCode !== undefined) lead.statusCode = statusCode;
  if (agentId !== undefined) lead.agentId = agentId;
  return { ok: true, lead, phones, ...(email !== undefined && { email }) };
}
