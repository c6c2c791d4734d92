/**
 * Where erasure requests live (the state table; `shared/aws/dynamo-erasure-store.ts`). Every status
 * change is conditional on the status it leaves, so two workers, or a worker and an officer
 * cancelling, cannot both win.
 */
import type { AuditEntry, ErasureCall, ErasureRequestRecord, ErasureStatus, PurgedObject } from './erasure-request';

/** What a conditional create found. */
export type CreateResult = { readonly created: true; readonly record: ErasureRequestRecord } | { readonly created: false; readonly existing: ErasureRequestRecord };

/** Changes made with a transition. `remove` drops attributes (the sealed identifiers...). */
export interface RequestChanges {
  readonly set?: Partial<Omit<ErasureRequestRecord, 'requestId' | 'status' | 'audit' | 'calls'>>;
  readonly remove?: readonly ('sealed' | 'openKey' | 'waiting' | 'lastError' | 'purged' | 'leaseUntil')[];
  /** Take the execution lease: only when no other worker holds one that runs past `now`. */
  readonly lease?: { readonly now: string; readonly until: string };
  readonly audit?: AuditEntry;
  /** Delete the open-request lock (completion, cancellation). */
  readonly releaseOpenLock?: boolean;
}

export interface ListQuery {
  readonly status?: ErasureStatus;
  /** Only requests due before this instant. */
  readonly dueBefore?: string;
  readonly limit?: number;
}

export interface ErasureStore {
  /**
   * Creates a request unless an open one has the same identifiers (`record.openKey`) or any has the same
   * external id: then that one is returned.
   */
  create(record: ErasureRequestRecord): Promise<CreateResult>;
  get(requestId: string): Promise<ErasureRequestRecord | undefined>;
  /** Records a successful call once: false when the call was already recorded. */
  recordCall(requestId: string, key: string, call: ErasureCall): Promise<boolean>;
  /** Records one purged object (overwriting an earlier record of the same object). */
  recordPurged(requestId: string, object: PurgedObject): Promise<void>;
  /** Notes a call whose outcome was unknown. */
  recordUnknownOutcome(requestId: string, key: string, at: string): Promise<void>;
  /** Moves a request from one of `from` to `to` with changes; undefined when its status was not in `from`. */
  transition(requestId: string, from: readonly ErasureStatus[], to: ErasureStatus, changes?: RequestChanges): Promise<ErasureRequestRecord | undefined>;
  /** Requests by status, oldest due first (all statuses when none is given). */
  list(query: ListQuery): Promise<ErasureRequestRecord[]>;
}
