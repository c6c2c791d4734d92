import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { LeadflowStack } from '../../infra/leadflow-stack';
import { physicalNames, queueNames, resources, VISIBILITY_TIMEOUT_FACTOR } from '../../shared/resources/resources';

let template: Template;
const names = physicalNames('test');

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  template = Template.fromStack(new LeadflowStack(app, 'leadflow-test', { stage: 'test' }));
});

/** The logical id of the queue resource whose QueueName is `name`. */
function queueLogicalId(name: string): string {
  const found = template.findResources('AWS::SQS::Queue', { Properties: { QueueName: name } });
  const ids = Object.keys(found);
  expect(ids, `queue ${name}`).toHaveLength(1);
  return ids[0]!;
}

describe('built from the resource description', () => {
  it.each(queueNames)('queue %s has its DLQ, redrive and a visibility timeout 6x its consumer timeout', (name) => {
    const spec = resources.queues[name];
    const dlqId = queueLogicalId(names.queues[name].dlq);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: names.queues[name].queue,
      VisibilityTimeout: spec.consumer.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: spec.maxReceiveCount },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: names.queues[name].dlq,
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: spec.dlqRetentionDays * 86_400,
    });
  });

  it('has exactly the queues the description names (and their DLQs)', () => {
    template.resourceCountIs('AWS::SQS::Queue', queueNames.length * 2);
  });

  it('sends new uploads under the prefix with the suffix to the ingest queue', () => {
    const [notification] = resources.notifications;
    const found = Object.values(template.findResources('Custom::S3BucketNotifications'));
    expect(found).toHaveLength(1);
    const configs = (found[0] as { Properties: { NotificationConfiguration: { QueueConfigurations: unknown[] } } }).Properties
      .NotificationConfiguration.QueueConfigurations;
    expect(configs).toEqual([
      {
        Events: ['s3:ObjectCreated:*'],
        QueueArn: { 'Fn::GetAtt': [queueLogicalId(names.queues.ingest.queue), 'Arn'] },
        Filter: {
          Key: {
            FilterRules: expect.arrayContaining([
              { Name: 'prefix', Value: notification!.prefix },
              { Name: 'suffix', Value: notification!.suffix },
            ]),
          },
        },
      },
    ]);
  });

  it('keeps state in an on-demand table with the described keys, TTL and point-in-time recovery', () => {
    const table = resources.tables.state;
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: names.tables.state,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('blocks public access, encrypts and versions both buckets and refuses plain HTTP', () => {
    for (const bucketName of [names.bucket, names.privacyBucket]) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: bucketName,
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: Match.objectLike({}),
      });
    }
    const policies = template.findResources('AWS::S3::BucketPolicy');
    const denies = Object.values(policies).filter((p) =>
      JSON.stringify(p).includes('"aws:SecureTransport":"false"'),
    );
    expect(denies).toHaveLength(2);
  });
});
