/**
 * The parser feed of `utf-8` files: source bytes pass to csv-parse as they are, after a native
 * well-formedness check per chunk (`buffer.isUtf8`, a few GB/s). A chunk boundary inside a
 * multi-byte character is handled by holding its first bytes back until the next chunk.
 *
 * A byte that is not part of a well-formed sequence (rare: a file that is ASCII in its sample and
 * Windows-1252 later, or a damaged byte) is replaced by the UTF-8 form of its Windows-1252 character,
 * one byte at a time, so "Caf\xE9" reads "Café". That makes the parser's bytes longer than the
 * source's; each replacement is remembered so that parser offsets map back to source offsets exactly.
 */
import { isUtf8 } from 'node:buffer';
import type { ParserFeed } from './parser-feed';
import { incompleteTailLength, utf8SequenceLength } from './utf8-sequence';
import { windows1252CodePoint } from './windows-1252';

export class Utf8Feed implements ParserFeed {
  readonly parserEncoding = 'utf8' as const;
  readonly windows1252Fields = false;
  fallbackBytes = 0;

  /** Bytes of an unfinished sequence from the end of the previous chunk. */
  private pending: Buffer | undefined;
  /** Parser bytes written so far. */
  private written = 0;
  /** Replacement points: parser offset just past a replacement, and the extra bytes up to there. */
  private readonly fixAt: number[] = [];
  private readonly fixExtra: number[] = [];
  private fixHead = 0;
  private extra = 0;

  constructor(private readonly base: number) {}

  write(chunk: Buffer): Buffer | undefined {
    const data = this.pending === undefined ? chunk : Buffer.concat([this.pending, chunk]);
    const end = data.length - incompleteTailLength(data, data.length);
    this.pending = end < data.length ? Buffer.from(data.subarray(end)) : undefined;
    return this.emit(end === data.length ? data : data.subarray(0, end));
  }

  end(): Buffer | undefined {
    const rest = this.pending;
    this.pending = undefined;
    return rest === undefined ? undefined : this.emit(rest);
  }

  sourceOffset(parserOffset: number): number {
    while (this.fixHead < this.fixAt.length && (this.fixAt[this.fixHead] as number) <= parserOffset) {
      this.extra = this.fixExtra[this.fixHead] as number;
      this.fixHead++;
    }
    // Drop consumed points now and then, so that a long run of replacements cannot pile up.
    if (this.fixHead > 0 && (this.fixHead === this.fixAt.length || this.fixHead >= 4096)) {
      this.fixAt.splice(0, this.fixHead);
      this.fixExtra.splice(0, this.fixHead);
      this.fixHead = 0;
    }
    return this.base + parserOffset - this.extra;
  }

  private emit(bytes: Buffer): Buffer | undefined {
    if (bytes.length === 0) return undefined;
    const out = isUtf8(bytes) ? bytes : this.repair(bytes);
    this.written += out.length;
    return out;
  }

  private repair(bytes: Buffer): Buffer {
    // Windows-1252 characters take at most 3 bytes in UTF-8.
    const out = Buffer.allocUnsafe(bytes.length * 3);
    let extra = this.fixExtra.length > 0 ? (this.fixExtra[this.fixExtra.length - 1] as number) : this.extra;
    let o = 0;
    for (let i = 0; i < bytes.length; ) {
      const b = bytes[i] as number;
      if (b < 0x80) {
        out[o++] = b;
        i++;
        continue;
      }
      const length = utf8SequenceLength(bytes, i, bytes.length);
      if (length > 0) {
        bytes.copy(out, o, i, i + length);
        o += length;
        i += length;
        continue;
      }
      const written = out.write(String.fromCharCode(windows1252CodePoint(b)), o, 'utf8');
      o += written;
      i++;
      extra += written - 1;
      this.fixAt.push(this.written + o);
      this.fixExtra.push(extra);
      this.fallbackBytes++;
    }
    return out.subarray(0, o);
  }
}
