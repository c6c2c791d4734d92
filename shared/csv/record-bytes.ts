/**
 * Questions about the raw bytes of one record, asked only in the rare cases csv-parse does not answer
 * them: how many physical lines it covers (csv-parse counts a quoted CRLF as two lines) and whether
 * its quotes are well formed (csv-parse's `relax_quotes` mode reads a stray quote without a word).
 *
 * The bytes are those between the end of the previous record and the end of this one: any empty lines
 * csv-parse skipped, the record, and its line break. Delimiters, quotes and line breaks are ASCII in
 * every encoding the reader hands to csv-parse (UTF-8 and Latin-1), so bytes are compared directly.
 */
import type { CsvMalformedDetail } from './csv-record';

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** Where a record sits among physical lines. */
export interface RecordLines {
  /** Empty lines before the record. */
  readonly emptyLines: number;
  /** Index of the record's first byte. */
  readonly start: number;
  /** Line breaks inside the record (in quoted fields), not counting the one that ends it. */
  readonly innerBreaks: number;
}

/**
 * Counts the empty lines before a record and the line breaks inside it. CRLF, LF and CR each end a line.
 * @example measureRecordLines(Buffer.from('\r\n"a\r\nb",c\r\n')) // { emptyLines: 1, start: 2, innerBreaks: 1 }
 */
export function measureRecordLines(bytes: Uint8Array): RecordLines {
  let i = 0;
  let emptyLines = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    if (b === CR) i += bytes[i + 1] === LF ? 2 : 1;
    else if (b === LF) i++;
    else break;
    emptyLines++;
  }
  const start = i;
  let breaks = 0;
  for (; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === LF) breaks++;
    else if (b === CR) {
      breaks++;
      if (bytes[i + 1] === LF) i++;
    }
  }
  const last = bytes[bytes.length - 1];
  const terminated = bytes.length > start && (last === LF || last === CR);
  return { emptyLines, start, innerBreaks: terminated ? breaks - 1 : breaks };
}

/** The first quote that RFC 4180 does not allow. */
export interface QuoteFault {
  /** 0-based field index. */
  readonly column: number;
  readonly detail: Exclude<CsvMalformedDetail, 'unclosed-quote'>;
}

/**
 * The first malformed quote of the record starting at `start`, or undefined when its quotes are well
 * formed. Reads up to the first line break outside quotes.
 * @example findQuoteFault(Buffer.from('1,ab"c,3\n'), 0, 0x2c) // { column: 1, detail: 'stray-quote' }
 */
export function findQuoteFault(bytes: Uint8Array, start: number, delimiter: number): QuoteFault | undefined {
  const n = bytes.length;
  let column = 0;
  let i = start;
  while (i < n) {
    if (bytes[i] === QUOTE) {
      i++;
      for (;;) {
        if (i >= n) return undefined; // unclosed: reported by the reader from csv-parse's own error
        if (bytes[i] === QUOTE) {
          if (bytes[i + 1] === QUOTE) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      const next = bytes[i];
      if (i < n && next !== delimiter && next !== CR && next !== LF) return { column, detail: 'text-after-quote' };
    } else {
      for (; i < n; i++) {
        const b = bytes[i];
        if (b === delimiter || b === CR || b === LF) break;
        if (b === QUOTE) return { column, detail: 'stray-quote' };
      }
    }
    if (i >= n || bytes[i] !== delimiter) return undefined;
    column++;
    i++;
  }
  return undefined;
}
