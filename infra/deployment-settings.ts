/**
 * What a customer chooses at deploy time, read from CDK context and validated with zod before any
 * resource is built: the ipSCAPE tenant (base URL, routes, per-process limits), the tenant's own
 * request ceiling, function concurrency, ingest settings, retention periods, alarms, the maintenance
 * schedule. A bad value stops the synth with one line per problem, naming the context key.
 *
 * Sources, later ones winning: `-c leadflowFile=path.json` (a JSON file), `-c leadflow='{...}'` (JSON
 * text, or an object in cdk.json), and the shortcuts `-c tenantBaseUrl=...`, `-c alarmEmail=...`.
 * Only the `dev` stage may leave the tenant out (a placeholder, so a fresh clone synthesises).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { erasureSettingsSchema } from '../shared/erasure/settings';
import { ingestSettingsSchema } from '../shared/ingest/settings';
import { maintenanceSettingsSchema } from '../shared/maintenance/settings';
import { parseTenantConfig, TenantConfigError, type TenantConfig } from '../shared/ipscape/tenant-config';
import { MappingProfileError, parseMappingProfile } from '../shared/leads/mapping-profile';
import { MaintenancePolicyError, parseMaintenancePolicy } from '../shared/maintenance/policy';
import { queueNames, type QueueName } from '../shared/resources/resources';

/** The tenant of a dev synth with no tenant given: `.invalid` never resolves, and the stack warns about it. */
export const PLACEHOLDER_TENANT_URL = 'https://tenant.example.invalid/platform-api/v3.0';

/** SQS event sources accept a maximum concurrency from 2 to 1000. */
const concurrency = z.int().min(2, 'must be at least 2 (the SQS event source minimum)').max(1000);
const days = z.int().min(1, 'must be at least 1 day').max(3650);

const settingsSchema = z.strictObject({
  /** The tenant document (shared/ipscape/tenant-config.ts); validated by parseTenantConfig below. */
  tenant: z.record(z.string(), z.unknown(), { error: 'must be the ipSCAPE tenant document (an object with baseUrl)' }),
  /**
   * The tenant's own ceiling across every caller: what ipSCAPE (or the contract) allows this
   * customer. The functions' limiters are per process, so the stack checks that their sum fits.
   */
  tenantLimit: z
    .strictObject({
      requestsPerSecond: z.number().positive().default(20),
      maxConcurrency: z.int().positive().default(20),
    })
    .default({ requestsPerSecond: 20, maxConcurrency: 20 }),
  /** Maximum concurrent instances per queue consumer (the SQS event source's maxConcurrency). */
  concurrency: z
    .strictObject(Object.fromEntries(queueNames.map((q) => [q, concurrency.default(2)])) as Record<QueueName, z.ZodDefault<typeof concurrency>>)
    .default(Object.fromEntries(queueNames.map((q) => [q, 2])) as Record<QueueName, number>),
  /** Ingest settings (chunk size, deadlines...), as the functions read them. */
  ingest: z.record(z.string(), z.unknown()).default({}),
  /** Erasure settings (shared/erasure/settings.ts): due periods per jurisdiction, near-due days, retries. */
  erasure: z.record(z.string(), z.unknown()).default({}),
  /** Maintenance run settings (shared/maintenance/settings.ts): per-invocation budget, lock, record lifetime. */
  maintenanceRun: z.record(z.string(), z.unknown()).default({}),
  /** Named header mapping profiles, each validated like the functions validate them. */
  mappingProfiles: z.array(z.unknown()).default([]),
  /** The maintenance policy document the schedule plans with (shared/maintenance/policy.ts); none: it plans nothing. */
  maintenancePolicies: z.unknown().optional(),
  retention: z
    .strictObject({
      /** Operators' CSV files under incoming/. */
      rawUploadDays: days.default(30),
      /** Chunk objects hold personal data and are only needed until their bulk job ends. */
      chunkDays: days.default(7),
      /** Summaries and rejection files (rejected.csv masks personal fields). */
      reportDays: days.default(365),
      /** Overwritten or deleted object versions, in every bucket. */
      noncurrentVersionDays: days.default(7),
      /** Erasure request files hold the identifiers to erase: kept only until the request is processed. */
      privacyRequestDays: days.default(30),
      /** S3 server access logs. */
      accessLogDays: days.default(90),
      /** Function logs (CloudWatch Logs). */
      logDays: z.union([z.literal(1), z.literal(3), z.literal(5), z.literal(7), z.literal(14), z.literal(30), z.literal(60), z.literal(90), z.literal(180), z.literal(365)], {
        error: 'must be one of 1, 3, 5, 7, 14, 30, 60, 90, 180, 365',
      }).default(90),
    })
    .default({ rawUploadDays: 30, chunkDays: 7, reportDays: 365, noncurrentVersionDays: 7, privacyRequestDays: 30, accessLogDays: 90, logDays: 90 }),
  alarms: z
    .strictObject({
      /** Subscribed to the alarm topic when set. */
      email: z.email().optional(),
      /** Age of a queue's oldest message that raises its alarm. */
      oldestMessageAgeSeconds: z.int().min(60).default(3600),
    })
    .default({ oldestMessageAgeSeconds: 3600 }),
  maintenance: z
    .strictObject({
      /** The schedule exists but does nothing until enabled. */
      enabled: z.boolean().default(false),
      /** Runs plan and report only; nothing in ipSCAPE changes. */
      dryRun: z.boolean().default(true),
      /** EventBridge schedule expression, UTC. */
      schedule: z.string().regex(/^(cron|rate)\(.+\)$/, 'must be an EventBridge cron(...) or rate(...) expression').default('cron(0 16 ? * SUN *)'),
    })
    .default({ enabled: false, dryRun: true, schedule: 'cron(0 16 ? * SUN *)' }),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
});

/** Validated deployment settings. */
export interface DeploymentSettings extends Omit<z.output<typeof settingsSchema>, 'tenant' | 'mappingProfiles' | 'maintenancePolicies'> {
  /** The tenant as given (what the functions read), and resolved (for the synth's checks). */
  readonly tenantDocument: Readonly<Record<string, unknown>>;
  readonly tenant: TenantConfig;
  readonly mappingProfiles: readonly unknown[];
  readonly maintenancePolicies?: unknown;
}

/**
 * Per-process limits a deployment starts from when the tenant document sets none: each function
 * instance has its own limiter, so the defaults of a single process (5 per second, 4 in flight) would
 * put 9 instances far over a tenant's ceiling. With these, the default concurrency (2 per consumer:
 * submit, poll, erasure, maintenance; 1 scheduled starter) stays within the default tenantLimit
 * (20 per second, 20 in flight): 18 and 18.
 */
export const DEPLOYED_PROCESS_LIMITS = { requestsPerSecond: 2, burst: 2, maxConcurrency: 2 } as const;
export type DeploymentSettingsInput = z.input<typeof settingsSchema>;

/** Context that cannot be deployed; `problems` has one line per bad key. */
export class DeploymentSettingsError extends Error {
  override readonly name = 'DeploymentSettingsError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid leadflow deployment settings (CDK context):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Validates settings given as an object (tests, or already merged context).
 *
 * @throws DeploymentSettingsError naming every bad key at once, e.g. `leadflow.retention.chunkDays: must be at least 1 day`.
 */
export function parseDeploymentSettings(input: unknown): DeploymentSettings {
  const parsed = settingsSchema.safeParse(input);
  if (!parsed.success) {
    throw new DeploymentSettingsError(parsed.error.issues.map((i) => `leadflow.${i.path.join('.') || '(document)'}: ${i.message}`));
  }
  const problems: string[] = [];
  let tenant: TenantConfig | undefined;
  const limits = parsed.data.tenant.limits;
  const tenantDocument = {
    ...parsed.data.tenant,
    limits: { ...DEPLOYED_PROCESS_LIMITS, ...(limits !== null && typeof limits === 'object' ? limits : {}) },
  };
  try {
    tenant = parseTenantConfig(tenantDocument, 'leadflow.tenant');
  } catch (error) {
    if (!(error instanceof TenantConfigError)) throw error;
    problems.push(...error.issues.map((i) => `leadflow.tenant.${i}`));
  }
  for (const [key, schema] of [
    ['ingest', ingestSettingsSchema],
    ['erasure', erasureSettingsSchema],
    ['maintenanceRun', maintenanceSettingsSchema],
  ] as const) {
    const result = schema.safeParse(parsed.data[key]);
    if (!result.success) problems.push(...result.error.issues.map((i) => `leadflow.${key}.${i.path.join('.') || '(document)'}: ${i.message}`));
  }
  parsed.data.mappingProfiles.forEach((doc, i) => {
    try {
      parseMappingProfile(doc);
    } catch (error) {
      if (!(error instanceof MappingProfileError)) throw error;
      problems.push(`leadflow.mappingProfiles[${i}]: ${error.message}`);
    }
  });
  if (parsed.data.maintenancePolicies !== undefined) {
    try {
      parseMaintenancePolicy(parsed.data.maintenancePolicies, 'leadflow.maintenancePolicies');
    } catch (error) {
      if (!(error instanceof MaintenancePolicyError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length || !tenant) throw new DeploymentSettingsError(problems);
  return { ...parsed.data, tenantDocument, tenant };
}

/** Reads a context value that may be an object (cdk.json) or JSON text (`-c key='{...}'`). */
function objectContext(key: string, value: unknown, problems: string[]): Record<string, unknown> {
  if (value === undefined) return {};
  let doc = value;
  if (typeof value === 'string') {
    try {
      doc = JSON.parse(value);
    } catch {
      problems.push(`context ${key}: is not valid JSON`);
      return {};
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    problems.push(`context ${key}: must be a JSON object`);
    return {};
  }
  return doc as Record<string, unknown>;
}

/**
 * Reads the settings from CDK context (`node.tryGetContext`), merging the file, the object and the shortcuts.
 *
 * @example cdk deploy -c stage=prod -c leadflowFile=deploy/acme.json -c alarmEmail=ops@acme.com.au
 */
export function readDeploymentSettings(context: (key: string) => unknown): DeploymentSettings {
  const problems: string[] = [];
  const file = context('leadflowFile');
  let fromFile: Record<string, unknown> = {};
  if (file !== undefined) {
    try {
      fromFile = objectContext(`leadflowFile (${String(file)})`, readFileSync(String(file), 'utf8'), problems);
    } catch {
      problems.push(`context leadflowFile: cannot read ${String(file)}`);
    }
  }
  const fromContext = objectContext('leadflow', context('leadflow'), problems);
  if (problems.length) throw new DeploymentSettingsError(problems);
  const merged: Record<string, unknown> = { ...fromFile, ...fromContext };
  const baseUrl = context('tenantBaseUrl');
  if (baseUrl !== undefined) merged.tenant = { ...((merged.tenant as object | undefined) ?? {}), baseUrl };
  const email = context('alarmEmail');
  if (email !== undefined) merged.alarms = { ...((merged.alarms as object | undefined) ?? {}), email };
  if (merged.tenant === undefined) {
    // A fresh clone synthesises the dev stage against a placeholder (the stack warns); any other stage needs its tenant.
    if (String(context('stage') ?? 'dev') !== 'dev') {
      throw new DeploymentSettingsError(['leadflow.tenant: is missing: pass -c tenantBaseUrl=https://<tenant>.ipscape.com.au/platform-api/v3.0 (or a leadflowFile)']);
    }
    merged.tenant = { baseUrl: PLACEHOLDER_TENANT_URL };
  }
  return parseDeploymentSettings(merged);
}
