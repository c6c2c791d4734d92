/**
 * ingest: S3 notifications of new uploads (and continuations) → chunks on the submit queue.
 * Thin: parse the record, call the domain, let the batch processor map failures.
 */
import type { Context, SQSRecord } from 'aws-lambda';
import { parseS3Notification } from '../../shared/aws/s3-event';
import type { Ingestion } from '../../shared/ingest/ingestion';
import { ingestContinueMessageSchema } from '../../shared/ingest/messages';
import { parseQueueMessage } from '../../shared/lambda/queue-message';
import { sqsHandler, type SqsHandlerOptions } from '../../shared/lambda/sqs-handler';
import type { Telemetry } from '../../shared/observability/telemetry';
import { deployedIngestion } from '../../shared/lambda/deployed-ingestion';

/** `{"kind": "ingest-continue", ...}`: the ingest queue's own hand-over message, not an S3 notification. */
function isContinuation(body: string): boolean {
  try {
    const json: unknown = JSON.parse(body);
    return typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === 'ingest-continue';
  } catch {
    return false;
  }
}

/** Handles one ingest-queue record. Throws to have the record retried (then parked in the DLQ). */
export async function ingestRecord(record: SQSRecord, ingestion: Ingestion, telemetry: Telemetry, context?: Context): Promise<void> {
  // The time left decides when a long parse hands over to a fresh invocation.
  const options = context ? { remainingMs: () => context.getRemainingTimeInMillis() } : {};
  if (isContinuation(record.body)) {
    const outcome = await ingestion.continueIngest(parseQueueMessage(ingestContinueMessageSchema, record.body), options);
    telemetry.info(`ingest-continue: ${outcome.kind}`, 'uploadId' in outcome ? { uploadId: outcome.uploadId } : {});
    return;
  }
  const notification = parseS3Notification(record.body);
  if (notification.kind === 'test') {
    telemetry.info('S3 test event: the notification is wired');
    return;
  }
  for (const object of notification.objects) {
    const outcome = await ingestion.ingest(object, options);
    telemetry.info(`ingest: ${outcome.kind}`, 'uploadId' in outcome ? { uploadId: outcome.uploadId } : {});
  }
}

/** Builds the handler around a runtime (deployed by default; the local runtime passes its own). */
export function createIngestHandler(
  runtime: (telemetry: Telemetry) => Promise<Ingestion> = (t) => deployedIngestion(t, { ingestQueue: true, submitQueue: true }),
  powertools: Pick<SqsHandlerOptions<Ingestion>, 'logger' | 'metrics'> = {},
) {
  return sqsHandler({ service: 'ingest', runtime, record: ingestRecord, ...powertools });
}

export const handler = createIngestHandler();
