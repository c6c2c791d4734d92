/**
 * The configuration of a deployed function: the environment, with the documents it points at in SSM
 * Parameter Store fetched once per process, then validated by `parseConfig` like any other variable.
 */
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { parseConfig, type Config } from '../config/config';
import { resolveConfigDocuments, type ParameterReader } from '../config/config-documents';

/** SSM's limit of names per GetParameters call. */
const NAMES_PER_CALL = 10;

/** Reads parameters with `GetParameters` (decrypted, so a SecureString works too). */
export function ssmParameterReader(client: SSMClient): ParameterReader {
  return async (names) => {
    const values: Record<string, string | undefined> = {};
    for (let i = 0; i < names.length; i += NAMES_PER_CALL) {
      const out = await client.send(new GetParametersCommand({ Names: names.slice(i, i + NAMES_PER_CALL), WithDecryption: true }));
      for (const p of out.Parameters ?? []) if (p.Name && p.Value !== undefined) values[p.Name] = p.Value;
    }
    return values;
  };
}

let cached: Promise<Config> | undefined;

/**
 * Reads `env` (default `process.env`), follows its document pointers and validates the result; once
 * per process, as a cold start. A failure is not cached: the next invocation tries again.
 *
 * @throws ConfigDocumentError when a pointed-at parameter is missing; ConfigError for a bad document or variable.
 */
export function loadDeployedConfig(
  env: Readonly<Record<string, string | undefined>> = process.env,
  client?: SSMClient,
): Promise<Config> {
  cached ??= resolveConfigDocuments(env, ssmParameterReader(client ?? new SSMClient({ region: env.AWS_REGION })))
    .then(parseConfig)
    .catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
  return cached;
}

/** Forgets the cached configuration (tests that load several environments in one process). */
export function forgetDeployedConfig(): void {
  cached = undefined;
}
