/**
 * The sweep for uploads whose parse stopped for good: an ingest message that ran out of receives
 * (an object too big for the function's memory, a timeout every time, a bug) is parked in the ingest
 * DLQ, which alarms at once; its upload would otherwise stay `parsing` for ever in `leadflow status`.
 *
 * After `strandedAfterSeconds` without a change (far longer than a parse segment, which touches the
 * upload at its start and at each hand-over) the sweep ends such an upload as `failed`, reason
 * `ingest-abandoned`, with a summary that says what to do, and deletes its chunk bodies and
 * checkpoints. Nothing was sent for it: chunk records and submit messages only exist once parsing has ended. A parse still running after all loses its final
 * (conditional) transition and sends nothing either.
 */
import type { Telemetry } from '../observability/telemetry';
import { removeParseObjects } from './ingest-checkpoint';
import type { ObjectStore, UploadPrefixes } from './object-store';
import type { IngestSettings } from './settings';
import type { UploadRecord, UploadStore } from './upload-state';

export interface SweepDeps {
  readonly store: UploadStore;
  readonly objects: ObjectStore;
  readonly settings: Pick<IngestSettings, 'strandedAfterSeconds'>;
  readonly prefixes: Pick<UploadPrefixes, 'chunks'>;
  readonly telemetry: Telemetry;
  readonly finishUpload: (upload: UploadRecord) => Promise<void>;
  readonly now?: () => Date;
}

/** What one sweep did. */
export interface SweepResult {
  /** Uploads ended as `ingest-abandoned`. */
  readonly abandoned: readonly string[];
}

/** The operator's next step, in the summary of an abandoned upload. */
export const ABANDONED_MESSAGE =
  'parsing stopped and did not resume: its ingest message is in the dead-letter queue. Nothing was sent to ipSCAPE. ' +
  'Fix the cause (see the ingest function logs for this upload id), then upload the file again with x-amz-meta-rerun: true.';

/**
 * Ends the uploads stranded in `received` or `parsing`.
 *
 * @example await sweepStrandedUploads({ store, objects, settings, prefixes, telemetry, finishUpload });
 */
export async function sweepStrandedUploads(deps: SweepDeps): Promise<SweepResult> {
  const now = deps.now ?? (() => new Date());
  const before = new Date(now().getTime() - deps.settings.strandedAfterSeconds * 1000).toISOString();
  const candidates = await deps.store.listUploads(['received', 'parsing'], { updatedBefore: before });
  const abandoned: string[] = [];
  for (const candidate of candidates) {
    try {
      if (await abandon(candidate.uploadId, before, deps, now)) abandoned.push(candidate.uploadId);
    } catch (error) {
      // One upload's failure does not stop the sweep; the next run tries it again.
      deps.telemetry.error('the sweep could not end an upload', { uploadId: candidate.uploadId, error: error instanceof Error ? error.name : 'unknown' });
    }
  }
  deps.telemetry.metric('UploadsAbandoned', abandoned.length);
  return { abandoned };
}

/** Ends one upload if it is still stranded; true when this call ended it. */
async function abandon(uploadId: string, before: string, deps: SweepDeps, now: () => Date): Promise<boolean> {
  // The index lags the table: re-read, and let the conditional transition have the last word: only if
  // nobody touched the upload since this read (a parse that just went on keeps it).
  const upload = await deps.store.getUpload(uploadId);
  if (!upload || !['received', 'parsing'].includes(upload.status) || upload.updatedAt >= before) return false;
  if (upload.failure) {
    // Refused or abandoned earlier, and the finish that should have followed failed: finish it now.
    await deps.finishUpload(upload);
    return false;
  }
  const failed = await deps.store.transitionUpload(
    uploadId,
    ['received', 'parsing'],
    'parsing',
    { failure: { reason: 'ingest-abandoned', message: ABANDONED_MESSAGE }, rows: 0, chunksTotal: 0, tally: { outcomes: {}, reasons: {} }, rejectedParts: [], parsedAt: now().toISOString() },
    { noFailure: true, updatedAt: upload.updatedAt },
  );
  if (!failed) return false;
  // Chunk bodies and checkpoints hold leads, and none was announced: they all go.
  await removeParseObjects(deps.objects, deps.prefixes.chunks, uploadId);
  deps.telemetry.warn('upload abandoned: its parse stopped and did not resume', { uploadId, since: upload.updatedAt });
  await deps.finishUpload(failed);
  return true;
}
