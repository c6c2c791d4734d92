/**
 * Keyed hashes (HMAC-SHA256) of lead identities, and the 64-bit fingerprints the dedupe index holds.
 *
 * Why keyed: an Australian mobile number has about 1e9 possible values, so a plain or salted hash
 * of one is reversed by hashing every number, in minutes on a laptop. Only an HMAC under a secret
 * the reader does not have is safe to store: a dedupe checkpoint in S3, a suppression record, a log
 * line. Plain hashes of personal data are never computed here, and only keyed hashes (or fingerprints
 * taken from them) may leave memory. Rotating the secret makes every stored hash unmatchable, which
 * is also how stored hashes are retired.
 *
 * Parts are encoded unambiguously: each is its UTF-8 byte length (4 bytes, big-endian) then its
 * bytes, so `('ab', 'c')` and `('a', 'bc')` hash differently. Strings are encoded as UTF-8, where a
 * lone surrogate becomes U+FFFD; text decoded from a file never has one.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';

/** The shortest secret accepted: shorter ones are more likely a mistake (an empty variable) than a key. */
export const MIN_SECRET_BYTES = 16;

/** Bytes in a digest. */
export const DIGEST_BYTES = 32;

/** Hashes parts under the secret it was created with; returns the 32-byte digest. */
export type KeyedHasher = (...parts: string[]) => Uint8Array;

/**
 * A hasher bound to one secret: the secret is imported once rather than on every call.
 *
 * @throws RangeError when the secret is shorter than {@link MIN_SECRET_BYTES} bytes.
 * @example
 * const hash = createKeyedHasher(secretBytes);
 * hash('lead-phone/v1', '1042', '+61412345678') // Uint8Array(32)
 */
export function createKeyedHasher(secret: Uint8Array | string): KeyedHasher {
  const key = importSecret(secret);
  return (...parts) => hmac(key, parts);
}

/**
 * The HMAC-SHA256 of the parts under the secret; prefer {@link createKeyedHasher} in loops.
 *
 * @throws RangeError when the secret is shorter than {@link MIN_SECRET_BYTES} bytes.
 * @example toBase64Url(keyedHash(secret, 'lead-customer-key/v1', '1042', 'C-1001')) // 43 characters
 */
export function keyedHash(secret: Uint8Array | string, ...parts: string[]): Uint8Array {
  return hmac(importSecret(secret), parts);
}

/**
 * A digest as unpadded base64url, for keys and documents.
 *
 * @example toBase64Url(new Uint8Array([251, 255])) // '-_8'
 */
export function toBase64Url(digest: Uint8Array): string {
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString('base64url');
}

/**
 * The 64-bit fingerprint of a digest: its first 8 bytes, big-endian. Two different keys share a
 * fingerprint with probability 2^-64; among n keys some pair does with about n²/2^65 (3e-8 at 1M keys).
 *
 * @example fingerprint64(new Uint8Array([0, 0, 0, 1, 0, 0, 0, 2])) // 4294967298n
 */
export function fingerprint64(digest: Uint8Array): bigint {
  return (BigInt(fingerprintHigh(digest)) << 32n) | BigInt(fingerprintLow(digest));
}

/**
 * The high 32 bits of a digest's fingerprint (bytes 0-3, big-endian) as an unsigned number.
 *
 * @example fingerprintHigh(new Uint8Array([0, 0, 1, 2, 9, 9, 9, 9])) // 258
 */
export function fingerprintHigh(digest: Uint8Array): number {
  checkDigest(digest);
  return ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
}

/**
 * The low 32 bits of a digest's fingerprint (bytes 4-7, big-endian) as an unsigned number.
 *
 * @example fingerprintLow(new Uint8Array([9, 9, 9, 9, 0, 0, 1, 2])) // 258
 */
export function fingerprintLow(digest: Uint8Array): number {
  checkDigest(digest);
  return ((digest[4]! << 24) | (digest[5]! << 16) | (digest[6]! << 8) | digest[7]!) >>> 0;
}

function checkDigest(digest: Uint8Array): void {
  if (digest.length < 8) throw new RangeError('a fingerprint needs at least 8 digest bytes');
}

function importSecret(secret: Uint8Array | string): KeyObject {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.byteLength < MIN_SECRET_BYTES) {
    throw new RangeError(`keyed hash secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return createSecretKey(bytes);
}

function hmac(key: KeyObject, parts: readonly string[]): Uint8Array {
  // One buffer and one update: per-part updates cost more than the copy on short keys.
  let total = 0;
  const lengths = new Array<number>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    lengths[i] = Buffer.byteLength(parts[i]!, 'utf8');
    total += 4 + lengths[i]!;
  }
  const message = Buffer.allocUnsafe(total);
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    offset = message.writeUInt32BE(lengths[i]!, offset);
    offset += message.write(parts[i]!, offset, 'utf8');
  }
  return createHmac('sha256', key).update(message).digest();
}
