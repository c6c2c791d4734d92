import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EXPLICIT_LEAD_DATA_KEY,
  MAX_LEAD_DATA_KEY_LENGTH,
  isReservedLeadDataKey,
  sanitiseLeadDataKey,
} from '../../../shared/leads/lead-data-key';

describe('sanitiseLeadDataKey', () => {
  it.each([
    ['Notes', 'notes'],
    ['Date of Birth', 'dateOfBirth'],
    ['date_of_birth', 'dateOfBirth'],
    ['POSTCODE', 'postcode'],
    ['postCode', 'postCode'],
    ['Policy #', 'policy'],
    ['Prénom', 'prenom'],
    ['Straße', 'strae'],
    ['Größe Kunde', 'groeKunde'],
    ['2nd Contact', 'field2ndContact'],
    ['__proto__', 'proto'],
    ['constructor', 'fieldConstructor'],
    ['Constructor', 'fieldConstructor'],
    ['prototype', 'fieldPrototype'],
    ['hasOwnProperty', 'fieldHasOwnProperty'],
    ['has_own_property', 'fieldHasOwnProperty'],
    ['to string', 'fieldToString'],
    ['toJSON', 'fieldToJson'],
    ['', 'column3'],
    ['名前', 'column3'],
    ['!!!', 'column3'],
  ])('%j → %j', (header, key) => {
    expect(sanitiseLeadDataKey(header, 3)).toBe(key);
  });

  it('cuts long headers to the maximum length', () => {
    expect(sanitiseLeadDataKey('word '.repeat(100), 1)).toHaveLength(MAX_LEAD_DATA_KEY_LENGTH);
    expect(sanitiseLeadDataKey('x'.repeat(1_000_000), 1)).toHaveLength(MAX_LEAD_DATA_KEY_LENGTH);
  });

  it('always gives a safe key: letters and digits, a letter first, not reserved, at most 64', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 1, max: 10_000 }), (header, n) => {
        const key = sanitiseLeadDataKey(header, n);
        expect(key).toMatch(/^[a-z][A-Za-z0-9]*$/);
        expect(key.length).toBeLessThanOrEqual(MAX_LEAD_DATA_KEY_LENGTH);
        expect(isReservedLeadDataKey(key)).toBe(false);
        expect(EXPLICIT_LEAD_DATA_KEY.test(key)).toBe(true);
      }),
    );
  });
});

describe('isReservedLeadDataKey', () => {
  it.each(['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'TOSTRING', 'valueOf', 'toJSON'])('%j is reserved', (key) => {
    expect(isReservedLeadDataKey(key)).toBe(true);
  });

  it('covers every property of Object.prototype', () => {
    for (const key of Object.getOwnPropertyNames(Object.prototype)) expect(isReservedLeadDataKey(key)).toBe(true);
  });

  it.each(['notes', 'email', 'proto', 'construct'])('%j is not reserved', (key) => {
    expect(isReservedLeadDataKey(key)).toBe(false);
  });
});
