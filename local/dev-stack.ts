/**
 * The local dev stack: moto (S3, SQS, DynamoDB) provisioned from the resource description, the
 * ipSCAPE simulator, and in-process pumps feeding the registered handlers, as Lambda would.
 *
 * moto runs under a watchdog (it can never outlive this process); the simulator and the pumps run
 * in this process and die with it.
 */
import type { QueueName } from '../shared/resources/resources';
import { resources as resourceSpec } from '../shared/resources/resources';
import { parseTenantConfig, type TenantConfig, type TenantConfigInput } from '../shared/ipscape/tenant-config';
import { applyLocalAwsEnv, localClients, LOCAL_REGION } from './aws-clients';
import { devStateFile, findRunningDevStack, removeDevState, stateDir, writeDevState, type DevEndpoints, type DevStateDocument } from './dev-state';
import { startMoto, type MotoServer, type StartMotoOptions } from './moto';
import { applyEnv } from './process-env';
import { provisionResources, type LocalResources } from './provision';
import { startSchedule, type Schedule, type ScheduledHandler } from './scheduler';
import type { RunningSimulator, SimulatorFaults, SimulatorOptions } from './simulator';
import { startSqsPump, type PumpEvent, type SqsBatchHandler, type SqsPump } from './sqs-pump';

export type { DevEndpoints, DevStateDocument } from './dev-state';
export { findRunningDevStack } from './dev-state';

/** The API key the local simulator expects unless told otherwise. Not a secret: it only opens the simulator. */
export const LOCAL_DEV_API_KEY = 'local-dev-key';

/** Base URL given to the simulator's tenant configuration; the simulator serves its path on its own port. */
const LOCAL_TENANT_BASE_URL = 'http://127.0.0.1/platform-api/v3.0';

/** Default visibility time scale for dev: failed messages come back in seconds instead of minutes. */
export const DEV_TIME_SCALE = 0.01;

/** Handlers by the queue they consume. */
export type QueueHandlers = Partial<Record<QueueName, SqsBatchHandler>>;

/** A scheduled handler and how often to run it. */
export interface ScheduledJob {
  readonly name: string;
  readonly everyMs: number;
  readonly handler: ScheduledHandler;
  readonly runImmediately?: boolean;
}

/** What handler factories get: the stack is provisioned and the simulator is up. */
export interface LocalStackContext {
  readonly endpoints: DevEndpoints;
  readonly resources: LocalResources;
  readonly tenant: TenantConfig;
  readonly apiKey: string;
}

/** Starts the ipSCAPE simulator; the real one by default, tests may pass a stand-in. */
export type SimulatorStarter = (options: SimulatorOptions) => Promise<RunningSimulator> | RunningSimulator;

export interface DevStackOptions {
  /** Stage for physical names; default `dev`. */
  stage?: string;
  /** Visibility timeout scale; default {@link DEV_TIME_SCALE}. */
  timeScale?: number;
  /** Handlers to pump, or a factory called once resources and endpoints exist. */
  handlers?: QueueHandlers | ((context: LocalStackContext) => QueueHandlers | Promise<QueueHandlers>);
  schedules?: readonly ScheduledJob[] | ((context: LocalStackContext) => readonly ScheduledJob[] | Promise<readonly ScheduledJob[]>);
  /** Starts the erasure HTTP API on loopback once resources exist; its URL goes into `endpoints.erasureApi`. */
  erasureApi?: (context: LocalStackContext) => Promise<{ readonly url: string; close(): Promise<void> }>;
  simulator?: {
    port?: number;
    seed?: number;
    bulkJobDurationMs?: number;
    pageSize?: number;
    apiKey?: string;
    faults?: SimulatorFaults;
    /** Tenant document overrides (routes, auth header...); the base URL is always the local one. */
    tenant?: Omit<TenantConfigInput, 'baseUrl'>;
  };
  startSimulator?: SimulatorStarter;
  moto?: StartMotoOptions;
  /** Write `dev.json` so other commands find this stack; default true. Throwaway stacks pass false. */
  writeStateFile?: boolean;
  /** State directory for `dev.json`; default {@link stateDir}. */
  stateDir?: string;
  /**
   * Give this process the environment the deployed functions get, pointing at the local stack: the
   * AWS SDK at moto, and `STAGE`, `BUCKET_NAME`, `STATE_TABLE_NAME`, `IPSCAPE_TENANT_CONFIG`,
   * `IPSCAPE_API_KEY` for the in-process handlers. Default true; undone on stop.
   */
  applyEnv?: boolean;
  /** Progress lines (never message bodies, keys or personal data). */
  log?: (line: string) => void;
  onPumpEvent?: (event: PumpEvent) => void;
}

/** A running dev stack. */
export interface DevStack extends LocalStackContext {
  readonly processes: { readonly moto: number; readonly motoWatchdog: number };
  /** Path of `dev.json`, when written. */
  readonly stateFile: string | undefined;
  /** Queues with a pump running. */
  readonly pumpedQueues: readonly QueueName[];
  /** Resolves if moto goes away before `stop()`; the stack is unusable then. */
  readonly motoExited: Promise<void>;
  /** Stops pumps (after their batches in flight), schedules, the simulator and moto; removes `dev.json`. */
  stop(): Promise<void>;
}

/** `dev.json` names a live stack already; stop it or use it. */
export class DevStackAlreadyRunningError extends Error {
  override readonly name = 'DevStackAlreadyRunningError';
  constructor(readonly running: DevStateDocument) {
    super(`a dev stack is already running (pid ${running.pid}, since ${running.startedAt}); stop it first or use --local to reuse it`);
  }
}

/** Starts moto, provisions the stage, starts the simulator and the pumps. Cleans up if any step fails. */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const stage = options.stage ?? 'dev';
  const log = options.log ?? (() => {});
  const writeState = options.writeStateFile ?? true;
  const file = devStateFile(options.stateDir ?? stateDir());
  if (writeState) {
    const running = await findRunningDevStack({ stateDir: options.stateDir });
    if (running) throw new DevStackAlreadyRunningError(running);
  }

  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanUp = async (): Promise<void> => {
    // Reverse order of start; keep going past failures so nothing is left running.
    const errors: unknown[] = [];
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    cleanups.length = 0;
    if (errors.length) throw new AggregateError(errors, 'dev stack did not stop cleanly');
  };

  try {
    log('starting moto');
    const moto: MotoServer = await startMoto(options.moto);
    cleanups.push(() => moto.stop());
    log(`moto answers at ${moto.endpoint} (${moto.source})`);

    const region = process.env.AWS_REGION || LOCAL_REGION;
    if (options.applyEnv ?? true) cleanups.push(applyLocalAwsEnv(moto.endpoint, region));

    const localResources = await provisionResources({ endpoint: moto.endpoint, stage, region, timeScale: options.timeScale ?? DEV_TIME_SCALE });
    log(`provisioned stage ${stage}: 2 buckets, ${Object.keys(localResources.queues).length * 2} queues, ${Object.keys(localResources.tables).length} table(s)`);

    const apiKey = options.simulator?.apiKey ?? LOCAL_DEV_API_KEY;
    const tenant = parseTenantConfig({ ...options.simulator?.tenant, baseUrl: LOCAL_TENANT_BASE_URL }, 'local dev tenant');
    const starter = options.startSimulator ?? (await import('./simulator')).startSimulator;
    const simulator = await starter({
      port: options.simulator?.port ?? 0,
      apiKey,
      tenant,
      ...(options.simulator?.seed !== undefined ? { seed: options.simulator.seed } : {}),
      ...(options.simulator?.bulkJobDurationMs !== undefined ? { bulkJobDurationMs: options.simulator.bulkJobDurationMs } : {}),
      ...(options.simulator?.pageSize !== undefined ? { pageSize: options.simulator.pageSize } : {}),
      ...(options.simulator?.faults ? { faults: options.simulator.faults } : {}),
    });
    cleanups.push(() => simulator.close());
    const endpoints: DevEndpoints = { aws: moto.endpoint, ipscape: simulator.baseUrl, adminUrl: `${simulator.url}/__admin` };
    log(`ipSCAPE simulator answers at ${simulator.baseUrl}`);

    if (options.applyEnv ?? true) {
      cleanups.push(
        applyEnv({
          STAGE: stage,
          BUCKET_NAME: localResources.bucket,
          STATE_TABLE_NAME: localResources.tables.state,
          IPSCAPE_TENANT_CONFIG: JSON.stringify({ ...options.simulator?.tenant, baseUrl: simulator.baseUrl }),
          IPSCAPE_API_KEY: apiKey,
          // Exactly one key source: a secret id from the developer's shell must not win over the local key.
          IPSCAPE_API_KEY_SECRET_ID: undefined,
        }),
      );
    }
    const context: LocalStackContext = { endpoints, resources: localResources, tenant, apiKey };
    const handlers = typeof options.handlers === 'function' ? await options.handlers(context) : (options.handlers ?? {});
    const clients = localClients(moto.endpoint, region);
    cleanups.push(() => clients.destroy());
    const pumps: SqsPump[] = [];
    // Stopped before the simulator and moto (cleanups run in reverse), so batches in flight can finish.
    cleanups.push(async () => {
      await Promise.all(pumps.map((p) => p.stop()));
    });
    const pumpedQueues: QueueName[] = [];
    for (const [queue, handler] of Object.entries(handlers) as [QueueName, SqsBatchHandler | undefined][]) {
      if (!handler) continue;
      const spec = resourceSpec.queues[queue];
      pumps.push(
        startSqsPump({
          sqs: clients.sqs,
          queue: localResources.queues[queue],
          batchSize: spec.batchSize,
          handler,
          region,
          functionName: `leadflow-${stage}-${spec.consumer.entry}`,
          timeoutMs: spec.consumer.timeoutSeconds * 1000,
          memoryMb: spec.consumer.memoryMb,
          onEvent: (event) => {
            options.onPumpEvent?.(event);
            if (event.type === 'batch-failed') log(`${queue}: batch of ${event.messageIds.length} failed: ${event.error.name}: ${event.error.message}`);
            if (event.type === 'partial-failure') log(`${queue}: ${event.failedIds.length} message(s) failed, will be retried`);
            if (event.type === 'poll-error') log(`${queue}: ${event.error.name}: ${event.error.message}`);
          },
        }),
      );
      pumpedQueues.push(queue);
    }
    if (pumpedQueues.length) log(`pumping ${pumpedQueues.join(', ')}`);

    const jobs = typeof options.schedules === 'function' ? await options.schedules(context) : (options.schedules ?? []);
    const schedules: Schedule[] = [];
    cleanups.push(async () => {
      await Promise.all(schedules.map((s) => s.stop()));
    });
    for (const job of jobs) {
      schedules.push(
        startSchedule({
          ...job,
          region,
          account: localResources.accountId,
          onError: (error) => log(`schedule ${job.name} failed: ${error.name}: ${error.message}`),
        }),
      );
    }

    let servedEndpoints: DevEndpoints = endpoints;
    if (options.erasureApi) {
      const api = await options.erasureApi(context);
      cleanups.push(() => api.close());
      servedEndpoints = { ...endpoints, erasureApi: api.url };
      log(`erasure API answers at ${api.url}`);
    }

    const processes = { moto: moto.pid, motoWatchdog: moto.watchdogPid };
    let stateFile: string | undefined;
    if (writeState) {
      writeDevState(file, {
        version: 1,
        pid: process.pid,
        startedAt: new Date().toISOString(),
        stage,
        endpoints: servedEndpoints,
        processes,
        resources: localResources,
      });
      stateFile = file;
      const removeOnExit = (): void => removeDevState(file);
      process.once('exit', removeOnExit);
      cleanups.push(() => {
        process.off('exit', removeOnExit);
        removeDevState(file);
      });
    }

    let stopping: Promise<void> | undefined;
    return {
      endpoints: servedEndpoints,
      resources: localResources,
      tenant,
      apiKey,
      processes,
      stateFile,
      pumpedQueues,
      // Settles only for an unexpected exit; after stop() it never does, so callers can race it freely.
      motoExited: moto.exited.then(() =>
        stopping ? new Promise<void>(() => {}) : log(`moto exited unexpectedly:\n${moto.stderrTail()}`),
      ),
      stop() {
        stopping ??= cleanUp();
        return stopping;
      },
    };
  } catch (error) {
    await cleanUp().catch(() => {});
    throw error;
  }
}

/** A local stack to work against: the running dev stack or a throwaway one. */
export interface LocalStack extends Omit<LocalStackContext, 'tenant'> {
  /** `running`: the stack from `dev.json`; `throwaway`: started for this call and stopped after it. */
  readonly source: 'running' | 'throwaway';
}

/**
 * Runs `fn` against the running dev stack if `dev.json` names one that answers, otherwise against a
 * throwaway stack started for the call (no `dev.json`) and stopped afterwards, whatever `fn` does.
 */
export async function withLocalStack<T>(fn: (stack: LocalStack) => Promise<T>, options: DevStackOptions = {}): Promise<T> {
  const running = await findRunningDevStack({ stateDir: options.stateDir });
  if (running) {
    return fn({ source: 'running', endpoints: running.endpoints, resources: running.resources, apiKey: LOCAL_DEV_API_KEY });
  }
  const stack = await startDevStack({ ...options, writeStateFile: false });
  try {
    return await fn({ source: 'throwaway', endpoints: stack.endpoints, resources: stack.resources, apiKey: stack.apiKey });
  } finally {
    await stack.stop();
  }
}
