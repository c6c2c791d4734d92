/**
 * Erasure on the local stack: the worker as a queue handler, the due-date job as a schedule, and the
 * HTTP API on loopback, all built from the configuration a deployed function would get (see
 * `function-handlers.ts`), with clients pointed at moto and the simulator.
 */
import type { Writable } from 'node:stream';
import { createErasureHandler } from '../functions/erasure/handler';
import { createRequestFileHandler } from '../functions/erasure-file/handler';
import { createErasurePorts } from '../shared/aws/erasure-ports';
import { createRequestFilePorts } from '../shared/aws/request-file-ports';
import { createErasure, type Erasure } from '../shared/erasure/erasure';
import { createTenantLimiter } from '../shared/ipscape/limiter';
import { silentTelemetry, type Telemetry } from '../shared/observability/telemetry';
import { powertoolsTelemetry } from '../shared/observability/powertools-telemetry';
import { localClients } from './aws-clients';
import type { LocalStackContext, ScheduledJob } from './dev-stack';
import { startErasureHttpServer, type RunningErasureApi } from './erasure-http-server';
import { localConfig, localPowertools, type LocalFunctionOptions } from './function-handlers';
import type { SqsBatchHandler } from './sqs-pump';

/** Local cadence: retry and look at in-flight work every second, so a local erasure takes seconds. */
export const LOCAL_ERASURE_SETTINGS = { retryDelaySeconds: 1, inFlightRecheckSeconds: 1, maxAttempts: 3 } as const;

/** `ERASURE_SETTINGS` of a local stack: the local cadence, then the caller's settings on top. */
export function localErasureSettingsText(env: Record<string, string> = {}): string {
  const overrides = env.ERASURE_SETTINGS ? (JSON.parse(env.ERASURE_SETTINGS) as object) : {};
  return JSON.stringify({ ...LOCAL_ERASURE_SETTINGS, ...overrides });
}

/** Builds the erasure runtime of a local stack. */
export function localErasureRuntime(context: LocalStackContext, output: LocalFunctionOptions = {}): (telemetry: Telemetry) => Promise<Erasure> {
  const env = { ERASURE_QUEUE_URL: context.resources.queues.erasure.url, ...output.env, ERASURE_SETTINGS: localErasureSettingsText(output.env) };
  const config = localConfig(context, env);
  const clients = localClients(context.endpoints.aws, context.resources.region);
  const limiter = createTenantLimiter(config.tenant.limits);
  return async (telemetry) => createErasure(await createErasurePorts(config, clients, telemetry, { settings: config.erasure, limiter }));
}

/** The request-file intake's runtime of a local stack (the privacy bucket's `requests/*.csv`). */
export function localRequestFileRuntime(context: LocalStackContext, output: LocalFunctionOptions = {}) {
  const env = { ERASURE_QUEUE_URL: context.resources.queues.erasure.url, ...output.env, ERASURE_SETTINGS: localErasureSettingsText(output.env) };
  const config = localConfig(context, env);
  const clients = localClients(context.endpoints.aws, context.resources.region);
  return (telemetry: Telemetry) => createRequestFilePorts(config, clients, telemetry);
}

/** The erasure queues' consumers for a local stack: the worker, and the request-file intake. */
export function localErasureHandlersTo(output: LocalFunctionOptions & { readonly stream: Writable }) {
  return (context: LocalStackContext): { erasure: SqsBatchHandler; requests: SqsBatchHandler } => ({
    erasure: createErasureHandler(localErasureRuntime(context, output), localPowertools('erasure', output.stream)) as unknown as SqsBatchHandler,
    requests: createRequestFileHandler(localRequestFileRuntime(context, output), localPowertools('erasure-file', output.stream)) as unknown as SqsBatchHandler,
  });
}

/** Starts the erasure HTTP API of a local stack on 127.0.0.1 (`port` 0: any free port). */
export async function startLocalErasureApi(context: LocalStackContext, output: LocalFunctionOptions & { readonly stream?: Writable; readonly port?: number } = {}): Promise<RunningErasureApi> {
  const runtime = localErasureRuntime(context, output);
  const telemetry = output.stream ? (() => {
    const { logger, metrics } = localPowertools('erasure-api', output.stream);
    return powertoolsTelemetry(logger, metrics);
  })() : silentTelemetry;
  return startErasureHttpServer({ erasure: () => runtime(telemetry), port: output.port ?? 0 });
}

/** The hourly due-date metrics, as a local schedule. */
export function localErasureSchedule(context: LocalStackContext, output: LocalFunctionOptions & { readonly stream: Writable }): ScheduledJob {
  const { logger, metrics } = localPowertools('erasure-due', output.stream);
  const telemetry = powertoolsTelemetry(logger, metrics);
  const runtime = localErasureRuntime(context, output);
  let built: Promise<Erasure> | undefined;
  return {
    name: 'erasure-due',
    everyMs: 3_600_000,
    handler: async () => {
      built ??= runtime(telemetry);
      const counts = await (await built).dueness();
      metrics.publishStoredMetrics();
      return counts;
    },
  };
}
