/**
 * What the CSV reader yields and what a caller keeps to resume it: records with the physical line
 * they start on, the problems a row can have, and the resume point.
 */

/** Text encodings the reader recognises; every one is transcoded to UTF-8 strings. */
export const csvEncodings = ['utf-8', 'windows-1252', 'utf-16le', 'utf-16be'] as const;
export type CsvEncoding = (typeof csvEncodings)[number];

/** Field delimiters the reader detects, in tie-break order (see `detectDelimiter`). */
export const csvDelimiters = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof csvDelimiters)[number];

/**
 * Why a row cannot be taken as it is. The codes match the ingestion reason codes, so a caller can
 * reject the row with `problem.code` as its reason.
 * - `field-count`: more or fewer fields than the header.
 * - `malformed-row`: a quote where CSV allows none (`detail` says which way); the fields are what
 *   csv-parse made of the row in its relaxed mode, or none at all for `unclosed-quote`.
 */
export type CsvProblemCode = 'field-count' | 'malformed-row';

/**
 * - `stray-quote`: a quote inside a field that does not start with one (`ab"c`).
 * - `text-after-quote`: characters between a closing quote and the next delimiter (`"ab"c`, `"ab" `).
 * - `unclosed-quote`: a quote opened and never closed: the rest of the file was read as one field.
 */
export type CsvMalformedDetail = 'stray-quote' | 'text-after-quote' | 'unclosed-quote';

/** A row problem. The message names the line and column, never a cell value. */
export interface CsvProblem {
  readonly code: CsvProblemCode;
  readonly detail?: CsvMalformedDetail;
  /** 1-based column of the first malformed field, for `stray-quote` and `text-after-quote`. */
  readonly column?: number;
  /** Last physical line the problem covers, for `unclosed-quote` (the end of the file). */
  readonly lastLine?: number;
  readonly message: string;
}

/** One CSV row as read. */
export interface CsvRecord {
  /** 1-based physical line where the row starts (CRLF, LF and CR each end a line; quoted line breaks count). */
  readonly line: number;
  /** The fields, unquoted and unescaped, as UTF-16 strings. Never trimmed. */
  readonly fields: string[];
  /** Set when the row cannot be taken as it is; the row is yielded all the same. */
  readonly problem?: CsvProblem | undefined;
}

/**
 * Everything needed to go on reading a file from a record boundary, e.g. in a later invocation with
 * an S3 Range GET from `offset`: `openCsv(bytesFrom(offset), { resume })`. JSON-serialisable.
 */
export interface CsvResumePoint {
  /** Byte offset in the SOURCE file (not in the decoded text) of the first byte not yet read as a record. */
  readonly offset: number;
  /** Physical line number at `offset`. */
  readonly line: number;
  readonly encoding: CsvEncoding;
  readonly delimiter: CsvDelimiter;
  readonly header: readonly string[];
}
