/**
 * The composition root of ingestion: builds the domain's ports from the configuration and AWS
 * clients. The deployed handlers call it with clients from the default credential chain; the local
 * runtime calls it with clients pointed at moto. Same code, same wiring.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireDedupeSecret, requireQueueUrl, type Config } from '../config/config';
import type { UploadEvents } from '../ingest/finish-upload';
import type { IngestionPorts } from '../ingest/ingestion';
import { createLeadIdentifier } from '../ingest/lead-identity';
import type { IngestContinueMessage, PollMessage, SubmitMessage } from '../ingest/messages';
import { createObjectChunkStore } from '../ingest/object-chunk-store';
import { createObservedIpscapeClient } from './observed-ipscape-client';
import type { TenantLimiter } from '../ipscape/limiter';
import { createProfileRegistry } from '../leads/mapping-profile-registry';
import type { Telemetry } from '../observability/telemetry';
import { resources } from '../resources/resources';
import { createDynamoPersonIndex } from './dynamo-person-index';
import { createDynamoSuppressionList } from './dynamo-suppression-list';
import { createDynamoUploadStore } from './dynamo-upload-store';
import { createEventBridgeUploadEvents } from './eventbridge-upload-events';
import { createS3ObjectStore } from './s3-object-store';
import { secretValue } from './secret-value';
import { createSqsWorkQueue } from './sqs-work-queue';

export interface AwsClients {
  readonly events?: EventBridgeClient;
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly secrets?: SecretsManagerClient;
}

/** Which queues the calling function sends to; the others need no URL. */
export interface PortNeeds {
  /** The ingest queue, where a long parse hands over to a fresh invocation. */
  readonly ingestQueue?: boolean;
  readonly submitQueue?: boolean;
  readonly pollQueue?: boolean;
  /**
   * The tenant's request budget. Deployed, each function instance has its own and the stack bounds
   * instances so that concurrency × rate stays within the tenant's limit; in one process (the local
   * stack) the functions share one.
   */
  readonly limiter?: TenantLimiter;
}

const NO_QUEUE = {
  send: async () => {
    throw new Error('this function does not send to that queue');
  },
  sendAll: async () => {
    throw new Error('this function does not send to that queue');
  },
};


/**
 * Builds the ingestion ports for one function.
 *
 * @throws ConfigError when a variable the function needs (a queue URL, the dedupe secret) is missing.
 */
export async function createIngestionPorts(
  config: Config,
  clients: AwsClients,
  telemetry: Telemetry,
  needs: PortNeeds,
): Promise<IngestionPorts> {
  const events: UploadEvents | undefined = config.eventBusName
    ? createEventBridgeUploadEvents(clients.events ?? new EventBridgeClient({ region: config.region }), config.eventBusName)
    : undefined;
  const ingestUrl = needs.ingestQueue ? requireQueueUrl(config, 'ingest') : undefined;
  const submitUrl = needs.submitQueue ? requireQueueUrl(config, 'submit') : undefined;
  const pollUrl = needs.pollQueue ? requireQueueUrl(config, 'poll') : undefined;
  const [apiKey, secret] = await Promise.all([
    secretValue(config.apiKey, clients.secrets),
    secretValue(requireDedupeSecret(config), clients.secrets),
  ]);
  const doc = DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const objects = createS3ObjectStore(clients.s3, config.bucketName);
  const ipscape = createObservedIpscapeClient(config, apiKey, telemetry, needs.limiter);
  return {
    store: createDynamoUploadStore({ client: doc, tableName: config.stateTableName }),
    objects,
    chunks: createObjectChunkStore(objects, resources.bucket.prefixes.chunks),
    submitQueue: submitUrl ? createSqsWorkQueue<SubmitMessage>(clients.sqs, submitUrl) : NO_QUEUE,
    ...(ingestUrl && { ingestQueue: createSqsWorkQueue<IngestContinueMessage>(clients.sqs, ingestUrl) }),
    pollQueue: pollUrl ? createSqsWorkQueue<PollMessage>(clients.sqs, pollUrl) : NO_QUEUE,
    ipscape,
    tenant: config.tenant,
    suppression: createDynamoSuppressionList(doc, config.stateTableName),
    personIndex: createDynamoPersonIndex(doc, config.stateTableName),
    identity: createLeadIdentifier(secret),
    profiles: createProfileRegistry(config.mappingProfiles),
    settings: config.ingest,
    secret,
    prefixes: {
      incoming: resources.bucket.prefixes.incoming,
      reports: resources.bucket.prefixes.reports,
      chunks: resources.bucket.prefixes.chunks,
    },
    telemetry,
    ...(events && { events }),
  };
}
