/**
 * A queue, its dead-letter queue and the invariants every queue of the product keeps: encrypted with
 * SSE-SQS (S3 can deliver to it; the AWS-managed `alias/aws/sqs` key would silently drop S3
 * notifications), a redrive policy with the description's `maxReceiveCount`, and a visibility
 * timeout six times the consumer's timeout (from the resource description; {@link QueueConsumer} refuses
 * a consumer whose timeout breaks it). Encoded once here so no queue can forget one.
 */
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resources, visibilityTimeoutSeconds, type QueueName } from '../shared/resources/resources';

export interface QueueWithDlqProps {
  readonly name: QueueName;
  readonly names: { readonly queue: string; readonly dlq: string };
}

export class QueueWithDlq extends Construct {
  readonly name: QueueName;
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
  /** What the queue was created with; {@link QueueConsumer} checks its consumer against it. */
  readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const spec = resources.queues[props.name];
    this.name = props.name;
    this.visibilityTimeout = Duration.seconds(visibilityTimeoutSeconds(props.name));
    this.dlq = new sqs.Queue(this, 'Dlq', {
      queueName: props.names.dlq,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(spec.dlqRetentionDays),
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      queueName: props.names.queue,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: spec.maxReceiveCount },
    });
  }
}
