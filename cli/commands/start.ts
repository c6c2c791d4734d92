/**
 * `leadflow start`: the main job end to end (what `npm start` runs with `--local`).
 *
 * Until lead ingestion lands it runs the smoke flow (`../smoke-flow`): real HTTP calls to the ipSCAPE
 * simulator and a real S3 write to moto, with progress on stderr and the outcome on stdout.
 */
import type { Command } from 'commander';
import { localClients } from '../../local/aws-clients';
import { withLocalStack, type LocalStack } from '../../local/dev-stack';
import { createIpscapeClient } from '../../shared/ipscape/client';
import { parseTenantConfig } from '../../shared/ipscape/tenant-config';
import { runSmokeFlow } from '../smoke-flow';
import { localQueueHandlers, localSchedules } from '../../local/function-handlers';
import { ExitCode } from '../exit-codes';
import type { Io } from '../output';
import type { RunCommand } from '../program';
import { addTargetOptions, requireLocalTarget, resolveTarget, type Target, type TargetOptions } from '../target';

export interface StartOptions extends TargetOptions {
  json?: boolean;
}

/** Registers `start` on the program. */
export function registerStart(program: Command, run: RunCommand): void {
  addTargetOptions(program.command('start').description('run the main job end to end against a target'))
    .option('--json', 'print the outcome as one JSON document on stdout')
    .action(async (options: StartOptions) =>
      // The target is resolved inside the run so that a missing one is reported like any other error (exit 2, JSON error document).
      run((io) => runStart(resolveTarget(options), io), Boolean(options.json)),
    );
}

/**
 * The main job. Uses the running dev stack if there is one, else a throwaway local stack.
 *
 * @returns 0 when the job ran to its end, 1 when the bulk job did not succeed or leads are missing.
 */
export async function runStart(target: Target, io: Io): Promise<ExitCode> {
  requireLocalTarget(target);
  return withLocalStack(
    async (stack: LocalStack) => {
      io.progress(stack.source === 'running' ? 'using the running dev stack (.leadflow/dev.json)' : 'started a throwaway local stack');
      io.progress(`  AWS endpoint       ${stack.endpoints.aws}`);
      io.progress(`  ipSCAPE simulator  ${stack.endpoints.ipscape}`);
      const tenant = parseTenantConfig({ baseUrl: stack.endpoints.ipscape }, 'local simulator');
      const client = createIpscapeClient({ tenant, apiKey: stack.apiKey });
      const aws = localClients(stack.endpoints.aws);
      try {
        const result = await runSmokeFlow({ client, tenant, s3: aws.s3, bucket: stack.resources.bucket, progress: (line) => io.progress(line) });
        const verdict = result.ok ? 'completed' : 'did NOT complete';
        io.result(
          { target: 'local', stack: stack.source, endpoints: stack.endpoints, result },
          [
            `Smoke flow ${verdict} in ${(result.durationMs / 1000).toFixed(1)} s`,
            `  lead list      ${result.listId} (campaign ${result.campaignId})`,
            `  bulk job       ${result.job.uuid}: ${result.job.status} after ${result.job.polls} polls`,
            `  leads          ${result.leadsSubmitted} submitted, ${result.leadsInList} in the list (${result.pagesRead} page${result.pagesRead === 1 ? "" : "s"})`,
            `  report         ${result.report}`,
          ].join('\n'),
        );
        return result.ok ? ExitCode.Ok : ExitCode.Failed;
      } finally {
        aws.destroy();
      }
    },
    { handlers: localQueueHandlers, schedules: localSchedules, log: (line) => io.progress(`  ${line}`) },
  );
}
