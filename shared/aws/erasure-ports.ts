/**
 * The composition root of erasure: its ports from the configuration and AWS clients. The deployed
 * handlers call it with default clients; the local runtime with clients pointed at moto.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireDedupeSecret, requireQueueUrl, type Config } from '../config/config';
import type { ErasurePorts } from '../erasure/erasure';
import type { ErasureMessage } from '../erasure/messages';
import { createPersonIndexKeys } from '../erasure/person-index';
import { createIdentifierSealer } from '../erasure/sealed-identifiers';
import type { ErasureSettings } from '../erasure/settings';
import { createSuppressionKeys, type SuppressionWriter } from '../erasure/suppression-writer';
import { createLeadIdentifier } from '../ingest/lead-identity';
import type { TenantLimiter } from '../ipscape/limiter';
import type { Telemetry } from '../observability/telemetry';
import { resources } from '../resources/resources';
import { createDynamoErasureStore, recordSuppressionLift } from './dynamo-erasure-store';
import { createDynamoPersonIndex } from './dynamo-person-index';
import { addSuppression, removeSuppression } from './dynamo-suppression-list';
import { createDynamoUploadStore } from './dynamo-upload-store';
import type { AwsClients } from './ingestion-ports';
import { createObservedIpscapeClient } from './observed-ipscape-client';
import { createS3VersionedObjects } from './s3-versioned-objects';
import { secretValue } from './secret-value';
import { createSqsWorkQueue } from './sqs-work-queue';

export interface ErasureNeeds {
  readonly settings: ErasureSettings;
  /** The tenant's request budget (shared in one process, as with ingestion). */
  readonly limiter?: TenantLimiter;
}

/**
 * Builds the erasure ports (worker, API, due-date metrics share them).
 *
 * @throws ConfigError when the erasure queue URL or the dedupe secret is missing.
 */
export async function createErasurePorts(config: Config, clients: AwsClients, telemetry: Telemetry, needs: ErasureNeeds): Promise<ErasurePorts> {
  const queueUrl = requireQueueUrl(config, 'erasure');
  const [apiKey, secret] = await Promise.all([secretValue(config.apiKey, clients.secrets), secretValue(requireDedupeSecret(config), clients.secrets)]);
  const doc = DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  const table = config.stateTableName;
  const identity = createLeadIdentifier(secret);
  const suppression: SuppressionWriter = {
    add: (entry) => addSuppression(doc, table, entry),
    remove: (hash) => removeSuppression(doc, table, hash),
    recordLift: (entry) => recordSuppressionLift(doc, table, entry),
  };
  const ipscape = createObservedIpscapeClient(config, apiKey, telemetry, needs.limiter);
  const uploads = createDynamoUploadStore({ client: doc, tableName: table });
  return {
    store: createDynamoErasureStore(doc, table),
    queue: createSqsWorkQueue<ErasureMessage>(clients.sqs, queueUrl),
    ipscape,
    identity,
    sealer: createIdentifierSealer(secret),
    suppression,
    suppressionKeys: createSuppressionKeys(secret, identity),
    index: createDynamoPersonIndex(doc, table),
    indexKeys: createPersonIndexKeys(secret),
    uploads,
    // The uploads being parsed, from the byStatus index through the upload store.
    inProgress: { parsing: async () => (await uploads.listUploads(['received', 'parsing'])).map(({ uploadId, receivedAt }) => ({ uploadId, receivedAt })) },
    objects: createS3VersionedObjects(clients.s3),
    bucket: config.bucketName,
    reportsPrefix: resources.bucket.prefixes.reports,
    chunksPrefix: resources.bucket.prefixes.chunks,
    settings: needs.settings,
    telemetry,
  };
}
