/**
 * A request file dropped in the privacy bucket (`requests/<name>.csv`): each row becomes a request
 * through the same intake as the HTTP API and the CLI ({@link submitErasureRequest}), and the file gets
 * a report (`reports/<name>.<version>.csv`: line, outcome, request id, reason) that names lines, fields
 * and request ids, never an identifier.
 *
 * Idempotent: rows are recorded per file content (the ETag) in a {@link RequestFileLedger}, so a
 * redelivered notification, or the same file dropped again, creates no request twice, even once the
 * first request has completed (its open-request lock gone). The intake's own idempotency (open
 * identifiers, external id) also makes a duplicate row of one file `existing`.
 */
import { isPermanentCsvError } from '../csv/errors';
import { formatCsvRow } from '../csv/csv-writer';
import type { ObjectStore } from '../ingest/object-store';
import { resources } from '../resources/resources';
import { ErasureInputError, submitErasureRequest, type IntakeDeps } from './intake';
import type { RequestFileLedger } from './request-file-ledger';
import { readRequestFile, RequestFileError } from './request-file';

/** The object a notification named. */
export interface RequestFileRef {
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string | undefined;
  readonly eTag?: string | undefined;
}

export interface RequestFileDeps extends IntakeDeps {
  /** The objects of a bucket (the privacy bucket the notification named). */
  readonly objects: (bucket: string) => ObjectStore;
  readonly ledger: RequestFileLedger;
}

/** What became of one row, as the report states it. */
export interface RequestFileRow {
  readonly line: number;
  readonly outcome: 'created' | 'existing' | 'rejected';
  readonly requestId?: string;
  /** Names the line's fields and what is wrong with them, never a value. */
  readonly reason?: string;
}

/** What an intake did. */
export type RequestFileResult =
  | { readonly kind: 'ignored'; readonly why: 'not-a-request-file' | 'gone' }
  | { readonly kind: 'read'; readonly reportKey: string; readonly rows: readonly RequestFileRow[]; readonly counts: Readonly<Record<RequestFileRow['outcome'], number>> };

export const REQUEST_FILE_REPORT_HEADER = ['line', 'outcome', 'requestId', 'reason'] as const;

/**
 * The report's key: `requests/<name>.csv` → `reports/<name>.<version>.csv`, outside `requests/` so
 * writing it never notifies the intake again.
 *
 * @example requestFileReportKey('requests/2026-11/batch.csv', 'v1') // 'reports/2026-11/batch.v1.csv'
 */
export function requestFileReportKey(key: string, version: string): string {
  const { requests, reports } = resources.privacyBucket.prefixes;
  const name = key.slice(requests.length, key.length - resources.privacyBucket.requestSuffix.length);
  return `${reports}${name}.${version.replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;
}

/** True for a key the intake reads: under `requests/`, ending `.csv`. */
export function isRequestFileKey(key: string): boolean {
  const { prefixes, requestSuffix } = resources.privacyBucket;
  return key.startsWith(prefixes.requests) && key.endsWith(requestSuffix) && key.length > prefixes.requests.length + requestSuffix.length;
}

const problemText = (error: ErasureInputError) => error.problems.map((p) => `${p.field} ${p.message}`).join('; ');

/**
 * Reads a request file (streamed), submits each row, writes the report.
 *
 * @throws whatever the table, queue or bucket throws: the notification comes back and rows already
 *   submitted are found in the ledger.
 */
export async function intakeRequestFile(file: RequestFileRef, deps: RequestFileDeps): Promise<RequestFileResult> {
  if (!isRequestFileKey(file.key)) return { kind: 'ignored', why: 'not-a-request-file' };
  const objects = deps.objects(file.bucket);
  const pin = file.versionId && file.versionId !== 'null' ? { versionId: file.versionId } : {};
  const head = await objects.head(file.key, pin);
  if (!head) return { kind: 'ignored', why: 'gone' };
  const eTag = (head.eTag ?? file.eTag ?? '').replace(/"/g, '');
  if (!eTag) throw new Error('the request file has no ETag: it cannot be told from another');
  const version = head.versionId ?? pin.versionId ?? eTag;
  const recorded = await deps.ledger.rows(eTag);
  const rows: RequestFileRow[] = [];
  try {
    for await (const row of readRequestFile(await objects.read(file.key, pin))) {
      const known = recorded.get(row.line);
      if (known) {
        rows.push({ line: row.line, outcome: known.version === version ? known.outcome : 'existing', requestId: known.requestId });
        continue;
      }
      const body = row.body.jurisdiction ? { ...row.body, jurisdiction: row.body.jurisdiction.toUpperCase() } : row.body;
      try {
        const result = await submitErasureRequest(body, `request file ${eTag} line ${row.line}`, deps);
        const outcome = result.created ? 'created' : 'existing';
        await deps.ledger.record(eTag, row.line, { requestId: result.request.requestId, outcome, version });
        rows.push({ line: row.line, outcome, requestId: result.request.requestId });
      } catch (error) {
        if (!(error instanceof ErasureInputError)) throw error;
        rows.push({ line: row.line, outcome: 'rejected', reason: `line ${row.line}: ${problemText(error)}` });
      }
    }
  } catch (error) {
    // The header, or the CSV itself from some line on, cannot be read: the report says where, the rows before it stand.
    if (error instanceof RequestFileError) rows.push({ line: 1, outcome: 'rejected', reason: `line 1 (header): ${error.message}` });
    else if (isPermanentCsvError(error)) {
      const line = (error as { line?: number }).line ?? 1;
      rows.push({ line, outcome: 'rejected', reason: `line ${line} and after: ${error.message}` });
    } else throw error;
  }
  const reportKey = requestFileReportKey(file.key, version);
  const text = [REQUEST_FILE_REPORT_HEADER, ...rows.map((r) => [r.line, r.outcome, r.requestId, r.reason])].map((cells) => formatCsvRow(cells)).join('');
  await objects.write(reportKey, `\ufeff${text}`, 'text/csv; charset=utf-8');
  const counts = { created: 0, existing: 0, rejected: 0 };
  for (const r of rows) counts[r.outcome] += 1;
  deps.telemetry.info('erasure request file read', { eTag, version, rows: rows.length, ...counts });
  deps.telemetry.metric('ErasureFileRowsCreated', counts.created);
  deps.telemetry.metric('ErasureFileRowsExisting', counts.existing);
  deps.telemetry.metric('ErasureFileRowsRejected', counts.rejected);
  return { kind: 'read', reportKey, rows, counts };
}
