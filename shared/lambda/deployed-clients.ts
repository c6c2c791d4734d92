/**
 * What every deployed function starts from: its configuration (documents it points at in SSM fetched
 * and validated at cold start) and the AWS clients of its region, with the Lambda's credentials.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AwsClients } from '../aws/ingestion-ports';
import type { Config } from '../config/config';
import { loadDeployedConfig } from './deployed-config';

/**
 * Loads the configuration and builds the clients.
 *
 * @example const { config, clients } = await deployedClients();
 */
export async function deployedClients(): Promise<{ config: Config; clients: AwsClients & { secrets: SecretsManagerClient } }> {
  const config = await loadDeployedConfig();
  const region = { region: config.region };
  const clients = { s3: new S3Client(region), sqs: new SQSClient(region), dynamodb: new DynamoDBClient(region), secrets: new SecretsManagerClient(region) };
  return { config, clients };
}
