/**
 * The runtime configuration: one object, validated with zod, read once from the environment.
 *
 * Handlers call {@link loadConfig} at cold start; a missing or wrong variable stops the function with
 * one line per problem, naming the variable. Documents too large for an environment variable (the
 * tenant route overrides) are passed as JSON text here and, when deployed, loaded from a parameter.
 */
import { z } from 'zod';
import { parseTenantConfig, type TenantConfig, TenantConfigError } from '../ipscape/tenant-config';

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
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
});

/** The validated configuration handlers receive. */
export interface Config {
  readonly stage: string;
  readonly region: string;
  readonly bucketName: string;
  readonly stateTableName: string;
  readonly tenant: TenantConfig;
  /** Exactly one of these is set. */
  readonly apiKey: { readonly value: string } | { readonly secretId: string };
  readonly logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

/** Configuration that cannot be used; `problems` has one line per variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Validates an environment into a {@link Config}. Pure: pass `process.env` or a test's object.
 *
 * @throws ConfigError listing every bad or missing variable at once.
 */
export function parseConfig(env: Readonly<Record<string, string | undefined>>): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.input === undefined ? 'is missing' : i.message}`);
  let tenant: TenantConfig | undefined;
  if (parsed.success) {
    try {
      tenant = parseTenantConfig(JSON.parse(parsed.data.IPSCAPE_TENANT_CONFIG), 'IPSCAPE_TENANT_CONFIG');
    } catch (error) {
      problems.push(
        error instanceof TenantConfigError
          ? error.issues.map((i) => `IPSCAPE_TENANT_CONFIG ${i}`).join('\n  - ')
          : 'IPSCAPE_TENANT_CONFIG: is not valid JSON',
      );
    }
    const { IPSCAPE_API_KEY: key, IPSCAPE_API_KEY_SECRET_ID: secretId } = parsed.data;
    if (!key === !secretId) problems.push('IPSCAPE_API_KEY / IPSCAPE_API_KEY_SECRET_ID: set exactly one of them');
  }
  if (!parsed.success || !tenant || problems.length) throw new ConfigError(problems);
  const d = parsed.data;
  return {
    stage: d.STAGE,
    region: d.AWS_REGION,
    bucketName: d.BUCKET_NAME,
    stateTableName: d.STATE_TABLE_NAME,
    tenant,
    apiKey: d.IPSCAPE_API_KEY ? { value: d.IPSCAPE_API_KEY } : { secretId: d.IPSCAPE_API_KEY_SECRET_ID! },
    logLevel: d.LOG_LEVEL,
  };
}

let cached: Config | undefined;

/** Reads `process.env` once per process (a Lambda cold start) and caches the result. */
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
