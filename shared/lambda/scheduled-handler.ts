/**
 * The one shape of a function run by a schedule (EventBridge): middy with Powertools' logger context
 * and EMF metrics, the runtime built once per process (and built again after a failed cold start).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { powertoolsTelemetry } from '../observability/powertools-telemetry';
import type { Telemetry } from '../observability/telemetry';
import { METRIC_NAMESPACE } from './sqs-handler';

export interface ScheduledHandlerOptions<R, T> {
  /** Service name in logs and the metrics dimension. */
  readonly service: string;
  readonly runtime: (telemetry: Telemetry) => Promise<R>;
  /** The run; its result is the invocation's result (visible in a test or a manual invoke). */
  readonly run: (runtime: R, telemetry: Telemetry, context: Context) => Promise<T>;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/**
 * Builds a Lambda handler for a scheduled event.
 *
 * @example export const handler = scheduledHandler({ service: 'sweep', runtime: build, run: (i) => i.sweep() });
 */
export function scheduledHandler<R, T>(options: ScheduledHandlerOptions<R, T>) {
  const logger = options.logger ?? new Logger({ serviceName: options.service });
  const metrics = options.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: options.service });
  const telemetry = powertoolsTelemetry(logger, metrics);
  let built: Promise<R> | undefined;
  const base = async (_event: ScheduledEvent, context: Context): Promise<T> => {
    built ??= options.runtime(telemetry).catch((error: unknown) => {
      built = undefined;
      throw error;
    });
    return options.run(await built, telemetry, context);
  };
  return middy(base).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
