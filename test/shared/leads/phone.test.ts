import { describe, expect, it } from 'vitest';
import { normalisePhone, type PhoneRejectionReason } from '../../../shared/leads/phone';
import { normalisePhoneWithLibrary } from '../../../shared/leads/phone-library-path';

const MOBILE = { ok: true, e164: '+61412345678', type: 'MOBILE' } as const;

describe('normalisePhone: formats seen in the wild', () => {
  it.each([
    '0412 345 678',
    '(04) 1234 5678',
    '61412345678',
    '+61 412 345 678',
    '+61412345678',
    '0011 61 412 345 678',
    '412345678',
    '04.12.345.678',
    '0412.345.678',
    '0412-345-678',
    '04 12 34 56 78',
    '+61 (0) 412 345 678',
    '+61 0412 345 678',
    '61 0412 345 678',
    'tel:+61412345678',
    'TEL:+61-412-345-678',
    '  0412 345 678\t',
    '\u00a00412\u00a0345\u00a0678',
    "'0412345678",
    "' 0412 345 678",
    '="0412345678"',
    '412345678.0',
    '61412345678.0',
  ])('%j is the mobile +61412345678', (raw) => {
    expect(normalisePhone(raw)).toEqual(MOBILE);
    expect(normalisePhoneWithLibrary(raw)).toEqual(MOBILE);
  });

  it.each([
    ['(02) 9876 5432', '+61298765432'],
    ['02 9876 5432', '+61298765432'],
    ['03-9876-5432', '+61398765432'],
    ['(07) 3123 4567', '+61731234567'],
    ['08 8123 4567', '+61881234567'],
    ['+61 2 9876 5432', '+61298765432'],
    ['298765432', '+61298765432'],
  ])('%j is the fixed line %s', (raw, e164) => {
    expect(normalisePhone(raw)).toEqual({ ok: true, e164, type: 'FIXED_LINE' });
  });

  it('reads Cocos (Keeling) and Christmas Island fixed lines, which share +61 (library path)', () => {
    expect(normalisePhone('08 9162 1234')).toEqual({ ok: true, e164: '+61891621234', type: 'FIXED_LINE' });
    expect(normalisePhone('08 9164 1234')).toEqual({ ok: true, e164: '+61891641234', type: 'FIXED_LINE' });
  });

  it('accepts valid, dialable numbers of other countries written with +', () => {
    expect(normalisePhone('+44 20 7946 0958')).toEqual({ ok: true, e164: '+442079460958', type: 'FIXED_LINE' });
    expect(normalisePhone('+64 21 123 4567')).toEqual({ ok: true, e164: '+64211234567', type: 'MOBILE' });
    expect(normalisePhone('+1 212 555 0123')).toEqual({ ok: true, e164: '+12125550123', type: 'FIXED_LINE_OR_MOBILE' });
  });

  it('reads national numbers in the default region given', () => {
    expect(normalisePhone('021 123 4567', 'NZ')).toEqual({ ok: true, e164: '+64211234567', type: 'MOBILE' });
    expect(normalisePhone('+61 412 345 678', 'NZ')).toEqual(MOBILE);
    expect(normalisePhone('0412 345 678', 'NZ')).not.toEqual(MOBILE);
  });
});

describe('normalisePhone: reason codes', () => {
  const cases: Array<[string, PhoneRejectionReason, string]> = [
    ['', 'invalid', 'empty'],
    ['N/A', 'invalid', 'not a number'],
    ['call me on 0412 345 678', 'invalid', 'text around the number'],
    ['0512 345 678', 'invalid', 'no such range'],
    ['0441 234 567', 'invalid', 'unallocated mobile range'],
    ['+999 123 456 789', 'invalid', 'unknown calling code'],
    ['4.12345678E+08', 'invalid', 'Excel scientific notation (digits may be lost)'],
    ['6.14123E+10', 'invalid', 'Excel scientific notation, rounded'],
    ['0412 345 678 x123', 'invalid', 'extension'],
    ['0412 345 678 ext. 123', 'invalid', 'extension'],
    ['tel:+61-412-345-678;ext=12', 'invalid', 'RFC 3966 extension'],
    ['0'.repeat(65), 'invalid', 'longer than any phone cell'],
    ['0', 'too-short', 'one digit'],
    ['12', 'too-short', 'shorter than any AU number'],
    ['0412 345 67', 'too-short', 'mobile missing a digit'],
    ['0412 345 6', 'too-short', 'mobile missing two digits'],
    ['(02) 9876 543', 'too-short', 'fixed line missing a digit'],
    ['+61 412 345 67', 'too-short', 'international mobile missing a digit'],
    ['0412 345 6789', 'too-long', 'mobile with a digit extra'],
    ['0412 345 678 90', 'too-long', 'mobile with two digits extra'],
    ['+61 412 345 6789', 'too-long', 'international mobile with a digit extra'],
    ['+61 4123 4567 8901 2345', 'too-long', 'longer than any national number'],
    ['1300 123 456', 'not-dialable', 'shared cost 1300'],
    ['13 12 34', 'not-dialable', 'shared cost 13'],
    ['1800 123 456', 'not-dialable', 'toll free 1800'],
    ['1900 123 456', 'not-dialable', 'premium 190x'],
    ['0163 123 456', 'not-dialable', 'pager'],
    ['0550 123 456', 'not-dialable', '0550 (absent from the metadata)'],
    ['0147 123 456', 'not-dialable', '014 (VOIP in the metadata)'],
    ['0145 123 456', 'not-dialable', '014 (invalid in the metadata)'],
    ['+61 1300 123 456', 'not-dialable', 'shared cost, international'],
    ['+1 800 555 0100', 'not-dialable', 'toll free abroad'],
    ['+44 909 876 5432', 'not-dialable', 'premium abroad'],
  ];

  it.each(cases)('%j is %s (%s)', (raw, reason) => {
    expect(normalisePhone(raw)).toEqual({ ok: false, reason });
    expect(normalisePhoneWithLibrary(raw)).toEqual({ ok: false, reason });
  });

  it('a rejection carries the reason only, never the number', () => {
    for (const [raw] of cases) {
      const result = normalisePhone(raw);
      expect(Object.keys(result).sort()).toEqual(['ok', 'reason']);
      expect(JSON.stringify(result)).not.toMatch(/\d/);
    }
  });
});
