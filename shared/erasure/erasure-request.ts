/**
 * An erasure request as it is stored: its status, due date, the keyed hashes of its identifiers,
 * while open the sealed identifiers, what was done (ipSCAPE's counts per identifier and round, the
 * objects purged) and the audit trail. Never an identifier in clear.
 *
 * received → processing → completed | failed (retryable: → received) | cancelled (from received,
 * processing or failed).
 */
import type { PrivacyErasureResponse } from '../ipscape/schemas/privacy';
import type { IdentifierKind } from './identifiers';
import type { Jurisdiction } from './jurisdiction';

export const erasureStatuses = ['received', 'processing', 'completed', 'failed', 'cancelled'] as const;
export type ErasureStatus = (typeof erasureStatuses)[number];
export const openErasureStatuses: readonly ErasureStatus[] = ['received', 'processing', 'failed'];

/** One successful ipSCAPE erasure call: recorded as soon as it answers, so it is never made again. */
export interface ErasureCall {
  readonly kind: IdentifierKind;
  /** 1 for the first call; 2+ when it ran again after ingestion work in flight ended. */
  readonly round: number;
  readonly at: string;
  readonly counts: Pick<PrivacyErasureResponse, 'callData' | 'emailData' | 'leadData'>;
  /** Every count was zero: ipSCAPE held nothing for this identifier. */
  readonly nothingHeld: boolean;
  /** An earlier attempt of this call ended with an unknown outcome (5xx, timeout): its deletions may be missing from these counts. */
  readonly afterUnknownOutcome?: boolean;
}

/** One object of ours that held a row of the person. */
export interface PurgedObject {
  readonly bucket: string;
  readonly key: string;
  readonly kind: 'upload' | 'chunk' | 'rejected-report' | 'erasure-file';
  readonly action: 'rewritten' | 'deleted' | 'already-gone';
  readonly rowsRemoved: number;
  /** Earlier versions (and delete markers) removed. */
  readonly versionsDeleted: number;
}

/** What happened to our own data. */
export interface PurgeResult {
  readonly objects: readonly PurgedObject[];
  /** Index entries (keyed hashes) that pointed at the objects, deleted. */
  readonly indexEntriesDeleted: number;
  /** What cannot be purged at once, and when it goes. */
  readonly notYetPurged: readonly string[];
}

/** Who did what, when. `detail` holds reasons and counts, never an identifier. */
export interface AuditEntry {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly detail?: string;
}

export interface ErasureRequestRecord {
  readonly requestId: string;
  readonly status: ErasureStatus;
  readonly jurisdiction: Jurisdiction;
  readonly externalId?: string;
  readonly requestedBy: string;
  readonly receivedAt: string;
  readonly dueAt: string;
  readonly updatedAt: string;
  readonly completedAt?: string;
  readonly cancelledAt?: string;
  /** Which identifiers the request names. */
  readonly kinds: readonly IdentifierKind[];
  /** HMAC (`person-identifier/v1`) of each identifier: what suppression and the person index are keyed by. */
  readonly hashes: Partial<Record<IdentifierKind, string>>;
  /** The identifiers sealed (AES-256-GCM), while the request is open. */
  readonly sealed?: string;
  /** Key of the open-request lock (keyed hashes), while open. */
  readonly openKey?: string;
  /** The current round of ipSCAPE calls. */
  readonly round: number;
  /** Executions so far (reset by a retry). */
  readonly attempts: number;
  /** Successful calls by `r<round>-<kind>`. */
  readonly calls: Readonly<Record<string, ErasureCall>>;
  /** Calls whose outcome was unknown, by `r<round>-<kind>` (the next call notes it). */
  readonly unknownOutcomes?: Readonly<Record<string, string>>;
  /** The person's suppression entries were written. */
  readonly suppressedAt?: string;
  /** Waiting for ingestion work holding the person to end. */
  readonly waiting?: { readonly since: string; readonly uploads: number; readonly chunks: number };
  /** A worker executes the request until then (a duplicate message waits for it). */
  readonly leaseUntil?: string;
  readonly lastError?: { readonly at: string; readonly kind: string; readonly message: string };
  readonly purge?: PurgeResult;
  /** Objects purged so far, by `<bucket>/<key>`, recorded one by one so a run cut short keeps its record. */
  readonly purged?: Readonly<Record<string, PurgedObject>>;
  readonly audit: readonly AuditEntry[];
}

/** The key of a call in {@link ErasureRequestRecord.calls}. */
export function callKey(round: number, kind: IdentifierKind): string {
  return `r${round}-${kind}`;
}

/** Request ids: `er` and 20 hex digits. */
export const REQUEST_ID = /^er[0-9a-f]{20}$/;
