import { describe, expect, it } from 'vitest';
import { invalidNumberReason } from '../../../shared/leads/phone-length-reason';

describe('invalidNumberReason', () => {
  it.each([
    ['4', 'too-short'], // shorter than any AU number
    ['41234567', 'too-short'], // mobile missing a digit (8 digits is a possible AU length)
    ['4123456', 'too-short'],
    ['2987654', 'too-short'],
    ['4123456789', 'too-long'], // mobile with one extra
    ['041234567890', 'too-long'], // the parser kept the trunk zero: the rest is a mobile with extras
    ['4123456789012345678', 'too-long'], // longer than any AU number
    ['512345678', 'invalid'],
    ['441234567', 'invalid'],
  ] as const)('AU %s → %s', (nsn, reason) => {
    expect(invalidNumberReason(nsn, 'AU')).toBe(reason);
  });

  it('works from any country’s plan', () => {
    expect(invalidNumberReason('21123456', 'NZ')).not.toBe('too-long');
    expect(invalidNumberReason('20794609580', 'GB')).toBe('too-long');
  });
});
