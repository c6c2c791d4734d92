/**
 * Windows-1252, the "ANSI" code page Excel uses for "CSV (Comma delimited)" on Western Windows.
 *
 * It equals Latin-1 except for bytes 0x80–0x9F, which hold € ‚ ƒ „ … † ‡ ˆ ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™
 * š › œ ž Ÿ. The table is written out here on purpose: Node 20.18.3 and later decode
 * `new TextDecoder('windows-1252')` as Latin-1 (nodejs/node#60888), which would turn Excel's curly
 * quotes and € into invisible control characters. Undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D)
 * map to the same C1 code points, as the WHATWG Encoding Standard says.
 */

/** Code points of bytes 0x80–0x9F (WHATWG index-windows-1252). */
const C1_CODE_POINTS: readonly number[] = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178,
];

const C1_CHARS: readonly string[] = C1_CODE_POINTS.map((cp) => String.fromCharCode(cp));
const C1_RANGE = /[\u0080-\u009f]/;
const C1_RANGE_GLOBAL = /[\u0080-\u009f]/g;

/**
 * The Unicode code point of one Windows-1252 byte.
 * @example windows1252CodePoint(0x92) // 0x2019 (’)
 */
export function windows1252CodePoint(byte: number): number {
  return byte >= 0x80 && byte <= 0x9f ? (C1_CODE_POINTS[byte - 0x80] as number) : byte;
}

/**
 * Turns a string decoded as Latin-1 into the Windows-1252 reading of the same bytes: only characters
 * U+0080–U+009F change. Returns the same string when there is nothing to change.
 * @example latin1ToWindows1252('\u0093Hi\u0094') // '“Hi”'
 */
export function latin1ToWindows1252(text: string): string {
  if (!C1_RANGE.test(text)) return text;
  return text.replace(C1_RANGE_GLOBAL, (c) => C1_CHARS[c.charCodeAt(0) - 0x80] as string);
}

/**
 * Decodes Windows-1252 bytes.
 * @example decodeWindows1252(Buffer.from([0x43, 0x61, 0x66, 0xe9])) // 'Café'
 */
export function decodeWindows1252(bytes: Uint8Array): string {
  return latin1ToWindows1252(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}
