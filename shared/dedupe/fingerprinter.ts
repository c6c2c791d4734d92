/**
 * Keyed 64-bit fingerprints of strings at ingest speed: SipHash-2-4 (see `siphash.ts`) under a key
 * derived from the dedupe secret, for the in-file dedupe index and the parse-time suppression check.
 *
 * Why not `keyed-hash.ts`: an HMAC-SHA256 through node:crypto costs a few microseconds a call, and a row
 * needs several fingerprints. A keyed PRF with a 128-bit secret key is what stops a fingerprint of a
 * phone from being reversed by trying every number; the 256-bit digest adds nothing when only 64 bits
 * are kept.
 *
 * Keys: each use has a label (e.g. 'in-file-phone/v1', 'suppression/v1') and its own SipHash key, the
 * first 16 bytes of HMAC-SHA256(secret, label), made once when the fingerprinter is created. So the
 * same text fingerprints differently per use, a label's version can change its encoding later, and
 * the secret itself is never a SipHash key. Labels are printable ASCII: such a message cannot be one
 * `keyed-hash.ts` hashes (those start with a 4-byte big-endian length, which printable bytes would make
 * at least 0x20202020), so a derived key never equals a digest that module lets out of memory.
 *
 * Encoding: text is hashed as its UTF-8 bytes (a lone surrogate as U+FFFD, as TextEncoder writes it).
 * Parts are joined by the byte 0xFF, which UTF-8 never contains, so `('ab', 'c')` and `('a', 'bc')`
 * differ, and no pair of parts encodes like a single text. Fingerprints from this module are not
 * interchangeable with `keyed-hash.ts` fingerprints of the same values.
 */
import { createHmac } from 'node:crypto';
import { MIN_SECRET_BYTES } from './keyed-hash';
import { SIPHASH_KEY_BYTES, siphash24Into, sipHashKey, type SipHashKey } from './siphash';

/** The longest label accepted; labels name a use and a version, not data. */
export const MAX_LABEL_LENGTH = 64;

// 0xFF never occurs in UTF-8, so it cannot be confused with a byte of either part.
const PART_SEPARATOR = 0xff;
// Room for the phones, customer keys and emails of a CSV row without growing.
const INITIAL_BUFFER_BYTES = 256;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

const encoder = new TextEncoder();

/**
 * Fingerprints strings under one derived key. Each call returns the fingerprint's high word and leaves
 * both words in {@link Fingerprinter.hi} and {@link Fingerprinter.lo} until the next call: returning one
 * number and keeping the other in place allocates nothing (returning a [hi, lo] pair measured about
 * 10 % slower on phones, and leaves a young-generation object per fingerprint). Read `lo` before anything else can call the same fingerprinter (no await in
 * between); create one per use rather than sharing one.
 *
 * @example
 * const phones = createFingerprinter(secret, 'in-file-phone/v1');
 * index.addWordsIfAbsent(phones.fingerprintParts(listId, e164), phones.lo) // arguments run left to right
 */
export interface Fingerprinter {
  /** The label the key was derived with. */
  readonly label: string;
  /** The high word (unsigned) of the latest fingerprint. */
  readonly hi: number;
  /** The low word (unsigned) of the latest fingerprint. */
  readonly lo: number;
  /** Fingerprints one text; returns the high word, the low word is then in `lo`. */
  fingerprint(text: string): number;
  /** Fingerprints two parts, e.g. a list id and a phone; returns the high word, the low word is then in `lo`. */
  fingerprintParts(first: string, second: string): number;
}

/**
 * A fingerprinter whose key is the first 16 bytes of HMAC-SHA256(secret, label).
 *
 * @throws RangeError when the secret is shorter than `MIN_SECRET_BYTES` (16) bytes, or the label is
 * empty, longer than {@link MAX_LABEL_LENGTH} or not printable ASCII.
 * @example
 * const suppression = createFingerprinter(secret, 'suppression/v1');
 * const hi = suppression.fingerprint('+61412345678');
 * const lo = suppression.lo;
 */
export function createFingerprinter(secret: Uint8Array | string, label: string): Fingerprinter {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : secret;
  if (bytes.byteLength < MIN_SECRET_BYTES) {
    throw new RangeError(`fingerprint secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  if (label.length > MAX_LABEL_LENGTH || !PRINTABLE_ASCII.test(label)) {
    throw new RangeError(`fingerprint label must be 1 to ${MAX_LABEL_LENGTH} printable ASCII characters`);
  }
  const derived = createHmac('sha256', bytes).update(label, 'utf8').digest();
  const key = sipHashKey(derived.subarray(0, SIPHASH_KEY_BYTES));
  // The key now lives in its words only; one fewer copy of it in the heap.
  derived.fill(0);
  return new SipFingerprinter(label, key);
}

class SipFingerprinter implements Fingerprinter {
  private buffer = new Uint8Array(INITIAL_BUFFER_BYTES);
  private readonly words = new Uint32Array(2);

  constructor(
    readonly label: string,
    private readonly key: SipHashKey,
  ) {}

  get hi(): number {
    return this.words[0]!;
  }

  get lo(): number {
    return this.words[1]!;
  }

  fingerprint(text: string): number {
    this.reserve(text.length);
    const length = this.encode(text, 0);
    siphash24Into(this.key, this.buffer, length, this.words);
    return this.words[0]!;
  }

  fingerprintParts(first: string, second: string): number {
    this.reserve(first.length + second.length + 1);
    const at = this.encode(first, 0);
    this.buffer[at] = PART_SEPARATOR;
    const length = this.encode(second, at + 1);
    siphash24Into(this.key, this.buffer, length, this.words);
    return this.words[0]!;
  }

  // A UTF-16 code unit is at most 3 UTF-8 bytes (a surrogate pair is 2 units and 4 bytes), so 3 bytes
  // a unit always fits and encode never checks room.
  private reserve(units: number): void {
    const needed = units * 3;
    if (needed <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < needed) size *= 2;
    this.buffer = new Uint8Array(size);
  }

  // Writes text as UTF-8 at `start` and returns the offset after it. ASCII (phones, customer keys, most
  // emails) is copied a code unit at a time; the first other unit hands the whole text to TextEncoder,
  // which allocates a view and a result, a cost only non-ASCII text pays.
  private encode(text: string, start: number): number {
    const buffer = this.buffer;
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0x80) return start + encoder.encodeInto(text, buffer.subarray(start)).written;
      buffer[start + i] = unit;
    }
    return start + n;
  }
}
