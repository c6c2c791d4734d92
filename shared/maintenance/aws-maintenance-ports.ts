/**
 * The composition root of maintenance: its ports from the configuration and AWS clients. Deployed,
 * the function calls it with default clients; the local stack and the CLI with clients pointed at moto.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createObservedIpscapeClient } from '../aws/observed-ipscape-client';
import { createDynamoSuppressionList } from '../aws/dynamo-suppression-list';
import { createS3ObjectStore } from '../aws/s3-object-store';
import { secretValue } from '../aws/secret-value';
import { createSqsWorkQueue } from '../aws/sqs-work-queue';
import { requireDedupeSecret, requireQueueUrl, type Config } from '../config/config';
import { createLeadIdentifier } from '../ingest/lead-identity';
import type { TenantLimiter } from '../ipscape/limiter';
import type { Telemetry } from '../observability/telemetry';
import { resources } from '../resources/resources';
import { createDynamoMaintenanceStore } from './dynamo-maintenance-store';
import type { MaintenancePorts } from './maintenance-ports';
import type { MaintenanceMessage } from './messages';

export interface MaintenanceClients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly secrets?: SecretsManagerClient;
}

/**
 * Builds maintenance's ports.
 *
 * @throws ConfigError when the maintenance queue URL or the dedupe secret is not configured.
 */
export async function createMaintenancePorts(
  config: Config,
  clients: MaintenanceClients,
  telemetry: Telemetry,
  options: { readonly limiter?: TenantLimiter; readonly now?: () => number } = {},
): Promise<MaintenancePorts> {
  const queueUrl = requireQueueUrl(config, 'maintenance');
  const [apiKey, secret] = await Promise.all([secretValue(config.apiKey, clients.secrets), secretValue(requireDedupeSecret(config), clients.secrets)]);
  const doc = DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const identity = createLeadIdentifier(secret);
  const ipscape = createObservedIpscapeClient(config, apiKey, telemetry, options.limiter);
  const now = options.now ?? Date.now;
  return {
    ipscape,
    store: createDynamoMaintenanceStore({ client: doc, tableName: config.stateTableName, ttlDays: config.maintenance.ttlDays, now }),
    objects: createS3ObjectStore(clients.s3, config.bucketName),
    prefix: resources.bucket.prefixes.maintenance,
    queue: createSqsWorkQueue<MaintenanceMessage>(clients.sqs, queueUrl),
    suppression: createDynamoSuppressionList(doc, config.stateTableName),
    identifier: (phone) => identity.identifier(phone),
    settings: config.maintenance,
    telemetry,
    now,
  };
}
