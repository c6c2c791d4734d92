/**
 * A country's numbering plan read from libphonenumber's `/max` metadata and compiled once into RegExps.
 *
 * The fast path and the length reasons read the same data `libphonenumber-js/max` validates with (the
 * very same module instance), so a library upgrade changes what they know without a hand-written range
 * going stale. The layout read here is metadata format version 4 (libphonenumber-js `METADATA.md`); any
 * other layout compiles to `undefined`, and callers then defer to the library.
 */
import metadata from 'libphonenumber-js/metadata.max.json';
import type { CountryCode, PhoneNumberType } from 'libphonenumber-js/max';
import { compileDigitAutomaton, type DigitAutomaton } from './phone-digit-automaton';

/** One number type of a plan: its full-match pattern and the national number lengths it allows. */
export interface CompiledNumberType {
  readonly type: PhoneNumberType;
  /** The metadata's pattern text, as written there (for compiling it further). */
  readonly source: string;
  readonly pattern: RegExp;
  readonly lengths: readonly number[];
}

/** The parts of a numbering plan that parsing and validation depend on. */
export interface CompiledNumberingPlan {
  readonly country: CountryCode;
  readonly callingCode: string;
  /** Full match of any national significant number of the plan. */
  readonly nationalPattern: RegExp;
  readonly possibleLengths: readonly number[];
  /** Matches the national (trunk) prefix, or a carrier selection code, at the start of a national number. */
  readonly nationalPrefixForParsing: RegExp | undefined;
  /** Whether a captured national prefix is rewritten rather than dropped (then parsing is not a plain strip). */
  readonly hasNationalPrefixTransform: boolean;
  /**
   * The international (IDD) prefix, anchored: the library strips its leftmost match only when that match
   * starts the number, which is the match an anchored pattern finds (and fails fast otherwise).
   */
  readonly iddPrefix: RegExp;
  /** Types in the order libphonenumber's `getNumberType` tries them: fixed line first. */
  readonly types: readonly CompiledNumberType[];
  /** Whether the mobile pattern was folded into the fixed-line one (then fixed lines are FIXED_LINE_OR_MOBILE). */
  readonly mobileSameAsFixed: boolean;
  /** The metadata's pattern texts behind the RegExps above. */
  readonly sources: {
    readonly national: string;
    readonly idd: string;
    readonly nationalPrefixForParsing: string | undefined;
  };
}

const METADATA_FORMAT_VERSION = 4;

// Index of each type in a v4 `types` array, in libphonenumber's `getNumberType` order (fixed line first).
const TYPE_INDEX: ReadonlyArray<readonly [PhoneNumberType, number]> = [
  ['FIXED_LINE', 0],
  ['MOBILE', 1],
  ['PREMIUM_RATE', 3],
  ['TOLL_FREE', 2],
  ['SHARED_COST', 9],
  ['VOIP', 8],
  ['PERSONAL_NUMBER', 4],
  ['PAGER', 7],
  ['UAN', 6],
  ['VOICEMAIL', 5],
];

const cache = new Map<string, CompiledNumberingPlan | undefined>();

function isLengthList(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((n) => typeof n === 'number');
}

function fullMatch(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

function compile(country: CountryCode): CompiledNumberingPlan | undefined {
  if (metadata.version !== METADATA_FORMAT_VERSION) return undefined;
  const plan: unknown = metadata.countries[country];
  if (!Array.isArray(plan)) return undefined;
  const [callingCode, idd, nationalPattern, possibleLengths] = plan as unknown[];
  const nationalPrefix: unknown = plan[5];
  const prefixForParsing: unknown = plan[7] || nationalPrefix;
  const transform: unknown = plan[8];
  const rawTypes: unknown = plan[11];
  if (
    typeof callingCode !== 'string' ||
    typeof idd !== 'string' ||
    typeof nationalPattern !== 'string' ||
    !isLengthList(possibleLengths) ||
    !Array.isArray(rawTypes)
  ) {
    return undefined;
  }
  const types: CompiledNumberType[] = [];
  let mobileSameAsFixed = false;
  for (const [type, index] of TYPE_INDEX) {
    const entry: unknown = rawTypes[index];
    if (!Array.isArray(entry)) continue;
    const [pattern, lengths]: unknown[] = entry;
    if (typeof pattern !== 'string') return undefined;
    if (pattern === '') {
      if (type === 'MOBILE') mobileSameAsFixed = true;
      continue;
    }
    types.push({ type, source: pattern, pattern: fullMatch(pattern), lengths: isLengthList(lengths) ? lengths : possibleLengths });
  }
  const hasMobile = Array.isArray(rawTypes[1]);
  const prefixSource = typeof prefixForParsing === 'string' && prefixForParsing !== '' ? prefixForParsing : undefined;
  return {
    country,
    callingCode,
    nationalPattern: fullMatch(nationalPattern),
    possibleLengths,
    nationalPrefixForParsing: prefixSource === undefined ? undefined : new RegExp(`^(?:${prefixSource})`),
    hasNationalPrefixTransform: typeof transform === 'string' && transform !== '',
    iddPrefix: new RegExp(`^(?:${idd})`),
    types,
    // libphonenumber also reports FIXED_LINE_OR_MOBILE when a plan has no mobile entry at all.
    mobileSameAsFixed: mobileSameAsFixed || !hasMobile,
    sources: { national: nationalPattern, idd, nationalPrefixForParsing: prefixSource },
  };
}

/**
 * The compiled numbering plan of a country, built on first use and cached.
 *
 * @returns `undefined` for an unknown country or a metadata layout this reader does not know.
 * @example numberingPlan('AU')?.callingCode // '61'
 */
export function numberingPlan(country: CountryCode): CompiledNumberingPlan | undefined {
  if (!cache.has(country)) cache.set(country, compile(country));
  return cache.get(country);
}

/**
 * The country whose plan carries the shared data of a calling code (AU for +61, US for +1).
 *
 * @example mainCountryForCallingCode('61') // 'AU'
 */
export function mainCountryForCallingCode(callingCode: string): CountryCode | undefined {
  const countries: unknown = (metadata.country_calling_codes as Record<string, unknown>)[callingCode];
  return Array.isArray(countries) && typeof countries[0] === 'string' ? (countries[0] as CountryCode) : undefined;
}

/**
 * Whether any country has this calling code.
 *
 * @example isCallingCode('6') // false
 */
export function isCallingCode(callingCode: string): boolean {
  return Object.hasOwn(metadata.country_calling_codes, callingCode);
}

/**
 * The type of a national significant number in a plan, decided the way libphonenumber's `getNumberType`
 * decides it (general pattern, then fixed line, then the other types in order).
 *
 * @returns `undefined` when the number is not valid in the plan.
 * @example typeInPlan(numberingPlan('AU')!, '412345678') // 'MOBILE'
 */
export function typeInPlan(plan: CompiledNumberingPlan, nationalNumber: string): PhoneNumberType | undefined {
  if (!plan.nationalPattern.test(nationalNumber)) return undefined;
  const length = nationalNumber.length;
  for (const entry of plan.types) {
    if (!entry.lengths.includes(length) || !entry.pattern.test(nationalNumber)) continue;
    if (entry.type !== 'FIXED_LINE') return entry.type;
    if (plan.mobileSameAsFixed) return 'FIXED_LINE_OR_MOBILE';
    const mobile = plan.types.find((t) => t.type === 'MOBILE');
    return mobile && mobile.lengths.includes(length) && mobile.pattern.test(nationalNumber) ? 'FIXED_LINE_OR_MOBILE' : 'FIXED_LINE';
  }
  return undefined;
}

/** A plan's patterns as one digit automaton: bit 0 is the general pattern, bit `i + 1` the plan's type `i`. */
export interface NumberingPlanAutomaton {
  readonly automaton: DigitAutomaton;
  /** Per national number length: bit 0 and the bits of the types allowing that length (see {@link allowedAtLength}). */
  readonly lengthMasks: Int32Array;
}

/** Bit 0 of a plan automaton's matches: the plan's general pattern. */
export const NATIONAL_PATTERN_BIT = 1;

/**
 * The bit of the plan's type at `index` (in {@link CompiledNumberingPlan.types}) in a plan automaton's matches.
 *
 * @example typeBit(0) // 2
 */
export function typeBit(index: number): number {
  return 2 << index;
}

/**
 * The matches that count at a national number length: the general pattern always, a type only at its lengths.
 *
 * @example allowedAtLength(tables, 9) & typeBit(1) // non-zero for AU, whose mobiles have 9 digits
 */
export function allowedAtLength(tables: NumberingPlanAutomaton, length: number): number {
  return tables.lengthMasks[length] ?? NATIONAL_PATTERN_BIT;
}

const automata = new WeakMap<CompiledNumberingPlan, NumberingPlanAutomaton | null>();

/**
 * A plan compiled into a digit automaton, built on first use and cached.
 *
 * @returns `undefined` when a pattern of the plan is outside the automaton's subset.
 * @example numberingPlanAutomaton(numberingPlan('AU')!)?.automaton.fullMatches('412345678', 0) // 0b101 (general, mobile)
 */
export function numberingPlanAutomaton(plan: CompiledNumberingPlan): NumberingPlanAutomaton | undefined {
  let tables = automata.get(plan);
  if (tables === undefined) {
    const automaton = compileDigitAutomaton([plan.sources.national, ...plan.types.map((type) => type.source)]);
    tables = null;
    if (automaton) {
      const longest = Math.max(0, ...plan.possibleLengths, ...plan.types.flatMap((type) => type.lengths));
      const lengthMasks = new Int32Array(longest + 1).fill(NATIONAL_PATTERN_BIT);
      plan.types.forEach((type, index) => {
        for (const length of type.lengths) lengthMasks[length] = (lengthMasks[length] ?? 0) | typeBit(index);
      });
      tables = { automaton, lengthMasks };
    }
    automata.set(plan, tables);
  }
  return tables ?? undefined;
}
