/**
 * sweep: on a schedule (hourly), ends the uploads whose parse stopped for good (their ingest message
 * is in the DLQ) as failed, `ingest-abandoned`, so `leadflow status` and the summary say so
 * (`shared/ingest/sweep-stranded.ts`). Metric `UploadsAbandoned` (alarm on > 0).
 *
 * Stack: an EventBridge schedule; needs `BUCKET_NAME`, `STATE_TABLE_NAME`, the secrets (the shared
 * ingestion runtime); IAM: Query on the byStatus index, read/update the upload items, list and delete
 * under `chunks/`, write under `reports/`, PutEvents for the "Upload finished" event.
 */
import type { Ingestion } from '../../shared/ingest/ingestion';
import { deployedIngestion } from '../../shared/lambda/deployed-ingestion';
import { scheduledHandler, type ScheduledHandlerOptions } from '../../shared/lambda/scheduled-handler';
import type { Telemetry } from '../../shared/observability/telemetry';

/** Builds the handler around a runtime (deployed by default; the local runtime passes its own). */
export function createSweepHandler(
  runtime: (telemetry: Telemetry) => Promise<Ingestion> = (t) => deployedIngestion(t, {}),
  powertools: Pick<ScheduledHandlerOptions<Ingestion, unknown>, 'logger' | 'metrics'> = {},
) {
  return scheduledHandler({
    service: 'sweep',
    runtime,
    run: async (ingestion, telemetry) => {
      const result = await ingestion.sweep();
      telemetry.info(`sweep: ${result.abandoned.length} upload(s) abandoned`);
      return result;
    },
    ...powertools,
  });
}

export const handler = createSweepHandler();
