import { describe, expect, it } from 'vitest';
import { dialableResult, isInNotDialableRange, rejectPhone } from '../../../shared/leads/phone-dialability';

describe('dialableResult', () => {
  it.each(['MOBILE', 'FIXED_LINE', 'FIXED_LINE_OR_MOBILE', 'VOIP', 'PERSONAL_NUMBER'] as const)('accepts %s', (type) => {
    expect(dialableResult('44', '7400123456', type)).toEqual({ ok: true, e164: '+447400123456', type });
  });

  it('accepts a valid number of a plan without types as UNKNOWN', () => {
    expect(dialableResult('800', '12345678', undefined)).toEqual({ ok: true, e164: '+80012345678', type: 'UNKNOWN' });
  });

  it.each(['PREMIUM_RATE', 'TOLL_FREE', 'SHARED_COST', 'UAN', 'PAGER', 'VOICEMAIL'] as const)('refuses %s', (type) => {
    expect(dialableResult('44', '9098765432', type)).toEqual({ ok: false, reason: 'not-dialable' });
  });

  it('refuses the AU 014 and 0550 ranges whatever their type', () => {
    expect(dialableResult('61', '147123456', 'VOIP')).toEqual({ ok: false, reason: 'not-dialable' });
    expect(dialableResult('61', '550123456', 'MOBILE')).toEqual({ ok: false, reason: 'not-dialable' });
  });
});

describe('isInNotDialableRange', () => {
  it.each([
    ['61', '145123456', true],
    ['61', '550123456', true],
    ['61', '55012345', false],
    ['61', '412345678', false],
    ['64', '145123456', false],
  ])('+%s %s → %s', (callingCode, nsn, expected) => {
    expect(isInNotDialableRange(callingCode, nsn)).toBe(expected);
  });
});

describe('rejectPhone', () => {
  it('returns a frozen reason-only result', () => {
    const result = rejectPhone('too-long');
    expect(result).toEqual({ ok: false, reason: 'too-long' });
    expect(Object.isFrozen(result)).toBe(true);
  });
});
