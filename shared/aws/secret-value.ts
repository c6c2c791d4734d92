/** Secrets: given directly (local runs) or read once from Secrets Manager (deployed) and cached. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretSource } from '../config/config';

const cache = new Map<string, Promise<string>>();

/**
 * The secret's value. A Secrets Manager secret is fetched once per process (cold start).
 * The error never includes the value.
 */
export function secretValue(source: SecretSource, client?: SecretsManagerClient): Promise<string> {
  if ('value' in source) return Promise.resolve(source.value);
  let pending = cache.get(source.secretId);
  if (!pending) {
    pending = (client ?? new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: source.secretId })).then((out) => {
      if (!out.SecretString) throw new Error(`secret ${source.secretId} has no string value`);
      return out.SecretString;
    });
    // A failed read is not cached: the next invocation tries again.
    pending.catch(() => cache.delete(source.secretId));
    cache.set(source.secretId, pending);
  }
  return pending;
}
