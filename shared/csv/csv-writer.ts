/**
 * The CSV writer of reports (rejected rows, receipts): RFC 4180 text, UTF-8, CRLF line endings, one
 * row at a time, so a report of a million rows never sits in memory.
 *
 * - A field is quoted when it holds the delimiter, a quote, CR or LF; quotes inside are doubled.
 * - A row made of one empty field is written `""`: an empty line would be no row at all to a reader.
 * - A field holding U+FEFF is quoted too, so that one at the very start of a file is not taken for a
 *   byte order mark and dropped.
 * - `bom: true` starts the file with a UTF-8 byte order mark, which makes Excel read it as UTF-8
 *   (without one, Excel on Windows assumes the ANSI code page and garbles accents).
 * - `escapeFormulas` (on by default) prefixes cells that a spreadsheet would evaluate with `'`; see
 *   `escapeForSpreadsheet` for what that changes (`-5` too). Turn it off for files meant for machines.
 *
 * Two ways to write: `createCsvWriter` onto a Writable (backpressure respected), or `encodeCsv`,
 * an async generator of Buffer chunks for `Readable.from(...)` (an S3 multipart upload body).
 */
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { CsvDelimiter } from './csv-record';
import { escapeForSpreadsheet } from './spreadsheet-escape';

/** A cell value; null and undefined are written as empty fields, other values with `String()`. */
export type CsvCell = string | number | bigint | boolean | null | undefined;

export interface CsvWriterOptions {
  /** Default `,`. */
  readonly delimiter?: CsvDelimiter;
  /** Start with a UTF-8 byte order mark (for Excel). Default false. */
  readonly bom?: boolean;
  /** Prefix formula-like cells with `'`. Default true. */
  readonly escapeFormulas?: boolean;
}

const BOM = '\ufeff';
const CRLF = '\r\n';
const NEEDS_QUOTES: Record<CsvDelimiter, RegExp> = {
  ',': /[",\r\n\ufeff]/,
  ';': /[";\r\n\ufeff]/,
  '\t': /["\t\r\n\ufeff]/,
  '|': /["|\r\n\ufeff]/,
};

/**
 * One row as CSV text, line ending included.
 * @example formatCsvRow(['Ann', 'Main St, 2', 'said "hi"']) // 'Ann,"Main St, 2","said ""hi"""\r\n'
 * @example formatCsvRow(['=1+1', -5]) // "'=1+1,'-5\r\n"
 */
export function formatCsvRow(cells: readonly CsvCell[], options: CsvWriterOptions = {}): string {
  const delimiter = options.delimiter ?? ',';
  const escape = options.escapeFormulas ?? true;
  const needsQuotes = NEEDS_QUOTES[delimiter];
  if (cells.length === 1 && (cells[0] === '' || cells[0] === null || cells[0] === undefined)) return `""${CRLF}`;
  let line = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    let text = cell === null || cell === undefined ? '' : typeof cell === 'string' ? cell : String(cell);
    if (escape) text = escapeForSpreadsheet(text);
    if (needsQuotes.test(text)) text = `"${text.replace(/"/g, '""')}"`;
    line = i === 0 ? text : line + delimiter + text;
  }
  return line + CRLF;
}

export interface CsvWriter {
  /** Writes one row; resolves at once, or when the sink has drained if its buffer is full. */
  writeRow(cells: readonly CsvCell[]): Promise<void>;
  /** Ends the sink (writing the BOM first if no row was written) and waits until it has finished. */
  end(): Promise<void>;
  /** Rows written so far. */
  readonly rows: number;
}

/**
 * A writer of CSV rows onto a Writable (a file, a PassThrough feeding an upload).
 * @example
 * const report = createCsvWriter(createWriteStream('rejected.csv'), { bom: true });
 * await report.writeRow(['line', 'reason']);
 * await report.writeRow([12, 'phone-invalid']);
 * await report.end();
 */
export function createCsvWriter(sink: Writable, options: CsvWriterOptions = {}): CsvWriter {
  let rows = 0;
  let started = false;
  const write = async (text: string): Promise<void> => {
    if (!sink.write(text, 'utf8')) await once(sink, 'drain');
  };
  return {
    async writeRow(cells) {
      const line = formatCsvRow(cells, options);
      const text = !started && options.bom === true ? BOM + line : line;
      started = true;
      rows++;
      await write(text);
    },
    async end() {
      if (!started && options.bom === true) sink.write(BOM, 'utf8');
      started = true;
      sink.end();
      await finished(sink, { readable: false });
    },
    get rows() {
      return rows;
    },
  };
}

/**
 * CSV bytes for rows, in chunks of about `chunkBytes`, e.g. `Readable.from(encodeCsv(rows))`.
 * @example for await (const chunk of encodeCsv([['a', 'b'], ['1', '2']])) process.stdout.write(chunk);
 */
export async function* encodeCsv(
  rows: AsyncIterable<readonly CsvCell[]> | Iterable<readonly CsvCell[]>,
  options: CsvWriterOptions = {},
  chunkBytes = 64 * 1024,
): AsyncGenerator<Buffer, void, undefined> {
  let pending = options.bom === true ? BOM : '';
  for await (const cells of rows) {
    pending += formatCsvRow(cells, options);
    // String length undercounts bytes for non-ASCII text; chunks only need to be roughly sized.
    if (pending.length >= chunkBytes) {
      yield Buffer.from(pending, 'utf8');
      pending = '';
    }
  }
  if (pending.length > 0) yield Buffer.from(pending, 'utf8');
}
