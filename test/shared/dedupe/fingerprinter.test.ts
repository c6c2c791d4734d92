import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_LABEL_LENGTH, createFingerprinter, type Fingerprinter } from '../../../shared/dedupe/fingerprinter';
import { siphash24 } from '../../../shared/dedupe/siphash';

const secret = 'a test secret of thirty-two bytes';
const PHONE_LABEL = 'in-file-phone/v1';

// The expected fingerprint, built apart from the fingerprinter: the key as the module header states it
// (the first 16 bytes of HMAC-SHA256(secret, label)) and the bytes as Node's own UTF-8 encoder writes them.
function expected(label: string, bytes: Uint8Array): bigint {
  const key = createHmac('sha256', secret).update(label, 'utf8').digest().subarray(0, 16);
  const { hi, lo } = siphash24(key, bytes);
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function utf8(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

function joined(first: string, second: string): Buffer {
  return Buffer.concat([utf8(first), Buffer.from([0xff]), utf8(second)]);
}

function text(fp: Fingerprinter, value: string): bigint {
  const hi = fp.fingerprint(value);
  expect(hi).toBe(fp.hi);
  return (BigInt(hi) << 32n) | BigInt(fp.lo);
}

function parts(fp: Fingerprinter, first: string, second: string): bigint {
  const hi = fp.fingerprintParts(first, second);
  expect(hi).toBe(fp.hi);
  return (BigInt(hi) << 32n) | BigInt(fp.lo);
}

// Any UTF-16 code units, lone surrogates included, so the fallback to TextEncoder is exercised too.
const anyText = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)), maxLength: 40 });
const mostlyAscii = fc.oneof(fc.string({ maxLength: 40 }), anyText, fc.string({ unit: 'grapheme', maxLength: 10 }));

describe('createFingerprinter', () => {
  it('hashes text as SipHash-2-4 of its UTF-8 bytes under the derived key', () => {
    const fp = createFingerprinter(secret, PHONE_LABEL);
    for (const value of ['', '+61412345678', 'CUST-0012345', 'someone@example.com.au']) {
      expect(text(fp, value), value).toBe(expected(PHONE_LABEL, utf8(value)));
    }
  });

  it('hashes non-ASCII text as its UTF-8 bytes, lone surrogates as U+FFFD', () => {
    const fp = createFingerprinter(secret, PHONE_LABEL);
    expect(text(fp, 'josé@exämple.com')).toBe(expected(PHONE_LABEL, Buffer.from('josé@exämple.com', 'utf8')));
    expect(text(fp, 'é')).toBe(expected(PHONE_LABEL, Uint8Array.of(0xc3, 0xa9)));
    expect(text(fp, '😀')).toBe(expected(PHONE_LABEL, Uint8Array.of(0xf0, 0x9f, 0x98, 0x80)));
    expect(text(fp, 'a\ud800b')).toBe(expected(PHONE_LABEL, Uint8Array.of(0x61, 0xef, 0xbf, 0xbd, 0x62)));
    fc.assert(
      fc.property(anyText, (value) => {
        expect(text(fp, value)).toBe(expected(PHONE_LABEL, utf8(value)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('hashes two parts as their UTF-8 bytes joined by 0xFF', () => {
    const fp = createFingerprinter(secret, PHONE_LABEL);
    expect(parts(fp, '1042', '+61412345678')).toBe(expected(PHONE_LABEL, joined('1042', '+61412345678')));
    fc.assert(
      fc.property(mostlyAscii, mostlyAscii, (first, second) => {
        expect(parts(fp, first, second)).toBe(expected(PHONE_LABEL, joined(first, second)));
      }),
      { numRuns: 2_000 },
    );
  });

  it('separates parts unambiguously, and from single texts', () => {
    const fp = createFingerprinter(secret, PHONE_LABEL);
    expect(parts(fp, 'ab', 'c')).not.toBe(parts(fp, 'a', 'bc'));
    expect(parts(fp, 'a', '')).not.toBe(parts(fp, '', 'a'));
    expect(parts(fp, '1042', '+61412345678')).not.toBe(text(fp, '1042+61412345678'));
    // ÿ is U+00FF, which UTF-8 writes as C3 BF, never as the separator byte.
    expect(parts(fp, 'a', 'b')).not.toBe(text(fp, 'aÿb'));
    fc.assert(
      fc.property(mostlyAscii, mostlyAscii, mostlyAscii, mostlyAscii, (a, b, c, d) => {
        fc.pre(a !== c || b !== d);
        expect(parts(fp, a, b)).not.toBe(parts(fp, c, d));
        expect(parts(fp, a, b)).not.toBe(text(fp, c));
      }),
      { numRuns: 2_000 },
    );
  });

  it('grows its buffer for long text and keeps working for short text after', () => {
    const fp = createFingerprinter(secret, PHONE_LABEL);
    const longAscii = 'x'.repeat(5_000);
    // € is one UTF-16 unit and three UTF-8 bytes, the most bytes a unit can take.
    const longOther = 'é😀€'.repeat(3_000);
    expect(text(fp, longAscii)).toBe(expected(PHONE_LABEL, utf8(longAscii)));
    expect(parts(fp, longOther, longAscii)).toBe(expected(PHONE_LABEL, joined(longOther, longAscii)));
    expect(parts(fp, 'é'.repeat(200), '😀'.repeat(200))).toBe(expected(PHONE_LABEL, joined('é'.repeat(200), '😀'.repeat(200))));
    expect(text(fp, '+61412345678')).toBe(expected(PHONE_LABEL, utf8('+61412345678')));
  });

  it('makes room for three bytes a code unit', () => {
    // A fresh fingerprinter, so no earlier growth leaves spare room: 1 000 units of € are 3 000 bytes.
    const fp = createFingerprinter(secret, PHONE_LABEL);
    expect(text(fp, '€'.repeat(1_000))).toBe(expected(PHONE_LABEL, utf8('€'.repeat(1_000))));
    expect(parts(fp, '€'.repeat(2_000), '€'.repeat(2_000))).toBe(expected(PHONE_LABEL, joined('€'.repeat(2_000), '€'.repeat(2_000))));
  });

  it('gives unrelated fingerprints under different labels', () => {
    const phones = createFingerprinter(secret, PHONE_LABEL);
    const suppression = createFingerprinter(secret, 'suppression/v1');
    expect(phones.label).toBe(PHONE_LABEL);
    // Unrelated: no input shares its fingerprint, the differences between the two labels' fingerprints
    // are all distinct (no fixed offset or XOR mask links them) and about half their bits are set.
    const differences = new Set<bigint>();
    let setBits = 0;
    const count = 1_000;
    for (let i = 0; i < count; i++) {
      const value = `+614${String(i * 7_919).padStart(8, '0')}`;
      const difference = text(phones, value) ^ text(suppression, value);
      expect(difference).not.toBe(0n);
      differences.add(difference);
      setBits += difference.toString(2).split('').filter((bit) => bit === '1').length;
    }
    expect(differences.size).toBe(count);
    expect(setBits / (count * 64)).toBeGreaterThan(0.47);
    expect(setBits / (count * 64)).toBeLessThan(0.53);
  });

  it('depends on the secret, taken as text or bytes alike, and is deterministic', () => {
    const a = createFingerprinter(secret, PHONE_LABEL);
    expect(text(createFingerprinter(Buffer.from(secret), PHONE_LABEL), 'x')).toBe(text(a, 'x'));
    expect(text(createFingerprinter(secret, PHONE_LABEL), 'x')).toBe(text(a, 'x'));
    expect(text(createFingerprinter(`${secret}!`, PHONE_LABEL), 'x')).not.toBe(text(a, 'x'));
  });

  it('keeps the latest fingerprint until the next call', () => {
    const fp = createFingerprinter(secret, PHONE_LABEL);
    const first = text(fp, 'one');
    expect((BigInt(fp.hi) << 32n) | BigInt(fp.lo)).toBe(first);
    fp.fingerprint('two');
    expect((BigInt(fp.hi) << 32n) | BigInt(fp.lo)).not.toBe(first);
    expect(fp.hi).toBeGreaterThanOrEqual(0);
    expect(fp.lo).toBeGreaterThanOrEqual(0);
  });

  it('rejects a short secret without echoing it', () => {
    expect(() => createFingerprinter('short', PHONE_LABEL)).toThrow(
      new RangeError('fingerprint secret must be at least 16 bytes'),
    );
    expect(() => createFingerprinter(new Uint8Array(15), PHONE_LABEL)).toThrow(RangeError);
  });

  it('rejects labels that are empty, too long or not printable ASCII', () => {
    for (const label of ['', 'x'.repeat(MAX_LABEL_LENGTH + 1), 'phone/v1\n', 'téléphone/v1', '\0']) {
      expect(() => createFingerprinter(secret, label), JSON.stringify(label)).toThrow(RangeError);
    }
    expect(createFingerprinter(secret, 'x'.repeat(MAX_LABEL_LENGTH)).label).toHaveLength(MAX_LABEL_LENGTH);
  });
});
