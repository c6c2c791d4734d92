import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SIPHASH_KEY_BYTES, siphash24, siphash24Into, sipHashKey } from '../../../shared/dedupe/siphash';

// vectors_sip64 from the reference implementation's vectors.h (github.com/veorq/SipHash): the tag of
// the message 00 01 .. (n-1) under the key 00 01 .. 0f for n = 0..63, its 8 bytes as the reference
// writes them (least significant first). Cross-checked when written against OpenSSL 3's SIPHASH MAC.
const VECTORS_SIP64 = [
  '310e0edd47db6f72', 'fd67dc93c539f874', '5a4fa9d909806c0d', '2d7efbd796666785',
  'b7877127e09427cf', '8da699cd64557618', 'cee3fe586e46c9cb', '37d1018bf50002ab',
  '6224939a79f5f593', 'b0e4a90bdf82009e', 'f3b9dd94c5bb5d7a', 'a7ad6b22462fb3f4',
  'fbe50e86bc8f1e75', '903d84c02756ea14', 'eef27a8e90ca23f7', 'e545be4961ca29a1',
  'db9bc2577fcc2a3f', '9447be2cf5e99a69', '9cd38d96f0b3c14b', 'bd6179a71dc96dbb',
  '98eea21af25cd6be', 'c7673b2eb0cbf2d0', '883ea3e395675393', 'c8ce5ccd8c030ca8',
  '94af49f6c650adb8', 'eab8858ade92e1bc', 'f315bb5bb835d817', 'adcf6b0763612e2f',
  'a5c91da7acaa4dde', '716595876650a2a6', '28ef495c53a387ad', '42c341d8fa92d832',
  'ce7cf2722f512771', 'e37859f94623f3a7', '381205bb1ab0e012', 'ae97a10fd434e015',
  'b4a31508beff4d31', '81396229f0907902', '4d0cf49ee5d4dcca', '5c73336a76d8bf9a',
  'd0a704536ba93e0e', '925958fcd6420cad', 'a915c29bc8067318', '952b79f3bc0aa6d4',
  'f21df2e41d4535f9', '87577519048f53a9', '10a56cf5dfcd9adb', 'eb75095ccd986cd0',
  '51a9cb9ecba312e6', '96afadfc2ce666c7', '72fe52975a4364ee', '5a1645b276d592a1',
  'b274cb8ebf87870a', '6f9bb4203de7b381', 'eaecb2a30b22a87f', '9924a43cc1315724',
  'bd838d3aafbf8db7', '0b1a2a3265d51aea', '135079a3231ce660', '932b2846e4d70666',
  'e1915f5cb1eca46c', 'f325965ca16d629f', '575ff28e60381be5', '724506eb4c328a95',
];

const REFERENCE_KEY = Uint8Array.from({ length: 16 }, (_, i) => i);
const MASK64 = (1n << 64n) - 1n;

/**
 * A straightforward SipHash-2-4 over bigints, written from the paper: pad the message with zeros to
 * 7 mod 8 bytes and the length mod 256, then compress each little-endian word. Slow, and shares no
 * code or structure with the 32-bit version it checks.
 */
function referenceSipHash24(key: Uint8Array, message: Uint8Array): bigint {
  const keyView = new DataView(key.buffer, key.byteOffset, key.byteLength);
  const k0 = keyView.getBigUint64(0, true);
  const k1 = keyView.getBigUint64(8, true);
  let v0 = k0 ^ 0x736f6d6570736575n;
  let v1 = k1 ^ 0x646f72616e646f6dn;
  let v2 = k0 ^ 0x6c7967656e657261n;
  let v3 = k1 ^ 0x7465646279746573n;
  const rotl = (x: bigint, b: bigint): bigint => ((x << b) | (x >> (64n - b))) & MASK64;
  const sipRound = (): void => {
    v0 = (v0 + v1) & MASK64;
    v1 = rotl(v1, 13n) ^ v0;
    v0 = rotl(v0, 32n);
    v2 = (v2 + v3) & MASK64;
    v3 = rotl(v3, 16n) ^ v2;
    v0 = (v0 + v3) & MASK64;
    v3 = rotl(v3, 21n) ^ v0;
    v2 = (v2 + v1) & MASK64;
    v1 = rotl(v1, 17n) ^ v2;
    v2 = rotl(v2, 32n);
  };
  const padded = new Uint8Array(Math.floor(message.length / 8) * 8 + 8);
  padded.set(message);
  padded[padded.length - 1] = message.length & 0xff;
  const view = new DataView(padded.buffer);
  for (let at = 0; at < padded.length; at += 8) {
    const m = view.getBigUint64(at, true);
    v3 ^= m;
    sipRound();
    sipRound();
    v0 ^= m;
  }
  v2 ^= 0xffn;
  for (let r = 0; r < 4; r++) sipRound();
  return v0 ^ v1 ^ v2 ^ v3;
}

function asBigInt({ hi, lo }: { hi: number; lo: number }): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function vectorTag(hex: string): bigint {
  return Buffer.from(hex, 'hex').readBigUInt64LE(0);
}

function counting(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => i & 0xff);
}

describe('siphash24', () => {
  it('gives the first reference tag as words', () => {
    expect(siphash24(REFERENCE_KEY, new Uint8Array(0))).toEqual({ hi: 0x726fdb47, lo: 0xdd0e0e31 });
  });

  it('matches all 64 reference vectors, as does the bigint reference', () => {
    expect(VECTORS_SIP64).toHaveLength(64);
    VECTORS_SIP64.forEach((hex, n) => {
      const message = counting(n);
      expect(asBigInt(siphash24(REFERENCE_KEY, message)), `length ${n}`).toBe(vectorTag(hex));
      expect(referenceSipHash24(REFERENCE_KEY, message), `reference, length ${n}`).toBe(vectorTag(hex));
    });
  });

  it('agrees with the bigint reference on random keys and messages', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ maxLength: 100 }),
        (key, message) => {
          expect(asBigInt(siphash24(key, message))).toBe(referenceSipHash24(key, message));
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('agrees with the reference where the length byte wraps and across many blocks', () => {
    const key = Uint8Array.from({ length: 16 }, (_, i) => 0xf0 ^ (i * 37));
    for (const length of [255, 256, 257, 263, 264, 511, 512, 1000, 4099]) {
      const message = counting(length).map((b) => b ^ 0xa5);
      expect(asBigInt(siphash24(key, message)), `length ${length}`).toBe(referenceSipHash24(key, message));
    }
  });

  it('hashes a view at its own offset', () => {
    const backing = counting(80);
    const view = backing.subarray(13, 13 + 40);
    expect(siphash24(REFERENCE_KEY, view)).toEqual(siphash24(REFERENCE_KEY, Uint8Array.from(view)));
  });

  it('rejects a key that is not 16 bytes', () => {
    expect(SIPHASH_KEY_BYTES).toBe(16);
    expect(() => siphash24(new Uint8Array(15), new Uint8Array(0))).toThrow(RangeError);
    expect(() => sipHashKey(new Uint8Array(32))).toThrow(RangeError);
  });
});

describe('siphash24Into', () => {
  const key = sipHashKey(REFERENCE_KEY);

  it('hashes the first length bytes of a larger buffer, high word first', () => {
    const buffer = counting(64);
    const out = new Uint32Array(2);
    for (let n = 0; n <= 64; n++) {
      siphash24Into(key, buffer, n, out);
      expect(asBigInt({ hi: out[0]!, lo: out[1]! }), `length ${n}`).toBe(referenceSipHash24(REFERENCE_KEY, counting(n)));
    }
  });

  it('overwrites the output and reuses the key across calls', () => {
    const out = new Uint32Array([1, 2]);
    siphash24Into(key, new Uint8Array(0), 0, out);
    expect([...out]).toEqual([0x726fdb47, 0xdd0e0e31]);
    siphash24Into(key, counting(1), 1, out);
    expect(asBigInt({ hi: out[0]!, lo: out[1]! })).toBe(vectorTag(VECTORS_SIP64[1]!));
  });

  it('refuses a length outside the buffer or not whole', () => {
    const out = new Uint32Array(2);
    for (const length of [-1, 9, 1.5, Number.NaN]) {
      expect(() => siphash24Into(key, new Uint8Array(8), length, out), String(length)).toThrow(RangeError);
    }
  });
});
