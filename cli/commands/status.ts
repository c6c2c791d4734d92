/**
 * `leadflow status <uploadId | S3 key> (--local | --stack NAME) [--watch] [--json]`: where an upload
 * stands (status, rows, chunks) and, once it has ended, its summary.
 */
import type { Command } from 'commander';
import { findRunningDevStack, LOCAL_DEV_API_KEY } from '../../local/dev-stack';
import type { UploadRecord } from '../../shared/ingest/upload-state';
import { finalUploadStatuses } from '../../shared/ingest/upload-state';
import { ExitCode, failure } from '../exit-codes';
import { describeDeployedStack, stackPipeline } from '../deployed-stack';
import { localPipeline, type PipelineAccess } from '../local-pipeline';
import type { Io } from '../output';
import type { RunCommand } from '../program';
import { addTargetOptions, resolveTarget, type Target, type TargetOptions } from '../target';
import { followUpload, progressLine } from '../upload-progress';
import { reportKeys } from '../../shared/ingest/ingest-upload';
import { resources } from '../../shared/resources/resources';

export interface StatusOptions extends TargetOptions {
  watch?: boolean;
  json?: boolean;
}

const UPLOAD_ID = /^u[0-9a-f]{20}$/;

/** Registers `status` on the program. */
export function registerStatus(program: Command, run: RunCommand): void {
  addTargetOptions(
    program
      .command('status')
      .description('show where an upload stands, by upload id or S3 key')
      .argument('<upload>', 'upload id (u…) or the S3 key it was uploaded under'),
  )
    .option('--watch', 'follow it until it ends, with a progress bar')
    .option('--json', 'print the upload state (and its summary once ended) as JSON')
    .action(async (upload: string, options: StatusOptions) => run((io) => runStatus(upload, resolveTarget(options), options, io), Boolean(options.json)));
}

/** Shows an upload's state on a target. */
export async function runStatus(reference: string, target: Target, options: StatusOptions, io: Io): Promise<ExitCode> {
  let pipeline: PipelineAccess;
  if (target.kind === 'stack') {
    pipeline = stackPipeline(await describeDeployedStack(target.name), io);
  } else {
    // Status reads state; a throwaway stack would hold none, so it needs the running one.
    const running = await findRunningDevStack();
    if (!running) throw failure('no local stack is running: start one with `leadflow dev` (uploads live there)');
    pipeline = localPipeline({ source: 'running', endpoints: running.endpoints, resources: running.resources, apiKey: LOCAL_DEV_API_KEY }, io);
  }
  try {
    let upload: UploadRecord | undefined = UPLOAD_ID.test(reference)
      ? await pipeline.store.getUpload(reference)
      : await pipeline.store.findUploadByKey(pipeline.bucket, reference.replace(/^s3:\/\/[^/]+\//, ''));
    if (!upload) throw failure(`no upload ${reference}`);
    if (options.watch) upload = (await followUpload(pipeline.store, upload.uploadId, { progress: pipeline.progress, timeoutMs: 3_600_000 })) ?? upload;
    const ended = finalUploadStatuses.includes(upload.status);
    const summaryKey = reportKeys(resources.bucket.prefixes.reports, upload.uploadId).summary;
    const summaryText = ended ? await pipeline.objects.readText(summaryKey) : undefined;
    const summary = summaryText ? (JSON.parse(summaryText) as unknown) : undefined;
    io.result({ upload, ...(summary !== undefined && { summary }) }, [progressLine(upload), ...(ended ? [`  summary: s3://${pipeline.bucket}/${summaryKey}`] : [])].join('\n'));
    return ExitCode.Ok;
  } finally {
    pipeline.clients.destroy();
  }
}
