import { describe, expect, it } from 'vitest';
import { RetainedBytes } from '../../../shared/csv/retained-bytes';
import { Utf16Feed } from '../../../shared/csv/utf16-feed';

function run(encoding: 'utf-16le' | 'utf-16be', source: Buffer, size: number, base = 0) {
  const feed = new Utf16Feed(encoding, base);
  const retained = new RetainedBytes();
  for (let i = 0; i < source.length; i += size) {
    const out = feed.write(source.subarray(i, i + size));
    if (out) retained.append(out);
  }
  const rest = feed.end();
  if (rest) retained.append(rest);
  return { feed, retained, text: retained.slice(0, retained.end).toString('utf8') };
}

const le = (text: string): Buffer => Buffer.from(text, 'utf16le');
const be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

describe('Utf16Feed', () => {
  it.each([
    ['utf-16le', le],
    ['utf-16be', be],
  ] as const)('decodes %s one byte at a time, surrogate pairs included', (encoding, encode) => {
    const text = 'name,city\r\nZoë,😀 €\r\n';
    expect(run(encoding, encode(text), 1).text).toBe(text);
    expect(run(encoding, encode(text), 3).text).toBe(text);
  });

  it('keeps a byte order mark inside the data as data (the reader strips the real one)', () => {
    expect(run('utf-16le', le('\ufeffa'), 2).text).toBe('\ufeffa');
  });

  it('counts source bytes from UTF-8 output: two per code unit', () => {
    const text = 'a😀é\r\n';
    const { feed, retained } = run('utf-16le', le(text), 1, 2);
    const utf8 = Buffer.from(text);
    // after "a", after the emoji, after é, at the end
    expect(feed.sourceOffset(1, retained)).toBe(2 + 2);
    expect(feed.sourceOffset(5, retained)).toBe(2 + 6);
    expect(feed.sourceOffset(7, retained)).toBe(2 + 8);
    expect(feed.sourceOffset(utf8.length, retained)).toBe(2 + le(text).length);
  });

  it('counts an odd last byte, decoded as U+FFFD, as the one byte it was', () => {
    const { feed, retained, text } = run('utf-16le', Buffer.from([0x61, 0x00, 0x62]), 1, 2);
    expect(text).toBe('a\ufffd');
    expect(feed.sourceOffset(retained.end, retained)).toBe(2 + 3);
  });

  it('counts a lone surrogate, decoded as U+FFFD, as the one code unit it was', () => {
    const source = Buffer.from([0x3d, 0xd8, 0x61, 0x00]); // lone high surrogate, then "a"
    const { feed, retained, text } = run('utf-16le', source, 1);
    expect(text).toBe('\ufffda');
    expect(feed.sourceOffset(retained.end, retained)).toBe(4);
  });
});
