/**
 * Upload-finished events on EventBridge, so operators can subscribe (a Slack hook, an email, a
 * follow-up job). The detail is the upload's summary without its per-chunk list (ids, keys and
 * counts, never a row), so it stays far below EventBridge's 256 KB limit however large the upload;
 * the full summary is at `reports.summary`.
 */
import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { UploadEvents } from '../ingest/finish-upload';
import type { UploadSummary } from '../ingest/upload-summary';

/** The event detail: the summary with its chunks counted instead of listed. */
export function eventDetail(summary: UploadSummary): Omit<UploadSummary, 'chunks'> & { chunks: number } {
  return { ...summary, chunks: summary.chunks.length };
}

/** Source and detail type of the event, for rules to match on. */
export const UPLOAD_FINISHED_EVENT = { source: 'leadflow.ingest', detailType: 'Upload finished' } as const;

/** Publishes to `eventBusName`. */
export function createEventBridgeUploadEvents(client: EventBridgeClient, eventBusName: string): UploadEvents {
  return {
    async uploadFinished(summary) {
      const out = await client.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: eventBusName,
              Source: UPLOAD_FINISHED_EVENT.source,
              DetailType: UPLOAD_FINISHED_EVENT.detailType,
              Detail: JSON.stringify(eventDetail(summary)),
            },
          ],
        }),
      );
      if (out.FailedEntryCount) throw new Error(`EventBridge refused the upload-finished event of ${summary.uploadId}`);
    },
  };
}
