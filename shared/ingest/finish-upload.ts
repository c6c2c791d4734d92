/**
 * Finish: when an upload's last chunk ends (or it has none), write its report and move it to its
 * final status. Called by whichever step ended the last chunk; safe to call again (the final
 * transition is conditional, the report is rewritten with the same content).
 */
import { formatCsvRow } from '../csv/csv-writer';
import type { Telemetry } from '../observability/telemetry';
import type { ChunkStore } from './chunk-store';
import { reportKeys } from './ingest-upload';
import { deleteAllUnder, type ObjectStore } from './object-store';
import { outcomeOf, reasonCodes } from './outcomes';
import { openOriginalRows } from './original-rows';
import { REJECTION_COLUMNS } from './rejection-report';
import type { MappingProfileRegistry } from '../leads/mapping-profile-registry';
import { finalUploadStatuses, type UploadRecord, type UploadStore } from './upload-state';
import { buildSummary, finalStatus, type UploadSummary } from './upload-summary';

/** Subscribers to finished uploads (EventBridge when deployed). */
export interface UploadEvents {
  uploadFinished(summary: UploadSummary): Promise<void>;
}

export interface FinishDeps {
  readonly store: UploadStore;
  /** To mask the original cells of rows taken out after parsing; without it those rows give their line only. */
  readonly profiles?: MappingProfileRegistry;
  readonly objects: ObjectStore;
  readonly chunks: ChunkStore;
  readonly reportsPrefix: string;
  readonly events?: UploadEvents;
  readonly telemetry: Telemetry;
  readonly now?: () => Date;
}

/**
 * Finishes an upload if all its chunks have ended.
 *
 * @returns the summary when this call finished the upload, otherwise undefined.
 */
export async function finishUploadIfDone(upload: UploadRecord, deps: FinishDeps): Promise<UploadSummary | undefined> {
  const now = deps.now ?? (() => new Date());
  if (finalUploadStatuses.includes(upload.status)) return undefined;
  if (upload.chunksTotal === undefined || upload.chunksDone < upload.chunksTotal) return undefined;
  const { uploadId } = upload;
  const chunks = await deps.store.listChunks(uploadId);
  const keys = reportKeys(deps.reportsPrefix, uploadId);

  // rejected.csv = the rows refused while parsing (its parts, kept apart and unchanged; the first one
  // carries the header) + the rows taken out later (duplicates in the list, suppressed, failed jobs),
  // with their cells read again from the upload. Composed from sources that do not change, so a rerun
  // writes the same.
  const later = chunks.flatMap((c) => c.exceptions ?? []).sort((a, b) => a.line - b.line);
  const parts = upload.rejectedParts ?? [];
  if (parts.length || later.length) {
    const objects = deps.objects;
    // The later rows' original cells come from the upload itself, read again in step with their lines.
    const original = later.length && deps.profiles ? await openOriginalRows(upload, objects, deps.profiles) : undefined;
    await objects.write(
      keys.rejected,
      (async function* () {
        for (const part of parts) yield* await objects.read(part);
        if (!parts.length) yield `\ufeff${formatCsvRow([...REJECTION_COLUMNS, ...(original?.header ?? [])])}`;
        const cells = original?.rows(later.map((e) => e.line))[Symbol.asyncIterator]();
        let found = await cells?.next();
        for (const e of later) {
          while (found && !found.done && found.value[0] < e.line) found = await cells!.next();
          const row = found && !found.done && found.value[0] === e.line ? found.value[1] : [];
          yield formatCsvRow([e.line, outcomeOf(e.reason), e.reason, '', reasonCodes[e.reason], ...row]);
        }
        await cells?.return?.();
      })(),
      'text/csv; charset=utf-8',
    );
  }
  const rejectedKey = parts.length || later.length ? keys.rejected : null;

  const status = finalStatus(upload);
  const endedAt = now().toISOString();
  const summary = buildSummary({ ...upload, status, endedAt }, chunks, { summary: keys.summary, rejected: rejectedKey });
  await deps.objects.write(keys.summary, JSON.stringify(summary, null, 2), 'application/json');
  // Published before the final status: if publishing fails, the retried message finds the upload not yet
  // final and publishes again (subscribers deduplicate on uploadId). After it, a failure would lose the event.
  await deps.events?.uploadFinished(summary);
  const done = await deps.store.transitionUpload(uploadId, ['parsing', 'submitting', 'polling'], status, { endedAt });
  if (!done) return undefined;
  // The parts, and any an abandoned parse attempt left behind, are in rejected.csv now (or were never counted).
  await deleteAllUnder(deps.objects, keys.parseRejectedPrefix, parts);

  const log = { uploadId, status, rows: summary.rows, ...summary.outcomes };
  if (summary.conservation.holds) deps.telemetry.info('upload finished', log);
  else {
    deps.telemetry.error('row conservation does not hold', { ...log, counted: summary.conservation.outcomes });
    deps.telemetry.metric('RowConservationViolations', 1);
  }
  deps.telemetry.metric('UploadsFinished', 1);
  for (const [outcome, count] of Object.entries(summary.outcomes)) if (count) deps.telemetry.metric(`Rows${outcome[0]!.toUpperCase()}${outcome.slice(1)}`, count);
  return summary;
}
