/**
 * The synthesised template, checked with aws-cdk-lib/assertions: one synth (bundling skipped) for the
 * whole file, plus small stacks where a test needs other settings.
 */
import { App, Duration, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { DeploymentSettingsError, parseDeploymentSettings, readDeploymentSettings, type DeploymentSettingsInput } from '../../infra/deployment-settings';
import * as catalog from '../../infra/function-catalog';
import { LeadflowStack, PLACEHOLDER_TENANT_URL, type FunctionCatalog } from '../../infra/leadflow-stack';
import { assertVisibilityInvariant, VisibilityInvariantError } from '../../infra/queue-consumer';
import { stackOutputKeys } from '../../infra/stack-outputs';
import { TenantBudgetError, tenantLoad } from '../../infra/tenant-budget';
import { physicalNames, queueNames, resources, VISIBILITY_TIMEOUT_FACTOR, type QueueName } from '../../shared/resources/resources';

type Resource = { Type: string; Properties: Record<string, any>; Metadata?: Record<string, unknown> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Principal?: unknown };

const NO_BUNDLING = { 'aws:cdk:bundling-stacks': [] };
const names = physicalNames('test');
let stack: LeadflowStack;
let template: Template;
let resourcesById: Record<string, Resource>;

function synth(settings: DeploymentSettingsInput = { tenant: { baseUrl: PLACEHOLDER_TENANT_URL } }, functionCatalog?: FunctionCatalog, stage = 'test') {
  const app = new App({ context: NO_BUNDLING });
  const s = new LeadflowStack(app, `leadflow-${stage}`, { stage, settings: parseDeploymentSettings(settings), ...(functionCatalog && { catalog: functionCatalog }) });
  return { app, stack: s, template: Template.fromStack(s) };
}

beforeAll(() => {
  ({ stack, template } = synth({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, retention: { chunkDays: 3, rawUploadDays: 14 }, alarms: { email: 'ops@example.com' } }));
  resourcesById = template.toJSON().Resources as Record<string, Resource>;
});

const ofType = (type: string) => Object.entries(resourcesById).filter(([, r]) => r.Type === type);
const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** The logical id of the queue resource whose QueueName is `name`. */
function queueLogicalId(name: string): string {
  const ids = Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { QueueName: name } }));
  expect(ids, `queue ${name}`).toHaveLength(1);
  return ids[0]!;
}

/** The logical id of a function by its catalog entry. */
function functionId(entry: string): string {
  const id = stack.getLogicalId(stack.functions.find((f) => f.entry === entry)!.fn.node.defaultChild as never);
  expect(resourcesById[id]?.Type).toBe('AWS::Lambda::Function');
  return id;
}

/** Every Allow statement of the policies attached to a function's role. */
function functionStatements(entry: string): Statement[] {
  const roleId = (resourcesById[functionId(entry)]!.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
}

/** `Fn::Join` of a bucket ARN and a key pattern, as the template writes it. */
const objectsArn = (bucketId: string, pattern: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${pattern}`]] });
const uploadsId = () => stack.getLogicalId(stack.bucket.node.defaultChild as never);
const privacyId = () => stack.getLogicalId(stack.privacyBucket.node.defaultChild as never);

/** The resources a role may act on with `action`. */
function resourcesFor(statements: Statement[], action: string): unknown[] {
  return statements.filter((s) => s.Effect === 'Allow' && asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource));
}

describe('queues', () => {
  it.each(queueNames)('queue %s has its DLQ (maxReceiveCount 5), SSE-SQS and a visibility timeout 6x its consumer timeout', (name) => {
    const spec = resources.queues[name];
    const dlqId = queueLogicalId(names.queues[name].dlq);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: names.queues[name].queue,
      VisibilityTimeout: spec.consumer.timeoutSeconds * VISIBILITY_TIMEOUT_FACTOR,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlqId, 'Arn'] }, maxReceiveCount: 5 },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: names.queues[name].dlq, SqsManagedSseEnabled: true, MessageRetentionPeriod: spec.dlqRetentionDays * 86_400 });
  });

  it('has exactly the queues the description names (and their DLQs)', () => {
    template.resourceCountIs('AWS::SQS::Queue', queueNames.length * 2);
  });

  it('encrypts every queue so S3 can deliver to it: SSE-SQS, never a KMS key (alias/aws/sqs drops S3 notifications silently)', () => {
    for (const [id, q] of ofType('AWS::SQS::Queue')) {
      expect(q.Properties.SqsManagedSseEnabled, id).toBe(true);
      expect(q.Properties.KmsMasterKeyId, id).toBeUndefined();
    }
  });

  it('every event source mapping: its queue hides a message for at least 6x the consuming function timeout', () => {
    const mappings = ofType('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(Object.keys(catalog.queueConsumers).length);
    for (const [id, m] of mappings) {
      const queueId = (m.Properties.EventSourceArn as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      const fnId = (m.Properties.FunctionName as { Ref: string }).Ref;
      const visibility = resourcesById[queueId]!.Properties.VisibilityTimeout as number;
      const timeout = resourcesById[fnId]!.Properties.Timeout as number;
      expect(visibility, id).toBeGreaterThanOrEqual(VISIBILITY_TIMEOUT_FACTOR * timeout);
    }
  });

  it('the invariant is enforced in one place: a consumer whose timeout breaks it is refused at synth', () => {
    expect(() => assertVisibilityInvariant('submit', Duration.seconds(360), Duration.seconds(61))).toThrow(VisibilityInvariantError);
    expect(() => assertVisibilityInvariant('submit', Duration.seconds(360), Duration.seconds(60))).not.toThrow();
  });

  it.each(resources.notifications.map((n) => [n.queue, n] as const))('sends new objects under the prefix with the suffix to the %s queue, from its bucket only', (_, notification) => {
    const bucketId = notification.bucket === 'bucket' ? uploadsId() : privacyId();
    const found = Object.values(template.findResources('Custom::S3BucketNotifications')) as Resource[];
    expect(found).toHaveLength(new Set(resources.notifications.map((n) => n.bucket)).size);
    const mine = found.filter((r) => JSON.stringify(r.Properties.BucketName).includes(bucketId));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.Properties.NotificationConfiguration.QueueConfigurations).toEqual([
      {
        Events: ['s3:ObjectCreated:*'],
        QueueArn: { 'Fn::GetAtt': [queueLogicalId(names.queues[notification.queue].queue), 'Arn'] },
        Filter: { Key: { FilterRules: expect.arrayContaining([{ Name: 'prefix', Value: notification.prefix }, { Name: 'suffix', Value: notification.suffix }]) } },
      },
    ]);
  });

  it("request files' reports are written outside the notified prefix, so a report never triggers the intake again", () => {
    const requests = resources.notifications.find((n) => n.queue === 'requests')!;
    expect(resources.privacyBucket.prefixes.reports.startsWith(requests.prefix)).toBe(false);
  });
});

describe('functions', () => {
  it.each(Object.values(catalog.queueConsumers).map((n) => n!.entry))('%s: nodejs22.x on arm64, ESM bundle handler, source maps on, its own log group', (entry) => {
    const fn = resourcesById[functionId(entry)]!;
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'], Handler: 'index.handler' });
    expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    expect(fn.Properties.LoggingConfig.LogGroup).toBeDefined();
    expect(fn.Properties.Layers).toBeUndefined();
  });

  it('every SQS event source reports batch item failures and caps its concurrency', () => {
    for (const [id, m] of ofType('AWS::Lambda::EventSourceMapping')) {
      expect(m.Properties.FunctionResponseTypes, id).toEqual(['ReportBatchItemFailures']);
      expect(m.Properties.ScalingConfig.MaximumConcurrency, id).toBeGreaterThanOrEqual(2);
    }
  });

  it('environments hold pointers and ids, never a secret or a large document', () => {
    for (const entry of ['ingest', 'submit', 'poll']) {
      const vars = resourcesById[functionId(entry)]!.Properties.Environment.Variables as Record<string, unknown>;
      expect(Object.keys(vars)).toEqual(expect.arrayContaining(['IPSCAPE_API_KEY_SECRET_ID', 'DEDUPE_SECRET_ID', 'IPSCAPE_TENANT_CONFIG_PARAMETER', 'BUCKET_NAME', 'STATE_TABLE_NAME']));
      expect(Object.keys(vars)).not.toEqual(expect.arrayContaining(['IPSCAPE_API_KEY']));
      expect(vars.DEDUPE_SECRET).toBeUndefined();
      expect(vars.IPSCAPE_TENANT_CONFIG).toBeUndefined();
      expect(JSON.stringify(vars).length).toBeLessThan(4096);
    }
    expect(Object.keys(resourcesById[functionId('ingest')]!.Properties.Environment.Variables)).toContain('SUBMIT_QUEUE_URL');
    expect(Object.keys(resourcesById[functionId('ingest')]!.Properties.Environment.Variables)).not.toContain('POLL_QUEUE_URL');
  });

  it('the tenant document is in an SSM parameter, as the functions will validate it', () => {
    const params = ofType('AWS::SSM::Parameter').map(([, p]) => p.Properties);
    const tenant = params.find((p) => p.Name === '/leadflow/test/ipscape-tenant-config');
    // The deployed per-process limits are part of the document the functions read.
    expect(JSON.parse(tenant!.Value as string)).toEqual({ baseUrl: PLACEHOLDER_TENANT_URL, limits: { requestsPerSecond: 2, burst: 2, maxConcurrency: 2 } });
    expect(tenant!.Tier).toBe('Standard');
  });
});

describe('least privilege', () => {
  const entries = Object.values(catalog.queueConsumers).map((n) => n!);

  it.each(entries.map((n) => n.entry))('%s: no wildcard action; every wildcard resource is an object prefix or the table index', (entry) => {
    const statements = functionStatements(entry);
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(s.Effect).toBe('Allow');
      for (const action of asArray(s.Action)) expect(action, `${entry} ${action}`).not.toContain('*');
      for (const r of asArray(s.Resource)) {
        expect(r, entry).not.toBe('*');
        const text = JSON.stringify(r);
        if (text.includes('*')) expect(text, entry).toMatch(/"\/(incoming|chunks|reports|maintenance|requests)\/\*"|"\/index\/\*"/);
      }
    }
  });

  it.each(entries)('$entry: S3, SQS, secrets and SSM exactly as its catalog entry says', (needs) => {
    const statements = functionStatements(needs.entry);
    const prefix = (p: keyof typeof resources.bucket.prefixes) => objectsArn(uploadsId(), `${p === 'incoming' ? 'incoming' : p}/*`);
    const privacyPrefix = (p: keyof typeof resources.privacyBucket.prefixes) => objectsArn(privacyId(), `${p}/*`);
    expect(resourcesFor(statements, 's3:GetObject')).toEqual([...needs.reads.map(prefix), ...(needs.privacyReads ?? []).map(privacyPrefix)]);
    expect(resourcesFor(statements, 's3:PutObject')).toEqual([...needs.writes.map(prefix), ...(needs.privacyWrites ?? []).map(privacyPrefix)]);
    expect(resourcesFor(statements, 's3:DeleteObject')).toEqual(needs.deletes.map(prefix));
    expect(resourcesFor(statements, 'sqs:SendMessage')).toEqual(needs.sendsTo.map((q) => ({ 'Fn::GetAtt': [queueLogicalId(names.queues[q].queue), 'Arn'] })));
    expect(resourcesFor(statements, 'secretsmanager:GetSecretValue')).toHaveLength(needs.secrets.length);
    // The maintenance policy has a parameter only when the settings give one (this synth gives none).
    expect(resourcesFor(statements, 'ssm:GetParameters')).toHaveLength(needs.documents.filter((d) => d !== 'MAINTENANCE_POLICIES').length);
    // No function of the ingestion can touch the privacy bucket.
    if (!needs.privacyReads?.length && !needs.privacyWrites?.length) expect(JSON.stringify(statements)).not.toContain(privacyId());
  });

  it('erasure-file reads request files and writes their reports in the privacy bucket, queues requests for the worker, and touches nothing of the uploads bucket', () => {
    const statements = functionStatements('erasure-file');
    expect(resourcesFor(statements, 's3:GetObject')).toEqual([objectsArn(privacyId(), 'requests/*')]);
    // A notification names a version: reading it pinned needs GetObjectVersion.
    expect(resourcesFor(statements, 's3:GetObjectVersion')).toEqual([objectsArn(privacyId(), 'requests/*')]);
    expect(resourcesFor(statements, 's3:PutObject')).toEqual([objectsArn(privacyId(), 'reports/*')]);
    for (const action of ['s3:DeleteObject', 's3:DeleteObjectVersion', 's3:ListBucket', 's3:ListBucketVersions']) expect(resourcesFor(statements, action), action).toEqual([]);
    expect(JSON.stringify(statements)).not.toContain(uploadsId());
    expect(resourcesFor(statements, 'sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': [queueLogicalId(names.queues.erasure.queue), 'Arn'] }]);
    // It is the requests queue's consumer, and never calls ipSCAPE (not in the tenant budget).
    const requestsQueueId = queueLogicalId(names.queues.requests.queue);
    const mapping = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => JSON.stringify(m.Properties.EventSourceArn).includes(requestsQueueId));
    expect((mapping![1].Properties.FunctionName as { Ref: string }).Ref).toBe(functionId('erasure-file'));
    expect(catalog.queueConsumers.requests?.callsIpscape).toBe(false);
  });

  it.each(['ingest', 'submit', 'poll', 'erasure', 'erasure-api', 'erasure-due', 'erasure-file', 'maintenance'])('%s: item-level table actions on the state table only; no Scan, no table administration', (entry) => {
    const tableActions = functionStatements(entry).flatMap((s) => asArray(s.Action)).filter((a) => a.startsWith('dynamodb:'));
    expect(tableActions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem']));
    for (const forbidden of ['dynamodb:Scan', 'dynamodb:DeleteTable', 'dynamodb:UpdateTable', 'dynamodb:DescribeTable']) expect(tableActions).not.toContain(forbidden);
    const tableId = stack.getLogicalId(stack.stateTable.node.defaultChild as never);
    for (const r of resourcesFor(functionStatements(entry), 'dynamodb:PutItem')) expect(JSON.stringify(r)).toContain(tableId);
  });

  it('ingest reads uploads and its checkpoints; submit and poll read an upload (to finish it) but never change one', () => {
    const incoming = objectsArn(uploadsId(), 'incoming/*');
    expect(resourcesFor(functionStatements('ingest'), 's3:GetObject')).toEqual(expect.arrayContaining([incoming, objectsArn(uploadsId(), 'chunks/*')]));
    // Finishing reads the upload again for the cells of rows taken out after parsing.
    for (const entry of ['submit', 'poll']) {
      expect(resourcesFor(functionStatements(entry), 's3:GetObject')).toContainEqual(incoming);
      for (const action of ['s3:PutObject', 's3:DeleteObject']) expect(resourcesFor(functionStatements(entry), action)).not.toContainEqual(incoming);
    }
  });

  it('ingest may hand a long parse over to itself: its own queue URL and SendMessage on it', () => {
    const ingestQueueId = stack.getLogicalId(stack.queues.ingest.queue.node.defaultChild as never);
    expect(JSON.stringify(resourcesFor(functionStatements('ingest'), 'sqs:SendMessage'))).toContain(ingestQueueId);
    const fn = resourcesById[functionId('ingest')]!;
    expect(Object.keys((fn.Properties.Environment as { Variables: object }).Variables)).toContain('INGEST_QUEUE_URL');
  });

  it('the sweep runs hourly, may end abandoned uploads, and alarms on them', () => {
    functionId('sweep');
    expect(resourcesFor(functionStatements('sweep'), 's3:DeleteObject')).toEqual(expect.arrayContaining([objectsArn(uploadsId(), 'chunks/*')]));
    expect(JSON.stringify(ofType('AWS::Scheduler::Schedule').concat(ofType('AWS::Events::Rule')))).toContain('rate(1 hour)');
    expect(JSON.stringify(ofType('AWS::CloudWatch::Alarm'))).toContain('UploadsAbandoned');
  });

  it("the privacy bucket denies the operators' role everything; operators' grants never name it", () => {
    const operatorId = stack.getLogicalId(stack.operatorRole.node.defaultChild as never);
    const policy = ofType('AWS::S3::BucketPolicy').find(([, p]) => JSON.stringify(p.Properties.Bucket).includes(privacyId()));
    const deny = (policy![1].Properties.PolicyDocument.Statement as Statement[]).find((s) => s.Effect === 'Deny' && JSON.stringify(s.Principal).includes(operatorId));
    expect(deny?.Action).toBe('s3:*');
    const operatorPolicies = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(operatorId));
    expect(JSON.stringify(operatorPolicies)).not.toContain(privacyId());
    expect(resourcesFor(operatorPolicies.flatMap(([, p]) => p.Properties.PolicyDocument.Statement), 's3:PutObject')).toEqual([objectsArn(uploadsId(), 'incoming/*')]);
  });

  it('the privacy role writes erasure requests and nothing of the uploads bucket', () => {
    const privacyRoleId = stack.getLogicalId(stack.privacyRole.node.defaultChild as never);
    const statements = ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(privacyRoleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[]);
    expect(resourcesFor(statements, 's3:PutObject')).toEqual([objectsArn(privacyId(), 'requests/*')]);
    // It reads its request files back and their reports; it writes no report.
    expect(resourcesFor(statements, 's3:GetObject')).toEqual([objectsArn(privacyId(), 'requests/*'), objectsArn(privacyId(), 'reports/*')]);
    expect(JSON.stringify(statements)).not.toContain(uploadsId());
  });
});

describe('storage', () => {
  it('blocks public access, encrypts, versions and logs access to the uploads and privacy buckets, and refuses plain HTTP on all three', () => {
    for (const bucketName of [names.bucket, names.privacyBucket]) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: bucketName,
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
      });
    }
    for (const [id, b] of ofType('AWS::S3::Bucket')) {
      expect(b.Properties.PublicAccessBlockConfiguration, id).toBeDefined();
      expect(b.Properties.BucketEncryption, id).toBeDefined();
    }
    const denies = ofType('AWS::S3::BucketPolicy').filter(([, p]) => JSON.stringify(p).includes('"aws:SecureTransport":"false"'));
    expect(denies).toHaveLength(3);
  });

  it('expires raw uploads, chunks, reports and old versions after the configured periods', () => {
    const rules = (template.findResources('AWS::S3::Bucket', { Properties: { BucketName: names.bucket } }) as Record<string, Resource>);
    const lifecycle = Object.values(rules)[0]!.Properties.LifecycleConfiguration.Rules as { Prefix?: string; ExpirationInDays?: number; NoncurrentVersionExpiration?: { NoncurrentDays: number } }[];
    const byPrefix = Object.fromEntries(lifecycle.filter((r) => r.Prefix).map((r) => [r.Prefix, r.ExpirationInDays]));
    expect(byPrefix).toEqual({ 'incoming/': 14, 'chunks/': 3, 'reports/': 365, 'maintenance/': 365 });
    expect(lifecycle.find((r) => !r.Prefix)?.NoncurrentVersionExpiration?.NoncurrentDays).toBe(7);
    // A deleted chunk or checkpoint (leads' personal data) does not linger as an old version for a week.
    expect(lifecycle.find((r) => r.Prefix === 'chunks/')?.NoncurrentVersionExpiration?.NoncurrentDays).toBe(1);
  });

  it('keeps state in an on-demand, encrypted table with the described keys, TTL and point-in-time recovery', () => {
    const table = resources.tables.state;
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: names.tables.state,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: table.partitionKey, KeyType: 'HASH' },
        { AttributeName: table.sortKey, KeyType: 'RANGE' },
      ],
      SSESpecification: { SSEEnabled: true },
      TimeToLiveSpecification: { AttributeName: table.ttlAttribute, Enabled: true },
      Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
    });
  });

  it('puts no secret value in the template: both secrets are generated, the API key is set after deploy', () => {
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets).toHaveLength(2);
    for (const [id, s] of secrets) {
      expect(s.Properties.SecretString, id).toBeUndefined();
      expect(s.Properties.GenerateSecretString, id).toBeDefined();
    }
  });
});

describe('alarms and notifications', () => {
  const alarms = () => ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
  const topicId = () => stack.getLogicalId(stack.alarmTopic.node.defaultChild as never);

  it('every alarm notifies the alarm topic', () => {
    expect(alarms().length).toBeGreaterThan(0);
    for (const a of alarms()) expect(a.AlarmActions).toEqual([{ Ref: topicId() }]);
  });

  it.each(queueNames)('%s: an alarm on any DLQ message and one on the age of the oldest message', (name: QueueName) => {
    const dlqId = queueLogicalId(names.queues[name].dlq);
    const queueId = queueLogicalId(names.queues[name].queue);
    const on = (metric: string, id: string) =>
      alarms().filter((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(id));
    expect(on('ApproximateNumberOfMessagesVisible', dlqId)).toHaveLength(1);
    expect(on('ApproximateNumberOfMessagesVisible', dlqId)[0]).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(on('ApproximateAgeOfOldestMessage', queueId)).toHaveLength(1);
  });

  it.each(['ingest', 'submit', 'poll', 'erasure', 'erasure-api', 'erasure-due', 'erasure-file', 'maintenance'])('%s: alarms on function errors and throttles', (entry) => {
    const id = functionId(entry);
    for (const metric of ['Errors', 'Throttles']) {
      expect(alarms().filter((a) => a.MetricName === metric && JSON.stringify(a.Dimensions).includes(id))).toHaveLength(1);
    }
  });

  it.each(['BulkJobsPastDeadline', 'ChunksInDoubt', 'LeadsInDoubt', 'ErasureRequestsNearDue', 'ErasureRequestsOverdue'])('an alarm on the product metric %s', (metric) => {
    const found = alarms().filter((a) => JSON.stringify(a).includes(`"MetricName":"${metric}"`));
    expect(found).toHaveLength(1);
    expect(JSON.stringify(found[0])).toContain('"Namespace":"Leadflow"');
  });

  it('an alarm e-mail subscription, and upload-finished events to the uploads topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: topicId() } });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['leadflow.ingest'], 'detail-type': ['Upload finished'] },
      Targets: [Match.objectLike({ Arn: { Ref: stack.getLogicalId(stack.uploadsTopic.node.defaultChild as never) } })],
    });
    for (const [, t] of ofType('AWS::SNS::Topic')) expect(t.Properties.KmsMasterKeyId).toBeDefined();
  });

  it('the topics\' key lets CloudWatch (this account only) and EventBridge (no source condition: its KMS calls carry none) encrypt', () => {
    const [[, key]] = ofType('AWS::KMS::Key') as [[string, Resource]];
    const statements = key.Properties.KeyPolicy.Statement as (Statement & { Principal?: { Service?: string }; Condition?: unknown })[];
    const forService = (service: string) => statements.find((st) => st.Principal?.Service === service);
    expect(forService('cloudwatch.amazonaws.com')?.Condition).toEqual({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
    expect(forService('events.amazonaws.com')).toMatchObject({ Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] });
    expect(forService('events.amazonaws.com')?.Condition).toBeUndefined();
    expect(key.Properties.EnableKeyRotation).toBe(true);
  });

  it('a dashboard with uploads, rows by outcome, queue depths and ipSCAPE answers', () => {
    const [[, dashboard]] = ofType('AWS::CloudWatch::Dashboard') as [[string, Resource]];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const title of ['Uploads', 'Rows by outcome', 'Queue depth', 'ipSCAPE answers by status', 'ipSCAPE error rate']) expect(body).toContain(title);
    for (const metric of ['RowsAccepted', 'RowsInDoubt', 'IpscapeAnswers429', 'IpscapeAnswers5xx']) expect(body).toContain(metric);
  });
});

describe('outputs', () => {
  it('names the buckets, every queue and DLQ URL, the table, the dashboard and the roles', () => {
    const outputs = Object.keys(template.toJSON().Outputs as object);
    const k = stackOutputKeys;
    const expected = [k.region, k.uploadsBucket, k.privacyBucket, k.stateTable, k.dashboard, k.alarmTopic, k.uploadsTopic, k.operatorRole, k.privacyRole, k.apiKeySecret];
    expect(outputs).toEqual(expect.arrayContaining([...expected, ...queueNames.flatMap((q) => [k.queueUrl(q), k.dlqUrl(q)])]));
  });
});

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(stack);
    const findings = report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('every acknowledgement says why', () => {
    const acknowledged: { id: string; reason: string }[] = [];
    const visit = (c: IConstruct) => {
      for (const m of c.node.metadata) {
        if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
          for (const [id, value] of Object.entries(m.data as Record<string, { reason?: string } | string>)) {
            acknowledged.push({ id, reason: typeof value === 'string' ? value : (value.reason ?? '') });
          }
        }
      }
      c.node.children.forEach(visit);
    };
    visit(stack);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const a of acknowledged) expect(a.reason.length, a.id).toBeGreaterThan(30);
  });
});

describe('tenant budget: concurrency × per-process rate within the tenant limit', () => {
  it('computes the worst case from every ipSCAPE-calling consumer', () => {
    const callers = ['submit', 'poll', 'erasure', 'maintenance'].map((name) => ({ name, maxConcurrency: 2 }));
    expect(stack.tenantLoad).toEqual(tenantLoad([...callers, { name: 'maintenance-starter', maxConcurrency: 1 }], { requestsPerSecond: 2, maxConcurrency: 2 }));
    expect(stack.tenantLoad).toEqual({ requestsPerSecond: 18, inFlight: 18 });
  });

  it('refuses a configuration whose functions could exceed the tenant, naming the sum', () => {
    const settings = { tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, concurrency: { submit: 5 } };
    expect(() => synth(settings)).toThrow(TenantBudgetError);
    expect(() => synth(settings)).toThrow(
      /concurrency \(submit 5 \+ poll 2 \+ erasure 2 \+ maintenance 2 \+ maintenance-starter 1\) × tenant.limits.requestsPerSecond 2 = 24 > tenantLimit.requestsPerSecond 20/,
    );
  });

  it('accepts more instances when each is slower', () => {
    const settings = { tenant: { baseUrl: PLACEHOLDER_TENANT_URL, limits: { requestsPerSecond: 1, maxConcurrency: 1 } }, concurrency: { submit: 8, poll: 5 } };
    expect(synth(settings).stack.tenantLoad).toEqual({ requestsPerSecond: 18, inFlight: 18 });
  }, 30_000);
});

describe('deployment settings', () => {
  const problems = (input: unknown) => {
    try {
      parseDeploymentSettings(input);
    } catch (error) {
      expect(error).toBeInstanceOf(DeploymentSettingsError);
      return (error as DeploymentSettingsError).problems;
    }
    throw new Error('expected a DeploymentSettingsError');
  };

  it('names each bad key', () => {
    const found = problems({
      tenant: { baseUrl: 'ftp://nope' },
      retention: { chunkDays: 0 },
      concurrency: { submit: 1 },
      ingest: { chunkSize: 9999 },
      mappingProfiles: [{ name: 'x', columns: { Mobile: 'nonsense' } }],
    });
    expect(found.join('\n')).toMatch(/leadflow.retention.chunkDays: must be at least 1 day/);
    expect(found.join('\n')).toMatch(/leadflow.concurrency.submit: must be at least 2/);
    const more = problems({ tenant: { baseUrl: 'ftp://nope' }, ingest: { chunkSize: 9999 }, mappingProfiles: [{ name: 'x', columns: { Mobile: 'nonsense' } }] });
    expect(more.join('\n')).toMatch(/leadflow.tenant.baseUrl/);
    expect(more.join('\n')).toMatch(/leadflow.ingest.chunkSize/);
    expect(more.join('\n')).toMatch(/leadflow.mappingProfiles\[0\]/);
  });

  it('reads context: the object, JSON text and the shortcuts; a missing tenant says how to give one', () => {
    const context: Record<string, unknown> = { leadflow: JSON.stringify({ retention: { chunkDays: 2 } }), tenantBaseUrl: 'https://acme.ipscape.com.au/platform-api/v3.0', alarmEmail: 'a@b.co' };
    const settings = readDeploymentSettings((k) => context[k]);
    expect(settings.tenant.baseUrl).toBe('https://acme.ipscape.com.au/platform-api/v3.0');
    expect(settings.retention.chunkDays).toBe(2);
    expect(settings.alarms.email).toBe('a@b.co');
    expect(() => readDeploymentSettings((k) => (k === 'stage' ? 'prod' : undefined))).toThrow(/leadflow.tenant: is missing: pass -c tenantBaseUrl=/);
    expect(readDeploymentSettings(() => undefined).tenant.baseUrl).toBe(PLACEHOLDER_TENANT_URL);
    // A tenant from the file is not overridden by anything but an explicit shortcut.
    const fromObject = readDeploymentSettings((k) => (k === 'leadflow' ? { tenant: { baseUrl: 'https://b.ipscape.com.au/platform-api/v3.0' } } : undefined));
    expect(fromObject.tenant.baseUrl).toBe('https://b.ipscape.com.au/platform-api/v3.0');
    expect(() => readDeploymentSettings((k) => (k === 'leadflow' ? '{not json' : undefined))).toThrow(/context leadflow: is not valid JSON/);
  });

  it('erasure and maintenance run settings are validated at synth and reach only their functions', () => {
    expect(() => parseDeploymentSettings({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, erasure: { nearDueDays: 99 } })).toThrow(/leadflow.erasure.nearDueDays/);
    expect(() => parseDeploymentSettings({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, maintenanceRun: { lockSeconds: 1 } })).toThrow(/leadflow.maintenanceRun.lockSeconds/);
    const { template: t, stack: s } = synth({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, erasure: { nearDueDays: 7 }, maintenanceRun: { maxLeadsPerInvocation: 1000 } }, undefined, 'runs');
    const env = (nodeId: string) => t.toJSON().Resources[s.getLogicalId(s.functions.find((f) => f.node.id === nodeId)!.fn.node.defaultChild as never)].Properties.Environment.Variables as Record<string, string>;
    for (const id of ['erasureFunction', 'ErasureApiFunction', 'erasureDueFunction']) expect(env(id).ERASURE_SETTINGS).toBe('{"nearDueDays":7}');
    for (const id of ['maintenanceFunction', 'MaintenanceStarterFunction']) expect(env(id).MAINTENANCE_SETTINGS).toBe('{"maxLeadsPerInvocation":1000}');
    expect(env('submitFunction').ERASURE_SETTINGS).toBeUndefined();
    expect(env('submitFunction').MAINTENANCE_SETTINGS).toBeUndefined();
  }, 30_000);

  it('refuses chunk retention shorter than the bulk job deadline', () => {
    expect(() => synth({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, retention: { chunkDays: 1 }, ingest: { jobDeadlineSeconds: 7200 } })).toThrow(/chunkDays 1: chunks must outlive the bulk job deadline/);
  });
});

describe('erasure and maintenance', () => {
  it('the erasure API gets a function URL with AWS_IAM auth, invokable by the privacy role only', () => {
    template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'AWS_IAM', TargetFunctionArn: { 'Fn::GetAtt': [functionId('erasure-api'), 'Arn'] } });
    template.resourceCountIs('AWS::Lambda::Url', 1);
    const privacyRoleId = stack.getLogicalId(stack.privacyRole.node.defaultChild as never);
    const invokers = ofType('AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p).includes('lambda:InvokeFunctionUrl'));
    expect(invokers).toHaveLength(1);
    expect(JSON.stringify(invokers[0]![1].Properties.Roles)).toContain(privacyRoleId);
    // Function URLs also need lambda:InvokeFunction, allowed only through the URL.
    const statements = invokers[0]![1].Properties.PolicyDocument.Statement as (Statement & { Condition?: unknown })[];
    expect(statements.find((st) => st.Action === 'lambda:InvokeFunction')?.Condition).toEqual({ Bool: { 'lambda:InvokedViaFunctionUrl': true } });
    expect(Object.keys(template.toJSON().Outputs as object)).toContain(stackOutputKeys.erasureEndpoint);
  });

  it('the erasure API never reads an upload: no S3 grant at all', () => {
    expect(functionStatements('erasure-api').filter((s) => asArray(s.Action).some((a) => a.startsWith('s3:') && a !== 's3:ListBucket'))).toEqual([]);
  });

  it('the erasure worker may delete old versions under the prefixes that can hold a person, and nowhere else', () => {
    const statements = functionStatements('erasure');
    expect(resourcesFor(statements, 's3:DeleteObjectVersion')).toEqual(['incoming', 'chunks', 'reports'].map((p) => objectsArn(uploadsId(), `${p}/*`)));
    expect(resourcesFor(statements, 's3:ListBucketVersions')).toEqual([{ 'Fn::GetAtt': [uploadsId(), 'Arn'] }]);
  });

  it('the maintenance schedule is disabled and dry-run by default, and invokes the starter (reserved concurrency 1)', () => {
    const rules = ofType('AWS::Events::Rule').filter(([, r]) => r.Properties.ScheduleExpression === 'cron(0 16 ? * SUN *)');
    expect(rules).toHaveLength(1);
    const rule = rules[0]![1].Properties;
    expect(rule.State).toBe('DISABLED');
    expect(rule.Targets[0].Input).toBe(JSON.stringify({ dryRun: true }));
    const starterId = stack.getLogicalId(stack.functions.find((f) => f.node.id === 'MaintenanceStarterFunction')!.fn.node.defaultChild as never);
    expect(rule.Targets[0].Arn).toEqual({ 'Fn::GetAtt': [starterId, 'Arn'] });
    expect(resourcesById[starterId]!.Properties.ReservedConcurrentExecutions).toBe(1);
  });

  it('a live schedule only when the settings say so', () => {
    const live = synth({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, maintenance: { enabled: true, dryRun: false } }, undefined, 'live').template;
    live.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'cron(0 16 ? * SUN *)', State: 'ENABLED', Targets: [Match.objectLike({ Input: JSON.stringify({ dryRun: false }) })] });
  }, 30_000);

  it('a maintenance policy given at deploy is validated, stored in SSM, and pointed at from the maintenance functions only', () => {
    const policy = JSON.parse(readFileSync('examples/maintenance-policy.json', 'utf8')) as unknown;
    const { template: t, stack: s } = synth({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, maintenancePolicies: policy }, undefined, 'policy');
    t.hasResourceProperties('AWS::SSM::Parameter', { Name: '/leadflow/policy/maintenance-policies', Value: JSON.stringify(policy) });
    const env = (entry: string) => (t.toJSON().Resources[s.getLogicalId(s.functions.find((f) => f.entry === entry)!.fn.node.defaultChild as never)].Properties.Environment.Variables as Record<string, unknown>);
    expect(env('maintenance').MAINTENANCE_POLICIES_PARAMETER).toBeDefined();
    expect(env('submit').MAINTENANCE_POLICIES_PARAMETER).toBeUndefined();
    expect(() => parseDeploymentSettings({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, maintenancePolicies: { version: 99 } })).toThrow(/leadflow.maintenancePolicies/);
  }, 30_000);

  it('the erasure-due check runs hourly', () => {
    template.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 hour)', State: 'ENABLED', Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('erasure-due'), 'Arn'] } })] });
  });

  it('maintenance alarms go to the topic too', () => {
    for (const metric of ['MaintenancePlanOverCap', 'MaintenanceApplyRefused']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: metric, Namespace: 'Leadflow', AlarmActions: [{ Ref: stack.getLogicalId(stack.alarmTopic.node.defaultChild as never) }] });
    }
  });

  it('a stack without them (a custom catalog) still synthesises and passes cdk-nag', () => {
    const bare: FunctionCatalog = { queueConsumers: { ingest: catalog.queueConsumers.ingest!, submit: catalog.queueConsumers.submit!, poll: catalog.queueConsumers.poll! } };
    const { stack: s } = synth({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL } }, bare, 'bare');
    expect(s.functions.map((f) => f.entry)).toEqual(['ingest', 'submit', 'poll']);
    expect(new AwsSolutionsChecks(undefined).validateScope(s).violations.map((v) => v.ruleName)).toEqual([]);
  }, 30_000);
});
