import { describe, expect, it } from 'vitest';
import { FAST_PATH_ENABLED, fastNormalisePhone } from '../../../shared/leads/phone-fast-path';

describe('fastNormalisePhone', () => {
  it('is enabled with the installed libphonenumber metadata', () => {
    expect(FAST_PATH_ENABLED).toBe(true);
  });

  it.each([
    ['0412 345 678', { ok: true, e164: '+61412345678', type: 'MOBILE' }],
    ['+61 (0) 412 345 678', { ok: true, e164: '+61412345678', type: 'MOBILE' }],
    ['0011 61 412 345 678', { ok: true, e164: '+61412345678', type: 'MOBILE' }],
    ['0014 61 412 345 678', { ok: true, e164: '+61412345678', type: 'MOBILE' }], // a carrier's IDD, from the metadata
    ['61412345678', { ok: true, e164: '+61412345678', type: 'MOBILE' }],
    ["'412345678", { ok: true, e164: '+61412345678', type: 'MOBILE' }],
    ['(02) 9876-5432', { ok: true, e164: '+61298765432', type: 'FIXED_LINE' }],
    ['1300 123 456', { ok: false, reason: 'not-dialable' }],
    ['0147 123 456', { ok: false, reason: 'not-dialable' }],
  ])('answers %j itself', (raw, expected) => {
    expect(fastNormalisePhone(raw, 'AU')).toEqual(expected);
  });

  it('answers +61 numbers in any default region, national ones only in AU', () => {
    expect(fastNormalisePhone('+61 412 345 678', 'NZ')).toEqual({ ok: true, e164: '+61412345678', type: 'MOBILE' });
    expect(fastNormalisePhone('0412 345 678', 'NZ')).toBeUndefined();
  });

  it.each([
    '0412 345 67', // invalid: the library path finds the reason
    '0441 234 567',
    '08 9162 1234', // Cocos (Keeling) Islands
    '+44 20 7946 0958',
    '0412 345 678 x12',
    'tel:+61412345678',
    '="0412345678"',
    '412345678.0',
    '4.12345678E+08',
    '0412\t345678',
    '1831 0412 345 678',
    '０４１２３４５６７８',
    '',
  ])('leaves %j to the library path', (raw) => {
    expect(fastNormalisePhone(raw, 'AU')).toBeUndefined();
  });
});
