import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Utf8Feed } from '../../../shared/csv/utf8-feed';
import { utf8SequenceLength } from '../../../shared/csv/utf8-sequence';
import { windows1252CodePoint } from '../../../shared/csv/windows-1252';

/** Whole-buffer reference: each character, and the source offset just past it. */
function reference(bytes: Uint8Array): { text: string; ends: number[] } {
  let text = '';
  const ends: number[] = [];
  for (let i = 0; i < bytes.length; ) {
    const n = utf8SequenceLength(bytes, i, bytes.length);
    if (n === 0) {
      text += String.fromCharCode(windows1252CodePoint(bytes[i] as number));
      i++;
    } else {
      text += Buffer.from(bytes.subarray(i, i + n)).toString('utf8');
      i += n;
    }
    ends.push(i);
  }
  return { text, ends };
}

function run(chunks: Uint8Array[], base = 0): { out: Buffer; feed: Utf8Feed } {
  const feed = new Utf8Feed(base);
  const parts: Buffer[] = [];
  for (const c of chunks) {
    const out = feed.write(Buffer.from(c));
    if (out) parts.push(out);
  }
  const rest = feed.end();
  if (rest) parts.push(rest);
  return { out: Buffer.concat(parts), feed };
}

const split = (bytes: Uint8Array, size: number): Uint8Array[] =>
  Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, i * size + size));

describe('Utf8Feed', () => {
  it('passes well-formed UTF-8 through untouched, the very same buffer', () => {
    const feed = new Utf8Feed(0);
    const chunk = Buffer.from('name,city\nZoë,Zürich 😀\n');
    expect(feed.write(chunk)).toBe(chunk);
    expect(feed.end()).toBeUndefined();
    expect(feed.fallbackBytes).toBe(0);
  });

  it('holds back a character cut by a chunk boundary, one byte at a time', () => {
    const text = 'é€😀a';
    const { out, feed } = run(split(Buffer.from(text), 1));
    expect(out.toString('utf8')).toBe(text);
    expect(feed.fallbackBytes).toBe(0);
  });

  it('reads bytes that are not UTF-8 as Windows-1252', () => {
    const { out, feed } = run([Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2c, 0x93, 0x78, 0x94])]);
    expect(out.toString('utf8')).toBe('Café,“x”');
    expect(feed.fallbackBytes).toBe(3);
  });

  it('maps parser offsets back to source offsets across replacements', () => {
    const source = Buffer.from([0x61, 0xe9, 0x62, 0x80, 0x63]); // a é b € c, é and € as 1252
    const { out, feed } = run([source], 10);
    expect(out.toString('utf8')).toBe('aébc'.slice(0, 2) + 'b€c');
    // parser offsets after a(1) é(3) b(4) €(7) c(8)
    expect([1, 3, 4, 7, 8].map((p) => feed.sourceOffset(p))).toEqual([11, 12, 13, 14, 15]);
  });

  it('equals the whole-buffer reference for any bytes cut anywhere, offsets included', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 60 }),
        fc.array(fc.nat(60), { maxLength: 8 }),
        fc.nat(1000),
        (bytes, cutPoints, base) => {
          const cuts = [...new Set(cutPoints.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
          const chunks: Uint8Array[] = [];
          let from = 0;
          for (const c of [...cuts, bytes.length]) {
            chunks.push(bytes.subarray(from, c));
            from = c;
          }
          const { out, feed } = run(chunks, base);
          const expected = reference(bytes);
          expect(out.toString('utf8')).toBe(expected.text);
          // The parser offset just past each character maps to the source offset just past it.
                let p = 0;
          Array.from(expected.text).forEach((ch, i) => {
            p += Buffer.byteLength(ch, 'utf8');
            expect(feed.sourceOffset(p)).toBe(base + (expected.ends[i] as number));
          });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
