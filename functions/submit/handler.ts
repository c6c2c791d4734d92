/** submit: a chunk announcement → one bulk create (at most once) → a poll scheduled. */
import type { SQSRecord } from 'aws-lambda';
import type { Ingestion } from '../../shared/ingest/ingestion';
import { submitMessageSchema } from '../../shared/ingest/messages';
import { resources } from '../../shared/resources/resources';
import { deployedIngestion } from '../../shared/lambda/deployed-ingestion';
import { parseQueueMessage } from '../../shared/lambda/queue-message';
import { sqsHandler, type SqsHandlerOptions } from '../../shared/lambda/sqs-handler';
import type { Telemetry } from '../../shared/observability/telemetry';

/** Handles one submit-queue record. */
export async function submitRecord(record: SQSRecord, ingestion: Ingestion, telemetry: Telemetry): Promise<void> {
  const message = parseQueueMessage(submitMessageSchema, record.body);
  // On the delivery that would otherwise be the last before the DLQ, submit ends the chunk instead.
  const lastAttempt = Number(record.attributes.ApproximateReceiveCount) >= resources.queues.submit.maxReceiveCount;
  const outcome = await ingestion.submit(message, { lastAttempt });
  telemetry.debug(`submit: ${outcome}`, { uploadId: message.uploadId, chunk: message.chunk });
}

/** Builds the handler around a runtime (deployed by default; the local runtime passes its own). */
export function createSubmitHandler(
  runtime: (telemetry: Telemetry) => Promise<Ingestion> = (t) => deployedIngestion(t, { pollQueue: true }),
  powertools: Pick<SqsHandlerOptions<Ingestion>, 'logger' | 'metrics'> = {},
) {
  return sqsHandler({ service: 'submit', runtime, record: submitRecord, ...powertools });
}

export const handler = createSubmitHandler();
