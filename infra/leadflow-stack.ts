/**
 * The leadflow CDK stack, built from the one resource description in `shared/resources/resources.ts`.
 *
 * Today: the buckets, every queue with its dead-letter queue, the state table and the S3 → SQS
 * notification. The functions, secrets, alarms and the erasure endpoint plug in here as their
 * issues land, under the same template tests.
 */
import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type { Construct } from 'constructs';
import { physicalNames, queueNames, resources, type QueueName } from '../shared/resources/resources';
import { QueueWithDlq } from './queue-with-dlq';

export interface LeadflowStackProps extends StackProps {
  /** Stage for physical names (`prod`, `staging`...). */
  readonly stage: string;
}

export class LeadflowStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly privacyBucket: s3.Bucket;
  readonly queues: Record<QueueName, QueueWithDlq>;
  readonly stateTable: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: LeadflowStackProps) {
    super(scope, id, props);
    const names = physicalNames(props.stage);

    const bucketDefaults = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    } satisfies s3.BucketProps;
    this.bucket = new s3.Bucket(this, 'Uploads', { ...bucketDefaults, bucketName: names.bucket });
    this.privacyBucket = new s3.Bucket(this, 'Privacy', { ...bucketDefaults, bucketName: names.privacyBucket });

    this.queues = Object.fromEntries(
      queueNames.map((name) => [name, new QueueWithDlq(this, `${name}Queue`, { name, names: names.queues[name] })]),
    ) as Record<QueueName, QueueWithDlq>;

    const table = resources.tables.state;
    this.stateTable = new dynamodb.TableV2(this, 'State', {
      tableName: names.tables.state,
      partitionKey: { name: table.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: table.sortKey, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      timeToLiveAttribute: table.ttlAttribute,
      globalSecondaryIndexes: table.globalIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
      })),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const n of resources.notifications) {
      this.bucket.addEventNotification(
        s3.EventType.OBJECT_CREATED,
        new s3n.SqsDestination(this.queues[n.queue as QueueName].queue),
        { prefix: n.prefix, suffix: n.suffix },
      );
    }
  }
}

