import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DIGEST_BYTES,
  createKeyedHasher,
  fingerprint64,
  fingerprintHigh,
  fingerprintLow,
  keyedHash,
  toBase64Url,
} from '../../../shared/dedupe/keyed-hash';

const secret = 'a test secret of thirty-two bytes';

describe('keyedHash', () => {
  it('is HMAC-SHA256 over length-prefixed UTF-8 parts', () => {
    const expected = createHmac('sha256', secret)
      .update(Buffer.from([0, 0, 0, 2]))
      .update('ab')
      .update(Buffer.from([0, 0, 0, 3]))
      .update('é1', 'utf8')
      .digest();
    expect(Buffer.from(keyedHash(secret, 'ab', 'é1'))).toEqual(expected);
    expect(keyedHash(secret, 'x')).toHaveLength(DIGEST_BYTES);
  });

  it('takes the secret as bytes or text alike', () => {
    expect(keyedHash(Buffer.from(secret), 'x')).toEqual(keyedHash(secret, 'x'));
  });

  it('depends on the secret', () => {
    expect(keyedHash(secret, 'x')).not.toEqual(keyedHash(`${secret}!`, 'x'));
  });

  it('rejects a short secret without echoing it', () => {
    expect(() => keyedHash('short', 'x')).toThrow(new RangeError('keyed hash secret must be at least 16 bytes'));
    expect(() => createKeyedHasher(new Uint8Array(15))).toThrow(RangeError);
  });

  it('encodes parts unambiguously', () => {
    const hash = createKeyedHasher(secret);
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 4 }), fc.array(fc.string(), { maxLength: 4 }), (a, b) => {
        fc.pre(JSON.stringify(a) !== JSON.stringify(b));
        expect(hash(...a)).not.toEqual(hash(...b));
      }),
    );
    expect(hash('ab', 'c')).not.toEqual(hash('a', 'bc'));
    expect(hash('a', '')).not.toEqual(hash('a'));
    expect(hash('')).not.toEqual(hash());
  });

  it('gives the same digests through a hasher', () => {
    expect(createKeyedHasher(secret)('1042', '+61412345678')).toEqual(keyedHash(secret, '1042', '+61412345678'));
  });
});

describe('fingerprints', () => {
  const digest = new Uint8Array([0xff, 0xee, 0xdd, 0xcc, 0x01, 0x02, 0x03, 0x04, 0x99]);

  it('reads the first 8 bytes big-endian', () => {
    expect(fingerprintHigh(digest)).toBe(0xffeeddcc);
    expect(fingerprintLow(digest)).toBe(0x01020304);
    expect(fingerprint64(digest)).toBe(0xffeeddcc01020304n);
    expect(fingerprint64(new Uint8Array(8))).toBe(0n);
  });

  it('agrees between the bigint and the word forms', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 32 }), (bytes) => {
        expect(fingerprint64(bytes)).toBe((BigInt(fingerprintHigh(bytes)) << 32n) | BigInt(fingerprintLow(bytes)));
        expect(fingerprint64(bytes)).toBe(Buffer.from(bytes).readBigUInt64BE(0));
      }),
    );
  });

  it('reads a digest at an offset in a larger buffer', () => {
    const backing = new Uint8Array(16);
    backing.set([0, 0, 0, 0, 0, 0, 0, 7], 8);
    expect(fingerprint64(backing.subarray(8))).toBe(7n);
  });

  it('rejects a digest shorter than 8 bytes', () => {
    expect(() => fingerprint64(new Uint8Array(7))).toThrow(RangeError);
  });
});

describe('toBase64Url', () => {
  it('is unpadded base64url', () => {
    expect(toBase64Url(new Uint8Array([251, 255]))).toBe('-_8');
    expect(toBase64Url(keyedHash(secret, 'x'))).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('encodes only the view of a subarray', () => {
    const backing = new Uint8Array([1, 2, 3, 251, 255]);
    expect(toBase64Url(backing.subarray(3))).toBe('-_8');
  });
});
