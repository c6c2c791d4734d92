/** The erasure runtime of a deployed function: configuration from the environment (documents by SSM pointer), default AWS clients. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { createErasurePorts } from '../aws/erasure-ports';
import { createRequestFilePorts } from '../aws/request-file-ports';
import { createErasure, type Erasure } from '../erasure/erasure';
import type { RequestFileDeps } from '../erasure/request-file-intake';
import type { Telemetry } from '../observability/telemetry';
import { loadDeployedConfig } from './deployed-config';

async function deployedClients() {
  // The tenant document arrives by SSM pointer when deployed: resolved here, validated like the rest.
  const config = await loadDeployedConfig();
  const clients = {
    s3: new S3Client({ region: config.region }),
    sqs: new SQSClient({ region: config.region }),
    dynamodb: new DynamoDBClient({ region: config.region }),
    secrets: new SecretsManagerClient({ region: config.region }),
  };
  return { config, clients };
}

/** Builds erasure from `process.env` and the Lambda's credentials. */
export async function deployedErasure(telemetry: Telemetry): Promise<Erasure> {
  const { config, clients } = await deployedClients();
  return createErasure(await createErasurePorts(config, clients, telemetry, { settings: config.erasure }));
}

/** Builds the request-file intake from `process.env` and the Lambda's credentials. */
export async function deployedRequestFiles(telemetry: Telemetry): Promise<RequestFileDeps> {
  const { config, clients } = await deployedClients();
  return createRequestFilePorts(config, clients, telemetry);
}
