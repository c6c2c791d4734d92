import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DedupeIndex, DedupeIndexFormatError } from '../../../shared/dedupe/dedupe-index';
import { createKeyedHasher, fingerprint64 } from '../../../shared/dedupe/keyed-hash';

const MAX = (1n << 64n) - 1n;

describe('DedupeIndex', () => {
  it('adds once and answers has', () => {
    const index = new DedupeIndex();
    expect(index.size).toBe(0);
    expect(index.has(42n)).toBe(false);
    expect(index.addIfAbsent(42n)).toBe(true);
    expect(index.addIfAbsent(42n)).toBe(false);
    expect(index.has(42n)).toBe(true);
    expect(index.size).toBe(1);
  });

  it('holds zero, the largest fingerprint and those with one word zero', () => {
    const index = new DedupeIndex();
    for (const fp of [0n, MAX, 1n, 1n << 32n, 0xffffffffn, MAX - 0xffffffffn]) {
      expect(index.has(fp)).toBe(false);
      expect(index.addIfAbsent(fp)).toBe(true);
      expect(index.addIfAbsent(fp)).toBe(false);
      expect(index.has(fp)).toBe(true);
    }
    expect(index.size).toBe(6);
    expect(new Set(index.fingerprints())).toEqual(new Set([0n, MAX, 1n, 1n << 32n, 0xffffffffn, MAX - 0xffffffffn]));
  });

  it('rejects fingerprints outside [0, 2^64)', () => {
    const index = new DedupeIndex();
    expect(() => index.addIfAbsent(-1n)).toThrow(RangeError);
    expect(() => index.has(MAX + 1n)).toThrow(RangeError);
  });

  it('takes digests, words and bigints as the same fingerprint', () => {
    const hash = createKeyedHasher('a test secret of thirty-two bytes');
    const index = new DedupeIndex();
    const digest = hash('lead-phone/v1', '1042', '+61412345678');
    expect(index.addDigestIfAbsent(digest)).toBe(true);
    expect(index.has(fingerprint64(digest))).toBe(true);
    expect(index.addIfAbsent(fingerprint64(digest))).toBe(false);
    expect(index.hasDigest(digest)).toBe(true);
    expect(index.hasDigest(hash('lead-phone/v1', '1042', '+61412345679'))).toBe(false);
    expect(index.addWordsIfAbsent(0x01234567, 0x89abcdef)).toBe(true);
    expect(index.has(0x0123456789abcdefn)).toBe(true);
  });

  it('grows past its first capacity and keeps the load factor at most 0.8', () => {
    const index = new DedupeIndex();
    const initial = index.byteLength;
    for (let i = 1; i <= 10_000; i++) expect(index.addIfAbsent(BigInt(i) * 0x9e3779b97f4a7c15n & MAX)).toBe(true);
    expect(index.size).toBe(10_000);
    expect(index.byteLength).toBeGreaterThan(initial);
    expect(index.size / (index.byteLength / 8)).toBeLessThanOrEqual(0.8);
    for (let i = 1; i <= 10_000; i++) expect(index.has(BigInt(i) * 0x9e3779b97f4a7c15n & MAX)).toBe(true);
  });

  it('sizes for an expected count up front, to about 10 MB a million, and holds that many without growing', () => {
    const index = new DedupeIndex(1_000_000);
    // Not rounded up to a power of two (2^21 slots, 16.8 MB): n / 0.8 slots of 8 bytes.
    expect(index.byteLength).toBe((1_250_000 + 1) * 8);
    expect(new DedupeIndex(0).byteLength).toBe(16 * 8);
    const byteLength = index.byteLength;
    for (let i = 1; i <= 1_000_000; i++) index.addWordsIfAbsent(Math.imul(i, 0x9e3779b1), i);
    expect(index.size).toBe(1_000_000);
    expect(index.byteLength).toBe(byteLength);
    for (let i = 1; i <= 1_000_000; i += 997) expect(index.hasWords(Math.imul(i, 0x9e3779b1), i)).toBe(true);
    expect(index.hasWords(1, 0)).toBe(false);
  });

  it('grows by half from a capacity that is not a power of two and finds everything after', () => {
    const index = new DedupeIndex(1_000);
    const first = index.byteLength;
    for (let i = 1; i <= 5_000; i++) expect(index.addWordsIfAbsent(i, Math.imul(i, 0x85ebca6b))).toBe(true);
    expect(index.byteLength).toBeGreaterThan(first);
    for (let i = 1; i <= 5_000; i++) expect(index.addWordsIfAbsent(i, Math.imul(i, 0x85ebca6b))).toBe(false);
    expect(index.size).toBe(5_000);
  });

  it('handles fingerprints that crowd into one region of the table', () => {
    // Sequential values, values differing only in the high word, and equal words: patterns a weak
    // bucket function would pile up.
    const index = new DedupeIndex();
    const fps: bigint[] = [];
    for (let i = 0n; i < 2_000n; i++) fps.push(i, i << 32n, (i << 32n) | i, i << 48n);
    const unique = new Set(fps);
    for (const fp of fps) index.addIfAbsent(fp);
    expect(index.size).toBe(unique.size);
    for (const fp of unique) expect(index.has(fp)).toBe(true);
    expect(index.has(1n << 63n)).toBe(false);
  });

  describe('bytes', () => {
    it('round-trips, including zero', () => {
      const index = new DedupeIndex();
      for (const fp of [0n, 5n, MAX, 1n << 40n]) index.addIfAbsent(fp);
      const copy = DedupeIndex.fromBytes(index.toBytes());
      expect(copy.size).toBe(4);
      expect(new Set(copy.fingerprints())).toEqual(new Set(index.fingerprints()));
      expect(index.toBytes()).toHaveLength(12 + 3 * 8);
    });

    it('round-trips an empty index', () => {
      const bytes = new DedupeIndex().toBytes();
      expect([...bytes]).toEqual([0x4c, 0x46, 0x44, 0x49, 1, 0, 0, 0, 0, 0, 0, 0]);
      expect(DedupeIndex.fromBytes(bytes).size).toBe(0);
    });

    it('writes the documented layout', () => {
      const index = new DedupeIndex();
      index.addIfAbsent(0n);
      index.addIfAbsent(0x0102030405060708n);
      expect([...index.toBytes()]).toEqual([0x4c, 0x46, 0x44, 0x49, 1, 1, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8]);
    });

    it('reads bytes at an offset in a larger buffer', () => {
      const index = new DedupeIndex();
      index.addIfAbsent(77n);
      const bytes = index.toBytes();
      const backing = new Uint8Array(bytes.length + 5);
      backing.set(bytes, 5);
      expect(DedupeIndex.fromBytes(backing.subarray(5)).has(77n)).toBe(true);
    });

    it.each([
      ['short', new Uint8Array(11), 'shorter than its header'],
      ['bad magic', Uint8Array.from([0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]), 'not a dedupe index'],
      ['new version', Uint8Array.from([0x4c, 0x46, 0x44, 0x49, 2, 0, 0, 0, 0, 0, 0, 0]), 'unsupported format version 2'],
      ['unknown flag', Uint8Array.from([0x4c, 0x46, 0x44, 0x49, 1, 2, 0, 0, 0, 0, 0, 0]), 'unknown flags'],
      ['truncated', Uint8Array.from([0x4c, 0x46, 0x44, 0x49, 1, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3]), 'length does not match'],
      ['zero entry', Uint8Array.from([0x4c, 0x46, 0x44, 0x49, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]), 'zero or repeated'],
      [
        'repeated entry',
        Uint8Array.from([0x4c, 0x46, 0x44, 0x49, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 9]),
        'zero or repeated',
      ],
    ])('rejects %s bytes', (_, bytes, message) => {
      expect(() => DedupeIndex.fromBytes(bytes)).toThrow(DedupeIndexFormatError);
      expect(() => DedupeIndex.fromBytes(bytes)).toThrow(message);
    });
  });

  describe('against a reference Set<bigint>', () => {
    // Small values and values sharing low or high words collide in buckets; the rest are uniform.
    const fingerprint = fc.oneof(
      fc.constantFrom(0n, 1n, MAX, 1n << 32n, 0xffffffffn),
      fc.bigInt({ min: 0n, max: 64n }),
      fc.bigInt({ min: 0n, max: 64n }).map((n) => n << 32n),
      fc.bigInt({ min: 0n, max: MAX }),
    );
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('add' as const), fp: fingerprint }),
      fc.record({ kind: fc.constant('has' as const), fp: fingerprint }),
    );

    it('gives the same answers, and again after a round trip through bytes', () => {
      fc.assert(
        fc.property(fc.array(operation, { maxLength: 400 }), fc.nat({ max: 300 }), (operations, expected) => {
          const index = new DedupeIndex(expected);
          const reference = new Set<bigint>();
          for (const { kind, fp } of operations) {
            if (kind === 'add') {
              expect(index.addIfAbsent(fp)).toBe(!reference.has(fp));
              reference.add(fp);
            } else {
              expect(index.has(fp)).toBe(reference.has(fp));
            }
            expect(index.size).toBe(reference.size);
          }
          const copy = DedupeIndex.fromBytes(index.toBytes());
          expect(copy.size).toBe(reference.size);
          expect(new Set(copy.fingerprints())).toEqual(reference);
          for (const { fp } of operations) expect(copy.has(fp)).toBe(reference.has(fp));
          expect(copy.toBytes().length).toBe(index.toBytes().length);
        }),
        { numRuns: 300 },
      );
    });
  });
});
