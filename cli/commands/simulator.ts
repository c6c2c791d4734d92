/** `leadflow simulator`: the ipSCAPE simulator alone, in the foreground, until Ctrl-C or SIGTERM. */
import type { Command } from 'commander';
import { LOCAL_DEV_API_KEY } from '../../local/dev-stack';
import { parseTenantConfig } from '../../shared/ipscape/tenant-config';
import { ExitCode } from '../exit-codes';
import type { Io } from '../output';
import type { RunCommand } from '../program';
import { integerOption, portOption } from '../parse-options';
import { listenForShutdown } from '../shutdown';

export interface SimulatorCommandOptions {
  port: number;
  seed?: number;
  bulkJobMs?: number;
  apiKey?: string;
  json?: boolean;
}

/** Registers `simulator` on the program. */
export function registerSimulator(program: Command, run: RunCommand): void {
  program
    .command('simulator')
    .description('run the ipSCAPE simulator alone until Ctrl-C')
    .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', portOption, 0)
    .option('--seed <n>', 'seed for the random source, so runs repeat', integerOption)
    .option('--bulk-job-ms <ms>', 'how long a bulk job takes to complete', integerOption)
    .option('--api-key <key>', 'the API key the simulator accepts (default: the local dev key)')
    .option('--json', 'print the URLs as one JSON document on stdout')
    .action(async (options: SimulatorCommandOptions) => run((io) => runSimulator(options, io), Boolean(options.json)));
}

/** Runs the simulator until a signal; exit 0 after a clean stop. */
export async function runSimulator(options: SimulatorCommandOptions, io: Io): Promise<ExitCode> {
  const shutdown = listenForShutdown((signal) => io.progress(`${signal}: stopping the simulator...`));
  try {
    const { startSimulator } = await import('../../local/simulator');
    const simulator = await startSimulator({
      port: options.port,
      apiKey: options.apiKey ?? LOCAL_DEV_API_KEY,
      tenant: parseTenantConfig({ baseUrl: 'http://127.0.0.1/platform-api/v3.0' }, 'local simulator tenant'),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.bulkJobMs !== undefined ? { bulkJobDurationMs: options.bulkJobMs } : {}),
    });
    try {
      const adminUrl = `${simulator.url}/__admin`;
      io.progress(
        [
          `ipSCAPE simulator: ready (pid ${process.pid})`,
          `  base URL   ${simulator.baseUrl}`,
          `  admin API  ${adminUrl}`,
          // The key itself is never printed, not even the local one.
          `  API key    ${options.apiKey === undefined ? 'the local dev key (set one with --api-key)' : 'as given with --api-key'}; header Authorization: Bearer <key>`,
          'Press Ctrl-C to stop.',
        ].join('\n'),
      );
      io.result({ url: simulator.url, baseUrl: simulator.baseUrl, adminUrl, port: simulator.port, pid: process.pid });
      await shutdown.requested;
    } finally {
      await simulator.close();
    }
    io.progress('simulator stopped');
    return ExitCode.Ok;
  } finally {
    shutdown.dispose();
  }
}
