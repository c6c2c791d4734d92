/**
 * The synchronous core of the reader: source chunks in, `CsvRecord`s out, each with the physical
 * line it starts on, its problem if it has one, and the source offset just past it.
 *
 * Per record it does a handful of integer comparisons and one `includes('"')` per field on top of
 * csv-parse; everything that needs the raw bytes (quoted line breaks, quote faults, UTF-16 offsets)
 * runs only for the records concerned.
 *
 * Lines: csv-parse's `info.lines` is exact for records without line breaks inside them, but counts a
 * quoted CRLF as two lines. When csv-parse saw more lines than the empty ones it skipped plus the
 * record's own, the record's bytes are counted instead (`measureRecordLines`).
 */
import { createPushParser, type PushParser } from './csv-parse-engine';
import type { CsvDelimiter, CsvEncoding, CsvProblem, CsvRecord } from './csv-record';
import { CsvFormatError } from './errors';
import { createParserFeed, type ParserFeed } from './parser-feed';
import { findQuoteFault, measureRecordLines, type QuoteFault } from './record-bytes';
import { RetainedBytes } from './retained-bytes';
import { latin1ToWindows1252 } from './windows-1252';

export interface RecordParserOptions {
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  /** Source offset of the first byte that will be written (after the byte order mark). */
  readonly base: number;
  /** Physical line number at `base`. */
  readonly firstLine: number;
  /** Fields per row; when undefined, the first record is the header and sets it. */
  readonly width?: number;
  /** Longest record csv-parse may buffer before reading stops. */
  readonly maxRecordBytes: number;
}

export class CsvRecordParser {
  /** Records parsed and not yet taken, with the source offset and line just past each. */
  readonly records: CsvRecord[] = [];
  readonly ends: number[] = [];
  readonly nextLines: number[] = [];
  /** Set when reading cannot go on; the records before it stand. */
  error: CsvFormatError | undefined;
  width: number | undefined;

  private readonly feed: ParserFeed;
  private readonly parser: PushParser;
  private readonly retained = new RetainedBytes();
  private readonly delimiterCode: number;
  private readonly maxRecordBytes: number;
  private prevEnd = 0;
  private prevLines = 0;
  private prevEmpty = 0;
  private nextLine: number;

  constructor(options: RecordParserOptions) {
    this.feed = createParserFeed(options.encoding, options.base);
    this.parser = createPushParser({
      delimiter: options.delimiter,
      encoding: this.feed.parserEncoding,
      maxRecordSize: options.maxRecordBytes,
    });
    this.delimiterCode = options.delimiter.charCodeAt(0);
    this.maxRecordBytes = options.maxRecordBytes;
    this.nextLine = options.firstLine;
    this.width = options.width;
  }

  /** Bytes that were not UTF-8 in a `utf-8` file and were read as Windows-1252. */
  get fallbackBytes(): number {
    return this.feed.fallbackBytes;
  }

  /** Parses one source chunk. */
  write(chunk: Buffer): void {
    if (this.error !== undefined) return;
    const bytes = this.feed.write(chunk);
    if (bytes !== undefined) this.parse(bytes);
  }

  /** Parses what is left at the end of the source. */
  end(): void {
    if (this.error !== undefined) return;
    const bytes = this.feed.end();
    if (bytes !== undefined) this.parse(bytes);
    if (this.error !== undefined) return;
    const error = this.parser.end(this.onRecord);
    if (error !== undefined) this.fail(error);
  }

  private parse(bytes: Buffer): void {
    this.retained.append(bytes);
    const error = this.parser.write(bytes, this.onRecord);
    if (error !== undefined) this.fail(error);
    this.retained.release(this.prevEnd);
  }

  private readonly onRecord = (fields: string[]): void => {
    const info = this.parser.info;
    const end = info.bytes;
    const lines = info.lines;
    const empty = info.empty_lines;
    let line: number;
    let raw: Buffer | undefined;
    let start = 0;
    // One line for the record plus one per skipped empty line: no line break inside the record, and
    // csv-parse's counts are exact. Anything more needs the bytes (a quoted CRLF counts twice there).
    if (lines - this.prevLines === empty - this.prevEmpty + 1) {
      line = this.nextLine + empty - this.prevEmpty;
      this.nextLine = line + 1;
    } else {
      raw = this.retained.slice(this.prevEnd, end);
      const measured = measureRecordLines(raw);
      start = measured.start;
      line = this.nextLine + measured.emptyLines;
      this.nextLine = line + measured.innerBreaks + 1;
    }
    this.prevLines = lines;
    this.prevEmpty = empty;

    let problem: CsvProblem | undefined;
    for (let i = 0; i < fields.length; i++) {
      // A stray quote always survives in some field (relax_quotes keeps it), and well-formed
      // escaped quotes are rare: only then are the raw bytes looked at.
      if ((fields[i] as string).includes('"')) {
        if (raw === undefined) {
          raw = this.retained.slice(this.prevEnd, end);
          start = measureRecordLines(raw).start;
        }
        const fault = findQuoteFault(raw, start, this.delimiterCode);
        if (fault !== undefined) problem = quoteProblem(line, fault);
        break;
      }
    }
    if (this.feed.windows1252Fields) {
      for (let i = 0; i < fields.length; i++) fields[i] = latin1ToWindows1252(fields[i] as string);
    }
    if (this.width === undefined) this.width = fields.length;
    else if (problem === undefined && fields.length !== this.width) problem = fieldCountProblem(line, fields.length, this.width);

    this.records.push({ line, fields, problem });
    this.ends.push(this.feed.sourceOffset(end, this.retained));
    this.nextLines.push(this.nextLine);
    this.prevEnd = end;
  };

  private fail(error: Error): void {
    const code = (error as { code?: unknown }).code;
    const measured = measureRecordLines(this.retained.slice(this.prevEnd, this.retained.end));
    const line = this.nextLine + measured.emptyLines;
    if (code === 'CSV_QUOTE_NOT_CLOSED') {
      const lastLine = line + measured.innerBreaks;
      this.records.push({
        line,
        fields: [],
        problem: {
          code: 'malformed-row',
          detail: 'unclosed-quote',
          lastLine,
          message:
            `line ${line}: a quote is opened and never closed, so ` +
            (lastLine === line ? 'the rest of the line' : `lines ${line} to ${lastLine}, the end of the file,`) +
            ' could not be read as rows',
        },
      });
      this.ends.push(this.feed.sourceOffset(this.retained.end, this.retained));
      this.nextLine = lastLine + 1;
      this.nextLines.push(this.nextLine);
      this.prevEnd = this.retained.end;
    } else if (code === 'CSV_MAX_RECORD_SIZE') {
      this.error = new CsvFormatError(
        'record-too-large',
        line,
        `line ${line}: a row is longer than ${this.maxRecordBytes} bytes (usually a quote that is never closed); reading stopped there`,
      );
    } else {
      const name = typeof code === 'string' ? code : error.name;
      this.error = new CsvFormatError('unparseable', line, `line ${line}: the CSV parser stopped (${name}); reading stopped there`);
    }
  }
}

function quoteProblem(line: number, fault: QuoteFault): CsvProblem {
  const column = fault.column + 1;
  const what =
    fault.detail === 'stray-quote'
      ? 'a quote inside a field that does not start with one'
      : 'characters between a closing quote and the next delimiter';
  return { code: 'malformed-row', detail: fault.detail, column, message: `line ${line}, column ${column}: ${what}` };
}

function fieldCountProblem(line: number, count: number, width: number): CsvProblem {
  return {
    code: 'field-count',
    message: `line ${line}: ${count} field${count === 1 ? '' : 's'} where the header has ${width}`,
  };
}
