/**
 * `leadflow dev`: the local stack in the foreground (moto, the ipSCAPE simulator, queue pumps) until
 * Ctrl-C or SIGTERM. Other `--local` commands find it through `.leadflow/dev.json` while it runs.
 */
import type { Command } from 'commander';
import { DEV_TIME_SCALE, startDevStack, type DevStack } from '../../local/dev-stack';
import { localErasureApiTo, localQueueHandlersTo, localSchedules } from '../../local/function-handlers';
import { ExitCode, failure } from '../exit-codes';
import type { Io } from '../output';
import type { RunCommand } from '../program';
import { integerOption, timeScaleOption } from '../parse-options';
import { listenForShutdown } from '../shutdown';

export interface DevOptions {
  json?: boolean;
  stage: string;
  timeScale: number;
  seed?: number;
  bulkJobMs?: number;
}

/** Registers `dev` on the program; `run` receives the parsed options and the command's output. */
export function registerDev(program: Command, run: RunCommand): void {
  program
    .command('dev')
    .description('start the local stack in the foreground (moto, ipSCAPE simulator, queue pumps) until Ctrl-C')
    .option('--stage <stage>', 'stage for resource names', 'dev')
    .option('--time-scale <factor>', 'scale queue visibility timeouts (0 < f <= 1)', timeScaleOption, DEV_TIME_SCALE)
    .option('--seed <n>', 'seed for the simulator', integerOption)
    .option('--bulk-job-ms <ms>', 'how long simulated bulk jobs take', integerOption)
    .option('--json', 'print the endpoints as one JSON document on stdout')
    .action(async (options: DevOptions) => run((io) => runDev(options, io), Boolean(options.json)));
}

/** Runs the dev stack until a signal; exit 0 after a clean stop, 1 if moto dies under it. */
export async function runDev(options: DevOptions, io: Io): Promise<ExitCode> {
  const shutdown = listenForShutdown((signal) => io.progress(`${signal}: stopping the dev stack...`));
  let stack: DevStack | undefined;
  try {
    stack = await startDevStack({
      stage: options.stage,
      timeScale: options.timeScale,
      simulator: { seed: options.seed, bulkJobDurationMs: options.bulkJobMs },
      handlers: localQueueHandlersTo({ stream: process.stderr }),
      schedules: localSchedules,
      erasureApi: localErasureApiTo({ stream: process.stderr }),
      log: (line) => io.progress(`  ${line}`),
    });
    printEndpoints(stack, io);
    const outcome = await Promise.race([shutdown.requested.then(() => 'signal' as const), stack.motoExited.then(() => 'moto-exited' as const)]);
    await stack.stop();
    stack = undefined;
    if (outcome === 'moto-exited') throw failure('moto exited unexpectedly; the dev stack has stopped');
    io.progress('dev stack stopped');
    return ExitCode.Ok;
  } finally {
    await stack?.stop();
    shutdown.dispose();
  }
}

function printEndpoints(stack: DevStack, io: Io): void {
  const { endpoints, resources } = stack;
  const pumped = stack.pumpedQueues.length ? stack.pumpedQueues.join(', ') : 'none (no function handlers registered yet)';
  io.progress(
    [
      `leadflow dev: ready (stage ${resources.stage}, time scale ${resources.timeScale}, pid ${process.pid})`,
      `  AWS endpoint (S3, SQS, DynamoDB)  ${endpoints.aws}`,
      `  ipSCAPE simulator base URL        ${endpoints.ipscape}`,
      `  simulator admin API               ${endpoints.adminUrl}`,
      `  erasure API                       ${endpoints.erasureApi ?? '(not served)'}`,
      `  uploads bucket                    ${resources.bucket}  (drop CSVs under incoming/<listId>/)`,
      `  privacy bucket                    ${resources.privacyBucket}`,
      `  state table                       ${resources.tables.state}`,
      `  queue pumps                       ${pumped}`,
      `  state file                        ${stack.stateFile ?? '(none)'}`,
      `Use it from another shell with \`leadflow <command> --local\`, or AWS_ENDPOINT_URL=${endpoints.aws}.`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  io.result({
    endpoints,
    resources,
    pid: process.pid,
    processes: stack.processes,
    stateFile: stack.stateFile ?? null,
  });
}
