/**
 * The ingest job as an operator runs it: each file is uploaded through the real pipeline (the same
 * bucket key and metadata an operator's own upload would get), followed to its end, and summarised.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ObjectStore } from '../shared/ingest/object-store';
import { uploadIdOf } from '../shared/ingest/upload-id';
import { uploadKeyFor } from '../shared/ingest/upload-key';
import type { UploadStore } from '../shared/ingest/upload-state';
import { uploadSummarySchema, type UploadSummary } from '../shared/ingest/upload-summary';
import { followUpload } from './upload-progress';
import { reportKeys } from '../shared/ingest/ingest-upload';
import { resources } from '../shared/resources/resources';

export interface IngestFilesDeps {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly store: UploadStore;
  readonly objects: ObjectStore;
  readonly progress: (line: string, redraw?: boolean) => void;
  readonly timeoutMs?: number;
}

export interface IngestFileOptions {
  readonly listId?: number;
  readonly profile?: string;
  /** Ingest again even if the same content already went to the list. */
  readonly rerun?: boolean;
}

/** The outcome of one file: its summary, or why there is none. */
export type FileResult =
  | { readonly file: string; readonly uploadId: string; readonly summary: UploadSummary }
  | { readonly file: string; readonly uploadId: string; readonly error: string };

/** Whether a result means the job could not finish for that file (exit code 1). */
export function fileFailed(result: FileResult): boolean {
  if ('error' in result) return true;
  return result.summary.outcomes.failed > 0 || result.summary.outcomes.inDoubt > 0;
}

/** Uploads one file and follows it to its summary. */
export async function ingestFile(path: string, options: IngestFileOptions, deps: IngestFilesDeps): Promise<FileResult> {
  const body = await readFile(path);
  const key = uploadKeyFor(basename(path), { ...(options.listId !== undefined && { listId: options.listId }), ...(options.profile && { profile: options.profile }) });
  const put = await deps.s3.send(
    new PutObjectCommand({
      Bucket: deps.bucket,
      Key: key,
      Body: body,
      ContentType: 'text/csv',
      Metadata: { source: 'leadflow-ingest', ...(options.rerun && { rerun: 'true' }) },
    }),
  );
  const version = put.VersionId && put.VersionId !== 'null' ? put.VersionId : put.ETag;
  const uploadId = uploadIdOf(deps.bucket, key, version);
  deps.progress(`uploaded ${basename(path)} to s3://${deps.bucket}/${key} (upload ${uploadId})`);
  const final = await followUpload(deps.store, uploadId, { progress: (line, redraw) => deps.progress(line, redraw), timeoutMs: deps.timeoutMs ?? 300_000 });
  if (!final || !['completed', 'completed-with-rejections', 'failed'].includes(final.status)) {
    return { file: path, uploadId, error: `upload ${uploadId} did not finish in time (last status: ${final?.status ?? 'not seen'})` };
  }
  const text = await deps.objects.readText(reportKeys(resources.bucket.prefixes.reports, uploadId).summary);
  if (!text) return { file: path, uploadId, error: `upload ${uploadId} finished without a summary report` };
  return { file: path, uploadId, summary: uploadSummarySchema.parse(JSON.parse(text)) };
}

/** A readable summary of one file, for a person. */
export function describeResult(result: FileResult): string {
  if ('error' in result) return `${result.file}: ${result.error}`;
  const s = result.summary;
  const o = s.outcomes;
  const lines = [
    `${result.file} → ${s.status} (upload ${s.uploadId}${s.listId ? `, list ${s.listId}` : ''})`,
    `  ${s.rows} rows: ${o.accepted} accepted, ${o.rejected} rejected, ${o.duplicate} duplicate, ${o.suppressed} suppressed, ${o.failed} failed, ${o.inDoubt} in doubt` +
      (s.conservation.holds ? '' : '  (ROW COUNTS DO NOT ADD UP)'),
  ];
  const reasons = Object.entries(s.reasons).sort((a, b) => b[1] - a[1]);
  if (reasons.length) lines.push(`  reasons: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}`);
  if (s.failure) lines.push(`  refused: ${s.failure.message}`);
  if (s.duplicateOf) lines.push(`  same content as upload ${s.duplicateOf}: nothing sent again`);
  const jobs = s.chunks.filter((c) => c.jobUuid).length;
  if (s.chunks.length) lines.push(`  ${s.chunks.length} chunk${s.chunks.length === 1 ? '' : 's'}, ${jobs} bulk job${jobs === 1 ? '' : 's'}`);
  lines.push(`  summary:  s3://${s.bucket}/${s.reports.summary}`);
  if (s.reports.rejected) lines.push(`  rejected: s3://${s.bucket}/${s.reports.rejected}`);
  return lines.join('\n');
}
