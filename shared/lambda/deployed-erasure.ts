/** The erasure runtime of a deployed function: configuration from the environment, default AWS clients. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createErasurePorts } from '../aws/erasure-ports';
import { loadConfig } from '../config/config';
import { createErasure, type Erasure } from '../erasure/erasure';
import { parseErasureSettings } from '../erasure/settings';
import type { Telemetry } from '../observability/telemetry';

/** Builds erasure from `process.env` and the Lambda's credentials. */
export async function deployedErasure(telemetry: Telemetry): Promise<Erasure> {
  const config = loadConfig();
  const clients = {
    s3: new S3Client({ region: config.region }),
    sqs: new SQSClient({ region: config.region }),
    dynamodb: new DynamoDBClient({ region: config.region }),
    secrets: new SecretsManagerClient({ region: config.region }),
  };
  const settings = parseErasureSettings(process.env.ERASURE_SETTINGS);
  return createErasure(await createErasurePorts(config, clients, telemetry, { settings }));
}
