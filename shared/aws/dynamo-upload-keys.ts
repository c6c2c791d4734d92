/**
 * Keys of the upload store's items in the single state table (documented in docs/architecture.md,
 * State model). Built in one place so the store, tests and any future reader agree on them.
 */

/** The primary key of an item in the state table. */
export interface TableKey {
  readonly pk: string;
  readonly sk: string;
}

/** Chunk numbers are zero-padded to this width so `CHUNK#` sort keys sort numerically. */
export const CHUNK_DIGITS = 6;

/** Partition of the byStatus index that lists uploads; its sort key is `<status>#<updatedAt>`. */
export const UPLOADS_INDEX_PARTITION = 'UPLOADS';

/** The upload record: `UPLOAD#<uploadId>` / `META`. */
export function uploadItemKey(uploadId: string): TableKey {
  return { pk: `UPLOAD#${uploadId}`, sk: 'META' };
}

/** A chunk of an upload, in the upload's partition so one query lists them in order. */
export function chunkItemKey(uploadId: string, chunk: number): TableKey {
  if (!Number.isSafeInteger(chunk) || chunk < 0 || chunk >= 10 ** CHUNK_DIGITS) {
    throw new Error(`chunk number ${chunk} (upload ${uploadId}) must be a whole number below ${10 ** CHUNK_DIGITS}`);
  }
  return { pk: `UPLOAD#${uploadId}`, sk: `${CHUNK_SORT_PREFIX}${String(chunk).padStart(CHUNK_DIGITS, '0')}` };
}

/** Sort key prefix shared by every chunk item. */
export const CHUNK_SORT_PREFIX = 'CHUNK#';

/** Points an S3 object key at its newest upload. */
export function keyAliasItemKey(bucket: string, key: string): TableKey {
  return { pk: `KEY#${bucket}/${key}`, sk: 'LATEST' };
}

/** The claim of a file's content (SHA-256) in a list, or in no list. */
export function contentClaimItemKey(sha256: string, listId: number | undefined): TableKey {
  return { pk: `CONTENT#${sha256}#${listId ?? 'none'}`, sk: 'CLAIM' };
}

/** The claim of a lead identity (keyed hash) in a list. */
export function leadClaimItemKey(listId: number, hash: string): TableKey {
  if (hash.length === 0) throw new Error(`lead hash in list ${listId} is empty`);
  return { pk: `LEAD#${listId}#${hash}`, sk: 'CLAIM' };
}

/** The byStatus index sort key of an upload. */
export function uploadStatusSortKey(status: string, updatedAt: string): string {
  return `${status}#${updatedAt}`;
}
