/**
 * The CSV reader of lead ingestion: a byte stream in, the header and then one record at a time out,
 * never holding more of the file than a chunk and the record in progress. It knows nothing of S3 or
 * Lambda.
 *
 * `openCsv` reads a sample (64 KiB), refuses what is not a text CSV (`NotCsvError`), detects the
 * encoding (`detectEncoding`) and the delimiter (`detectDelimiter`), and reads up to the header.
 * `records` then yields every row, good or not: a row with a problem (`field-count`,
 * `malformed-row`) carries it, so that the caller can reject it naming its line. Reading stops early
 * only with a `CsvFormatError` (a row longer than `maxRecordBytes`).
 *
 * Resumption: `resumePoint()` is the position just past the last record yielded, in source bytes,
 * with what is needed to go on without the start of the file. It is exact for every encoding.
 */
import { byteChunks, type ByteChunks, type ByteSource } from './byte-source';
import {
  csvDelimiters,
  csvEncodings,
  type CsvDelimiter,
  type CsvEncoding,
  type CsvRecord,
  type CsvResumePoint,
} from './csv-record';
import { detectDelimiter } from './delimiter-detection';
import { DEFAULT_SAMPLE_BYTES, detectEncoding } from './encoding-detection';
import { NotCsvError } from './errors';
import { fileSignatureError } from './file-signature';
import { CsvRecordParser } from './record-parser';
import { decodeWindows1252 } from './windows-1252';

/** Default for {@link OpenCsvOptions.maxRecordBytes}: far above any lead row, low enough for a Lambda. */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
/** Enough for every file signature and byte order mark. */
const MIN_SAMPLE_BYTES = 16;
/**
 * Source chunks are parsed at most this many bytes at a time (about 160 lead rows), so a batch of
 * records, alive while the caller works through it, stays small whatever size the source's chunks
 * are (64 KiB file reads; S3 bodies vary). Records that outlive a young-generation collection are
 * copied, and V8 grows the young generation (up to 32 MiB) as copying adds up: with 64 KiB batches
 * parsed at once it reaches its maximum within seconds; in 16 KiB slices with a turn of the event
 * loop between them it stays at half that (bench/ingest, 1M rows: about 15 MiB less peak RSS).
 */
const PARSE_SLICE_BYTES = 16 * 1024;

export interface OpenCsvOptions {
  /** Use this delimiter instead of detecting one. */
  readonly delimiter?: CsvDelimiter;
  /** Go on from a resume point; the source must start at `resume.offset`. No sniffing, no header read. */
  readonly resume?: CsvResumePoint;
  /** Bytes read before deciding encoding and delimiter (default 64 KiB, at least 16). */
  readonly sampleBytes?: number;
  /** Longest row, roughly in bytes, before reading stops with `CsvFormatError` (default 1 MiB). */
  readonly maxRecordBytes?: number;
}

/** Progress, live while records are read. */
export interface CsvReadStats {
  /** Source offset just past the bytes received from the stream (a resumed read starts at its offset). */
  readonly bytesRead: number;
  /** Records yielded, flagged ones included, header not. */
  readonly records: number;
  /** Source offset just past the last record yielded (or the header): a record boundary. */
  readonly offset: number;
  /** In a `utf-8` file, bytes that were not UTF-8 and were read as Windows-1252. */
  readonly fallbackBytes: number;
}

export interface CsvFile {
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  readonly header: readonly string[];
  /** Physical line of the header (1 unless blank lines precede it; the resumed line when resuming). */
  readonly headerLine: number;
  /** The rows after the header, in order. Iterable once; breaking out of the loop releases the source. */
  readonly records: AsyncIterable<CsvRecord>;
  /**
   * The same rows as {@link CsvFile.records}, as the arrays parsed from each slice of the source
   * (at most 16 KiB; never empty): one await per batch instead of one per row, for callers that do
   * little per row. Iterable
   * once, and not together with `records`; `stats` and `resumePoint()` advance a batch at a time,
   * to just past the last row of the batch yielded.
   */
  readonly recordBatches: AsyncIterable<readonly CsvRecord[]>;
  readonly stats: CsvReadStats;
  /** Where to resume after the last record yielded. */
  resumePoint(): CsvResumePoint;
  /** Releases the source without reading further (not needed after iterating `records`). */
  close(): Promise<void>;
}

/**
 * Opens a CSV byte stream: detects what it is and reads its header.
 * @throws NotCsvError when the file is empty, binary, a workbook, or has no header row
 * @throws CsvFormatError when the header row cannot be read
 * @example
 * const csv = await openCsv(s3Object.Body as Readable);
 * for await (const { line, fields, problem } of csv.records) {
 *   if (problem) reject(line, problem.code, problem.message); else accept(line, fields);
 * }
 */
export async function openCsv(source: ByteSource, options: OpenCsvOptions = {}): Promise<CsvFile> {
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  if (!Number.isInteger(maxRecordBytes) || maxRecordBytes < 1) throw new RangeError('maxRecordBytes must be a positive integer');
  if (options.delimiter !== undefined && !(csvDelimiters as readonly string[]).includes(options.delimiter)) {
    throw new TypeError(`Unsupported delimiter ${JSON.stringify(options.delimiter)}: use one of , ; tab |`);
  }
  const input = byteChunks(source);
  try {
    return options.resume === undefined
      ? await openFromStart(input, options, maxRecordBytes)
      : resume(input, options.resume, maxRecordBytes);
  } catch (error) {
    await input.close();
    throw error;
  }
}

async function openFromStart(input: ByteChunks, options: OpenCsvOptions, maxRecordBytes: number): Promise<CsvFile> {
  const sample = await readSample(input, Math.max(options.sampleBytes ?? DEFAULT_SAMPLE_BYTES, MIN_SAMPLE_BYTES));
  if (sample.bytes.length === 0) throw emptyFile();
  const signature = fileSignatureError(sample.bytes);
  if (signature !== undefined) throw signature;
  const { encoding, bomLength } = detectEncoding(sample.bytes, sample.complete);
  const text = sampleText(sample.bytes.subarray(bomLength), encoding);
  if (text.includes('\0')) {
    throw new NotCsvError(
      'binary',
      'The file is not text (it contains NUL bytes): save it as "CSV UTF-8 (Comma delimited)". UTF-16 text without a byte order mark looks like this too.',
    );
  }
  if (sample.complete && text.trim() === '') throw emptyFile();
  const delimiter = options.delimiter ?? detectDelimiter(text, sample.complete);

  const parser = new CsvRecordParser({ encoding, delimiter, base: bomLength, firstLine: 1, maxRecordBytes });
  const pending: Buffer[] = [];
  let skip = bomLength;
  for (const chunk of sample.chunks) {
    if (skip >= chunk.length) {
      skip -= chunk.length;
      continue;
    }
    pending.push(skip > 0 ? chunk.subarray(skip) : chunk);
    skip = 0;
  }
  const state: ReadState = {
    pending,
    sourceDone: sample.complete,
    bytesRead: sample.bytes.length,
    records: 0,
    offset: bomLength,
    nextLine: 1,
    finished: false,
  };
  while (parser.records.length === 0 && parser.error === undefined && !state.finished) await pull(input, parser, state);
  // An error past the header is the records' to throw, after the rows before it.
  if (parser.records.length === 0 && parser.error !== undefined) throw parser.error;

  const headerRecord = parser.records.shift();
  const headerEnd = parser.ends.shift();
  const afterHeader = parser.nextLines.shift();
  if (headerRecord === undefined || headerEnd === undefined || afterHeader === undefined) throw emptyFile();
  checkHeader(headerRecord);
  state.offset = headerEnd;
  state.nextLine = afterHeader;
  return csvFile({ encoding, delimiter, header: headerRecord.fields, headerLine: headerRecord.line }, input, parser, state);
}

function resume(input: ByteChunks, point: CsvResumePoint, maxRecordBytes: number): CsvFile {
  checkResumePoint(point);
  const header = [...point.header];
  const parser = new CsvRecordParser({
    encoding: point.encoding,
    delimiter: point.delimiter,
    base: point.offset,
    firstLine: point.line,
    width: header.length,
    maxRecordBytes,
  });
  const state: ReadState = { pending: [], sourceDone: false, bytesRead: point.offset, records: 0, offset: point.offset, nextLine: point.line, finished: false };
  return csvFile({ encoding: point.encoding, delimiter: point.delimiter, header, headerLine: point.line }, input, parser, state);
}

interface ReadState {
  /** Source bytes received and not parsed yet, parsed a slice at a time. */
  readonly pending: Buffer[];
  /** The source has no more chunks. */
  sourceDone: boolean;
  bytesRead: number;
  records: number;
  offset: number;
  nextLine: number;
  finished: boolean;
}

interface Dialect {
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  readonly header: readonly string[];
  readonly headerLine: number;
}

function csvFile(dialect: Dialect, input: ByteChunks, parser: CsvRecordParser, state: ReadState): CsvFile {
  let iterated = false;

  async function* iterate(): AsyncGenerator<CsvRecord, void, undefined> {
    try {
      for (;;) {
        const { records, ends, nextLines } = parser;
        for (let i = 0; i < records.length; i++) {
          state.offset = ends[i] as number;
          state.nextLine = nextLines[i] as number;
          state.records++;
          yield records[i] as CsvRecord;
        }
        records.length = 0;
        ends.length = 0;
        nextLines.length = 0;
        if (parser.error !== undefined) throw parser.error;
        if (state.finished) return;
        await pull(input, parser, state);
      }
    } finally {
      await input.close();
    }
  }

  async function* iterateBatches(): AsyncGenerator<readonly CsvRecord[], void, undefined> {
    try {
      for (;;) {
        const { records, ends, nextLines } = parser;
        const n = records.length;
        if (n > 0) {
          state.offset = ends[n - 1] as number;
          state.nextLine = nextLines[n - 1] as number;
          state.records += n;
          const batch = records.slice();
          records.length = 0;
          ends.length = 0;
          nextLines.length = 0;
          yield batch;
        }
        if (parser.error !== undefined) throw parser.error;
        if (state.finished) return;
        await pull(input, parser, state);
      }
    } finally {
      await input.close();
    }
  }

  const once = <T>(iterate: () => AsyncGenerator<T, void, undefined>): AsyncIterable<T> => ({
    [Symbol.asyncIterator]() {
      if (iterated) throw new Error('CsvFile.records can be iterated only once');
      iterated = true;
      return iterate();
    },
  });

  return {
    ...dialect,
    records: once(iterate),
    recordBatches: once(iterateBatches),
    stats: {
      get bytesRead() {
        return state.bytesRead;
      },
      get records() {
        return state.records;
      },
      get offset() {
        return state.offset;
      },
      get fallbackBytes() {
        return parser.fallbackBytes;
      },
    },
    resumePoint: () => ({
      offset: state.offset,
      line: state.nextLine,
      encoding: dialect.encoding,
      delimiter: dialect.delimiter,
      header: [...dialect.header],
    }),
    close: () => input.close(),
  };
}

/** Parses the next slice of the source (at most `PARSE_SLICE_BYTES`), or ends the parser after the last. */
async function pull(input: ByteChunks, parser: CsvRecordParser, state: ReadState): Promise<void> {
  // A turn of the event loop between slices, as there is between source chunks: V8 runs the young
  // collection it has scheduled there, between batches, when little of them is still alive, instead
  // of in the middle of one (copying its records and growing the young generation). About 6,000
  // turns per 100 MB, a few milliseconds.
  if (state.pending.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
  if (state.pending.length === 0 && !state.sourceDone) {
    const chunk = await input.next();
    if (chunk === undefined) {
      state.sourceDone = true;
    } else {
      state.bytesRead += chunk.length;
      state.pending.push(chunk);
    }
  }
  const next = state.pending[0];
  if (next === undefined) {
    state.finished = true;
    parser.end();
  } else if (next.length > PARSE_SLICE_BYTES) {
    state.pending[0] = next.subarray(PARSE_SLICE_BYTES);
    parser.write(next.subarray(0, PARSE_SLICE_BYTES));
  } else {
    state.pending.shift();
    parser.write(next);
  }
}

interface Sample {
  /** The chunks as received, to be parsed with their boundaries. */
  readonly chunks: Buffer[];
  readonly bytes: Buffer;
  /** The source ended within the sample. */
  readonly complete: boolean;
}

async function readSample(input: ByteChunks, size: number): Promise<Sample> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < size) {
    const chunk = await input.next();
    if (chunk === undefined) return { chunks, bytes: Buffer.concat(chunks, length), complete: true };
    chunks.push(chunk);
    length += chunk.length;
  }
  return { chunks, bytes: Buffer.concat(chunks, length), complete: false };
}

/** The sample as text, for the checks and delimiter detection (a cut last character is harmless). */
function sampleText(bytes: Buffer, encoding: CsvEncoding): string {
  switch (encoding) {
    case 'utf-8':
      return bytes.toString('utf8');
    case 'windows-1252':
      return decodeWindows1252(bytes);
    case 'utf-16le':
    case 'utf-16be':
      return new TextDecoder(encoding, { ignoreBOM: true }).decode(bytes);
  }
}

function checkHeader(header: CsvRecord): void {
  const problem = header.problem;
  if (problem !== undefined) {
    const message =
      problem.detail === 'unclosed-quote'
        ? `line ${header.line}: the header row opens a quote that is never closed`
        : `line ${header.line}, column ${problem.column ?? 1}: the header row has a misplaced quote`;
    throw new NotCsvError('malformed-header', message, { line: header.line });
  }
  if (header.fields.every((field) => field.trim() === '')) {
    throw new NotCsvError('no-header', `line ${header.line}: the first row is blank, so the file has no header row`, {
      line: header.line,
    });
  }
}

function emptyFile(): NotCsvError {
  return new NotCsvError('empty', 'The file is empty: it has no header row and no data');
}

function checkResumePoint(point: CsvResumePoint): void {
  const bad = (what: string): never => {
    throw new TypeError(`Invalid resume point: ${what}`);
  };
  if (!Number.isSafeInteger(point.offset) || point.offset < 0) bad('offset must be a non-negative integer');
  if (!Number.isSafeInteger(point.line) || point.line < 1) bad('line must be a positive integer');
  if (!(csvEncodings as readonly string[]).includes(point.encoding)) bad(`unknown encoding ${JSON.stringify(point.encoding)}`);
  if (!(csvDelimiters as readonly string[]).includes(point.delimiter)) bad(`unknown delimiter ${JSON.stringify(point.delimiter)}`);
  if (!Array.isArray(point.header) || point.header.length === 0 || !point.header.every((h) => typeof h === 'string')) {
    bad('header must be a non-empty array of strings');
  }
}
