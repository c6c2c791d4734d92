/**
 * The keyed hashes that identify a lead for dedupe: one per identity a repeated lead can share.
 *
 * Each purpose has its own label as the first hashed part, so a phone and a customer key that happen
 * to be the same text never share a digest, and a label's version can change the encoding later. Both
 * are scoped by list: the same person in two lists is two leads. Pass normalised values (an E.164
 * phone, a trimmed customer key): the hash of `0412 345 678` is not the hash of `+61412345678`.
 */
import type { KeyedHasher } from './keyed-hash';

/** Hashed-part label of the phone identity. */
export const PHONE_KEY_LABEL = 'lead-phone/v1';
/** Hashed-part label of the customer key identity. */
export const CUSTOMER_KEY_LABEL = 'lead-customer-key/v1';

/**
 * The digest of a lead's phone in a list.
 *
 * @example phoneDedupeDigest(hash, 1042, '+61412345678') // Uint8Array(32)
 */
export function phoneDedupeDigest(hash: KeyedHasher, listId: number | string, e164: string): Uint8Array {
  return hash(PHONE_KEY_LABEL, String(listId), e164);
}

/**
 * The digest of a lead's customer key in a list.
 *
 * @example customerKeyDedupeDigest(hash, 1042, 'C-000123') // Uint8Array(32)
 */
export function customerKeyDedupeDigest(hash: KeyedHasher, listId: number | string, customerKey: string): Uint8Array {
  return hash(CUSTOMER_KEY_LABEL, String(listId), customerKey);
}
