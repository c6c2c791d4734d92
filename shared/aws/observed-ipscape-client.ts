/**
 * The ipSCAPE client as every function builds it: the tenant document and budget from the
 * configuration, its log lines and one metric per attempt (by status class) through the function's
 * telemetry, so the dashboard's ipSCAPE error rates cover every caller alike.
 */
import type { Config } from '../config/config';
import { createIpscapeClient, type IpscapeClient } from '../ipscape/client';
import { createTenantLimiter, type TenantLimiter } from '../ipscape/limiter';
import type { Telemetry } from '../observability/telemetry';

/**
 * A metric name suffix for an ipSCAPE answer.
 *
 * @example statusClass(503, undefined) // '5xx'
 */
export function statusClass(status: number | undefined, failure: string | undefined): string {
  if (status === undefined) return failure === 'timeout' ? 'Timeout' : 'NetworkError';
  if (status === 429) return '429';
  return `${Math.floor(status / 100)}xx`;
}

/**
 * Builds the client for one function.
 *
 * @param limiter - the tenant budget; a fresh one per process by default (the stack bounds
 *   instances × rate), a shared one when functions share a process (the local stack).
 */
export function createObservedIpscapeClient(config: Config, apiKey: string, telemetry: Telemetry, limiter?: TenantLimiter): IpscapeClient {
  return createIpscapeClient({
    tenant: config.tenant,
    apiKey,
    limiter: limiter ?? createTenantLimiter(config.tenant.limits),
    logger: {
      debug: (message, fields) => telemetry.debug(message, fields as never),
      info: (message, fields) => telemetry.info(message, fields as never),
      warn: (message, fields) => telemetry.warn(message, fields as never),
    },
    // The dashboard's ipSCAPE error rates: one count per attempt, by status class (2xx, 4xx, 429, 5xx, network).
    onAttempt: (attempt) => telemetry.metric(`IpscapeAnswers${statusClass(attempt.status, attempt.failure)}`, 1),
  });
}
