/**
 * `reports/<uploadId>/summary.json`, schema version 1: what happened to an upload, row for row.
 * `conservation.holds` states that every row ended in exactly one outcome.
 */
import { z } from 'zod';
import { rowOutcomes, type RowOutcome } from './outcomes';
import type { ChunkRecord, UploadRecord, UploadStatus } from './upload-state';

export const uploadSummarySchema = z.object({
  schemaVersion: z.literal(1),
  uploadId: z.string(),
  bucket: z.string(),
  key: z.string(),
  fileName: z.string(),
  listId: z.number().nullable(),
  profile: z.string().nullable(),
  status: z.string(),
  sha256: z.string().nullable(),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  receivedAt: z.string(),
  parsedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  rows: z.number(),
  outcomes: z.record(z.enum(rowOutcomes), z.number()),
  reasons: z.record(z.string(), z.number()),
  conservation: z.object({ rows: z.number(), outcomes: z.number(), holds: z.boolean() }),
  chunks: z.array(
    z.object({
      chunk: z.number(),
      rows: z.number(),
      state: z.string(),
      jobUuid: z.string().nullable(),
      jobStatus: z.string().nullable(),
      submittedAt: z.string().nullable(),
      endedAt: z.string().nullable(),
    }),
  ),
  failure: z.object({ reason: z.string(), message: z.string() }).nullable(),
  duplicateOf: z.string().nullable(),
  reports: z.object({ summary: z.string(), rejected: z.string().nullable() }),
});
export type UploadSummary = z.infer<typeof uploadSummarySchema>;

/** Every outcome with its count (zeros included), from an upload's tally. */
export function outcomeCounts(upload: UploadRecord): Record<RowOutcome, number> {
  return Object.fromEntries(rowOutcomes.map((o) => [o, upload.tally.outcomes[o] ?? 0])) as Record<RowOutcome, number>;
}

/**
 * The final status an upload's counts call for.
 * - `failed`: the file was refused, or some rows failed or are in doubt;
 * - `completed-with-rejections`: some rows were rejected, duplicates or suppressed;
 * - `completed`: every row is a lead.
 */
export function finalStatus(upload: UploadRecord): UploadStatus {
  const c = outcomeCounts(upload);
  if (upload.failure || c.failed > 0 || c.inDoubt > 0) return 'failed';
  if (c.rejected + c.duplicate + c.suppressed > 0) return 'completed-with-rejections';
  return 'completed';
}

/** Builds the summary document of an upload and its chunks. */
export function buildSummary(upload: UploadRecord, chunks: readonly ChunkRecord[], reports: { summary: string; rejected: string | null }): UploadSummary {
  const outcomes = outcomeCounts(upload);
  const total = Object.values(outcomes).reduce((a, b) => a + b, 0);
  const rows = upload.rows ?? 0;
  return {
    schemaVersion: 1,
    uploadId: upload.uploadId,
    bucket: upload.bucket,
    key: upload.key,
    fileName: upload.fileName,
    listId: upload.listId ?? null,
    profile: upload.profile ?? null,
    status: upload.status,
    sha256: upload.sha256 ?? null,
    encoding: upload.encoding ?? null,
    delimiter: upload.delimiter ?? null,
    receivedAt: upload.receivedAt,
    parsedAt: upload.parsedAt ?? null,
    endedAt: upload.endedAt ?? null,
    rows,
    outcomes,
    reasons: { ...upload.tally.reasons } as Record<string, number>,
    conservation: { rows, outcomes: total, holds: rows === total },
    chunks: [...chunks]
      .sort((a, b) => a.chunk - b.chunk)
      .map((c) => ({
        chunk: c.chunk,
        rows: c.rows,
        state: c.state,
        jobUuid: c.jobUuid ?? null,
        jobStatus: c.jobStatus ?? null,
        submittedAt: c.submittedAt ?? null,
        endedAt: c.endedAt ?? null,
      })),
    failure: upload.failure ?? null,
    duplicateOf: upload.duplicateOf ?? null,
    reports,
  };
}
