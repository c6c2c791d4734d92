/**
 * Byte-level UTF-8 rules (RFC 3629, as the WHATWG decoder applies them): which sequences are well
 * formed, and where a chunk ends in the middle of one.
 */

/**
 * Length (1–4) of the well-formed UTF-8 sequence starting at `i`, or 0 when the bytes there are not
 * one (bad lead byte, overlong form, surrogate, above U+10FFFF, or cut short by `end`).
 * @example utf8SequenceLength(Buffer.from('é'), 0, 2) // 2
 */
export function utf8SequenceLength(bytes: Uint8Array, i: number, end: number): number {
  const b0 = bytes[i] as number;
  if (b0 < 0x80) return 1;
  let length: number;
  let min2 = 0x80;
  let max2 = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) length = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3;
    if (b0 === 0xe0) min2 = 0xa0; // overlong
    if (b0 === 0xed) max2 = 0x9f; // surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4;
    if (b0 === 0xf0) min2 = 0x90; // overlong
    if (b0 === 0xf4) max2 = 0x8f; // above U+10FFFF
  } else return 0;
  if (i + length > end) return 0;
  const b1 = bytes[i + 1] as number;
  if (b1 < min2 || b1 > max2) return 0;
  for (let k = 2; k < length; k++) {
    const b = bytes[i + k] as number;
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return length;
}

/**
 * How many bytes at the end of `bytes[0, end)` are the start of a multi-byte sequence that the next
 * chunk may complete (0–3). Such bytes must wait for the next chunk before they can be judged.
 * @example incompleteTailLength(Buffer.from([0x41, 0xc3]), 2) // 1
 */
export function incompleteTailLength(bytes: Uint8Array, end: number): number {
  for (let k = 1; k <= 3 && k <= end; k++) {
    const b = bytes[end - k] as number;
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead
    if (b < 0xc0) return 0;
    const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return needed > k ? k : 0;
  }
  return 0;
}
