/**
 * Why a parsed but invalid number failed: a digit too few, a digit too many, or neither.
 *
 * libphonenumber only says "too short" or "too long" against the lengths of the whole plan, and
 * Australia's plan allows 5 to 12 digits (13 numbers, pagers), so a mobile missing a digit would be
 * merely "invalid". Here a number is too short when adding up to {@link MAX_MISSING_DIGITS} digits can
 * make it a valid number of some type of its plan, and too long when dropping trailing digits can; the
 * types and lengths come from the library's metadata.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import { numberingPlan, type CompiledNumberingPlan } from './phone-numbering-plan';

/** The most digits a number may lack and still be called too short rather than invalid. */
export const MAX_MISSING_DIGITS = 3;

const FILL_DIGITS = '0123456789';

function canBeCompleted(plan: CompiledNumberingPlan, digits: string): boolean {
  for (const type of plan.types) {
    for (const length of type.lengths) {
      const missing = length - digits.length;
      if (missing <= 0 || missing > MAX_MISSING_DIGITS) continue;
      for (const fill of FILL_DIGITS) {
        if (type.pattern.test(digits + fill.repeat(missing))) return true;
      }
    }
  }
  return false;
}

function hasValidPrefix(plan: CompiledNumberingPlan, digits: string): boolean {
  for (const type of plan.types) {
    for (const length of type.lengths) {
      if (length < digits.length && type.pattern.test(digits.slice(0, length))) return true;
    }
  }
  return false;
}

/**
 * The reason for an invalid national significant number of a country's plan.
 *
 * The number as written is tried, and also without a leading national prefix the parser kept because the
 * rest had an impossible length (`041234567890` is kept whole, yet is a mobile with extra digits).
 *
 * @example invalidNumberReason('41234567', 'AU') // 'too-short'
 * @example invalidNumberReason('4123456789', 'AU') // 'too-long'
 */
export function invalidNumberReason(nationalNumber: string, country: CountryCode): 'too-short' | 'too-long' | 'invalid' {
  const plan = numberingPlan(country);
  if (!plan) return 'invalid';
  const lengths = plan.possibleLengths;
  const shortest = lengths[0];
  const longest = lengths[lengths.length - 1];
  if (shortest !== undefined && nationalNumber.length < shortest) return 'too-short';
  if (longest !== undefined && nationalNumber.length > longest) return 'too-long';
  const candidates = [nationalNumber];
  const prefix = plan.nationalPrefixForParsing?.exec(nationalNumber);
  if (prefix && prefix[0] !== '') candidates.push(nationalNumber.slice(prefix[0].length));
  let short = false;
  let long = false;
  for (const digits of candidates) {
    short ||= canBeCompleted(plan, digits);
    long ||= hasValidPrefix(plan, digits);
  }
  if (short === long) return 'invalid';
  return short ? 'too-short' : 'too-long';
}
