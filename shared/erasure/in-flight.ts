/**
 * Ingestion work that may still bring the person to ipSCAPE after the erasure call: an upload being
 * parsed (it may have read the suppression list before the person was on it), or a chunk holding the
 * person that has not ended (pending: submit's suppression check takes the person out, but its body
 * still holds the row; sending, submitted or in doubt: its bulk job may create the lead after the
 * call), or any upload holding the person that has not finished (its report is composed at the end,
 * from the raw upload's rows for those taken out after parsing, so the raw upload is rewritten only
 * after). The worker waits for these to end, then calls ipSCAPE again and purges.
 */
import { finalChunkStates, finalUploadStatuses, type UploadStore } from '../ingest/upload-state';
import type { PersonIndexEntry } from './person-index';

/** Uploads being parsed anywhere (any of them may hold the person without an index entry yet). */
export interface UploadsInProgress {
  /** Uploads in `received` or `parsing`, with when they were received. */
  parsing(): Promise<{ readonly uploadId: string; readonly receivedAt: string }[]>;
}

export interface InFlight {
  readonly uploads: number;
  readonly chunks: number;
}

/**
 * Counts the work in flight that holds (or may hold) the person.
 *
 * @param suppressedAt - uploads received after it read a suppression list that has the person.
 */
export async function inFlightWork(
  entries: readonly PersonIndexEntry[],
  suppressedAt: string,
  deps: { readonly uploads: Pick<UploadStore, 'getUpload' | 'listChunks'>; readonly inProgress: UploadsInProgress },
): Promise<InFlight> {
  const busyUploads = new Set<string>();
  let chunks = 0;
  const byUpload = new Map<string, Set<number>>();
  for (const e of entries) {
    const set = byUpload.get(e.uploadId) ?? new Set<number>();
    if (e.chunk !== undefined) set.add(e.chunk);
    byUpload.set(e.uploadId, set);
  }
  for (const [uploadId, numbers] of byUpload) {
    const upload = await deps.uploads.getUpload(uploadId);
    if (!upload) continue;
    // Until an upload has finished, its report may still be composed from the raw upload's rows.
    if (!finalUploadStatuses.includes(upload.status)) busyUploads.add(uploadId);
    if (!numbers.size) continue;
    for (const chunk of await deps.uploads.listChunks(uploadId)) {
      if (numbers.has(chunk.chunk) && !finalChunkStates.includes(chunk.state)) chunks++;
    }
  }
  for (const upload of await deps.inProgress.parsing()) {
    if (upload.receivedAt <= suppressedAt) busyUploads.add(upload.uploadId);
  }
  return { uploads: busyUploads.size, chunks };
}
