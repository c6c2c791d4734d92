/**
 * The environment of a deployed function, built from typed values: the CDK stack calls
 * {@link functionEnvironment} instead of spelling variable names, so the names live here, beside the
 * schema that reads them (`config.ts`), and a renamed variable breaks the build, not a deployment.
 */
import type { QueueName } from '../resources/resources';
import { ingestSettingsSchema, type IngestSettings } from '../ingest/settings';
import { documentPointerVariable, type DocumentVariable } from './config-documents';

/** What a deployed function is told. Values may be CDK tokens (resolved by CloudFormation). */
export interface FunctionEnvironmentInput {
  readonly stage: string;
  readonly bucketName: string;
  readonly stateTableName: string;
  /** Secrets Manager id (name or ARN) of the ipSCAPE API key; never the value. */
  readonly apiKeySecretId: string;
  /** Secrets Manager id of the keyed-hash secret; never the value. */
  readonly dedupeSecretId?: string;
  /** URLs of the queues this function sends to, and only those. */
  readonly queueUrls?: Partial<Record<QueueName, string>>;
  /**
   * Documents too large for the 4 KB environment (tenant, mapping profiles, maintenance policies),
   * each by the SSM parameter that holds it: only the pointer is in the environment.
   */
  readonly documents?: Partial<Record<DocumentVariable, string>>;
  /** Ingest settings (small); validated here with the schema the function reads them with. */
  readonly ingest?: Partial<IngestSettings>;
  /** Erasure settings (`ERASURE_SETTINGS`: due periods, near-due days, retries); validated by the caller. */
  readonly erasure?: Readonly<Record<string, unknown>>;
  /** Maintenance run settings (`MAINTENANCE_SETTINGS`); validated by the caller. */
  readonly maintenance?: Readonly<Record<string, unknown>>;
  readonly eventBusName?: string;
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** The name of the variable holding a queue's URL. */
export function queueUrlVariable(queue: QueueName): `${Uppercase<QueueName>}_QUEUE_URL` {
  return `${queue.toUpperCase() as Uppercase<QueueName>}_QUEUE_URL`;
}

/**
 * The environment variables of a deployed function.
 *
 * @example
 * functionEnvironment({ stage: 'prod', bucketName: bucket.bucketName, stateTableName: table.tableName,
 *   apiKeySecretId: apiKey.secretArn, queueUrls: { submit: submitQueue.queueUrl } })
 * @throws Error when the ingest settings do not validate (the same schema the function applies).
 */
export function functionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
  const env: Record<string, string> = {
    STAGE: input.stage,
    BUCKET_NAME: input.bucketName,
    STATE_TABLE_NAME: input.stateTableName,
    IPSCAPE_API_KEY_SECRET_ID: input.apiKeySecretId,
    LOG_LEVEL: input.logLevel ?? 'INFO',
  };
  if (input.dedupeSecretId) env.DEDUPE_SECRET_ID = input.dedupeSecretId;
  for (const [queue, url] of Object.entries(input.queueUrls ?? {}) as [QueueName, string][]) env[queueUrlVariable(queue)] = url;
  for (const [variable, parameter] of Object.entries(input.documents ?? {}) as [DocumentVariable, string][]) {
    env[documentPointerVariable(variable)] = parameter;
  }
  if (input.ingest && Object.keys(input.ingest).length) {
    const parsed = ingestSettingsSchema.safeParse(input.ingest);
    if (!parsed.success) {
      throw new Error(`ingest settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(document)'}: ${i.message}`).join('; ')}`);
    }
    env.INGEST_SETTINGS = JSON.stringify(input.ingest);
  }
  if (input.erasure && Object.keys(input.erasure).length) env.ERASURE_SETTINGS = JSON.stringify(input.erasure);
  if (input.maintenance && Object.keys(input.maintenance).length) env.MAINTENANCE_SETTINGS = JSON.stringify(input.maintenance);
  if (input.eventBusName) env.EVENT_BUS_NAME = input.eventBusName;
  return env;
}
