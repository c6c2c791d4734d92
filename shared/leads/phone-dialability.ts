/**
 * Which valid numbers a dialler may call as a lead, shared by the fast path and the library path so
 * the two cannot disagree on policy.
 */
import type { PhoneNumberType } from 'libphonenumber-js/max';
import type { DialablePhoneType, PhoneRejectionReason, PhoneResult } from './phone';

// An allow list: premium, toll free, shared cost, UAN, pager, voicemail, and any type a later library
// version adds, are not dialable until someone decides otherwise.
const DIALABLE_TYPES: ReadonlySet<string> = new Set<DialablePhoneType>([
  'MOBILE',
  'FIXED_LINE',
  'FIXED_LINE_OR_MOBILE',
  'VOIP',
  'PERSONAL_NUMBER',
]);

function isDialableType(type: PhoneNumberType): type is DialablePhoneType {
  return DIALABLE_TYPES.has(type);
}

/**
 * Australian ranges that domain-notes.md lists as not dialable although libphonenumber's types do not
 * say so: 014 (satellite; 0145/0147 are VOIP in the /max metadata, the rest invalid) and 0550
 * (location independent services; absent from the metadata, so invalid). Only at the full 9 digits:
 * a wrong-length number in these ranges keeps its length reason.
 */
const NOT_DIALABLE_RANGES: ReadonlyArray<{ readonly callingCode: string; readonly prefix: string; readonly length: number }> = [
  { callingCode: '61', prefix: '14', length: 9 },
  { callingCode: '61', prefix: '550', length: 9 },
];

const REJECTIONS: { readonly [R in PhoneRejectionReason]: PhoneResult } = {
  invalid: Object.freeze({ ok: false, reason: 'invalid' }),
  'too-short': Object.freeze({ ok: false, reason: 'too-short' }),
  'too-long': Object.freeze({ ok: false, reason: 'too-long' }),
  'not-dialable': Object.freeze({ ok: false, reason: 'not-dialable' }),
};

/**
 * The (shared, frozen) rejection for a reason.
 *
 * @example rejectPhone('too-short') // { ok: false, reason: 'too-short' }
 */
export function rejectPhone(reason: PhoneRejectionReason): PhoneResult {
  return REJECTIONS[reason];
}

/**
 * Whether a national significant number lies in a range that is never dialled as a lead, whatever its validity.
 *
 * @example isInNotDialableRange('61', '550123456') // true
 */
export function isInNotDialableRange(callingCode: string, nationalNumber: string): boolean {
  for (const range of NOT_DIALABLE_RANGES) {
    if (callingCode === range.callingCode && nationalNumber.length === range.length && nationalNumber.startsWith(range.prefix)) {
      return true;
    }
  }
  return false;
}

/**
 * The result for a number already known to be valid, given its type (`undefined` when the plan has no types).
 *
 * @example dialableResult('61', '412345678', 'MOBILE') // { ok: true, e164: '+61412345678', type: 'MOBILE' }
 */
export function dialableResult(callingCode: string, nationalNumber: string, type: PhoneNumberType | undefined): PhoneResult {
  if (isInNotDialableRange(callingCode, nationalNumber)) return REJECTIONS['not-dialable'];
  if (type === undefined) return { ok: true, e164: `+${callingCode}${nationalNumber}`, type: 'UNKNOWN' };
  if (!isDialableType(type)) return REJECTIONS['not-dialable'];
  return { ok: true, e164: `+${callingCode}${nationalNumber}`, type };
}
