/**
 * erasure-file: a request file dropped in the privacy bucket (`requests/<name>.csv`, S3 notification
 * on the requests queue) → one erasure request per row through the intake the HTTP API and CLI use,
 * and the file's report (`reports/<name>.<version>.csv`). Never calls ipSCAPE; the worker does.
 *
 * Stack: consumes `resources.queues.requests` (batch 1); needs `ERASURE_QUEUE_URL` (intake sends),
 * `STATE_TABLE_NAME`, `BUCKET_NAME` (configuration shape only: it never touches the uploads bucket),
 * the tenant, `IPSCAPE_API_KEY_SECRET_ID` (the erasure runtime reads it), `DEDUPE_SECRET_ID`, optional
 * `ERASURE_SETTINGS`. IAM: privacy bucket GetObject/GetObjectVersion on `requests/*`, PutObject on
 * `reports/*`; table read/write; SendMessage on the erasure queue; the two secrets. Nothing of the
 * uploads bucket.
 */
import type { SQSRecord } from 'aws-lambda';
import { parseS3Notification } from '../../shared/aws/s3-event';
import { intakeRequestFile, type RequestFileDeps } from '../../shared/erasure/request-file-intake';
import { deployedRequestFiles } from '../../shared/lambda/deployed-erasure';
import { sqsHandler, type SqsHandlerOptions } from '../../shared/lambda/sqs-handler';
import type { Telemetry } from '../../shared/observability/telemetry';

/** Handles one requests-queue record: every request file it names. */
export async function requestFileRecord(record: SQSRecord, deps: RequestFileDeps, telemetry: Telemetry): Promise<void> {
  const notification = parseS3Notification(record.body);
  if (notification.kind === 'test') {
    telemetry.debug('S3 test event: nothing to read');
    return;
  }
  for (const file of notification.objects) {
    const result = await intakeRequestFile(file, deps);
    // The key is the privacy team's file name: it is not logged (it may name a person).
    if (result.kind === 'ignored') telemetry.warn(`request file ignored: ${result.why}`, { eTag: file.eTag ?? '' });
  }
}

/** Builds the handler around a runtime (deployed by default; the local runtime passes its own). */
export function createRequestFileHandler(
  runtime: (telemetry: Telemetry) => Promise<RequestFileDeps> = deployedRequestFiles,
  powertools: Pick<SqsHandlerOptions<RequestFileDeps>, 'logger' | 'metrics'> = {},
) {
  return sqsHandler({ service: 'erasure-file', runtime, record: requestFileRecord, ...powertools });
}

export const handler = createRequestFileHandler();
