/**
 * Following an upload to its end from the outside, as an operator would: its state record (status,
 * chunks done) for progress, then its summary report. Progress goes to stderr: a bar that redraws
 * itself on a terminal, a line per change otherwise.
 */
import type { UploadRecord, UploadStore } from '../shared/ingest/upload-state';
import { finalUploadStatuses } from '../shared/ingest/upload-state';

/** A one-line view of an upload's progress. */
export function progressLine(upload: UploadRecord, width = 24): string {
  const total = upload.chunksTotal;
  const done = upload.chunksDone;
  const share = total ? done / total : finalUploadStatuses.includes(upload.status) ? 1 : 0;
  const filled = Math.round(share * width);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
  const chunks = total === undefined ? 'reading rows' : `${done}/${total} chunks`;
  const rows = upload.rows === undefined ? '' : ` · ${upload.rows} rows`;
  return `${bar} ${upload.fileName}: ${upload.status} · ${chunks}${rows}`;
}

export interface FollowOptions {
  readonly progress: (line: string, redraw: boolean) => void;
  readonly timeoutMs: number;
  readonly everyMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/**
 * Waits until the upload is in a final status, reporting progress at each change.
 *
 * @returns the final record, or the last one seen when the timeout passed first (check its status).
 */
export async function followUpload(store: UploadStore, uploadId: string, options: FollowOptions): Promise<UploadRecord | undefined> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + options.timeoutMs;
  let last: string | undefined;
  let upload: UploadRecord | undefined;
  for (;;) {
    upload = await store.getUpload(uploadId);
    if (upload) {
      const line = progressLine(upload);
      if (line !== last) options.progress(line, last !== undefined);
      last = line;
      if (finalUploadStatuses.includes(upload.status)) return upload;
    }
    if (now() >= deadline) return upload;
    await sleep(options.everyMs ?? 250);
  }
}
