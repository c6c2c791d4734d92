/**
 * The runtime configuration: one object, validated with zod, read once from the environment.
 *
 * Handlers call {@link loadConfig} at cold start; a missing or wrong variable stops the function with
 * one line per problem, naming the variable. JSON documents (the tenant, mapping profiles, ingest
 * settings) are parsed and validated here too, each problem naming its variable and field.
 */
import { z } from 'zod';
import { ingestSettingsSchema, type IngestSettings } from '../ingest/settings';
import { parseTenantConfig, type TenantConfig, TenantConfigError } from '../ipscape/tenant-config';
import { MappingProfileError, parseMappingProfile, type MappingProfile } from '../leads/mapping-profile';
import { MaintenancePolicyError, parseMaintenancePolicyText, type MaintenancePolicy } from '../maintenance/policy';
import { maintenanceSettingsSchema, type MaintenanceSettings } from '../maintenance/settings';
import { erasureSettingsSchema, type ErasureSettings } from '../erasure/settings';
import { queueNames, type QueueName } from '../resources/resources';

const queueUrlVariables = Object.fromEntries(queueNames.map((q) => [`${q.toUpperCase()}_QUEUE_URL`, z.url().optional()]));

const envSchema = z.object({
  STAGE: z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be lower-case letters, digits or dashes').default('dev'),
  AWS_REGION: z.string().min(1, 'must name a region').default('ap-southeast-2'),
  BUCKET_NAME: z.string().min(3, 'must name the uploads bucket'),
  STATE_TABLE_NAME: z.string().min(3, 'must name the state table'),
  /** The tenant document as JSON text (see shared/ipscape/tenant-config.ts). */
  IPSCAPE_TENANT_CONFIG: z.string().min(2, 'must be the tenant configuration JSON'),
  /** Local runs only: the API key itself. Deployed functions read IPSCAPE_API_KEY_SECRET_ID instead. */
  IPSCAPE_API_KEY: z.string().min(1).optional(),
  IPSCAPE_API_KEY_SECRET_ID: z.string().min(1).optional(),
  /** The keyed-hash secret of dedupe and suppression: the value locally, a Secrets Manager id deployed. */
  DEDUPE_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  DEDUPE_SECRET_ID: z.string().min(1).optional(),
  /** Named mapping profiles: a JSON array of profile documents. */
  MAPPING_PROFILES: z.string().optional(),
  /** Ingest settings as JSON (chunk size, deadlines...); defaults when absent. */
  INGEST_SETTINGS: z.string().optional(),
  /** Where upload-finished events go; none are published when unset. */
  EVENT_BUS_NAME: z.string().min(1).optional(),
  /** The maintenance policy document (JSON: defaults and per-list targets) the schedule plans with; none: the schedule plans nothing. */
  MAINTENANCE_POLICIES: z.string().optional(),
  /** Maintenance run settings as JSON (per-invocation budget, lock lifetime...); defaults when absent. */
  MAINTENANCE_SETTINGS: z.string().optional(),
  /** Erasure settings as JSON (due periods per jurisdiction, near-due days, retries); defaults when absent. */
  ERASURE_SETTINGS: z.string().optional(),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  ...queueUrlVariables,
});

/** A secret given directly (local runs) or by its Secrets Manager id (deployed). */
export type SecretSource = { readonly value: string } | { readonly secretId: string };

/** The validated configuration handlers receive. */
export interface Config {
  readonly stage: string;
  readonly region: string;
  readonly bucketName: string;
  readonly stateTableName: string;
  readonly tenant: TenantConfig;
  readonly apiKey: SecretSource;
  /** Absent when neither variable is set; the functions that hash identities require it. */
  readonly dedupeSecret?: SecretSource;
  /** Queue URLs by queue name, for the queues this function sends to. */
  readonly queues: Partial<Record<QueueName, string>>;
  readonly mappingProfiles: readonly MappingProfile[];
  readonly ingest: IngestSettings;
  readonly eventBusName?: string;
  /** The scheduled maintenance policy, when one is configured. */
  readonly maintenancePolicy?: MaintenancePolicy;
  readonly maintenance: MaintenanceSettings;
  readonly erasure: ErasureSettings;
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** Configuration that cannot be used; `problems` has one line per variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function parseJson(name: string, text: string, problems: string[]): unknown {
  try {
    return JSON.parse(text);
  } catch {
    problems.push(`${name}: is not valid JSON`);
    return undefined;
  }
}

function secretSource(name: string, value: string | undefined, secretId: string | undefined, problems: string[], required: boolean) {
  if (value && secretId) problems.push(`${name} / ${name}_ID: set exactly one of them`);
  else if (!value && !secretId && required) problems.push(`${name} / ${name}_ID: set exactly one of them`);
  return value ? { value } : secretId ? { secretId } : undefined;
}

/**
 * Validates an environment into a {@link Config}. Pure: pass `process.env` or a test's object.
 *
 * @throws ConfigError listing every bad or missing variable at once.
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    // Say "missing" only when the variable is absent; a present but wrong one gets the reason (never its value).
    throw new ConfigError(parsed.error.issues.map((i) => `${String(i.path[0])}: ${env[String(i.path[0])] === undefined ? 'is missing' : i.message}`));
  }
  const d = parsed.data as z.infer<typeof envSchema> & Record<string, string | undefined>;
  const problems: string[] = [];

  let tenant: TenantConfig | undefined;
  const tenantDoc = parseJson('IPSCAPE_TENANT_CONFIG', d.IPSCAPE_TENANT_CONFIG, problems);
  if (tenantDoc !== undefined) {
    try {
      tenant = parseTenantConfig(tenantDoc, 'IPSCAPE_TENANT_CONFIG');
    } catch (error) {
      if (!(error instanceof TenantConfigError)) throw error;
      problems.push(...error.issues.map((i) => `IPSCAPE_TENANT_CONFIG ${i}`));
    }
  }
  const apiKey = secretSource('IPSCAPE_API_KEY', d.IPSCAPE_API_KEY, d.IPSCAPE_API_KEY_SECRET_ID, problems, true);
  const dedupeSecret = secretSource('DEDUPE_SECRET', d.DEDUPE_SECRET, d.DEDUPE_SECRET_ID, problems, false);

  const mappingProfiles: MappingProfile[] = [];
  if (d.MAPPING_PROFILES) {
    const docs = parseJson('MAPPING_PROFILES', d.MAPPING_PROFILES, problems);
    if (docs !== undefined && !Array.isArray(docs)) problems.push('MAPPING_PROFILES: must be a JSON array of profiles');
    else if (Array.isArray(docs)) {
      docs.forEach((doc, i) => {
        try {
          mappingProfiles.push(parseMappingProfile(doc));
        } catch (error) {
          if (!(error instanceof MappingProfileError)) throw error;
          problems.push(`MAPPING_PROFILES[${i}]: ${error.message}`);
        }
      });
    }
  }

  let ingest: IngestSettings | undefined;
  const settingsDoc = d.INGEST_SETTINGS ? parseJson('INGEST_SETTINGS', d.INGEST_SETTINGS, problems) : {};
  if (settingsDoc !== undefined) {
    const s = ingestSettingsSchema.safeParse(settingsDoc);
    if (s.success) ingest = s.data;
    else problems.push(...s.error.issues.map((i) => `INGEST_SETTINGS ${i.path.join('.') || '(document)'}: ${i.message}`));
  }

  let maintenancePolicy: MaintenancePolicy | undefined;
  if (d.MAINTENANCE_POLICIES) {
    try {
      maintenancePolicy = parseMaintenancePolicyText(d.MAINTENANCE_POLICIES, 'MAINTENANCE_POLICIES');
    } catch (error) {
      if (!(error instanceof MaintenancePolicyError)) throw error;
      problems.push(...error.issues.map((i) => `MAINTENANCE_POLICIES ${i}`));
    }
  }
  let maintenance: MaintenanceSettings | undefined;
  const maintenanceDoc = d.MAINTENANCE_SETTINGS ? parseJson('MAINTENANCE_SETTINGS', d.MAINTENANCE_SETTINGS, problems) : {};
  if (maintenanceDoc !== undefined) {
    const s = maintenanceSettingsSchema.safeParse(maintenanceDoc);
    if (s.success) maintenance = s.data;
    else problems.push(...s.error.issues.map((i) => `MAINTENANCE_SETTINGS ${i.path.join('.') || '(document)'}: ${i.message}`));
  }

  let erasure: ErasureSettings | undefined;
  const erasureDoc = d.ERASURE_SETTINGS ? parseJson('ERASURE_SETTINGS', d.ERASURE_SETTINGS, problems) : {};
  if (erasureDoc !== undefined) {
    const s = erasureSettingsSchema.safeParse(erasureDoc);
    if (s.success) erasure = s.data;
    else problems.push(...s.error.issues.map((i) => `ERASURE_SETTINGS ${i.path.join('.') || '(document)'}: ${i.message}`));
  }

  if (problems.length || !tenant || !apiKey || !ingest || !maintenance || !erasure) throw new ConfigError(problems);
  const queues = Object.fromEntries(
    queueNames.flatMap((q) => {
      const url = d[`${q.toUpperCase()}_QUEUE_URL`];
      return url ? [[q, url]] : [];
    }),
  ) as Partial<Record<QueueName, string>>;
  return {
    stage: d.STAGE,
    region: d.AWS_REGION,
    bucketName: d.BUCKET_NAME,
    stateTableName: d.STATE_TABLE_NAME,
    tenant,
    apiKey,
    ...(dedupeSecret && { dedupeSecret }),
    queues,
    mappingProfiles,
    ingest,
    ...(d.EVENT_BUS_NAME && { eventBusName: d.EVENT_BUS_NAME }),
    ...(maintenancePolicy && { maintenancePolicy }),
    maintenance,
    erasure,
    logLevel: d.LOG_LEVEL,
  };
}

/** The URL of a queue this function needs; a ConfigError naming the variable when it is not set. */
export function requireQueueUrl(config: Config, queue: QueueName): string {
  const url = config.queues[queue];
  if (!url) throw new ConfigError([`${queue.toUpperCase()}_QUEUE_URL: is missing`]);
  return url;
}

/** The dedupe secret source; a ConfigError naming the variables when neither is set. */
export function requireDedupeSecret(config: Config): SecretSource {
  if (!config.dedupeSecret) throw new ConfigError(['DEDUPE_SECRET / DEDUPE_SECRET_ID: set exactly one of them']);
  return config.dedupeSecret;
}

let cached: Config | undefined;

/** Reads `process.env` once per process (a Lambda cold start) and caches the result. */
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
