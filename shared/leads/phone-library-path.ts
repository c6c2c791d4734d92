/**
 * Phone normalisation by libphonenumber-js `/max` alone: the reference the fast path must agree with,
 * and the fallback for everything the fast path does not recognise.
 *
 * Decisions: the cell is parsed whole (`extract: false`), so text around a number makes it invalid
 * rather than silently picked apart; a number with an extension (`x123`, `ext. 123`, `;ext=123`) is
 * `invalid`, because a dialler dials E.164 only and dropping the extension would put the agent through
 * to a switchboard instead of the lead.
 */
import { ParseError, parsePhoneNumberWithError, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { PhoneRejectionReason, PhoneResult } from './phone';
import { dialableResult, isInNotDialableRange, rejectPhone } from './phone-dialability';
import { unwrapPhoneInput } from './phone-input';
import { invalidNumberReason } from './phone-length-reason';
import { mainCountryForCallingCode } from './phone-numbering-plan';

function parseErrorReason(error: ParseError): PhoneRejectionReason {
  switch (error.message) {
    case 'TOO_SHORT':
      return 'too-short';
    case 'TOO_LONG':
      return 'too-long';
    default:
      // NOT_A_NUMBER, INVALID_COUNTRY (an unknown calling code, or no region to read a national number in).
      return 'invalid';
  }
}

function parse(text: string, defaultRegion: CountryCode): PhoneNumber | PhoneRejectionReason {
  try {
    return parsePhoneNumberWithError(text, { defaultCountry: defaultRegion, extract: false });
  } catch (error) {
    if (error instanceof ParseError) return parseErrorReason(error);
    throw error;
  }
}

/**
 * Normalises a phone number with libphonenumber only (slow: about 20 µs a number).
 *
 * @example normalisePhoneWithLibrary('0011 61 412 345 678') // { ok: true, e164: '+61412345678', type: 'MOBILE' }
 * @example normalisePhoneWithLibrary('1300 123 456') // { ok: false, reason: 'not-dialable' }
 */
export function normalisePhoneWithLibrary(raw: string, defaultRegion: CountryCode = 'AU'): PhoneResult {
  const input = unwrapPhoneInput(raw);
  if ('reason' in input) return rejectPhone(input.reason);
  const parsed = parse(input.text, defaultRegion);
  if (typeof parsed === 'string') return rejectPhone(parsed);
  if (parsed.ext !== undefined) return rejectPhone('invalid');
  const { countryCallingCode, nationalNumber } = parsed;
  if (isInNotDialableRange(countryCallingCode, nationalNumber)) return rejectPhone('not-dialable');
  if (!parsed.isValid()) {
    const country = parsed.country ?? mainCountryForCallingCode(countryCallingCode);
    return rejectPhone(country ? invalidNumberReason(nationalNumber, country) : 'invalid');
  }
  return dialableResult(countryCallingCode, nationalNumber, parsed.getType());
}
