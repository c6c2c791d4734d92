import { describe, expect, it } from 'vitest';
import { MAX_PHONE_INPUT_LENGTH, unwrapPhoneInput } from '../../../shared/leads/phone-input';

describe('unwrapPhoneInput', () => {
  it.each([
    ['  0412 345 678  ', '0412 345 678'],
    ["'0412345678", '0412345678'],
    ["' 0412345678", '0412345678'],
    ['="0412345678"', '0412345678'],
    ['="\'0412345678"', '0412345678'],
    ['tel:+61-412-345-678', '+61-412-345-678'],
    ['TEL:0412345678', '0412345678'],
    ['412345678.0', '412345678'],
    ['+61412345678.00', '+61412345678'],
    ['0412.345.678', '0412.345.678'],
    ['0412345678 x12', '0412345678 x12'],
  ])('%j → %j', (raw, text) => {
    expect(unwrapPhoneInput(raw)).toEqual({ text });
  });

  it.each(['', '   ', 'N/A', 'none', 'tel:', "'"])('rejects %j, which has no digit', (raw) => {
    expect(unwrapPhoneInput(raw)).toEqual({ reason: 'invalid' });
  });

  it.each(['4.12345678E+08', '6.14123E+10', '6,14123E+10', '4.1e8'])('rejects Excel scientific notation %j', (raw) => {
    expect(unwrapPhoneInput(raw)).toEqual({ reason: 'invalid' });
  });

  it('rejects a cell too long to be a phone number, after trimming', () => {
    expect(unwrapPhoneInput('1'.repeat(MAX_PHONE_INPUT_LENGTH + 1))).toEqual({ reason: 'invalid' });
    expect(unwrapPhoneInput(` ${'1'.repeat(MAX_PHONE_INPUT_LENGTH)} `)).toEqual({ text: '1'.repeat(MAX_PHONE_INPUT_LENGTH) });
  });
});
