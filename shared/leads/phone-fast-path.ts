/**
 * The fast path of phone normalisation: Australian numbers in their common shapes, decided without
 * calling libphonenumber (about 20 µs a number there; well under 1 µs here).
 *
 * It computes what the library computes, from the library's own data, the AU numbering plan of the
 * `/max` metadata, compiled once at module load: the general pattern and every type's pattern into one
 * digit automaton (a table lookup per digit, `phone-digit-automaton.ts`), each type's lengths into a
 * bit mask per length, and the trunk and international prefix rules into their RegExps behind an
 * automaton filter and a memo of the few leading digits that decide them. It follows the library's
 * parsing steps for the shapes it recognises:
 *
 * - `0412 345 678`, `(02) 1234 5678`: the trunk prefix (`0`, per the metadata's prefix rule) dropped;
 * - `412345678`, `1300 123 456`: already a national significant number;
 * - `+61 412 345 678`, `+61 (0) 412 345 678`, `0011 61 412 345 678`: country code 61 (after the
 *   metadata's international prefix), then as above;
 * - `61412345678`: 61 without `+`, taken as the country code when the whole is not itself a national
 *   number (the library's rule);
 * - digits separated by spaces, no-break spaces, `-`, `.`, `(`, `)`, `/`, with an optional leading
 *   Excel apostrophe.
 *
 * It answers only when the national number has a type in the AU plan (mobile, fixed line, and also
 * 13/1300/1800/190, pagers and 014 VOIP, which it rejects as not dialable): AU's plan is tried first
 * for +61, so such a number is AU's and its type is the library's. Anything else (an invalid or
 * wrong-length number, Cocos and Christmas Island numbers, other countries, letters, extensions, carrier
 * selection codes, a single dot that may be a float artefact) returns `undefined` for the library path.
 *
 * At load it checks the assumptions above against the metadata and compares itself with the library on
 * a few samples; if anything differs (a future metadata layout or rule change) it switches itself off,
 * which costs speed, never correctness.
 */
import type { CountryCode, PhoneNumberType } from 'libphonenumber-js/max';
import type { PhoneResult } from './phone';
import { dialableResult } from './phone-dialability';
import { compileDigitAutomaton, longestDigitMatch, type DigitAutomaton } from './phone-digit-automaton';
import { MAX_PHONE_INPUT_LENGTH } from './phone-input';
import { normalisePhoneWithLibrary } from './phone-library-path';
import {
  NATIONAL_PATTERN_BIT,
  allowedAtLength,
  isCallingCode,
  mainCountryForCallingCode,
  numberingPlan,
  numberingPlanAutomaton,
  typeBit,
  type CompiledNumberingPlan,
  type NumberingPlanAutomaton,
} from './phone-numbering-plan';

const AU_CALLING_CODE = '61';

const SPACE = 0x20;
const NO_BREAK_SPACE = 0xa0;
const APOSTROPHE = 0x27;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const PLUS = 0x2b;
const HYPHEN = 0x2d;
const FULL_STOP = 0x2e;
const SLASH = 0x2f;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

// Character classes of the cells the fast path reads; anything else sends the cell to the library path.
const OTHER = 0;
const DIGIT = 1;
const SEPARATOR = 2;
const DOT = 3;
const CHARACTER_CLASS = new Uint8Array(0xa1);
for (let code = DIGIT_0; code <= DIGIT_9; code++) CHARACTER_CLASS[code] = DIGIT;
for (const code of [SPACE, NO_BREAK_SPACE, HYPHEN, OPEN_PAREN, CLOSE_PAREN, SLASH]) CHARACTER_CLASS[code] = SEPARATOR;
CHARACTER_CLASS[FULL_STOP] = DOT;

/**
 * The digits of a cell in one pass over its char codes, with a leading `+` kept; `undefined` for any
 * character outside the shapes above (the library path then decides).
 */
function formattedDigits(raw: string): string | undefined {
  const length = raw.length;
  if (length > MAX_PHONE_INPUT_LENGTH) return undefined;
  let i = 0;
  while (i < length && (raw.charCodeAt(i) === SPACE || raw.charCodeAt(i) === NO_BREAK_SPACE)) i++;
  if (i < length && raw.charCodeAt(i) === APOSTROPHE) {
    i++;
    while (i < length && (raw.charCodeAt(i) === SPACE || raw.charCodeAt(i) === NO_BREAK_SPACE)) i++;
  }
  const plus = i < length && raw.charCodeAt(i) === PLUS;
  if (plus) i++;
  // A cell of bare digits (after an optional "+") is its own answer: no copy.
  const clean = i === (plus ? 1 : 0);
  let digits = plus ? '+' : '';
  let runStart = i;
  let dots = 0;
  for (; i < length; i++) {
    const code = raw.charCodeAt(i);
    const kind = code < CHARACTER_CLASS.length ? CHARACTER_CLASS[code] : OTHER;
    if (kind === DIGIT) continue;
    if (kind === OTHER) return undefined;
    if (kind === DOT) dots++;
    if (runStart < i) digits += raw.slice(runStart, i);
    runStart = i + 1;
  }
  if (clean && runStart === (plus ? 1 : 0)) return raw;
  if (runStart < length) digits += raw.slice(runStart);
  // One dot may be a float's fraction (`412345678.0`), which the input rules treat differently.
  return dots === 1 ? undefined : digits;
}

// What PrefixRule.lengthAt answers besides a length.
const NO_PREFIX = -1;
const CAPTURED = -2;
// A memo key holds up to this many deciding digits (and a leading 1) in a safe integer.
const MEMO_KEY_DIGITS = 8;
const MEMO_LIMIT = 4096;

/**
 * A prefix rule of the plan (trunk prefix, international prefix) as the library applies it: its RegExp,
 * run only when the automaton says it can match here, and remembered by the leading digits that decide it.
 */
class PrefixRule {
  private readonly memo = new Map<number, number>();

  private constructor(
    private readonly sticky: RegExp,
    private readonly filter: DigitAutomaton,
    private readonly decidingDigits: number,
  ) {}

  static compile(pattern: string): PrefixRule | undefined {
    const filter = compileDigitAutomaton([pattern]);
    const longest = longestDigitMatch(pattern);
    if (!filter || longest === undefined) return undefined;
    // A rule reading more digits than a memo key holds just runs its RegExp.
    return new PrefixRule(new RegExp(pattern, 'y'), filter, longest <= MEMO_KEY_DIGITS ? longest : 0);
  }

  /** The length of the prefix at `from`: -1 when none, {@link CAPTURED} when it captured a group (a carrier code). */
  lengthAt(digits: string, from: number): number {
    if (!this.filter.matchesSomePrefix(digits, from)) return NO_PREFIX;
    if (this.decidingDigits === 0) return this.run(digits, from);
    const end = Math.min(digits.length, from + this.decidingDigits);
    let key = 1; // a leading 1 keeps "04" and "4" apart
    for (let i = from; i < end; i++) key = key * 10 + digits.charCodeAt(i) - DIGIT_0;
    let length = this.memo.get(key);
    if (length === undefined) {
      if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
      length = this.run(digits, from);
      this.memo.set(key, length);
    }
    return length;
  }

  private run(digits: string, from: number): number {
    this.sticky.lastIndex = from;
    const match = this.sticky.exec(digits);
    if (!match) return NO_PREFIX;
    for (let group = 1; group < match.length; group++) if (match[group] !== undefined) return CAPTURED;
    return match[0].length;
  }
}

/** The AU plan as tables. */
interface AuTables {
  readonly plan: CompiledNumberingPlan;
  readonly patterns: NumberingPlanAutomaton;
  readonly mobileBit: number;
  readonly trunkPrefix: PrefixRule | undefined;
  readonly iddPrefix: PrefixRule;
}

/** The AU tables, if every assumption the fast path makes about the plan holds; otherwise `undefined`. */
function compileAuTables(): AuTables | undefined {
  const plan = numberingPlan('AU');
  if (!plan || plan.callingCode !== AU_CALLING_CODE) return undefined;
  // AU first: the library gives a +61 number to the first plan that has a type for it.
  if (mainCountryForCallingCode(AU_CALLING_CODE) !== 'AU') return undefined;
  // The library reads a calling code from its shortest prefix up: "6" must not be one.
  if (isCallingCode(AU_CALLING_CODE.slice(0, 1))) return undefined;
  // A typed number must also pass the library's plan-wide length check after a trunk prefix is dropped.
  if (!plan.types.every((type) => type.lengths.every((length) => plan.possibleLengths.includes(length)))) return undefined;

  const { idd, nationalPrefixForParsing } = plan.sources;
  const patterns = numberingPlanAutomaton(plan);
  const iddPrefix = PrefixRule.compile(idd);
  const trunkPrefix = nationalPrefixForParsing === undefined ? undefined : PrefixRule.compile(nationalPrefixForParsing);
  if (!patterns || !iddPrefix || (nationalPrefixForParsing !== undefined && !trunkPrefix)) return undefined;
  const mobileIndex = plan.types.findIndex((type) => type.type === 'MOBILE');
  return { plan, patterns, mobileBit: mobileIndex < 0 ? 0 : typeBit(mobileIndex), trunkPrefix, iddPrefix };
}

let tables = compileAuTables();

/** The type of the national number `digits[from..]`, decided as the library's `getNumberType` decides it. */
function typeAt(au: AuTables, digits: string, from: number): PhoneNumberType | undefined {
  const matches = au.patterns.automaton.fullMatches(digits, from) & allowedAtLength(au.patterns, digits.length - from);
  if (!(matches & NATIONAL_PATTERN_BIT)) return undefined;
  const types = au.plan.types;
  for (let index = 0; index < types.length; index++) {
    if (!(matches & typeBit(index))) continue;
    const type = types[index]?.type;
    if (type !== 'FIXED_LINE') return type;
    return au.plan.mobileSameAsFixed || matches & au.mobileBit ? 'FIXED_LINE_OR_MOBILE' : 'FIXED_LINE';
  }
  return undefined;
}

/** The result for the national number written at `digits[from..]`, trunk prefix included, or `undefined`. */
function classifyAuNational(au: AuTables, digits: string, from: number): PhoneResult | undefined {
  let start = from;
  if (au.trunkPrefix) {
    const prefix = au.trunkPrefix.lengthAt(digits, from);
    // A captured group is a carrier selection code (AU 1831/1832) or a rewrite: the library's business.
    if (prefix === CAPTURED) return undefined;
    if (prefix > 0) start += prefix;
  }
  const type = typeAt(au, digits, start);
  return type === undefined ? undefined : dialableResult(AU_CALLING_CODE, digits.slice(start), type);
}

/**
 * Normalises an Australian number in a common shape without libphonenumber.
 *
 * @returns the same result as {@link normalisePhoneWithLibrary}, or `undefined` when this path is not
 *   certain of it.
 * @example fastNormalisePhone('0412 345 678', 'AU') // { ok: true, e164: '+61412345678', type: 'MOBILE' }
 * @example fastNormalisePhone('0412 345 67', 'AU') // undefined (the library path says why it fails)
 */
export function fastNormalisePhone(raw: string, defaultRegion: CountryCode): PhoneResult | undefined {
  const au = tables;
  if (!au) return undefined;
  const digits = formattedDigits(raw);
  if (digits === undefined) return undefined;
  if (digits.charCodeAt(0) === PLUS) {
    return digits.startsWith(AU_CALLING_CODE, 1) ? classifyAuNational(au, digits, 1 + AU_CALLING_CODE.length) : undefined;
  }
  // Without "+", the region decides the international prefix, the trunk prefix and the plan.
  if (defaultRegion !== 'AU') return undefined;
  const idd = au.iddPrefix.lengthAt(digits, 0);
  if (idd === CAPTURED) return undefined;
  if (idd > 0) {
    return digits.startsWith(AU_CALLING_CODE, idd) ? classifyAuNational(au, digits, idd + AU_CALLING_CODE.length) : undefined;
  }
  if (digits.startsWith(AU_CALLING_CODE)) {
    // `61…` is the country code only when the whole is not a national number of the plan.
    if (au.patterns.automaton.fullMatches(digits, 0) & NATIONAL_PATTERN_BIT) return undefined;
    if (au.trunkPrefix && au.trunkPrefix.lengthAt(digits, 0) !== NO_PREFIX) return undefined;
    return classifyAuNational(au, digits, AU_CALLING_CODE.length);
  }
  return classifyAuNational(au, digits, 0);
}

// Agreement with the library on one number of each shape, checked once at load.
const SELF_CHECK_SAMPLES = [
  '0412 345 678',
  '(04) 1234 5678',
  '+61 412 345 678',
  '+61 (0) 412 345 678',
  '61412345678',
  '0011 61 412 345 678',
  '412345678',
  "'0412345678",
  '(02) 9876 5432',
  '03-9876-5432',
  '07.3123.4567',
  '(08) 8123 4567',
  '1300 123 456',
  '1800 123 456',
  '1900 123 456',
  '0147 123 456',
];

function agreesWithLibrary(): boolean {
  return SELF_CHECK_SAMPLES.every((sample) => {
    const fast = fastNormalisePhone(sample, 'AU');
    return fast === undefined || JSON.stringify(fast) === JSON.stringify(normalisePhoneWithLibrary(sample, 'AU'));
  });
}

if (tables && !agreesWithLibrary()) tables = undefined;

/** Whether the fast path is on (it switches itself off when the metadata no longer fits its assumptions). */
export const FAST_PATH_ENABLED: boolean = tables !== undefined;
