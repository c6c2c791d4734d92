/**
 * An in-memory {@link UploadStore} with the same semantics as the DynamoDB one, for fast unit tests
 * of the ingestion domain. Records are deep-copied in and out, so a caller holding a record cannot
 * change the store's state behind its back. Every method does its work synchronously before its
 * first await, so concurrent calls are as atomic as DynamoDB's conditional writes.
 */
import {
  finalChunkStates,
  type ChunkRecord,
  type ChunkState,
  type LeadClaim,
  type Tally,
  type UploadRecord,
  type UploadStatus,
  type UploadStore,
} from './upload-state';

export interface MemoryUploadStoreOptions {
  /** Clock for `updatedAt`; defaults to the system clock. */
  now?: () => Date;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Creates an empty in-memory upload store. */
export function createMemoryUploadStore(options: MemoryUploadStoreOptions = {}): UploadStore {
  const now = options.now ?? (() => new Date());
  const uploads = new Map<string, UploadRecord>();
  const chunks = new Map<string, Map<number, ChunkRecord>>();
  /** `<bucket>/<key>` → the newest upload of that key. */
  const latestByKey = new Map<string, { uploadId: string; receivedAt: string }>();
  const contentOwners = new Map<string, string>();
  const leadOwners = new Map<string, string>();

  const chunksOf = (uploadId: string): Map<number, ChunkRecord> => {
    let map = chunks.get(uploadId);
    if (!map) chunks.set(uploadId, (map = new Map()));
    return map;
  };

  return {
    async createUpload(record) {
      const existing = uploads.get(record.uploadId);
      // The alias is refreshed on both paths, like the DynamoDB store, which may have crashed between its two writes.
      pointKeyAt(latestByKey, record);
      if (existing) return { created: false, existing: copy(existing) };
      uploads.set(record.uploadId, copy(record));
      return { created: true, record: copy(record) };
    },

    async getUpload(uploadId) {
      const record = uploads.get(uploadId);
      return record && copy(record);
    },

    async findUploadByKey(bucket, key) {
      const latest = latestByKey.get(`${bucket}/${key}`);
      const record = latest && uploads.get(latest.uploadId);
      return record && copy(record);
    },

    async transitionUpload(uploadId, from, to, fields = {}, guard = {}) {
      requireFrom('transitionUpload', uploadId, from);
      for (const name of ['uploadId', 'status', 'chunksDone'] as const) {
        if (name in fields) throw new Error(`transitionUpload(upload ${uploadId}): fields cannot set ${name}`);
      }
      const record = uploads.get(uploadId);
      if (!record || !from.includes(record.status)) return undefined;
      if (guard.noFailure && record.failure !== undefined) return undefined;
      if (guard.updatedAt !== undefined && record.updatedAt !== guard.updatedAt) return undefined;
      const next: UploadRecord = { ...record, ...definedOnly(copy(fields)), status: to, updatedAt: fields.updatedAt ?? now().toISOString() };
      uploads.set(uploadId, next);
      return copy(next);
    },

    async claimContent(sha256, listId, uploadId) {
      const claimKey = `${sha256}#${listId ?? 'none'}`;
      const owner = contentOwners.get(claimKey) ?? uploadId;
      contentOwners.set(claimKey, owner);
      return { owner, claimed: owner === uploadId };
    },

    async putChunk(chunk) {
      const map = chunksOf(chunk.uploadId);
      const existing = map.get(chunk.chunk);
      if (existing) return { created: false, existing: copy(existing) };
      map.set(chunk.chunk, copy(chunk));
      return { created: true, record: copy(chunk) };
    },

    async getChunk(uploadId, chunk) {
      const record = chunks.get(uploadId)?.get(chunk);
      return record && copy(record);
    },

    async listChunks(uploadId) {
      return [...(chunks.get(uploadId)?.values() ?? [])].sort((a, b) => a.chunk - b.chunk).map(copy);
    },

    async transitionChunk(uploadId, chunk, from, to, fields = {}) {
      requireChunkTransition('transitionChunk', uploadId, chunk, from);
      if (finalChunkStates.includes(to)) {
        throw new Error(`transitionChunk(upload ${uploadId}, chunk ${chunk}): ${to} is final; use finishChunk so the tally is counted`);
      }
      const map = chunksOf(uploadId);
      const record = map.get(chunk);
      if (!record || !from.includes(record.state)) return undefined;
      const next: ChunkRecord = { ...record, ...definedOnly(copy(fields)), state: to };
      map.set(chunk, next);
      return copy(next);
    },

    async finishChunk(uploadId, chunk, from, to, tally, fields = {}) {
      requireChunkTransition('finishChunk', uploadId, chunk, from);
      requireCounts('finishChunk', uploadId, tally);
      const map = chunksOf(uploadId);
      const record = map.get(chunk);
      if (!record || !from.includes(record.state)) return undefined;
      const upload = uploads.get(uploadId);
      if (!upload) throw new Error(`finishChunk(upload ${uploadId}, chunk ${chunk}): the upload does not exist`);
      map.set(chunk, { ...record, ...definedOnly(copy(fields)), state: to, tally: copy(tally) });
      const next: UploadRecord = { ...upload, chunksDone: upload.chunksDone + 1, tally: addTally(upload.tally, tally) };
      uploads.set(uploadId, next);
      return copy(next);
    },

    async listUploads(statuses, { updatedBefore } = {}) {
      return [...uploads.values()]
        .filter((u) => statuses.includes(u.status) && (updatedBefore === undefined || u.updatedAt < updatedBefore))
        .sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
        .map(copy);
    },

    async saveCheckpoint(uploadId, fromSegment, checkpoint) {
      const upload = uploads.get(uploadId);
      if (!upload || upload.status !== 'parsing' || upload.failure !== undefined || (upload.checkpoint?.segment ?? 0) !== fromSegment) return undefined;
      const next: UploadRecord = { ...upload, checkpoint: copy(checkpoint), updatedAt: now().toISOString() };
      uploads.set(uploadId, next);
      return copy(next);
    },

    async claimLeads(listId, hashes, owner) {
      const answers = new Map<string, LeadClaim>();
      for (const hash of hashes) {
        if (answers.has(hash)) continue;
        const claimKey = `${listId}#${hash}`;
        const holder = leadOwners.get(claimKey);
        if (holder === undefined) leadOwners.set(claimKey, owner);
        answers.set(hash, holder === undefined ? 'claimed' : holder === owner ? 'mine' : 'taken');
      }
      return hashes.map((hash) => answers.get(hash)!);
    },

    async releaseLeads(listId, hashes, owner) {
      for (const hash of hashes) {
        const claimKey = `${listId}#${hash}`;
        if (leadOwners.get(claimKey) === owner) leadOwners.delete(claimKey);
      }
    },
  };
}

function pointKeyAt(latestByKey: Map<string, { uploadId: string; receivedAt: string }>, record: UploadRecord): void {
  const aliasKey = `${record.bucket}/${record.key}`;
  const current = latestByKey.get(aliasKey);
  // Newest by receivedAt; the upload id breaks ties so the answer does not depend on arrival order.
  const newer =
    !current || current.receivedAt < record.receivedAt || (current.receivedAt === record.receivedAt && current.uploadId < record.uploadId);
  if (newer) latestByKey.set(aliasKey, { uploadId: record.uploadId, receivedAt: record.receivedAt });
}

function requireFrom(operation: string, uploadId: string, from: readonly (UploadStatus | ChunkState)[]): void {
  if (from.length === 0) throw new Error(`${operation}(upload ${uploadId}): from is empty, so nothing could match`);
}

/** A final chunk is never moved again: that is what makes finishChunk count a tally exactly once. */
function requireChunkTransition(operation: string, uploadId: string, chunk: number, from: readonly ChunkState[]): void {
  requireFrom(operation, uploadId, from);
  const final = from.find((state) => finalChunkStates.includes(state));
  if (final) throw new Error(`${operation}(upload ${uploadId}, chunk ${chunk}): from includes the final state ${final}`);
}

function requireCounts(operation: string, uploadId: string, tally: Tally): void {
  for (const [name, count] of [...Object.entries(tally.outcomes), ...Object.entries(tally.reasons)]) {
    if (count !== undefined && !(Number.isSafeInteger(count) && count >= 0)) {
      throw new Error(`${operation}(upload ${uploadId}): tally count ${name} must be a whole number >= 0, got ${count}`);
    }
  }
}

function addTally(base: Tally, more: Tally): Tally {
  const outcomes: Record<string, number> = { ...base.outcomes };
  const reasons: Record<string, number> = { ...base.reasons };
  for (const [name, count] of Object.entries(more.outcomes)) if (count !== undefined) outcomes[name] = (outcomes[name] ?? 0) + count;
  for (const [name, count] of Object.entries(more.reasons)) if (count !== undefined) reasons[name] = (reasons[name] ?? 0) + count;
  return { outcomes, reasons };
}

/** Fields given as `undefined` leave the stored value alone, as they do in DynamoDB (which cannot store them). */
function definedOnly<T extends object>(fields: T): Partial<Mutable<T>> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<Mutable<T>>;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
