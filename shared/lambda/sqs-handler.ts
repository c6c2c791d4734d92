/**
 * The one shape of every SQS-triggered function: middy with Powertools' logger context and EMF metrics,
 * and Powertools' batch processor so each record succeeds or fails on its own (partial batch
 * responses: a failed record comes back alone, the others are deleted).
 *
 * The function's runtime (configuration, clients, ports) is built once per process, on first use,
 * by `runtime()`; the local runtime passes its own, built against moto and the simulator.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { powertoolsTelemetry } from '../observability/powertools-telemetry';
import type { Telemetry } from '../observability/telemetry';

/** What a function needs to handle one record. */
export interface RecordHandler<R> {
  /** `context` is the invocation's: a long task reads the time left from it. */
  (record: SQSRecord, runtime: R, telemetry: Telemetry, context?: Context): Promise<void>;
}

export interface SqsHandlerOptions<R> {
  /** Service name in logs and the metrics dimension. */
  readonly service: string;
  /** Builds the runtime once per process. */
  readonly runtime: (telemetry: Telemetry) => Promise<R>;
  readonly record: RecordHandler<R>;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

/** Metric namespace of the product. */
export const METRIC_NAMESPACE = 'Leadflow';

/**
 * Builds a Lambda handler for an SQS event source with `reportBatchItemFailures`.
 *
 * @example export const handler = sqsHandler({ service: 'submit', runtime: build, record: submitOne });
 */
export function sqsHandler<R>(options: SqsHandlerOptions<R>) {
  const logger = options.logger ?? new Logger({ serviceName: options.service });
  const metrics = options.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: options.service });
  const telemetry = powertoolsTelemetry(logger, metrics);
  let runtime: Promise<R> | undefined;
  const base = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    // A processor keeps the batch's state: one per invocation, so batches handled at once in one
    // process (the local pump runs several) never mix their failures.
    const processor = new BatchProcessor(EventType.SQS);
    runtime ??= options.runtime(telemetry).catch((error) => {
      // A failed cold start must not be cached: the next invocation builds again.
      runtime = undefined;
      throw error;
    });
    const built = await runtime;
    return processPartialResponse(event, (record: SQSRecord) => options.record(record, built, telemetry, context), processor, { context });
  };
  return middy(base).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}
