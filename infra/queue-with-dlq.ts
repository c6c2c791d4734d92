/**
 * A queue, its dead-letter queue and the invariants every queue of the product keeps: encrypted with
 * SSE-SQS (S3 can deliver to it; the AWS-managed `alias/aws/sqs` key would silently drop S3
 * notifications), a redrive policy with the description's `maxReceiveCount`, and a visibility
 * timeout six times the consumer's timeout. Encoded once here so no queue can forget one.
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
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    const spec = resources.queues[props.name];
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
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(props.name)),
      deadLetterQueue: { queue: this.dlq, maxReceiveCount: spec.maxReceiveCount },
    });
  }
}
