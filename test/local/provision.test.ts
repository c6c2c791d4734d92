import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import {
  GetBucketNotificationConfigurationCommand,
  GetBucketVersioningCommand,
  ListBucketsCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ListQueuesCommand, ReceiveMessageCommand, DeleteMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { provisionResources } from '../../local/provision';
import { parseS3Notification } from '../../shared/aws/s3-event';
import { physicalNames, queueNames, visibilityTimeoutSeconds } from '../../shared/resources/resources';
import { provisionTestStack, startTestMoto } from '../support/moto';

const moto = startTestMoto();

describe('provisionResources', () => {
  it('creates buckets, queues with DLQs and redrive, the state table and the upload notification', async () => {
    const resources = await provisionTestStack('prov');
    const names = physicalNames('prov');
    const { s3, sqs, dynamodb } = moto.clients;

    const buckets = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name);
    expect(buckets).toEqual(expect.arrayContaining([names.bucket, names.privacyBucket]));
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: names.bucket }))).Status).toBe('Enabled');

    const urls = (await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'leadflow-prov-' }))).QueueUrls ?? [];
    expect(urls).toHaveLength(queueNames.length * 2);
    for (const queue of queueNames) {
      const { url, dlq } = resources.queues[queue];
      const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }))).Attributes ?? {};
      expect(JSON.parse(attributes.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 });
      expect(attributes.VisibilityTimeout).toBe(String(visibilityTimeoutSeconds(queue)));
      const dlqAttributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.url, AttributeNames: ['MessageRetentionPeriod'] }))).Attributes;
      expect(dlqAttributes?.MessageRetentionPeriod).toBe(String(14 * 86_400));
    }
    const policy = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: resources.queues.ingest.url, AttributeNames: ['Policy'] }))).Attributes?.Policy;
    expect(JSON.parse(policy ?? '{}').Statement[0]).toMatchObject({
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${names.bucket}` } },
    });

    const notification = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: names.bucket }));
    expect(notification.QueueConfigurations).toHaveLength(1);
    expect(notification.QueueConfigurations?.[0]).toMatchObject({
      QueueArn: resources.queues.ingest.arn,
      Events: ['s3:ObjectCreated:*'],
      Filter: { Key: { FilterRules: expect.arrayContaining([{ Name: 'prefix', Value: 'incoming/' }, { Name: 'suffix', Value: '.csv' }]) } },
    });

    // Request files in the privacy bucket (versioned, as deployed) go to the requests queue; reports/ notifies nothing.
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: names.privacyBucket }))).Status).toBe('Enabled');
    const privacy = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: names.privacyBucket }));
    expect(privacy.QueueConfigurations).toHaveLength(1);
    expect(privacy.QueueConfigurations?.[0]).toMatchObject({
      QueueArn: resources.queues.requests.arn,
      Filter: { Key: { FilterRules: expect.arrayContaining([{ Name: 'prefix', Value: 'requests/' }, { Name: 'suffix', Value: '.csv' }]) } },
    });
    const requestsPolicy = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: resources.queues.requests.url, AttributeNames: ['Policy'] }))).Attributes?.Policy;
    expect(JSON.parse(requestsPolicy ?? '{}').Statement[0].Condition.ArnLike['aws:SourceArn']).toBe(`arn:aws:s3:::${names.privacyBucket}`);

    const table = (await dynamodb.send(new DescribeTableCommand({ TableName: names.tables.state }))).Table;
    expect(table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.KeySchema?.map((k) => k.AttributeName)])).toEqual([['byStatus', ['gsi1pk', 'gsi1sk']]]);
    const ttl = await dynamodb.send(new DescribeTimeToLiveCommand({ TableName: names.tables.state }));
    expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });

  it('is idempotent and applies a new time scale to existing queues', async () => {
    const first = await provisionTestStack('again');
    const second = await provisionTestStack('again');
    expect(second).toEqual(first);
    const scaled = await provisionResources({ endpoint: moto.endpoint, stage: 'again', timeScale: 0.005 });
    expect(scaled.queues.ingest.visibilityTimeoutSeconds).toBe(9);
    const attributes = (await moto.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: scaled.queues.poll.url, AttributeNames: ['VisibilityTimeout'] }))).Attributes;
    expect(attributes?.VisibilityTimeout).toBe('1');
    const urls = (await moto.clients.sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'leadflow-again-' }))).QueueUrls ?? [];
    expect(urls).toHaveLength(queueNames.length * 2);
  });

  it('sends a test event, then an S3 event for CSV uploads under incoming/ only', async () => {
    const resources = await provisionTestStack('notify');
    const { s3, sqs } = moto.clients;
    const receiveAll = async (): Promise<Message[]> => {
      const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queues.ingest.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
      for (const m of out.Messages ?? []) await sqs.send(new DeleteMessageCommand({ QueueUrl: resources.queues.ingest.url, ReceiptHandle: m.ReceiptHandle }));
      return out.Messages ?? [];
    };

    const first = await receiveAll();
    expect(first.map((m) => parseS3Notification(m.Body ?? ''))).toEqual([{ kind: 'test', bucket: resources.bucket }]);

    await s3.send(new PutObjectCommand({ Bucket: resources.bucket, Key: 'incoming/list-7/batch 1+2%.csv', Body: 'phone\n' }));
    await s3.send(new PutObjectCommand({ Bucket: resources.bucket, Key: 'incoming/list-7/notes.txt', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: resources.bucket, Key: 'reports/list-7/summary.csv', Body: 'x' }));

    const events = await receiveAll();
    expect(events).toHaveLength(1);
    const parsed = parseS3Notification(events[0]?.Body ?? '');
    expect(parsed).toMatchObject({
      kind: 'objects',
      objects: [{ bucket: resources.bucket, key: 'incoming/list-7/batch 1+2%.csv', size: 6, eventName: 'ObjectCreated:Put' }],
    });
    expect(await receiveAll()).toEqual([]);
  });

  it('does not send another test event when provisioning again', async () => {
    const resources = await provisionTestStack('quiet');
    const out = await moto.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queues.ingest.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(out.Messages).toHaveLength(1);
    await moto.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: resources.queues.ingest.url, ReceiptHandle: out.Messages?.[0]?.ReceiptHandle }));
    await provisionTestStack('quiet');
    const again = await moto.clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: resources.queues.ingest.url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    expect(again.Messages ?? []).toEqual([]);
  });
});
