/**
 * Errors of the CSV reader. Both are permanent: the same bytes fail the same way on every attempt,
 * so a caller must not retry them (`permanent: true`, or {@link isPermanentCsvError}). Messages name
 * lines and columns, never a cell value, so they are safe to log and to put in a report.
 */

/** Why a whole file is refused before any row is read. Stable: reports key on them. */
export type NotCsvReason = 'empty' | 'binary' | 'xlsx' | 'xls' | 'no-header' | 'malformed-header';

/** The file is not a text CSV with a header row; nothing was read from it. */
export class NotCsvError extends Error {
  readonly permanent = true as const;
  readonly reason: NotCsvReason;
  /** The recognised file type for `binary` (`pdf`, `png`...), when there is one. */
  readonly format?: string;
  /** The line the problem is on, for `no-header` and `malformed-header`. */
  readonly line?: number;

  constructor(reason: NotCsvReason, message: string, details: { format?: string; line?: number } = {}) {
    super(message);
    this.name = 'NotCsvError';
    this.reason = reason;
    if (details.format !== undefined) this.format = details.format;
    if (details.line !== undefined) this.line = details.line;
  }
}

/**
 * Why reading stopped part way through a file.
 * - `record-too-large`: a row longer than the reader's limit, almost always a quote never closed.
 * - `unparseable`: csv-parse stopped for another reason (its error code is in the message).
 */
export type CsvFormatReason = 'record-too-large' | 'unparseable';

/** Reading stopped at `line`; the records yielded before it stand. */
export class CsvFormatError extends Error {
  readonly permanent = true as const;
  readonly reason: CsvFormatReason;
  readonly line: number;

  constructor(reason: CsvFormatReason, line: number, message: string) {
    super(message);
    this.name = 'CsvFormatError';
    this.reason = reason;
    this.line = line;
  }
}

/**
 * True for the reader's own errors, which a retry cannot fix. Checks the shape rather than the class
 * so that it holds across bundles.
 * @example if (isPermanentCsvError(err)) markFailed(err.message); else throw err; // retry the rest
 */
export function isPermanentCsvError(error: unknown): error is NotCsvError | CsvFormatError {
  return (
    error instanceof Error &&
    (error.name === 'NotCsvError' || error.name === 'CsvFormatError') &&
    (error as { permanent?: unknown }).permanent === true
  );
}
