/**
 * The receipt of a request: what the privacy officer keeps as proof. ipSCAPE's counts per identifier
 * (summed over rounds, with each call's time), the objects of ours that were rewritten or deleted,
 * what cannot be purged at once, and the audit trail. Identifiers appear only as keyed hashes.
 */
import { formatCsvRow } from '../csv/csv-writer';
import type { ErasureCall, ErasureRequestRecord, PurgeResult } from './erasure-request';
import type { IdentifierKind } from './identifiers';

export interface IdentifierReceipt {
  readonly kind: IdentifierKind;
  readonly hash: string;
  readonly calls: readonly { readonly round: number; readonly at: string; readonly afterUnknownOutcome?: boolean }[];
  /** Counts summed over the calls, by group and field. */
  readonly counts: Record<'callData' | 'emailData' | 'leadData', Record<string, number>>;
  readonly nothingHeld: boolean;
}

export interface ErasureReceipt {
  readonly requestId: string;
  readonly externalId?: string;
  readonly jurisdiction: string;
  readonly status: string;
  readonly requestedBy: string;
  readonly receivedAt: string;
  readonly dueAt: string;
  readonly completedAt?: string;
  /** When the identifiers went on the suppression list (no later CSV brings the person back). */
  readonly suppressedAt?: string;
  readonly identifiers: readonly IdentifierReceipt[];
  readonly ourData?: PurgeResult;
  readonly audit: ErasureRequestRecord['audit'];
}

function sumCounts(calls: readonly ErasureCall[]): IdentifierReceipt['counts'] {
  const total: IdentifierReceipt['counts'] = { callData: {}, emailData: {}, leadData: {} };
  for (const call of calls) {
    for (const group of ['callData', 'emailData', 'leadData'] as const) {
      for (const [field, value] of Object.entries(call.counts[group] ?? {})) {
        if (typeof value === 'number') total[group][field] = (total[group][field] ?? 0) + value;
      }
    }
  }
  return total;
}

/** The receipt of a request as it stands (complete once the request is completed). */
export function receiptOf(record: ErasureRequestRecord): ErasureReceipt {
  const calls = Object.values(record.calls);
  return {
    requestId: record.requestId,
    ...(record.externalId && { externalId: record.externalId }),
    jurisdiction: record.jurisdiction,
    status: record.status,
    requestedBy: record.requestedBy,
    receivedAt: record.receivedAt,
    dueAt: record.dueAt,
    ...(record.completedAt && { completedAt: record.completedAt }),
    ...(record.suppressedAt && { suppressedAt: record.suppressedAt }),
    identifiers: record.kinds.map((kind) => {
      const mine = calls.filter((c) => c.kind === kind).sort((a, b) => a.round - b.round);
      return {
        kind,
        hash: record.hashes[kind] ?? '',
        calls: mine.map((c) => ({ round: c.round, at: c.at, ...(c.afterUnknownOutcome && { afterUnknownOutcome: true }) })),
        counts: sumCounts(mine),
        nothingHeld: mine.every((c) => c.nothingHeld),
      };
    }),
    ...(record.purge && { ourData: record.purge }),
    audit: record.audit,
  };
}

/** Columns of the CSV export: one row per identifier of each request. */
export const RECEIPT_CSV_COLUMNS = [
  'requestId',
  'externalId',
  'jurisdiction',
  'status',
  'receivedAt',
  'dueAt',
  'completedAt',
  'identifierKind',
  'identifierHash',
  'ipscapeCalls',
  'leadsDeleted',
  'activitiesOverwritten',
  'callResultsOverwritten',
  'voiceRecordingsDeleted',
  'emailsOverwritten',
  'nothingHeld',
  'objectsRewritten',
  'objectsDeleted',
  'versionsDeleted',
] as const;

/** Receipts as CSV (UTF-8 with BOM, spreadsheet-safe cells). */
export function receiptsCsv(receipts: readonly ErasureReceipt[]): string {
  let out = `\ufeff${formatCsvRow([...RECEIPT_CSV_COLUMNS])}`;
  for (const r of receipts) {
    const objects = r.ourData?.objects ?? [];
    for (const id of r.identifiers) {
      out += formatCsvRow([
        r.requestId,
        r.externalId ?? '',
        r.jurisdiction,
        r.status,
        r.receivedAt,
        r.dueAt,
        r.completedAt ?? '',
        id.kind,
        id.hash,
        id.calls.length,
        id.counts.leadData.leadsDeleted ?? 0,
        id.counts.callData.activitiesOverwritten ?? 0,
        id.counts.callData.callResultsOverwritten ?? 0,
        id.counts.callData.voiceRecordingsDeleted ?? 0,
        (id.counts.emailData.outboundEmailsOverwritten ?? 0) + (id.counts.emailData.inboundEmailsOverwritten ?? 0),
        id.nothingHeld,
        objects.filter((o) => o.action === 'rewritten').length,
        objects.filter((o) => o.action === 'deleted').length,
        objects.reduce((n, o) => n + o.versionsDeleted, 0),
      ]);
    }
  }
  return out;
}
