/**
 * A compact in-memory set of 64-bit fingerprints, for spotting repeated leads in a file of millions.
 *
 * An exact Set of the key strings costs about 110 MB per million keys in V8 (bench/dedupe); this
 * costs 8 bytes a slot: an open-addressing table in one Uint32Array (high word, low word per slot),
 * linear probing, load factor at most 0.8, and a capacity of any size (the home slot is the hash
 * scaled to the capacity, not masked to a power of two), so a table sized for n fingerprints holds
 * n / 0.8 slots: 10 MB per million instead of the 16-32 MB a power of two rounds up to. It grows by
 * half when full (for a moment the old and the new table together: 2.5 times the old one).
 * (0, 0) marks an empty slot, so the zero fingerprint is a separate flag.
 *
 * Fingerprints are the first 8 bytes of keyed hashes (see `keyed-hash.ts`), so the set is
 * probabilistic: two different keys share a fingerprint with probability 2^-64, and among n keys some
 * pair does with probability about n²/2^65, 3e-8 at a million keys. Such a pair would make the second
 * lead look like a duplicate. The index holds no personal data and its bytes can be stored (an ingest
 * checkpoint in S3) as long as the fingerprints came from keyed hashes.
 */
import { fingerprintHigh, fingerprintLow } from './keyed-hash';

const MIN_CAPACITY = 16;
// 2^30 slots is 8 GiB, beyond any Lambda.
const MAX_CAPACITY = 2 ** 30;
const MAX_LOAD = 0.8;
const GROWTH = 1.5;
const TWO_TO_MINUS_32 = 2 ** -32;
const MAX_FINGERPRINT = (1n << 64n) - 1n;

const MAGIC = 0x4c464449; // 'LFDI'
const FORMAT_VERSION = 1;
const FLAG_HAS_ZERO = 1;
const HEADER_BYTES = 12;

/** Bytes that are not a serialised {@link DedupeIndex}; the message names what is wrong. */
export class DedupeIndexFormatError extends Error {
  override readonly name = 'DedupeIndexFormatError';
}

/**
 * A set of 64-bit fingerprints. Fingerprints are bigints in `[0, 2^64)`, or a digest whose first 8
 * bytes are taken (the fast path: no bigint is made).
 *
 * @example
 * const seen = new DedupeIndex();
 * seen.addDigestIfAbsent(hash('lead-phone/v1', '1042', '+61412345678')) // true: first time
 * seen.addDigestIfAbsent(hash('lead-phone/v1', '1042', '+61412345678')) // false: a duplicate
 */
export class DedupeIndex {
  private slots: Uint32Array;
  private capacity: number;
  private limit: number;
  private count = 0;
  private hasZero = false;

  /** @param expectedSize - sizes the table for this many fingerprints up front; it grows past it. */
  constructor(expectedSize = 0) {
    this.capacity = capacityFor(expectedSize);
    this.slots = new Uint32Array(this.capacity * 2);
    this.limit = Math.floor(this.capacity * MAX_LOAD);
  }

  /** The number of fingerprints held. */
  get size(): number {
    return this.count + (this.hasZero ? 1 : 0);
  }

  /** The table's memory in bytes, for capacity planning and benchmarks. */
  get byteLength(): number {
    return this.slots.byteLength;
  }

  /**
   * Adds a fingerprint; true when it was not there before.
   *
   * @example new DedupeIndex().addIfAbsent(42n) // true
   */
  addIfAbsent(fingerprint: bigint): boolean {
    checkFingerprint(fingerprint);
    return this.addWordsIfAbsent(Number(fingerprint >> 32n), Number(fingerprint & 0xffffffffn));
  }

  /**
   * Whether a fingerprint is held.
   *
   * @example new DedupeIndex().has(42n) // false
   */
  has(fingerprint: bigint): boolean {
    checkFingerprint(fingerprint);
    return this.hasWords(Number(fingerprint >> 32n), Number(fingerprint & 0xffffffffn));
  }

  /**
   * Adds the fingerprint of a digest (its first 8 bytes, as `fingerprint64` reads them).
   *
   * @example index.addDigestIfAbsent(keyedHash(secret, 'lead-phone/v1', '1042', '+61412345678')) // true
   */
  addDigestIfAbsent(digest: Uint8Array): boolean {
    return this.addWordsIfAbsent(fingerprintHigh(digest), fingerprintLow(digest));
  }

  /**
   * Whether the fingerprint of a digest is held.
   *
   * @example index.hasDigest(keyedHash(secret, 'lead-phone/v1', '1042', '+61412345678')) // false
   */
  hasDigest(digest: Uint8Array): boolean {
    return this.hasWords(fingerprintHigh(digest), fingerprintLow(digest));
  }

  /**
   * Adds a fingerprint given as its high and low 32-bit words (unsigned).
   *
   * @example new DedupeIndex().addWordsIfAbsent(0x01234567, 0x89abcdef) // true
   */
  addWordsIfAbsent(high: number, low: number): boolean {
    const hi = high >>> 0;
    const lo = low >>> 0;
    if ((hi | lo) === 0) {
      if (this.hasZero) return false;
      this.hasZero = true;
      return true;
    }
    const slots = this.slots;
    const capacity = this.capacity;
    for (let i = bucket(hi, lo, capacity); ; i = i + 1 === capacity ? 0 : i + 1) {
      const at = i << 1;
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if (h === hi && l === lo) return false;
      if ((h | l) === 0) {
        if (this.count >= this.limit) {
          this.grow();
          this.insertNew(hi, lo);
        } else {
          slots[at] = hi;
          slots[at + 1] = lo;
        }
        this.count++;
        return true;
      }
    }
  }

  /**
   * Whether a fingerprint given as its high and low 32-bit words is held.
   *
   * @example new DedupeIndex().hasWords(0, 0) // false
   */
  hasWords(high: number, low: number): boolean {
    const hi = high >>> 0;
    const lo = low >>> 0;
    if ((hi | lo) === 0) return this.hasZero;
    const slots = this.slots;
    const capacity = this.capacity;
    for (let i = bucket(hi, lo, capacity); ; i = i + 1 === capacity ? 0 : i + 1) {
      const at = i << 1;
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if (h === hi && l === lo) return true;
      if ((h | l) === 0) return false;
    }
  }

  /**
   * Every fingerprint held, in no particular order.
   *
   * @example [...index.fingerprints()] // [42n, 7n]
   */
  *fingerprints(): IterableIterator<bigint> {
    if (this.hasZero) yield 0n;
    const slots = this.slots;
    for (let at = 0; at < slots.length; at += 2) {
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if ((h | l) !== 0) yield (BigInt(h) << 32n) | BigInt(l);
    }
  }

  /**
   * The index as bytes, 8 per fingerprint plus a 12-byte header, for a checkpoint object:
   * magic `LFDI`, version byte, flags byte (bit 0: the zero fingerprint is held), two zero bytes,
   * the count of non-zero fingerprints (uint32 big-endian), then each one as 8 bytes big-endian.
   * Only fingerprints are stored, not the table, so the table's layout can change without a new format.
   *
   * @example DedupeIndex.fromBytes(index.toBytes()).size === index.size // true
   */
  toBytes(): Uint8Array {
    const bytes = new Uint8Array(HEADER_BYTES + this.count * 8);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, MAGIC);
    view.setUint8(4, FORMAT_VERSION);
    view.setUint8(5, this.hasZero ? FLAG_HAS_ZERO : 0);
    view.setUint32(8, this.count);
    const slots = this.slots;
    let offset = HEADER_BYTES;
    for (let at = 0; at < slots.length; at += 2) {
      const h = slots[at]!;
      const l = slots[at + 1]!;
      if ((h | l) === 0) continue;
      view.setUint32(offset, h);
      view.setUint32(offset + 4, l);
      offset += 8;
    }
    return bytes;
  }

  /**
   * Reads bytes written by {@link DedupeIndex.toBytes}.
   *
   * @throws DedupeIndexFormatError when the bytes are not a whole index of this format version.
   * @example DedupeIndex.fromBytes(await object.Body.transformToByteArray())
   */
  static fromBytes(bytes: Uint8Array): DedupeIndex {
    if (bytes.byteLength < HEADER_BYTES) throw new DedupeIndexFormatError('dedupe index: shorter than its header');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0) !== MAGIC) throw new DedupeIndexFormatError('dedupe index: not a dedupe index');
    if (view.getUint8(4) !== FORMAT_VERSION) {
      throw new DedupeIndexFormatError(`dedupe index: unsupported format version ${view.getUint8(4)}`);
    }
    const flags = view.getUint8(5);
    if ((flags & ~FLAG_HAS_ZERO) !== 0 || view.getUint16(6) !== 0) {
      throw new DedupeIndexFormatError('dedupe index: unknown flags');
    }
    const count = view.getUint32(8);
    if (bytes.byteLength !== HEADER_BYTES + count * 8) {
      throw new DedupeIndexFormatError('dedupe index: length does not match its count');
    }
    const index = new DedupeIndex(count);
    index.hasZero = (flags & FLAG_HAS_ZERO) !== 0;
    for (let offset = HEADER_BYTES; offset < bytes.byteLength; offset += 8) {
      const hi = view.getUint32(offset);
      const lo = view.getUint32(offset + 4);
      // A zero or repeated entry cannot come from toBytes: the bytes are damaged.
      if ((hi | lo) === 0 || !index.addWordsIfAbsent(hi, lo)) {
        throw new DedupeIndexFormatError('dedupe index: a fingerprint is zero or repeated');
      }
    }
    return index;
  }

  private grow(): void {
    if (this.capacity >= MAX_CAPACITY) throw new RangeError('dedupe index: at its maximum capacity');
    const old = this.slots;
    this.capacity = Math.min(MAX_CAPACITY, Math.ceil(this.capacity * GROWTH));
    this.slots = new Uint32Array(this.capacity * 2);
    this.limit = Math.floor(this.capacity * MAX_LOAD);
    for (let at = 0; at < old.length; at += 2) {
      const h = old[at]!;
      const l = old[at + 1]!;
      if ((h | l) !== 0) this.insertNew(h, l);
    }
  }

  // For a fingerprint known to be absent and non-zero, with room in the table.
  private insertNew(hi: number, lo: number): void {
    const slots = this.slots;
    const capacity = this.capacity;
    let i = bucket(hi, lo, capacity);
    while ((slots[i << 1]! | slots[(i << 1) + 1]!) !== 0) i = i + 1 === capacity ? 0 : i + 1;
    slots[i << 1] = hi;
    slots[(i << 1) + 1] = lo;
  }
}

// Fingerprints from HMACs are uniform already; the mixing keeps other inputs (sequential ids in
// tests, or a caller's own fingerprints) from clustering. The mixed 32 bits, read as a fraction of
// 2^32, scaled to the capacity (exact below 2^21 slots; above, the product's rounding stays below
// the capacity because the capacity exceeds the rounding step).
function bucket(hi: number, lo: number, capacity: number): number {
  const mixed = lo ^ Math.imul(hi ^ (hi >>> 16), 0x85ebca6b);
  const spread = Math.imul(mixed ^ (mixed >>> 15), 0x9e3779b1) >>> 0;
  return Math.floor(spread * capacity * TWO_TO_MINUS_32);
}

function capacityFor(expectedSize: number): number {
  const wanted = Math.ceil(Math.max(0, expectedSize) / MAX_LOAD) + 1;
  return Math.min(MAX_CAPACITY, Math.max(MIN_CAPACITY, wanted));
}

function checkFingerprint(fingerprint: bigint): void {
  if (typeof fingerprint !== 'bigint' || fingerprint < 0n || fingerprint > MAX_FINGERPRINT) {
    throw new RangeError('a fingerprint must be a bigint in [0, 2^64)');
  }
}
