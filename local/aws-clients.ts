/**
 * SDK clients and environment pointing at a local moto endpoint.
 *
 * Always the IP endpoint (`127.0.0.1`), never `localhost`: with `localhost` the S3 client would try
 * virtual-hosted `bucket.localhost` addressing. Credentials are fake; moto accepts anything.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { oneRequestAtATime } from './dynamodb-one-request-at-a-time';
import { applyEnv } from './process-env';

/** Region used locally unless `AWS_REGION` says otherwise (the tenants are in Australia). */
export const LOCAL_REGION = 'ap-southeast-2';

/** moto's default account id, which appears in its ARNs and queue URLs. */
export const LOCAL_ACCOUNT_ID = '123456789012';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The three clients the pipeline uses, configured for one local endpoint. */
export interface LocalClients {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
  readonly events: EventBridgeClient;
  /** Releases the clients' sockets. */
  destroy(): void;
}

/** Creates S3, SQS and DynamoDB clients for a local endpoint. */
export function localClients(endpoint: string, region: string = LOCAL_REGION): LocalClients {
  const config = { endpoint, region, credentials: LOCAL_CREDENTIALS };
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const sqs = new SQSClient(config);
  // moto applies concurrent DynamoDB requests without isolation (see dynamodb-one-request-at-a-time.ts).
  const dynamodb = oneRequestAtATime(new DynamoDBClient(config));
  const events = new EventBridgeClient(config);
  return {
    s3,
    sqs,
    dynamodb,
    events,
    destroy() {
      events.destroy();
      s3.destroy();
      sqs.destroy();
      dynamodb.destroy();
    },
  };
}

/**
 * Environment variables that send every SDK client in this process (including those created inside
 * handlers) to the local endpoint. Fake credentials also keep a developer's real ones out of reach.
 */
export function localAwsEnv(endpoint: string, region: string = LOCAL_REGION): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * Applies {@link localAwsEnv} to `process.env` and returns a function that restores what was there.
 * Also clears `AWS_PROFILE` and `AWS_SESSION_TOKEN`, which would otherwise mix real credentials in.
 */
export function applyLocalAwsEnv(endpoint: string, region: string = LOCAL_REGION): () => void {
  return applyEnv({ ...localAwsEnv(endpoint, region), AWS_PROFILE: undefined, AWS_SESSION_TOKEN: undefined });
}
