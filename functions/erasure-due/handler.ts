/**
 * erasure-due: on a schedule (hourly), counts open erasure requests near their due date
 * (`ERASURE_SETTINGS.nearDueDays`) and overdue, as the metrics `ErasureRequestsNearDue` and
 * `ErasureRequestsOverdue` (alarm on either > 0), and `ErasureRequestsOpen`.
 *
 * Stack: an EventBridge schedule; needs `STATE_TABLE_NAME`, `ERASURE_QUEUE_URL`, the secrets (shared
 * runtime); IAM: Query on the table's byStatus index.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Erasure } from '../../shared/erasure/erasure';
import { deployedErasure } from '../../shared/lambda/deployed-erasure';
import { METRIC_NAMESPACE } from '../../shared/lambda/sqs-handler';
import { powertoolsTelemetry } from '../../shared/observability/powertools-telemetry';
import type { Telemetry } from '../../shared/observability/telemetry';

/** Builds the handler around a runtime (deployed by default). */
export function createErasureDueHandler(
  runtime: (telemetry: Telemetry) => Promise<Erasure> = deployedErasure,
  powertools: { logger?: Logger; metrics?: Metrics } = {},
) {
  const logger = powertools.logger ?? new Logger({ serviceName: 'erasure-due' });
  const metrics = powertools.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'erasure-due' });
  const telemetry = powertoolsTelemetry(logger, metrics);
  let built: Promise<Erasure> | undefined;
  const base = async (_event: ScheduledEvent, _context: Context) => {
    built ??= runtime(telemetry).catch((error) => {
      built = undefined;
      throw error;
    });
    return (await built).dueness();
  };
  return middy(base).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}

export const handler = createErasureDueHandler();
