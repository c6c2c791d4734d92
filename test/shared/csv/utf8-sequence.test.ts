import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { incompleteTailLength, utf8SequenceLength } from '../../../shared/csv/utf8-sequence';

const at0 = (...bytes: number[]): number => utf8SequenceLength(Uint8Array.from(bytes), 0, bytes.length);

describe('utf8SequenceLength', () => {
  it('measures well-formed sequences', () => {
    expect(at0(0x41)).toBe(1);
    expect(at0(0xc3, 0xa9)).toBe(2); // é
    expect(at0(0xe2, 0x82, 0xac)).toBe(3); // €
    expect(at0(0xf0, 0x9f, 0x98, 0x80)).toBe(4); // 😀
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['an overlong two-byte form', [0xc0, 0x80]],
    ['an overlong three-byte form', [0xe0, 0x80, 0x80]],
    ['a surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a lead byte F5', [0xf5, 0x80, 0x80, 0x80]],
    ['a sequence cut short', [0xe2, 0x82]],
    ['a Windows-1252 é before ASCII', [0xe9, 0x2c]],
  ])('refuses %s', (_, bytes) => {
    expect(at0(...bytes)).toBe(0);
  });

  it('agrees with the native validator on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let valid = true;
        for (let i = 0; i < bytes.length; ) {
          const n = utf8SequenceLength(bytes, i, bytes.length);
          if (n === 0) {
            valid = false;
            break;
          }
          i += n;
        }
        expect(valid).toBe(isUtf8(bytes));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('incompleteTailLength', () => {
  it('finds a multi-byte character cut by the end of a chunk', () => {
    const euro = Buffer.from('a€');
    expect(incompleteTailLength(euro, euro.length)).toBe(0);
    expect(incompleteTailLength(euro, 2)).toBe(1);
    expect(incompleteTailLength(euro, 3)).toBe(2);
    const emoji = Buffer.from('😀');
    expect(incompleteTailLength(emoji, 3)).toBe(3);
    expect(incompleteTailLength(Buffer.from('abc'), 3)).toBe(0);
    expect(incompleteTailLength(Buffer.alloc(0), 0)).toBe(0);
  });
});
