import { describe, expect, it } from 'vitest';
import { createKeyedHasher, keyedHash } from '../../../shared/dedupe/keyed-hash';
import { customerKeyDedupeDigest, phoneDedupeDigest } from '../../../shared/dedupe/lead-dedupe-keys';

const secret = 'a test secret of thirty-two bytes';
const hash = createKeyedHasher(secret);

describe('lead dedupe digests', () => {
  it('hash a label, the list and the value', () => {
    expect(phoneDedupeDigest(hash, 1042, '+61412345678')).toEqual(keyedHash(secret, 'lead-phone/v1', '1042', '+61412345678'));
    expect(customerKeyDedupeDigest(hash, '1042', 'C-1')).toEqual(keyedHash(secret, 'lead-customer-key/v1', '1042', 'C-1'));
  });

  it('never give a phone and a customer key of the same text one digest', () => {
    expect(phoneDedupeDigest(hash, 1, '+61412345678')).not.toEqual(customerKeyDedupeDigest(hash, 1, '+61412345678'));
  });

  it('are scoped by list', () => {
    expect(phoneDedupeDigest(hash, 1, '+61412345678')).not.toEqual(phoneDedupeDigest(hash, 2, '+61412345678'));
  });
});
