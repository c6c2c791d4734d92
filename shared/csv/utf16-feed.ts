/**
 * The parser feed of UTF-16 files (Excel's "Unicode Text", some CRM exports): a streaming
 * `TextDecoder` (which keeps a code unit or surrogate half cut by a chunk boundary for the next
 * chunk) re-encoded as UTF-8 for csv-parse.
 *
 * Source offsets: every UTF-16 code unit is two source bytes, and the UTF-8 bytes of a record say
 * how many code units it had (one per lead byte, two for a 4-byte sequence). A lone surrogate,
 * decoded as U+FFFD, is one code unit either way, so the count stays exact; an odd last byte, also
 * U+FFFD, is one byte, hence the cap at the bytes received.
 */
import { TextDecoder } from 'node:util';
import type { ParserFeed } from './parser-feed';
import type { RetainedBytes } from './retained-bytes';

export class Utf16Feed implements ParserFeed {
  readonly parserEncoding = 'utf8' as const;
  readonly windows1252Fields = false;
  readonly fallbackBytes = 0;

  private readonly decoder: TextDecoder;
  private counted = 0;
  private units = 0;
  private received = 0;

  constructor(
    encoding: 'utf-16le' | 'utf-16be',
    private readonly base: number,
  ) {
    // The reader strips the byte order mark itself; one left in the text would be data.
    this.decoder = new TextDecoder(encoding, { ignoreBOM: true });
  }

  write(chunk: Buffer): Buffer | undefined {
    this.received += chunk.length;
    const text = this.decoder.decode(chunk, { stream: true });
    return text.length === 0 ? undefined : Buffer.from(text, 'utf8');
  }

  end(): Buffer | undefined {
    const text = this.decoder.decode();
    return text.length === 0 ? undefined : Buffer.from(text, 'utf8');
  }

  sourceOffset(parserOffset: number, retained: RetainedBytes): number {
    if (parserOffset > this.counted) {
      const bytes = retained.slice(this.counted, parserOffset);
      let units = 0;
      for (let i = 0; i < bytes.length; i++) {
        const b = bytes[i] as number;
        if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
      }
      this.units += units;
      this.counted = parserOffset;
    }
    return this.base + Math.min(2 * this.units, this.received);
  }
}
