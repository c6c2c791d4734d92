import { describe, expect, it } from 'vitest';
import { decodeWindows1252, latin1ToWindows1252, windows1252CodePoint } from '../../../shared/csv/windows-1252';

describe('Windows-1252', () => {
  it('decodes Excel ANSI text: Café, curly quotes, euro, dashes', () => {
    expect(decodeWindows1252(Buffer.from([0x43, 0x61, 0x66, 0xe9]))).toBe('Café');
    expect(decodeWindows1252(Buffer.from([0x93, 0x48, 0x69, 0x94, 0x20, 0x80, 0x35, 0x20, 0x96, 0x20, 0x92]))).toBe('“Hi” €5 – ’');
  });

  it('maps every byte 0x80–0x9F as the WHATWG index does, undefined bytes to their C1 code points', () => {
    const expected = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    expect(decodeWindows1252(bytes)).toBe(expected);
    expect(windows1252CodePoint(0x80)).toBe(0x20ac);
    expect(windows1252CodePoint(0x9f)).toBe(0x0178);
  });

  it('is Latin-1 outside 0x80–0x9F: one character per byte', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const text = decodeWindows1252(bytes);
    expect(text).toHaveLength(256);
    for (const b of [0x00, 0x41, 0x7f, 0xa0, 0xe9, 0xff]) expect(text.charCodeAt(b)).toBe(b);
  });

  it('returns the same string when there is nothing to change', () => {
    const text = 'plain ascii, and é';
    expect(latin1ToWindows1252(text)).toBe(text);
  });
});
