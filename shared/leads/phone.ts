/**
 * Phone normalisation to E.164.
 *
 * Results never carry the number in a message: a rejection names a reason code only, so it can go
 * into a log line or a report column safely.
 *
 * Two paths give the same answers: a fast path for Australian numbers in their common shapes
 * (`phone-fast-path.ts`, tables compiled from libphonenumber's metadata) and libphonenumber-js `/max`
 * for everything else (`phone-library-path.ts`, which also documents the decisions on extensions;
 * `phone-input.ts` those on Excel artefacts). `test/shared/leads/phone.property.test.ts` holds them to it.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { fastNormalisePhone } from './phone-fast-path';
import { normalisePhoneWithLibrary } from './phone-library-path';

/** Why a phone was rejected. */
export type PhoneRejectionReason =
  /** Not a phone number at all, or not valid in its numbering plan. */
  | 'invalid'
  | 'too-short'
  | 'too-long'
  /** A valid number of a type a dialler must not call as a lead: premium, shared cost (13/1300), toll free (1800), etc. */
  | 'not-dialable';

/** libphonenumber's types that a lead may have. */
export type DialablePhoneType = 'MOBILE' | 'FIXED_LINE' | 'FIXED_LINE_OR_MOBILE' | 'VOIP' | 'PERSONAL_NUMBER';

export type PhoneResult =
  | { readonly ok: true; readonly e164: string; readonly type: DialablePhoneType | 'UNKNOWN' }
  | { readonly ok: false; readonly reason: PhoneRejectionReason };

/**
 * Normalises a phone number as written by a person to E.164.
 *
 * @param defaultRegion - the region of numbers written without a country code (AU by default).
 * @example normalisePhone('0412 345 678') // { ok: true, e164: '+61412345678', type: 'MOBILE' }
 * @example normalisePhone('1300 123 456') // { ok: false, reason: 'not-dialable' }
 */
export function normalisePhone(raw: string, defaultRegion: CountryCode = 'AU'): PhoneResult {
  return fastNormalisePhone(raw, defaultRegion) ?? normalisePhoneWithLibrary(raw, defaultRegion);
}
