import fc from 'fast-check';
import type { CountryCode } from 'libphonenumber-js/max';
import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../../shared/leads/phone';
import { FAST_PATH_ENABLED, fastNormalisePhone } from '../../../shared/leads/phone-fast-path';
import { normalisePhoneWithLibrary } from '../../../shared/leads/phone-library-path';

const RUNS = 20_000;

const SERVICE_AND_UNUSED_PREFIXES = [
  { digits: '13', rest: 4 },
  { digits: '1300', rest: 6 },
  { digits: '1800', rest: 6 },
  { digits: '190', rest: 7 },
  { digits: '550', rest: 6 },
  { digits: '14', rest: 7 },
  { digits: '163', rest: 6 },
  { digits: '5', rest: 8 },
  { digits: '6', rest: 8 },
  { digits: '1', rest: 8 },
];

/** National significant numbers after the common AU prefixes, at the right length and up to 2 digits off. */
const nationalNumber = fc
  .record({
    prefix: fc.oneof(
      { arbitrary: fc.constant({ digits: '4', rest: 8 }), weight: 6 },
      { arbitrary: fc.constantFrom({ digits: '2', rest: 8 }, { digits: '3', rest: 8 }, { digits: '7', rest: 8 }, { digits: '8', rest: 8 }), weight: 4 },
      { arbitrary: fc.constantFrom(...SERVICE_AND_UNUSED_PREFIXES), weight: 3 },
    ),
    lengthChange: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.integer({ min: -2, max: 2 }), weight: 1 }),
    digits: fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 10 }),
  })
  .map(({ prefix, lengthChange, digits }) => prefix.digits + digits.slice(0, Math.max(0, prefix.rest + lengthChange)).join(''));

/** How the national number is introduced. */
const lead = fc.oneof(
  { arbitrary: fc.constantFrom('0', '+61', '+61 ', '61', '0011 61 ', ''), weight: 6 },
  { arbitrary: fc.constantFrom('+61 (0)', '+610', '610', '001161', '+ 61', '00', '0014 61 ', '0011 0', '1831 0', '+6', '+64', '6'), weight: 1 },
);

/** Formatting inserted between digits (weighted to none) and around the whole. */
const separator = fc.oneof(
  { arbitrary: fc.constant(''), weight: 10 },
  { arbitrary: fc.constantFrom(' ', '-', '.', '(', ')', '/', '\u00a0', '  ', ' - ', ') '), weight: 2 },
);
const around = fc.constantFrom('', ' ', '\t', "'", "' ", ' \u00a0');

const formattedAuNumber = fc
  .record({
    lead,
    nsn: nationalNumber,
    separators: fc.array(separator, { minLength: 16, maxLength: 16 }),
    before: around,
    after: fc.constantFrom('', ' ', '  ', '.', '-', '.0', ' x12'),
  })
  .map(({ lead, nsn, separators, before, after }) => {
    const digits = lead + nsn;
    let text = '';
    for (let i = 0; i < digits.length; i++) text += digits[i] + (i < digits.length - 1 ? (separators[i] ?? '') : '');
    return before + text + after;
  });

const region = fc.oneof(
  { arbitrary: fc.constant<CountryCode>('AU'), weight: 8 },
  { arbitrary: fc.constantFrom<CountryCode>('NZ', 'GB', 'US', 'CX', 'CC'), weight: 1 },
);

describe('fast path against libphonenumber', () => {
  it('is switched on with the installed metadata', () => {
    expect(FAST_PATH_ENABLED).toBe(true);
  });

  it('gives the library path’s full result for generated AU numbers in every common format', () => {
    fc.assert(
      fc.property(formattedAuNumber, region, (raw, defaultRegion) => {
        const expected = normalisePhoneWithLibrary(raw, defaultRegion);
        const fast = fastNormalisePhone(raw, defaultRegion);
        if (fast !== undefined) expect(fast).toEqual(expected);
        expect(normalisePhone(raw, defaultRegion)).toEqual(expected);
      }),
      { numRuns: RUNS },
    );
  });

  it('answers valid mobiles and fixed lines in the common shapes itself', () => {
    const shapes = ['0', '+61', '+61 ', '61', '0011 61 ', ''];
    fc.assert(
      fc.property(nationalNumber, fc.constantFrom(...shapes), (nsn, shape) => {
        const raw = shape + nsn;
        const expected = normalisePhoneWithLibrary(raw, 'AU');
        fc.pre(expected.ok && (expected.type === 'MOBILE' || expected.type === 'FIXED_LINE'));
        expect(fastNormalisePhone(raw, 'AU')).toEqual(expected);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('normalisePhone properties', () => {
  it('is idempotent: an E.164 result normalises to itself, whatever the default region', () => {
    fc.assert(
      fc.property(formattedAuNumber, region, (raw, defaultRegion) => {
        const first = normalisePhone(raw, 'AU');
        if (!first.ok) return;
        expect(normalisePhone(first.e164, 'AU')).toEqual(first);
        expect(normalisePhone(first.e164, defaultRegion)).toEqual(first);
      }),
      { numRuns: RUNS / 4 },
    );
  });

  const phoneishText = fc.string({
    unit: fc.constantFrom(...'0123456789 +-().x#;,/\'"=eE:tel\u00a0\uff10\uff0b\t'.split('')),
    maxLength: 40,
  });
  const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ maxLength: 80 }), phoneishText);

  it('never throws, and a rejection never carries a digit of the input', () => {
    fc.assert(
      fc.property(anyText, region, (raw, defaultRegion) => {
        const result = normalisePhone(raw, defaultRegion);
        expect(result).toEqual(normalisePhoneWithLibrary(raw, defaultRegion));
        if (!result.ok) expect(JSON.stringify(result)).not.toMatch(/\d/);
      }),
      { numRuns: RUNS / 2 },
    );
  });
});
