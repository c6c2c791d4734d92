/**
 * The ingestion runtime of a deployed function: configuration from the environment (documents it
 * points at in SSM fetched at cold start), default AWS clients.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createIngestionPorts, type PortNeeds } from '../aws/ingestion-ports';
import { createIngestion, type Ingestion } from '../ingest/ingestion';
import type { Telemetry } from '../observability/telemetry';
import { loadDeployedConfig } from './deployed-config';

/** Builds ingestion from `process.env` and the Lambda's credentials. */
export async function deployedIngestion(telemetry: Telemetry, needs: PortNeeds): Promise<Ingestion> {
  const config = await loadDeployedConfig();
  const clients = {
    s3: new S3Client({ region: config.region }),
    sqs: new SQSClient({ region: config.region }),
    dynamodb: new DynamoDBClient({ region: config.region }),
    secrets: new SecretsManagerClient({ region: config.region }),
  };
  return createIngestion(await createIngestionPorts(config, clients, telemetry, needs));
}
