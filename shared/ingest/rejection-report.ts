/**
 * `reports/<uploadId>/rejected.csv`: one line per row that did not become a lead, with its original
 * line number, outcome, reason code, field and message, then the original row with phone numbers and
 * emails masked. Safe to open in Excel: cells that a spreadsheet would evaluate are escaped and the
 * file starts with a UTF-8 byte order mark. Streamed to S3 as rows come, never held whole.
 */
import { PassThrough } from 'node:stream';
import { createCsvWriter, type CsvWriter } from '../csv/csv-writer';
import { EMAIL_MASK, isPersonalDataKey, PHONE_MASK, redactText, VALUE_MASK } from '../privacy/redact';
import type { ObjectStore } from './object-store';
import { outcomeOf, reasonCodes, type ReasonCode } from './outcomes';

/** The fixed columns before the original row's. */
export const REJECTION_COLUMNS = ['line', 'outcome', 'reason', 'field', 'message'] as const;

export interface RejectedRow {
  readonly line: number;
  readonly reason: ReasonCode;
  readonly field?: string;
  /** The original cells (masked here before writing). */
  readonly cells?: readonly string[];
}

export interface RejectionReport {
  add(row: RejectedRow): Promise<void>;
  /** Finishes the file; resolves with the number of rows written (0: no file was written). */
  close(): Promise<number>;
}

/**
 * The mask for every cell of a column mapped (`target`, from the header mapping) to a phone, an email
 * or another personal field, so the report never shows one whatever its form; undefined for others.
 *
 * @example columnMask('phone1') // PHONE_MASK
 */
export function columnMask(target: string): string | undefined {
  if (target === 'phone1' || target === 'phone2' || target === 'phone3') return PHONE_MASK;
  if (target.startsWith('leadData.') && isPersonalDataKey(target.slice('leadData.'.length))) {
    return /mail/i.test(target) ? EMAIL_MASK : /phone|mobile/i.test(target) ? PHONE_MASK : VALUE_MASK;
  }
  return undefined;
}

/**
 * Masks a row's cells: whole for columns with a mask, by the text masker for the others.
 *
 * @example maskRow(['Ann', '0491 570 156'], [undefined, PHONE_MASK]) // ['Ann', PHONE_MASK]
 */
export function maskRow(cells: readonly string[], columnMasks: readonly (string | undefined)[]): string[] {
  return cells.map((cell, i) => (columnMasks[i] !== undefined && cell.trim() !== '' ? columnMasks[i]! : maskCell(cell)));
}

/** Masks the personal data a cell may hold (phones, emails); other text is kept for the operator. */
export function maskCell(cell: string): string {
  return redactText(cell);
}

/**
 * Opens a report that starts writing `key` at its first row (a clean upload gets no file).
 *
 * @param originalHeader - the upload's header, masked here, written after the fixed columns.
 * @param options.header - false for a part that continues an earlier one (no byte order mark, no header).
 */
export function createRejectionReport(
  objects: ObjectStore,
  key: string,
  originalHeader: readonly string[],
  columnMasks: readonly (string | undefined)[] = [],
  options: { readonly header?: boolean } = {},
): RejectionReport {
  const withHeader = options.header ?? true;
  // A column known to hold phones or emails is masked whole: the text masker only finds what looks
  // like a number or an address, and a phone column can hold forms it would not recognise.

  let writer: CsvWriter | undefined;
  let upload: Promise<void> | undefined;
  let failure: unknown;
  // The writes in progress, failed at once if the upload fails. Not a race against the upload per
  // row: each race leaves a reaction on the upload promise until the file ends (about 0.5 KB a
  // rejected row: 15 MB of a 1M-row file's heap with 3 % bad rows, far more when most rows are bad).
  const inProgress = new Set<(error: unknown) => void>();
  const start = async () => {
    const stream = new PassThrough();
    upload = objects.write(key, stream, 'text/csv; charset=utf-8');
    // A store that fails without reading the stream would leave writes waiting for a drain that never
    // comes: end the stream, fail the writes in progress, and make the next add (or close) throw.
    upload.catch((error: unknown) => {
      failure = error;
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      for (const fail of inProgress) fail(error);
      inProgress.clear();
    });
    writer = createCsvWriter(stream, { bom: withHeader });
    if (withHeader) await writer.writeRow([...REJECTION_COLUMNS, ...originalHeader.map(maskCell)]);
  };
  const check = () => {
    if (failure !== undefined) throw failure;
  };
  /** Waits for a write, or for the upload to fail, whichever comes first. */
  const settle = (write: Promise<void>) =>
    new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => reject(failure ?? error);
      inProgress.add(fail);
      write.then(
        () => {
          inProgress.delete(fail);
          resolve();
        },
        (error: unknown) => {
          inProgress.delete(fail);
          fail(error);
        },
      );
    });
  return {
    async add(row) {
      check();
      if (!writer) await start();
      await settle(writer!.writeRow([row.line, outcomeOf(row.reason), row.reason, row.field ?? '', reasonCodes[row.reason], ...maskRow(row.cells ?? [], columnMasks)]));
      check();
    },
    async close() {
      check();
      if (!writer) return 0;
      await Promise.race([writer.end(), upload!.then(() => undefined)]).catch((error: unknown) => {
        throw failure ?? error;
      });
      await upload;
      return writer.rows - (withHeader ? 1 : 0);
    },
  };
}
