/**
 * The state of an upload and of its chunks, and the store that keeps it (DynamoDB when deployed and
 * on moto; see `shared/aws/dynamo-upload-store.ts`). Every transition is conditional, so a function
 * that runs twice (a redelivered message, a retry after a crash) cannot move state backwards or count
 * a row twice.
 */
import type { ReasonCode, RowOutcome } from './outcomes';

/** received → parsing → submitting → polling → completed / completed-with-rejections / failed. */
export const uploadStatuses = [
  'received',
  'parsing',
  'submitting',
  'polling',
  'completed',
  'completed-with-rejections',
  'failed',
] as const;
export type UploadStatus = (typeof uploadStatuses)[number];

/** Statuses after which nothing changes. */
export const finalUploadStatuses: readonly UploadStatus[] = ['completed', 'completed-with-rejections', 'failed'];

/**
 * pending (written, announced) → sending (bulk create about to be called) → submitted (job uuid known)
 * → succeeded | failed; sending → in-doubt (outcome unknown) → reconciled | failed.
 */
export const chunkStates = ['pending', 'sending', 'submitted', 'in-doubt', 'succeeded', 'failed', 'reconciled'] as const;
export type ChunkState = (typeof chunkStates)[number];
export const finalChunkStates: readonly ChunkState[] = ['succeeded', 'failed', 'reconciled'];

/** Counts by outcome and by reason. */
export interface Tally {
  readonly outcomes: Partial<Record<RowOutcome, number>>;
  readonly reasons: Partial<Record<ReasonCode, number>>;
}

export interface UploadRecord {
  readonly uploadId: string;
  readonly bucket: string;
  readonly key: string;
  readonly versionId?: string;
  readonly eTag?: string;
  readonly fileName: string;
  /** The upload-level target list (key or profile default); rows may name their own. */
  readonly listId?: number;
  readonly profile?: string;
  /** The operator asked to ingest this content again on purpose. */
  readonly rerun: boolean;
  /** `list`: skip leads earlier uploads put in the same list; `file-only`: only within this file. */
  readonly dedupe: 'list' | 'file-only';
  readonly status: UploadStatus;
  readonly receivedAt: string;
  readonly updatedAt: string;
  readonly parsedAt?: string;
  readonly endedAt?: string;
  /** SHA-256 of the object's bytes, hex. */
  readonly sha256?: string;
  readonly encoding?: string;
  readonly delimiter?: string;
  /** Rows in the file (set when parsing ends). */
  readonly rows?: number;
  readonly chunksTotal?: number;
  readonly chunksDone: number;
  readonly tally: Tally;
  /** Why the whole file was refused (not a CSV, no header...), for the report. */
  readonly failure?: { readonly reason: string; readonly message: string };
  /** The upload that already ingested the same content into the same list. */
  readonly duplicateOf?: string;
  /** Where a parse too long for one invocation handed over (see `ingest-checkpoint.ts`). */
  readonly checkpoint?: UploadCheckpointRef;
  /**
   * The parts of the parse-time rejection report, in line order (one per parse invocation that
   * rejected a row); set when parsing ends. Finish composes `rejected.csv` from them.
   */
  readonly rejectedParts?: readonly string[];
}

/** Conditions a transition adds to its `from` statuses. */
export interface UploadGuard {
  /** Only if no `failure` is recorded: a refused or abandoned parse never goes on. */
  readonly noFailure?: boolean;
  /** Only if the upload was last changed at exactly this time: nobody touched it since it was read. */
  readonly updatedAt?: string;
}

/** The latest checkpoint of a parse: the segment it starts and the object that holds it. */
export interface UploadCheckpointRef {
  /** 1 for the first hand-over, then 2, 3... */
  readonly segment: number;
  readonly key: string;
}

export interface ChunkRecord {
  readonly uploadId: string;
  readonly chunk: number;
  /** S3 key of the chunk body. */
  readonly key: string;
  readonly rows: number;
  readonly state: ChunkState;
  readonly jobUuid?: string;
  readonly jobStatus?: string;
  readonly sentAt?: string;
  readonly submittedAt?: string;
  /** After this instant a running job is failed and an in-doubt chunk is reconciled. */
  readonly deadline?: string;
  readonly endedAt?: string;
  readonly polls: number;
  readonly tally: Tally;
  /** Lines of this chunk that were not accepted, with why (for the rejection report). At most one chunk's rows. */
  readonly exceptions?: readonly ChunkException[];
}

/** A row of a chunk that did not become a lead. */
export interface ChunkException {
  readonly line: number;
  readonly reason: ReasonCode;
}

/** What a conditional create found. */
export type ClaimResult<T> = { readonly created: true; readonly record: T } | { readonly created: false; readonly existing: T };

/** A lead identity claimed in a list by a chunk: `mine` when this chunk already holds it (a rerun). */
export type LeadClaim = 'claimed' | 'mine' | 'taken';

/** The store of upload and chunk state. */
export interface UploadStore {
  /** Creates the upload if its id is new; otherwise returns the existing record (a redelivered event). */
  createUpload(record: UploadRecord): Promise<ClaimResult<UploadRecord>>;
  getUpload(uploadId: string): Promise<UploadRecord | undefined>;
  /**
   * Uploads in one of `statuses`, oldest change first; with `updatedBefore` (ISO time), only those not
   * changed since (the sweep for parses that stopped for good). Erasure lists the uploads being parsed.
   */
  listUploads(statuses: readonly UploadStatus[], options?: { readonly updatedBefore?: string }): Promise<UploadRecord[]>;
  /** The newest upload of an S3 key, for `leadflow status <key>`. */
  findUploadByKey(bucket: string, key: string): Promise<UploadRecord | undefined>;
  /**
   * Moves the upload to `to` if its status is one of `from`, setting `fields` too.
   * @returns the updated record, or undefined when the condition failed.
   */
  transitionUpload(
    uploadId: string,
    from: readonly UploadStatus[],
    to: UploadStatus,
    fields?: Partial<Omit<UploadRecord, 'uploadId' | 'status' | 'chunksDone'>>,
    guard?: UploadGuard,
  ): Promise<UploadRecord | undefined>;
  /** Claims `(sha256, listId)` for an upload; an existing claim by another upload names it. */
  claimContent(sha256: string, listId: number | undefined, uploadId: string): Promise<{ readonly owner: string; readonly claimed: boolean }>;
  /** Writes a pending chunk (idempotent: an existing chunk is left as it is and returned). */
  putChunk(chunk: ChunkRecord): Promise<ClaimResult<ChunkRecord>>;
  getChunk(uploadId: string, chunk: number): Promise<ChunkRecord | undefined>;
  listChunks(uploadId: string): Promise<ChunkRecord[]>;
  /** Moves a chunk between non-final states; undefined when the condition failed. */
  transitionChunk(
    uploadId: string,
    chunk: number,
    from: readonly ChunkState[],
    to: ChunkState,
    fields?: Partial<Pick<ChunkRecord, 'jobUuid' | 'jobStatus' | 'sentAt' | 'submittedAt' | 'deadline' | 'polls' | 'tally' | 'exceptions'>>,
  ): Promise<ChunkRecord | undefined>;
  /**
   * Ends a chunk and adds its tally to the upload's, atomically (one transaction), so the counts are
   * added exactly once however often this is called.
   * @returns the upload after the change, or undefined when the chunk was not in one of `from`.
   */
  finishChunk(
    uploadId: string,
    chunk: number,
    from: readonly ChunkState[],
    to: (typeof finalChunkStates)[number],
    tally: Tally,
    fields?: Partial<Pick<ChunkRecord, 'jobStatus' | 'endedAt' | 'exceptions'>>,
  ): Promise<UploadRecord | undefined>;
  /**
   * Records a parse's hand-over: only while the upload is `parsing` (and not refused: no `failure`)
   * and its latest checkpoint is
   * segment `fromSegment` (0: none yet), so of two invocations racing over one segment only one
   * hands over.
   * @returns the updated record, or undefined when the condition failed.
   */
  saveCheckpoint(uploadId: string, fromSegment: number, checkpoint: UploadCheckpointRef): Promise<UploadRecord | undefined>;
  /**
   * Claims lead identities (keyed hashes) in a list for a chunk. A hash another chunk holds is `taken`
   * (the lead is a duplicate in the list); one this chunk holds is `mine` (a rerun after a crash).
   */
  claimLeads(listId: number, hashes: readonly string[], owner: string): Promise<LeadClaim[]>;
  /** Releases claims a chunk holds (its job failed), so a later upload can bring those leads. */
  releaseLeads(listId: number, hashes: readonly string[], owner: string): Promise<void>;
}
