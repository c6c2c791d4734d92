/**
 * The leadflow CDK stack: everything the product needs in a customer's account, from one
 * `cdk deploy`. Built from the resource description (`shared/resources/resources.ts`), the deployment
 * settings (CDK context, `deployment-settings.ts`) and the function catalog (`function-catalog.ts`).
 *
 * Security by default: every bucket private, encrypted, TLS-only and logged; every queue SSE-SQS with
 * a DLQ; secrets in Secrets Manager, never in the template; each function with its own role holding
 * only its catalog entry's grants; cdk-nag's AwsSolutions pack with reasoned suppressions only.
 */
import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { DocumentVariable } from '../shared/config/config-documents';
import { functionEnvironment } from '../shared/config/environment';
import { UPLOAD_FINISHED_EVENT } from '../shared/aws/eventbridge-upload-events';
import { physicalNames, queueNames, resources, type QueueName } from '../shared/resources/resources';
import { ConfigParameters } from './config-parameters';
import { parseDeploymentSettings, PLACEHOLDER_TENANT_URL, type DeploymentSettings } from './deployment-settings';
import { ErasureEntry } from './erasure-entry';
import * as catalog from './function-catalog';
import type { FunctionNeeds, ScheduledFunction } from './function-catalog';
import { LeadflowFunction } from './leadflow-function';
import { MaintenanceAlarms } from './maintenance';
import { acknowledge, acknowledgeWildcardResources } from './nag';
import { Monitoring } from './monitoring';
import { QueueConsumer } from './queue-consumer';
import { QueueWithDlq } from './queue-with-dlq';
import { ScheduledJob } from './scheduled-job';
import { stackOutputKeys } from './stack-outputs';
import { assertTenantBudget, type TenantLoad } from './tenant-budget';

/** The functions of the stack; defaults to `function-catalog.ts` (tests pass others to exercise the constructs). */
export interface FunctionCatalog {
  readonly queueConsumers: Partial<Record<QueueName, FunctionNeeds>>;
  readonly erasureIntake?: FunctionNeeds | undefined;
  readonly monitors?: readonly ScheduledFunction[];
  readonly maintenanceStarter?: (FunctionNeeds & { readonly timeoutSeconds: number }) | undefined;
}

export interface LeadflowStackProps extends StackProps {
  /** Stage for physical names (`prod`, `staging`...). */
  readonly stage: string;
  /** Validated deployment settings; `app.ts` reads them from context. Defaults suit a test tenant. */
  readonly settings?: DeploymentSettings;
  readonly catalog?: FunctionCatalog;
}

export { PLACEHOLDER_TENANT_URL };

const DAY = 86_400;

export class LeadflowStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly privacyBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;
  readonly queues: Record<QueueName, QueueWithDlq>;
  readonly stateTable: dynamodb.TableV2;
  readonly consumers: QueueConsumer[] = [];
  readonly functions: LeadflowFunction[] = [];
  readonly alarmTopic: sns.Topic;
  readonly uploadsTopic: sns.Topic;
  readonly operatorRole: iam.Role;
  readonly privacyRole: iam.Role;
  readonly tenantLoad: TenantLoad;
  readonly erasureEntry?: ErasureEntry;

  constructor(scope: Construct, id: string, props: LeadflowStackProps) {
    super(scope, id, props);
    // Access logs are delivered under a bucket policy, not the legacy log-delivery ACL (ACLs are off).
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const settings = props.settings ?? parseDeploymentSettings({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL } });
    const functionCatalog = props.catalog ?? catalog;
    const names = physicalNames(props.stage);
    if (new URL(settings.tenant.baseUrl).hostname.endsWith('.invalid')) {
      Annotations.of(this).addWarningV2('leadflow:placeholder-tenant', `tenant base URL ${settings.tenant.baseUrl} is a placeholder: deploy with -c tenantBaseUrl=...`);
    }
    // The synth fails here, before any bundling, when the functions together could exceed the tenant's limit.
    this.tenantLoad = assertTenantBudget(
      [
        ...(Object.entries(functionCatalog.queueConsumers) as [QueueName, FunctionNeeds][])
          .filter(([, needs]) => needs.callsIpscape)
          .map(([queue]) => ({ name: queue, maxConcurrency: settings.concurrency[queue] })),
        // The scheduled starter runs alone: its reserved concurrency is 1.
        ...(functionCatalog.maintenanceStarter?.callsIpscape ? [{ name: 'maintenance-starter', maxConcurrency: 1 }] : []),
      ],
      settings.tenant.limits,
      settings.tenantLimit,
    );
    const retention = settings.retention;
    const jobDeadline = (settings.ingest.jobDeadlineSeconds as number | undefined) ?? 3600;
    if (retention.chunkDays * DAY < jobDeadline + DAY) {
      throw new Error(`leadflow.retention.chunkDays ${retention.chunkDays}: chunks must outlive the bulk job deadline (${jobDeadline} s) by a day, or reconcile could not read them`);
    }

    // ---------- storage
    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      // Log delivery supports SSE-S3 only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(retention.accessLogDays) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // cdk-nag's S1 does not ask a log destination to log itself.
    const bucketDefaults = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.accessLogsBucket,
      removalPolicy: RemovalPolicy.RETAIN,
    } satisfies s3.BucketProps;
    const prefixes = resources.bucket.prefixes;
    const everyVersion: s3.LifecycleRule = {
      id: 'old-versions-and-partial-uploads',
      noncurrentVersionExpiration: Duration.days(retention.noncurrentVersionDays),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      expiredObjectDeleteMarker: true,
    };
    this.bucket = new s3.Bucket(this, 'Uploads', {
      ...bucketDefaults,
      bucketName: names.bucket,
      serverAccessLogsPrefix: 'uploads/',
      lifecycleRules: [
        { id: 'raw-uploads', prefix: prefixes.incoming, expiration: Duration.days(retention.rawUploadDays) },
        // Chunks (and parse checkpoints) hold the leads' personal data; they are only needed until their
        // bulk job has ended, and a deleted one's old version is of no use at all: gone after a day
        // (overlapping rules: S3 honours the shorter expiration).
        { id: 'chunks', prefix: prefixes.chunks, expiration: Duration.days(retention.chunkDays), noncurrentVersionExpiration: Duration.days(1) },
        { id: 'reports', prefix: prefixes.reports, expiration: Duration.days(retention.reportDays) },
        { id: 'maintenance-reports', prefix: prefixes.maintenance, expiration: Duration.days(retention.reportDays) },
        everyVersion,
      ],
    });
    this.privacyBucket = new s3.Bucket(this, 'Privacy', {
      ...bucketDefaults,
      bucketName: names.privacyBucket,
      serverAccessLogsPrefix: 'privacy/',
      lifecycleRules: [
        // Requests name the people to erase: kept only as long as processing them takes.
        { id: 'erasure-requests', prefix: resources.privacyBucket.prefixes.requests, expiration: Duration.days(retention.privacyRequestDays) },
        // Request-file reports hold line numbers, outcomes and request ids, never an identifier.
        { id: 'erasure-request-reports', prefix: resources.privacyBucket.prefixes.reports, expiration: Duration.days(retention.reportDays) },
        everyVersion,
      ],
    });

    this.queues = Object.fromEntries(
      queueNames.map((name) => [name, new QueueWithDlq(this, `${name}Queue`, { name, names: names.queues[name] })]),
    ) as Record<QueueName, QueueWithDlq>;
    for (const q of Object.values(this.queues)) {
      acknowledge(q.dlq, 'AwsSolutions-SQS3', 'This queue is a dead-letter queue: it has none of its own.');
    }

    const table = resources.tables.state;
    this.stateTable = new dynamodb.TableV2(this, 'State', {
      tableName: names.tables.state,
      partitionKey: { name: table.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: table.sortKey, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.awsManagedKey(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: table.ttlAttribute,
      globalSecondaryIndexes: table.globalIndexes.map((index) => ({
        indexName: index.name,
        partitionKey: { name: index.partitionKey, type: dynamodb.AttributeType.STRING },
        sortKey: { name: index.sortKey, type: dynamodb.AttributeType.STRING },
      })),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    for (const n of resources.notifications) {
      this[n.bucket].addEventNotification(
        s3.EventType.OBJECT_CREATED,
        new s3n.SqsDestination(this.queues[n.queue as QueueName].queue),
        { prefix: n.prefix, suffix: n.suffix },
      );
    }
    // CDK's own singleton that applies the bucket notification at deploy time (a custom resource).
    const notificationsHandler = this.node.children.find((c) => c.node.id.startsWith('BucketNotificationsHandler'));
    if (notificationsHandler) {
      acknowledge(
        notificationsHandler,
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        "CDK's bucket-notifications custom resource (runs once per deploy, handles no data); its role is built by CDK, not by us.",
      );
    }

    // ---------- secrets and configuration documents
    const apiKey = new secretsmanager.Secret(this, 'IpscapeApiKey', {
      secretName: `leadflow/${props.stage}/ipscape-api-key`,
      description: 'ipSCAPE API key. Generated as a placeholder; set the real key with aws secretsmanager put-secret-value (README: Deploy).',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const dedupeSecret = new secretsmanager.Secret(this, 'DedupeSecret', {
      secretName: `leadflow/${props.stage}/dedupe-secret`,
      description: 'Keyed-hash secret of dedupe and suppression. Generated; never change it (every stored hash depends on it).',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      // Losing it would orphan the suppression list: erased people could come back with the next CSV.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(apiKey, 'AwsSolutions-SMG4', 'ipSCAPE issues the API key; it is rotated in ipSCAPE and then set here, there is no rotation API to call.');
    acknowledge(dedupeSecret, 'AwsSolutions-SMG4', 'Rotating the keyed-hash secret would orphan every stored hash, including the suppression list that keeps erased people out.');
    const secrets = { apiKey, dedupe: dedupeSecret };
    const documents = new ConfigParameters(this, 'ConfigDocuments', {
      path: `/leadflow/${props.stage}`,
      documents: {
        IPSCAPE_TENANT_CONFIG: settings.tenantDocument,
        MAPPING_PROFILES: settings.mappingProfiles,
        ...(settings.maintenancePolicies !== undefined && { MAINTENANCE_POLICIES: settings.maintenancePolicies }),
      } satisfies Partial<Record<DocumentVariable, unknown>>,
    });

    // ---------- notifications
    const topicKey = new kms.Key(this, 'TopicKey', {
      enableKeyRotation: true,
      description: 'leadflow SNS topics: CloudWatch alarms and EventBridge may encrypt to it',
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // The AWS-managed SNS key cannot be granted to these services; without this, alarms and rules could not publish.
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'], // in a key policy, "*" is this key
        // Only on behalf of this account's alarms (no confused deputy).
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
    );
    topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // No aws:SourceAccount/SourceArn here: EventBridge's KMS requests do not carry them (AWS SNS docs,
        // "compatibility with AWS services"), so such a condition would drop every upload-finished notification.
      }),
    );
    this.alarmTopic = new sns.Topic(this, 'Alarms', { topicName: `leadflow-${props.stage}-alarms`, masterKey: topicKey, enforceSSL: true });
    this.uploadsTopic = new sns.Topic(this, 'UploadsFinished', { topicName: `leadflow-${props.stage}-uploads-finished`, masterKey: topicKey, enforceSSL: true });
    if (settings.alarms.email) this.alarmTopic.addSubscription(new subscriptions.EmailSubscription(settings.alarms.email));
    const bus = new events.EventBus(this, 'Events', { eventBusName: `leadflow-${props.stage}` });
    new events.Rule(this, 'UploadFinishedToTopic', {
      eventBus: bus,
      description: 'Upload-finished events (a summary: counts and keys, never a row) to the uploads topic',
      eventPattern: { source: [UPLOAD_FINISHED_EVENT.source], detailType: [UPLOAD_FINISHED_EVENT.detailType] },
      targets: [new targets.SnsTopic(this.uploadsTopic)],
    });

    // ---------- functions
    const build = (id: string, needs: FunctionNeeds, timeoutSeconds: number, memoryMb: number, reservedConcurrency?: number): LeadflowFunction => {
      const fn = new LeadflowFunction(this, id, {
        ...(reservedConcurrency !== undefined && { reservedConcurrency }),
        entry: needs.entry,
        description: needs.description,
        timeout: Duration.seconds(timeoutSeconds),
        memoryMb,
        logRetention: settings.retention.logDays as logs.RetentionDays,
        environment: functionEnvironment({
          stage: props.stage,
          bucketName: this.bucket.bucketName,
          stateTableName: this.stateTable.tableName,
          apiKeySecretId: apiKey.secretArn,
          ...(needs.secrets.includes('dedupe') && { dedupeSecretId: dedupeSecret.secretArn }),
          queueUrls: Object.fromEntries([...needs.sendsTo, ...(needs.knowsQueues ?? [])].map((q) => [q, this.queues[q].queue.queueUrl])),
          documents: Object.fromEntries(needs.documents.flatMap((d) => (documents.parameters[d] ? [[d, documents.parameters[d].parameterName]] : []))),
          ingest: settings.ingest,
          ...(needs.entry.startsWith('erasure') && { erasure: settings.erasure }),
          ...(needs.entry === 'maintenance' && { maintenance: settings.maintenanceRun }),
          ...(needs.publishesEvents && { eventBusName: bus.eventBusName }),
          logLevel: settings.logLevel,
        }),
      });
      this.grantNeeds(fn, needs, { secrets, documents, bus });
      this.functions.push(fn);
      return fn;
    };
    for (const [queue, needs] of Object.entries(functionCatalog.queueConsumers) as [QueueName, FunctionNeeds][]) {
      const spec = resources.queues[queue];
      const fn = build(`${needs.entry}Function`, needs, spec.consumer.timeoutSeconds, spec.consumer.memoryMb);
      this.consumers.push(
        new QueueConsumer(this, `${queue}Consumer`, {
          queue: this.queues[queue],
          function: fn,
          batchSize: spec.batchSize,
          maxConcurrency: settings.concurrency[queue],
        }),
      );
    }
    const submitTimeout = resources.queues.submit.consumer.timeoutSeconds;
    const grace = (settings.ingest.sendingGraceSeconds as number | undefined) ?? 60;
    if (grace < submitTimeout) {
      throw new Error(`leadflow.ingest.sendingGraceSeconds ${grace}: must be at least the submit function's timeout (${submitTimeout} s), or a chunk still being sent could be put in doubt`);
    }

    // ---------- who may do what, by hand
    this.operatorRole = new iam.Role(this, 'OperatorRole', {
      roleName: `leadflow-${props.stage}-operator`,
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Contact-centre operators: drop CSVs under incoming/, read reports, follow uploads, redrive DLQs. No access to the privacy bucket.',
    });
    this.privacyRole = new iam.Role(this, 'PrivacyRole', {
      roleName: `leadflow-${props.stage}-privacy`,
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Privacy officers: send erasure requests, read receipts. No access to uploads.',
    });
    this.grantOperator(this.operatorRole);
    const requests = this.privacyBucket.arnForObjects(`${resources.privacyBucket.prefixes.requests}*`);
    const requestReports = this.privacyBucket.arnForObjects(`${resources.privacyBucket.prefixes.reports}*`);
    this.privacyRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:GetObject'], resources: [requests] }));
    this.privacyRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [requestReports] }));
    acknowledgeWildcardResources(this.privacyRole, [requests, requestReports], 'Request files under requests/ and their reports under reports/ only; their keys are chosen per file, so the prefix is the narrowest resource.');
    // The privacy bucket names people to erase: operators are denied it outright, whatever else they are granted.
    this.privacyBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.ArnPrincipal(this.operatorRole.roleArn)],
        actions: ['s3:*'],
        resources: [this.privacyBucket.bucketArn, this.privacyBucket.arnForObjects('*')],
      }),
    );

    // ---------- erasure entry, scheduled checks and the maintenance schedule (functions from the catalog)
    if (functionCatalog.erasureIntake) {
      const intake = build('ErasureApiFunction', functionCatalog.erasureIntake, 30, 256);
      this.erasureEntry = new ErasureEntry(this, 'ErasureEntry', { function: intake, callers: [this.privacyRole] });
      new CfnOutput(this, stackOutputKeys.erasureEndpoint, { value: this.erasureEntry.url.url, description: 'Erasure API: SigV4-signed requests as the privacy role' });
    }
    for (const monitor of functionCatalog.monitors ?? []) {
      const fn = build(`${monitor.entry.replace(/-(.)/g, (_, c: string) => c.toUpperCase())}Function`, monitor, monitor.timeoutSeconds, 256);
      new ScheduledJob(this, `${monitor.entry}Schedule`, { function: fn, schedule: monitor.schedule, enabled: true });
    }
    if (functionCatalog.maintenanceStarter) {
      const needs = functionCatalog.maintenanceStarter;
      const starter = build('MaintenanceStarterFunction', needs, needs.timeoutSeconds, 256, 1);
      new ScheduledJob(this, 'MaintenanceSchedule', {
        function: starter,
        schedule: settings.maintenance.schedule,
        enabled: settings.maintenance.enabled,
        input: { dryRun: settings.maintenance.dryRun },
      });
    }


    // ---------- monitoring
    if (functionCatalog.maintenanceStarter || functionCatalog.queueConsumers.maintenance) new MaintenanceAlarms(this, 'MaintenanceAlarms', { topic: this.alarmTopic });
    const monitoring = new Monitoring(this, 'Monitoring', {
      topic: this.alarmTopic,
      queues: this.queues,
      functions: this.functions,
      oldestMessageAgeSeconds: settings.alarms.oldestMessageAgeSeconds,
      dashboardName: `leadflow-${props.stage}`,
    });

    // ---------- outputs (leadflow --stack reads these)
    const out = (key: string, value: string, description: string) => new CfnOutput(this, key, { value, description });
    const k = stackOutputKeys;
    out(k.region, this.region, 'Region of the stack');
    out(k.uploadsBucket, this.bucket.bucketName, 'Drop CSVs under incoming/<listId>/; reports under reports/<uploadId>/');
    out(k.privacyBucket, this.privacyBucket.bucketName, 'Erasure request files (privacy role only)');
    out(k.stateTable, this.stateTable.tableName, 'Upload, chunk and erasure state');
    out(k.eventBus, bus.eventBusName, 'Upload-finished events');
    out(k.alarmTopic, this.alarmTopic.topicArn, 'Subscribe to receive alarms');
    out(k.uploadsTopic, this.uploadsTopic.topicArn, 'Subscribe to receive upload-finished summaries');
    out(k.dashboard, `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${monitoring.dashboard.dashboardName}`, 'CloudWatch dashboard');
    out(k.operatorRole, this.operatorRole.roleArn, 'Role for operators (uploads, reports, status, redrive)');
    out(k.privacyRole, this.privacyRole.roleArn, 'Role for privacy officers (erasure requests)');
    out(k.apiKeySecret, apiKey.secretArn, 'Set the ipSCAPE API key here');
    for (const q of queueNames) {
      out(k.queueUrl(q), this.queues[q].queue.queueUrl, `${q} queue`);
      out(k.dlqUrl(q), this.queues[q].dlq.queueUrl, `${q} dead-letter queue`);
    }
  }

  /** Grants one function exactly its catalog entry, and justifies the wildcards that remain. */
  private grantNeeds(
    fn: LeadflowFunction,
    needs: FunctionNeeds,
    deps: { secrets: Record<'apiKey' | 'dedupe', secretsmanager.ISecret>; documents: ConfigParameters; bus: events.IEventBus },
  ): void {
    const role = fn.role;
    const prefixes = resources.bucket.prefixes;
    const objects = (list: readonly (keyof typeof prefixes)[]) => list.map((p) => this.bucket.arnForObjects(`${prefixes[p]}*`));
    if (needs.reads.length) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: objects(needs.reads) }));
    if (needs.writes.length) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: objects(needs.writes) }));
    if (needs.deletes.length) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: objects(needs.deletes) }));
    if (needs.deletesVersions?.length) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObjectVersion'], resources: objects(needs.deletesVersions) }));
    }
    if (needs.listsVersions) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucketVersions'], resources: [this.bucket.bucketArn] }));
    // Without ListBucket, HEAD of a missing object answers 403 instead of 404, and "not there yet" looks like an error.
    // Only for functions that touch the uploads bucket at all.
    if (needs.reads.length || needs.writes.length || needs.deletes.length || needs.listsVersions) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    }
    const privacyObjects = (list: readonly (keyof typeof resources.privacyBucket.prefixes)[]) =>
      list.map((p) => this.privacyBucket.arnForObjects(`${resources.privacyBucket.prefixes[p]}*`));
    if (needs.privacyReads?.length) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: privacyObjects(needs.privacyReads) }));
    }
    if (needs.privacyWrites?.length) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: privacyObjects(needs.privacyWrites) }));
    }
    if (needs.sendsTo.length) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: needs.sendsTo.map((q) => this.queues[q].queue.queueArn) }));
    }
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        // The item-level actions the adapters use (TransactWrite needs the actions of its parts); no Scan, no table admin.
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:ConditionCheckItem',
        ],
        resources: [this.stateTable.tableArn, `${this.stateTable.tableArn}/index/*`],
      }),
    );
    for (const s of needs.secrets) {
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [deps.secrets[s].secretArn] }));
    }
    const params = needs.documents.flatMap((d) => (deps.documents.parameters[d] ? [deps.documents.parameters[d].parameterArn] : []));
    if (params.length) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ssm:GetParameters'], resources: params }));
    if (needs.publishesEvents) role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [deps.bus.eventBusArn] }));

    acknowledgeWildcardResources(
      role,
      [...objects([...needs.reads, ...needs.writes, ...needs.deletes, ...(needs.deletesVersions ?? [])]), ...privacyObjects([...(needs.privacyReads ?? []), ...(needs.privacyWrites ?? [])])],
      'Objects under the prefixes this function owns (incoming/, chunks/, reports/...): keys are chosen at run time, so the prefix is the narrowest resource.',
    );
    acknowledgeWildcardResources(role, [`${this.stateTable.tableArn}/index/*`], "The state table's indexes: queries go to its byStatus index.");
    acknowledge(fn.fn, 'AwsSolutions-L1', 'nodejs22.x is the runtime the product targets and tests (issue 4); it moves with the project, not with cdk-nag.');
  }

  /** The operators' grants: uploads in, reports out, state read, DLQ redrive; nothing of the privacy bucket. */
  private grantOperator(role: iam.Role): void {
    const p = resources.bucket.prefixes;
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [this.bucket.arnForObjects(`${p.incoming}*`)] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects(`${p.reports}*`), this.bucket.arnForObjects(`${p.maintenance}*`)] }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['dynamodb:GetItem', 'dynamodb:Query'], resources: [this.stateTable.tableArn, `${this.stateTable.tableArn}/index/*`] }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        resources: Object.values(this.queues).map((q) => q.dlq.queueArn),
      }),
    );
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes'], resources: Object.values(this.queues).map((q) => q.queue.queueArn) }),
    );
    role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [this.stackId] }));
    acknowledgeWildcardResources(
      role,
      [this.bucket.arnForObjects(`${p.incoming}*`), this.bucket.arnForObjects(`${p.reports}*`), this.bucket.arnForObjects(`${p.maintenance}*`), `${this.stateTable.tableArn}/index/*`],
      'Operators put files under incoming/ and read reports/ and maintenance/ by key, so the prefix is the narrowest resource; status queries use the state table index.',
    );
  }
}
