/**
 * Why a parsed but invalid number failed: a digit too few, a digit too many, or neither.
 *
 * libphonenumber only says "too short" or "too long" against the lengths of the whole plan, and
 * Australia's plan allows 5 to 12 digits (13 numbers, pagers), so a mobile missing a digit would be
 * merely "invalid". Here a number is too short when some {@link MAX_MISSING_DIGITS} or fewer digits
 * added at its end make it a number of some type of its plan, and too long when dropping digits from
 * its end does; both are read off the plan's digit automaton, so types and their lengths come from the
 * library's metadata.
 */
import type { CountryCode } from 'libphonenumber-js/max';
import {
  NATIONAL_PATTERN_BIT,
  allowedAtLength,
  numberingPlan,
  numberingPlanAutomaton,
  type NumberingPlanAutomaton,
} from './phone-numbering-plan';
import { DEAD_STATE } from './phone-digit-automaton';

/** The most digits a number may lack and still be called too short rather than invalid. */
export const MAX_MISSING_DIGITS = 3;

// A type of the plan, as opposed to its general pattern.
const ANY_TYPE = ~NATIONAL_PATTERN_BIT;

function canBeCompleted(tables: NumberingPlanAutomaton, digits: string): boolean {
  const { automaton } = tables;
  let states = new Set([automaton.stateAfter(digits, 0, digits.length)]);
  for (let added = 1; added <= MAX_MISSING_DIGITS; added++) {
    const following = new Set<number>();
    for (const state of states) {
      for (let digit = 0; digit <= 9; digit++) {
        const next = automaton.next(state, digit);
        if (next !== DEAD_STATE) following.add(next);
      }
    }
    const allowed = allowedAtLength(tables, digits.length + added);
    for (const state of following) if (automaton.accepted(state) & allowed & ANY_TYPE) return true;
    states = following;
  }
  return false;
}

function hasValidPrefix(tables: NumberingPlanAutomaton, digits: string): boolean {
  let state = 0;
  for (let length = 1; length < digits.length && state !== DEAD_STATE; length++) {
    state = tables.automaton.next(state, digits.charCodeAt(length - 1) - 48);
    if (tables.automaton.accepted(state) & allowedAtLength(tables, length) & ANY_TYPE) return true;
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
  const tables = numberingPlanAutomaton(plan);
  if (!tables || !/^\d*$/.test(nationalNumber)) return 'invalid';
  const candidates = [nationalNumber];
  const prefix = plan.nationalPrefixForParsing?.exec(nationalNumber);
  if (prefix && prefix[0] !== '') candidates.push(nationalNumber.slice(prefix[0].length));
  let short = false;
  let long = false;
  for (const digits of candidates) {
    short ||= canBeCompleted(tables, digits);
    long ||= hasValidPrefix(tables, digits);
  }
  if (short === long) return 'invalid';
  return short ? 'too-short' : 'too-long';
}
