/**
 * erasure: the worker. One erasure-queue message (a request id) → suppression, ipSCAPE erasure per
 * identifier, our objects purged, the receipt. Re-enqueues itself (with a delay) while ingestion work
 * holding the person is in flight, and after an ipSCAPE error until `maxAttempts`.
 *
 * Stack: consumes `resources.queues.erasure` (batch 1); needs `ERASURE_QUEUE_URL` (it re-sends),
 * `BUCKET_NAME`, `STATE_TABLE_NAME`, the tenant, `IPSCAPE_API_KEY_SECRET_ID`, `DEDUPE_SECRET_ID`,
 * optional `ERASURE_SETTINGS`. IAM: table read/write (incl. the byStatus index), uploads bucket
 * GetObject/GetObjectVersion/PutObject/DeleteObjectVersion/ListBucketVersions, SendMessage on the
 * erasure queue, the two secrets.
 */
import type { SQSRecord } from 'aws-lambda';
import type { Erasure } from '../../shared/erasure/erasure';
import { ErasureBusyError } from '../../shared/erasure/execute-erasure';
import { erasureMessageSchema } from '../../shared/erasure/messages';
import { deployedErasure } from '../../shared/lambda/deployed-erasure';
import { parseQueueMessage } from '../../shared/lambda/queue-message';
import { resources } from '../../shared/resources/resources';
import { sqsHandler, type SqsHandlerOptions } from '../../shared/lambda/sqs-handler';
import type { Telemetry } from '../../shared/observability/telemetry';

/** Handles one erasure-queue record. */
export async function erasureRecord(record: SQSRecord, erasure: Erasure, telemetry: Telemetry): Promise<void> {
  const message = parseQueueMessage(erasureMessageSchema, record.body);
  try {
    const outcome = await erasure.execute(message);
    telemetry.debug(`erasure: ${outcome}`, { requestId: message.requestId });
  } catch (error) {
    // On the delivery that would otherwise park the message in the DLQ, the request fails visibly instead.
    const lastAttempt = Number(record.attributes.ApproximateReceiveCount) >= resources.queues.erasure.maxReceiveCount;
    // A duplicate that found another execution holding the request never fails it.
    if (lastAttempt && !(error instanceof ErasureBusyError) && (await erasure.giveUp(message.requestId, error instanceof Error ? error.name : 'unknown'))) return;
    throw error;
  }
}

/** Builds the handler around a runtime (deployed by default; the local runtime passes its own). */
export function createErasureHandler(
  runtime: (telemetry: Telemetry) => Promise<Erasure> = deployedErasure,
  powertools: Pick<SqsHandlerOptions<Erasure>, 'logger' | 'metrics'> = {},
) {
  return sqsHandler({ service: 'erasure', runtime, record: erasureRecord, ...powertools });
}

export const handler = createErasureHandler();
