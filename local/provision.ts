/**
 * Creates the resources of `shared/resources/resources.ts` in moto for one stage.
 *
 * Everything is derived from the one resource description, so local runs exercise the same buckets,
 * queues, redrive policies, table keys and S3 → SQS notification as the CDK stack. Each step checks
 * what exists first, so provisioning twice (or against a running dev stack) changes nothing.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  HeadBucketCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  type BucketLocationConstraint,
  type Event,
  type QueueConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import {
  physicalNames,
  queueNames,
  resources,
  visibilityTimeoutSeconds,
  type QueueName,
  type TableName,
} from '../shared/resources/resources';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, localClients } from './aws-clients';

/** A queue as created locally. */
export interface LocalQueue {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

/** A work queue with its dead-letter queue and the event source settings its consumer uses. */
export interface LocalWorkQueue extends LocalQueue {
  readonly dlq: LocalQueue;
  readonly batchSize: number;
  readonly maxReceiveCount: number;
  readonly visibilityTimeoutSeconds: number;
}

/** What {@link provisionResources} created: names, URLs and ARNs for one stage. */
export interface LocalResources {
  readonly stage: string;
  readonly endpoint: string;
  readonly region: string;
  readonly accountId: string;
  /** Factor applied to visibility timeouts (1 = as deployed). */
  readonly timeScale: number;
  /** The uploads bucket (incoming/, chunks/, reports/, maintenance/). */
  readonly bucket: string;
  readonly privacyBucket: string;
  readonly queues: Record<QueueName, LocalWorkQueue>;
  readonly tables: Record<TableName, string>;
}

export interface ProvisionOptions {
  /** moto endpoint, e.g. `http://127.0.0.1:41234`. */
  endpoint: string;
  stage: string;
  region?: string;
  /** Scales visibility timeouts down for local runs (e.g. 0.005 turns 1800 s into 9 s; never below 1 s). */
  timeScale?: number;
}

/** Creates (or confirms) every bucket, queue, DLQ, table and notification for a stage. Idempotent. */
export async function provisionResources(options: ProvisionOptions): Promise<LocalResources> {
  const region = options.region ?? LOCAL_REGION;
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0 && timeScale <= 1)) throw new Error(`timeScale must be in (0, 1], got ${timeScale}`);
  const names = physicalNames(options.stage);
  const clients = localClients(options.endpoint, region);
  try {
    await ensureBucket(clients.s3, names.bucket, region, { versioned: true });
    // Versioned as deployed: a request file dropped again is a new version with its own report.
    await ensureBucket(clients.s3, names.privacyBucket, region, { versioned: true });

    const queues = {} as Record<QueueName, LocalWorkQueue>;
    for (const queue of queueNames) {
      const spec = resources.queues[queue];
      const dlq = await ensureQueue(clients.sqs, names.queues[queue].dlq, {
        MessageRetentionPeriod: String(spec.dlqRetentionDays * 86_400),
      });
      const visibility = visibilityTimeoutSeconds(queue, timeScale);
      const main = await ensureQueue(clients.sqs, names.queues[queue].queue, {
        VisibilityTimeout: String(visibility),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: spec.maxReceiveCount }),
      });
      queues[queue] = { ...main, dlq, batchSize: spec.batchSize, maxReceiveCount: spec.maxReceiveCount, visibilityTimeoutSeconds: visibility };
    }

    for (const table of Object.keys(resources.tables) as TableName[]) {
      await ensureTable(clients.dynamodb, names.tables[table], table);
    }

    await ensureNotifications(clients.s3, clients.sqs, { bucket: names.bucket, privacyBucket: names.privacyBucket }, queues);

    return {
      stage: options.stage,
      endpoint: options.endpoint,
      region,
      accountId: accountOf(queues),
      timeScale,
      bucket: names.bucket,
      privacyBucket: names.privacyBucket,
      queues,
      tables: names.tables,
    };
  } finally {
    clients.destroy();
  }
}

async function ensureBucket(s3: S3Client, bucket: string, region: string, options: { versioned: boolean }): Promise<void> {
  if (!(await bucketExists(s3, bucket))) {
    try {
      await s3.send(
        new CreateBucketCommand({
          Bucket: bucket,
          // us-east-1 is the one region that rejects an explicit location constraint.
          ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
        }),
      );
    } catch (error) {
      if ((error as Error).name !== 'BucketAlreadyOwnedByYou') throw error;
    }
  }
  if (options.versioned) {
    await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (error as Error).name === 'NotFound') return false;
    throw error;
  }
}

async function ensureQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<LocalQueue> {
  // Look up first: CreateQueue on an existing queue fails when the attributes differ (e.g. a new timeScale).
  let url: string | undefined;
  try {
    url = (await sqs.send(new GetQueueUrlCommand({ QueueName: name }))).QueueUrl;
  } catch (error) {
    if (!isQueueMissing(error)) throw error;
  }
  url ??= (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl;
  if (!url) throw new Error(`SQS returned no URL for queue ${name}`);
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
  return { name, url, arn: await queueArn(sqs, url) };
}

function isQueueMissing(error: unknown): boolean {
  const name = (error as Error).name;
  return name === 'QueueDoesNotExist' || name === 'AWS.SimpleQueueService.NonExistentQueue';
}

async function queueArn(sqs: SQSClient, url: string): Promise<string> {
  const out = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }));
  const arn = out.Attributes?.QueueArn;
  if (!arn) throw new Error(`SQS returned no ARN for ${url}`);
  return arn;
}

async function ensureTable(dynamodb: DynamoDBClient, tableName: string, table: TableName): Promise<void> {
  const spec = resources.tables[table];
  let exists = true;
  try {
    await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  } catch (error) {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
    exists = false;
  }
  if (!exists) {
    const keys = new Set<string>([spec.partitionKey, spec.sortKey, ...spec.globalIndexes.flatMap((g) => [g.partitionKey, g.sortKey])]);
    try {
      await dynamodb.send(
        new CreateTableCommand({
          TableName: tableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...keys].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
          KeySchema: [
            { AttributeName: spec.partitionKey, KeyType: 'HASH' },
            { AttributeName: spec.sortKey, KeyType: 'RANGE' },
          ],
          GlobalSecondaryIndexes: spec.globalIndexes.map((g) => ({
            IndexName: g.name,
            KeySchema: [
              { AttributeName: g.partitionKey, KeyType: 'HASH' },
              { AttributeName: g.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          })),
        }),
      );
    } catch (error) {
      // A concurrent provisioner got there first.
      if ((error as Error).name !== 'ResourceInUseException') throw error;
    }
    await waitUntilTableExists({ client: dynamodb, maxWaitTime: 30, minDelay: 1 }, { TableName: tableName });
  }
  // UpdateTimeToLive fails when TTL is already on, so only switch it on when it is off.
  const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
  if (status !== 'ENABLED' && status !== 'ENABLING') {
    await dynamodb.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: spec.ttlAttribute, Enabled: true } }),
    );
  }
}

async function ensureNotifications(
  s3: S3Client,
  sqs: SQSClient,
  buckets: Record<(typeof resources.notifications)[number]['bucket'], string>,
  queues: Record<QueueName, LocalWorkQueue>,
): Promise<void> {
  // As on AWS, S3 may only send to a queue whose policy lets it, scoped to its bucket and account.
  for (const n of resources.notifications) {
    const { url, arn } = queues[n.queue as QueueName];
    const policy = {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AllowS3Notifications',
          Effect: 'Allow',
          Principal: { Service: 's3.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Resource: arn,
          Condition: {
            ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${buckets[n.bucket]}` },
            StringEquals: { 'aws:SourceAccount': accountOf(queues) },
          },
        },
      ],
    };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(policy) } }));
  }

  for (const bucketKey of new Set(resources.notifications.map((n) => n.bucket))) {
    const bucket = buckets[bucketKey];
    const configurations: QueueConfiguration[] = resources.notifications
      .filter((n) => n.bucket === bucketKey)
      .map((n) => ({
        Id: `${n.queue}-${n.prefix}*${n.suffix}`,
        QueueArn: queues[n.queue as QueueName].arn,
        Events: [...n.events] as Event[],
        Filter: {
          Key: {
            FilterRules: [
              { Name: 'prefix', Value: n.prefix },
              { Name: 'suffix', Value: n.suffix },
            ],
          },
        },
      }));
    // Setting the configuration makes S3 send an s3:TestEvent; skip it when nothing changed so a second
    // run does not put another one on the queue.
    const current = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: bucket }));
    if (sameNotifications(current.QueueConfigurations ?? [], configurations)) continue;
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: bucket, NotificationConfiguration: { QueueConfigurations: configurations } }));
  }
}

function sameNotifications(current: readonly QueueConfiguration[], wanted: readonly QueueConfiguration[]): boolean {
  const normalise = (list: readonly QueueConfiguration[]): string =>
    JSON.stringify(
      list
        .map((c) => ({
          arn: c.QueueArn,
          events: [...(c.Events ?? [])].sort(),
          rules: (c.Filter?.Key?.FilterRules ?? []).map((r) => `${String(r.Name).toLowerCase()}=${r.Value}`).sort(),
        }))
        .sort((a, b) => String(a.arn).localeCompare(String(b.arn))),
    );
  return normalise(current) === normalise(wanted);
}

function accountOf(queues: Record<QueueName, LocalWorkQueue>): string {
  return queues.ingest.arn.split(':')[4] || LOCAL_ACCOUNT_ID;
}
