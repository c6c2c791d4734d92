/**
 * Which encoding a CSV file is in, judged from its first bytes.
 *
 * 1. A byte order mark decides: EF BB BF is UTF-8, FF FE UTF-16LE, FE FF UTF-16BE.
 * 2. Without one, the sample (the first 64 KiB by default) decides:
 *    - well-formed UTF-8 (pure ASCII included) → `utf-8`;
 *    - otherwise, more well-formed multi-byte UTF-8 sequences than malformed bytes → `utf-8` too
 *      (a UTF-8 file with a few damaged bytes);
 *    - otherwise → `windows-1252`, what Excel's "CSV (Comma delimited)" writes on Western Windows.
 *
 * The sample can be wrong in one direction only: an ASCII start followed, past the sample, by bytes
 * that are not UTF-8 (an "é" typed at row 5000 of an Excel file). The reader covers that case: in
 * `utf-8` mode any byte that is not part of a well-formed sequence is read as Windows-1252 (see
 * `Utf8Feed`), so the text comes out right either way. The reverse cannot be repaired: in
 * `windows-1252` mode every byte is a character, so valid UTF-8 after the sample reads as "Ã©".
 */
import { isUtf8 } from 'node:buffer';
import type { CsvEncoding } from './csv-record';
import { incompleteTailLength, utf8SequenceLength } from './utf8-sequence';

/** Bytes read before deciding the encoding and the delimiter. */
export const DEFAULT_SAMPLE_BYTES = 64 * 1024;

export interface DetectedEncoding {
  readonly encoding: CsvEncoding;
  /** Length of the byte order mark, to skip (0 when there is none). */
  readonly bomLength: number;
}

/**
 * The encoding of a file from its first bytes.
 * @param sample the first bytes of the file (not empty)
 * @param complete true when the sample is the whole file (its last bytes are not cut)
 * @example detectEncoding(Buffer.from([0x43, 0x61, 0x66, 0xe9]), true) // { encoding: 'windows-1252', bomLength: 0 }
 */
export function detectEncoding(sample: Uint8Array, complete: boolean): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const end = complete ? sample.length : sample.length - incompleteTailLength(sample, sample.length);
  if (isUtf8(sample.subarray(0, end))) return { encoding: 'utf-8', bomLength: 0 };
  let wellFormed = 0;
  let malformed = 0;
  for (let i = 0; i < end; ) {
    if ((sample[i] as number) < 0x80) {
      i++;
      continue;
    }
    const length = utf8SequenceLength(sample, i, end);
    if (length === 0) {
      malformed++;
      i++;
    } else {
      wellFormed++;
      i += length;
    }
  }
  return { encoding: wellFormed > malformed ? 'utf-8' : 'windows-1252', bomLength: 0 };
}
