/**
 * A function consuming a queue, wired the one way every consumer is: partial batch responses
 * (`reportBatchItemFailures`, so one bad record is retried alone), a maximum concurrency that bounds
 * what the function can put on the ipSCAPE tenant, and the visibility invariant: the queue hides a
 * message for at least six times the function's timeout (AWS's advice for SQS event sources, so a
 * message is not delivered again while a retried invocation may still be working on it).
 */
import { Duration } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { VISIBILITY_TIMEOUT_FACTOR } from '../shared/resources/resources';
import type { LeadflowFunction } from './leadflow-function';
import type { QueueWithDlq } from './queue-with-dlq';

export interface QueueConsumerProps {
  readonly queue: QueueWithDlq;
  readonly function: LeadflowFunction;
  readonly batchSize: number;
  /** 2-1000: the most instances SQS runs at once. */
  readonly maxConcurrency: number;
}

/** A queue and consumer that break the visibility invariant. */
export class VisibilityInvariantError extends Error {
  override readonly name = 'VisibilityInvariantError';
}

/**
 * Throws unless `visibility` is at least {@link VISIBILITY_TIMEOUT_FACTOR} × `timeout`.
 *
 * @throws VisibilityInvariantError naming the queue and both durations.
 */
export function assertVisibilityInvariant(queue: string, visibility: Duration, timeout: Duration): void {
  if (visibility.toSeconds() < VISIBILITY_TIMEOUT_FACTOR * timeout.toSeconds()) {
    throw new VisibilityInvariantError(
      `queue ${queue}: visibility timeout ${visibility.toSeconds()} s is less than ${VISIBILITY_TIMEOUT_FACTOR} × its consumer's timeout ${timeout.toSeconds()} s`,
    );
  }
}

export class QueueConsumer extends Construct {
  readonly queue: QueueWithDlq;
  readonly function: LeadflowFunction;
  readonly maxConcurrency: number;

  constructor(scope: Construct, id: string, props: QueueConsumerProps) {
    super(scope, id);
    assertVisibilityInvariant(props.queue.name, props.queue.visibilityTimeout, Duration.seconds(props.function.timeoutSeconds));
    this.queue = props.queue;
    this.function = props.function;
    this.maxConcurrency = props.maxConcurrency;
    props.function.fn.addEventSource(
      new SqsEventSource(props.queue.queue, {
        batchSize: props.batchSize,
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency,
      }),
    );
  }
}
