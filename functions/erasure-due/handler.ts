/**
 * erasure-due: on a schedule (hourly), counts open erasure requests near their due date
 * (`ERASURE_SETTINGS.nearDueDays`) and overdue, as the metrics `ErasureRequestsNearDue` and
 * `ErasureRequestsOverdue` (alarm on either > 0), and `ErasureRequestsOpen`.
 *
 * Stack: an EventBridge schedule; needs `STATE_TABLE_NAME`, `ERASURE_QUEUE_URL`, the secrets (shared
 * runtime); IAM: Query on the table's byStatus index.
 */
import type { Erasure } from '../../shared/erasure/erasure';
import { deployedErasure } from '../../shared/lambda/deployed-erasure';
import { scheduledHandler, type ScheduledHandlerOptions } from '../../shared/lambda/scheduled-handler';
import type { Telemetry } from '../../shared/observability/telemetry';

/** Builds the handler around a runtime (deployed by default). */
export function createErasureDueHandler(
  runtime: (telemetry: Telemetry) => Promise<Erasure> = deployedErasure,
  powertools: Pick<ScheduledHandlerOptions<Erasure, unknown>, 'logger' | 'metrics'> = {},
) {
  return scheduledHandler({ service: 'erasure-due', runtime, run: (erasure) => erasure.dueness(), ...powertools });
}

export const handler = createErasureDueHandler();
