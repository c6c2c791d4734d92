/** poll: follow a chunk's bulk job (or reconcile an in-doubt chunk), re-enqueued with a growing delay. */
import type { SQSRecord } from 'aws-lambda';
import type { Ingestion } from '../../shared/ingest/ingestion';
import { pollMessageSchema } from '../../shared/ingest/messages';
import { deployedIngestion } from '../../shared/lambda/deployed-ingestion';
import { parseQueueMessage } from '../../shared/lambda/queue-message';
import { sqsHandler, type SqsHandlerOptions } from '../../shared/lambda/sqs-handler';
import type { Telemetry } from '../../shared/observability/telemetry';

/** Handles one poll-queue record. */
export async function pollRecord(record: SQSRecord, ingestion: Ingestion, telemetry: Telemetry): Promise<void> {
  const message = parseQueueMessage(pollMessageSchema, record.body);
  const outcome = await ingestion.poll(message);
  telemetry.debug(`${message.kind}: ${outcome}`, { uploadId: message.uploadId, chunk: message.chunk });
}

/** Builds the handler around a runtime (deployed by default; the local runtime passes its own). */
export function createPollHandler(
  runtime: (telemetry: Telemetry) => Promise<Ingestion> = (t) => deployedIngestion(t, { pollQueue: true }),
  powertools: Pick<SqsHandlerOptions<Ingestion>, 'logger' | 'metrics'> = {},
) {
  return sqsHandler({ service: 'poll', runtime, record: pollRecord, ...powertools });
}

export const handler = createPollHandler();
