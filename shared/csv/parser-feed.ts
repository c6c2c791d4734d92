/**
 * A parser feed turns the source's byte chunks into the bytes csv-parse reads, and maps csv-parse's
 * byte offsets back to offsets in the source, so that a resume point can be used with a Range GET.
 *
 * csv-parse works on bytes and decodes each field itself (with its `encoding` option), which is
 * what makes exact source offsets cheap:
 * - `utf-8`: the source bytes as they are (validated; see `Utf8Feed` for bytes that are not UTF-8);
 * - `windows-1252`: the source bytes as they are, decoded as Latin-1 by csv-parse and corrected to
 *   Windows-1252 field by field (delimiters, quotes and line breaks are ASCII in both);
 * - `utf-16le`/`utf-16be`: transcoded to UTF-8, because csv-parse matching two-byte delimiters at
 *   odd offsets could split a character; offsets are recovered by counting UTF-16 code units.
 */
import type { CsvEncoding } from './csv-record';
import type { RetainedBytes } from './retained-bytes';
import { Utf16Feed } from './utf16-feed';
import { Utf8Feed } from './utf8-feed';

export interface ParserFeed {
  /** How csv-parse decodes fields. */
  readonly parserEncoding: 'utf8' | 'latin1';
  /** Fields come out as Latin-1 and need `latin1ToWindows1252`. */
  readonly windows1252Fields: boolean;
  /** Bytes that were not part of well-formed UTF-8 and were read as Windows-1252 (utf-8 mode only). */
  readonly fallbackBytes: number;
  /** The parser bytes for one source chunk; undefined when none are ready yet. */
  write(chunk: Buffer): Buffer | undefined;
  /** The parser bytes still held back at the end of the source. */
  end(): Buffer | undefined;
  /**
   * The source offset of a parser offset. Calls must come with offsets that never decrease, and the
   * parser bytes since the previous call must still be in `retained`.
   */
  sourceOffset(parserOffset: number, retained: RetainedBytes): number;
}

/** Source bytes go to csv-parse untouched; their offsets are the source's. */
class Windows1252Feed implements ParserFeed {
  readonly parserEncoding = 'latin1' as const;
  readonly windows1252Fields = true;
  readonly fallbackBytes = 0;

  constructor(private readonly base: number) {}

  write(chunk: Buffer): Buffer {
    return chunk;
  }

  end(): undefined {
    return undefined;
  }

  sourceOffset(parserOffset: number): number {
    return this.base + parserOffset;
  }
}

/**
 * The feed for an encoding.
 * @param base source offset of the first byte that will be written (after any byte order mark)
 */
export function createParserFeed(encoding: CsvEncoding, base: number): ParserFeed {
  switch (encoding) {
    case 'utf-8':
      return new Utf8Feed(base);
    case 'windows-1252':
      return new Windows1252Feed(base);
    case 'utf-16le':
    case 'utf-16be':
      return new Utf16Feed(encoding, base);
  }
}
