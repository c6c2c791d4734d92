/**
 * The composition root of the request-file intake: the erasure ports (intake: store, queue, keyed
 * hashes, sealer, settings), the state-table ledger, and S3 object stores for the bucket a notification
 * names (the privacy bucket; IAM lets the function read `requests/` and write `reports/` there only).
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../config/config';
import type { RequestFileDeps } from '../erasure/request-file-intake';
import type { Telemetry } from '../observability/telemetry';
import { createDynamoRequestFileLedger } from './dynamo-request-file-ledger';
import { createErasurePorts } from './erasure-ports';
import type { AwsClients } from './ingestion-ports';
import { createS3ObjectStore } from './s3-object-store';

/**
 * Builds the request-file intake's dependencies.
 *
 * @throws ConfigError when the erasure queue URL or the dedupe secret is missing.
 */
export async function createRequestFilePorts(config: Config, clients: AwsClients, telemetry: Telemetry): Promise<RequestFileDeps> {
  const ports = await createErasurePorts(config, clients, telemetry, { settings: config.erasure });
  const doc = DynamoDBDocumentClient.from(clients.dynamodb, { marshallOptions: { removeUndefinedValues: true } });
  return {
    store: ports.store,
    queue: ports.queue,
    identity: ports.identity,
    sealer: ports.sealer,
    settings: ports.settings,
    telemetry,
    ledger: createDynamoRequestFileLedger(doc, config.stateTableName),
    objects: (bucket) => createS3ObjectStore(clients.s3, bucket),
  };
}
