/**
 * The deployed functions as the local stack runs them: which handler consumes which queue, and which
 * run on a schedule. `leadflow dev` and throwaway `--local` stacks both take them from here, so a new
 * function is wired locally in one place.
 *
 * The handlers are the deployed ones (`functions/*`), built around runtimes that read the same
 * validated configuration, made from the local stack instead of the Lambda environment, with clients
 * pointed at moto. One DynamoDB client serves them all: it sends one request at a time, because moto
 * applies concurrent writes without isolation (see `dynamodb-one-request-at-a-time.ts`).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { createWriteStream, mkdirSync } from 'node:fs';
import { Console } from 'node:console';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { createIngestHandler } from '../functions/ingest/handler';
import { createMaintenanceHandler } from '../functions/maintenance/handler';
import { createMaintenancePorts } from '../shared/maintenance/aws-maintenance-ports';
import { createPollHandler } from '../functions/poll/handler';
import { createSubmitHandler } from '../functions/submit/handler';
import { createSweepHandler } from '../functions/sweep/handler';
import { createIngestionPorts, type PortNeeds } from '../shared/aws/ingestion-ports';
import { parseConfig, type Config } from '../shared/config/config';
import { createIngestion } from '../shared/ingest/ingestion';
import { createTenantLimiter } from '../shared/ipscape/limiter';
import type { IngestSettings } from '../shared/ingest/settings';
import { localClients } from './aws-clients';
import { localErasureHandlersTo, localErasureSchedule, startLocalErasureApi } from './erasure-runtime';
import { METRIC_NAMESPACE } from '../shared/lambda/sqs-handler';
import { stateDir } from './dev-state';
import type { LocalStackContext, QueueHandlers, ScheduledJob } from './dev-stack';
import type { SqsBatchHandler } from './sqs-pump';

/** The dedupe secret of local stacks. Not a secret: local data is fictional and thrown away. */
export const LOCAL_DEDUPE_SECRET = 'local-dedupe-secret-not-for-production';

/** Local cadence: jobs on the simulator take seconds, so poll every second or two and give up sooner; smaller chunks so a local run shows several. */
export const LOCAL_INGEST_SETTINGS: Partial<IngestSettings> = { pollMinDelaySeconds: 1, jobDeadlineSeconds: 120, chunkSize: 100, sendingGraceSeconds: 5 };

/** The configuration a deployed function would get, for the local stack. */
export function localConfig(context: LocalStackContext, overrides: Record<string, string> = {}): Config {
  const { resources } = context;
  return parseConfig({
    STAGE: resources.stage,
    AWS_REGION: resources.region,
    BUCKET_NAME: resources.bucket,
    STATE_TABLE_NAME: resources.tables.state,
    IPSCAPE_TENANT_CONFIG: JSON.stringify({ ...context.tenant, baseUrl: context.endpoints.ipscape }),
    IPSCAPE_API_KEY: context.apiKey,
    DEDUPE_SECRET: LOCAL_DEDUPE_SECRET,
    INGEST_QUEUE_URL: resources.queues.ingest.url,
    SUBMIT_QUEUE_URL: resources.queues.submit.url,
    POLL_QUEUE_URL: resources.queues.poll.url,
    MAINTENANCE_QUEUE_URL: resources.queues.maintenance.url,
    EVENT_BUS_NAME: 'default',
    ...overrides,
    // Settings given by the caller go on top of the local ones, not instead of them.
    INGEST_SETTINGS: JSON.stringify({ ...LOCAL_INGEST_SETTINGS, ...(overrides.INGEST_SETTINGS ? (JSON.parse(overrides.INGEST_SETTINGS) as object) : {}) }),
  });
}

/** How the local functions run. */
export interface LocalFunctionOptions {
  /** Where their structured logs and EMF metrics go. Default: `<state dir>/logs/functions.jsonl`, so a command's own stdout stays its own. */
  readonly stream?: Writable;
  /** Configuration variables to override (e.g. `INGEST_SETTINGS` with a short deadline in a test). */
  readonly env?: Record<string, string>;
}

/** The functions' log file of a local stack. */
export function localFunctionLogFile(): string {
  return join(stateDir(), 'logs', 'functions.jsonl');
}

function openLogStream(): Writable {
  const file = localFunctionLogFile();
  mkdirSync(join(file, '..'), { recursive: true });
  return createWriteStream(file, { flags: 'a' });
}

/**
 * Powertools writes logs and metrics to the process's stdout, as Lambda wants. In-process, stdout
 * belongs to the command (`--json` promises exactly one document there), so the local functions
 * get a logger and metrics whose console writes to `stream` instead.
 */
export function localPowertools(service: string, stream: Writable) {
  const console = new Console({ stdout: stream, stderr: stream });
  const logger = new Logger({ serviceName: service });
  const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: service, logger });
  Object.assign(logger, { console });
  Object.assign(metrics, { console });
  return { logger, metrics };
}

/**
 * Queue consumers for the local stack, writing their logs to `output.stream`, configured as deployed
 * functions would be, with `output.env` on top.
 *
 * @example startDevStack({ handlers: localQueueHandlersTo({ stream: process.stderr }) })
 */
export function localQueueHandlersTo(output: LocalFunctionOptions = {}) {
  return async (context: LocalStackContext): Promise<QueueHandlers> => {
    const stream = output.stream ?? openLogStream();
    const config = localConfig(context, output.env);
    const clients = localClients(context.endpoints.aws, context.resources.region);
    // One process, one tenant budget: the functions share a limiter, as one Lambda instance's calls would.
    const limiter = createTenantLimiter(config.tenant.limits);
    const runtime = (needs: Omit<PortNeeds, 'limiter'>) => async (telemetry: Parameters<typeof createIngestionPorts>[2]) =>
      createIngestion(await createIngestionPorts(config, clients, telemetry, { ...needs, limiter }));
    return {
      ingest: createIngestHandler(runtime({ ingestQueue: true, submitQueue: true }), localPowertools('ingest', stream)) as unknown as SqsBatchHandler,
      submit: createSubmitHandler(runtime({ pollQueue: true }), localPowertools('submit', stream)) as unknown as SqsBatchHandler,
      poll: createPollHandler(runtime({ pollQueue: true }), localPowertools('poll', stream)) as unknown as SqsBatchHandler,
      maintenance: createMaintenanceHandler(
        async (telemetry) => ({
          ports: await createMaintenancePorts(config, clients, telemetry, { limiter }),
          ...(config.maintenancePolicy && { policy: config.maintenancePolicy }),
        }),
        localPowertools('maintenance', stream),
      ) as unknown as SqsBatchHandler,
      ...localErasureHandlersTo({ ...output, stream })(context),
    };
  };
}

/** Queue consumers for the local stack, logging to the local log file. */
export const localQueueHandlers = localQueueHandlersTo();

/**
 * The sweep function of the local stack (uploads whose parse stopped for good), configured as deployed.
 *
 * @example await localSweepHandlerTo({ stream })(context)(scheduledEvent, lambdaContext)
 */
export function localSweepHandlerTo(output: LocalFunctionOptions = {}) {
  return (context: LocalStackContext) => {
    const stream = output.stream ?? openLogStream();
    const config = localConfig(context, output.env);
    const clients = localClients(context.endpoints.aws, context.resources.region);
    return createSweepHandler(async (telemetry) => createIngestion(await createIngestionPorts(config, clients, telemetry, {})), localPowertools('sweep', stream));
  };
}

/** Scheduled handlers for the local stack: the erasure due-date metrics and the stranded-upload sweep, hourly. */
export async function localSchedules(context: LocalStackContext): Promise<readonly ScheduledJob[]> {
  const stream = openLogStream();
  return [localErasureSchedule(context, { stream }), { name: 'sweep', everyMs: 3_600_000, handler: localSweepHandlerTo({ stream })(context) }];
}

/**
 * The erasure HTTP API of the local stack on loopback, logging to `output.stream`.
 *
 * @example startDevStack({ erasureApi: localErasureApiTo({ stream: process.stderr }) })
 */
export function localErasureApiTo(output: LocalFunctionOptions = {}) {
  return (context: LocalStackContext) => startLocalErasureApi(context, { ...output, stream: output.stream ?? openLogStream() });
}
