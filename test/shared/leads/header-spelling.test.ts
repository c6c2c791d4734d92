import { describe, expect, it } from 'vitest';
import { headerSpelling } from '../../../shared/leads/header-spelling';

describe('headerSpelling', () => {
  it.each([
    ['Phone 1', 'phone1'],
    ['phone_1', 'phone1'],
    ['PHONE-1', 'phone1'],
    ['  Mobile\tPhone ', 'mobilephone'],
    ['E-mail', 'email'],
    ['\uFEFFCustomer Key', 'customerkey'],
    ['Customer\u00a0ID', 'customerid'],
    ['Next–Attempt', 'nextattempt'],
    ['ＰＨＯＮＥ', 'phone'],
    ['État', 'état'],
    ['', ''],
    [' _-_ ', ''],
  ])('%j → %j', (header, spelling) => {
    expect(headerSpelling(header)).toBe(spelling);
  });
});
