/**
 * `leadflow start`: the main job end to end (what `npm start` runs with `--local`).
 *
 * Today it brings up (or reuses) the local stack and reports its endpoints; the smoke flow itself
 * goes into {@link runStart}.
 */
import type { Command } from 'commander';
import { withLocalStack, type LocalStack } from '../../local/dev-stack';
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
 * THE MAIN JOB. Uses the running dev stack if there is one, else a throwaway local stack.
 *
 * ▶ To be completed (smoke flow): inside the `withLocalStack` callback, drive the job against
 * `stack.endpoints` / `stack.resources` (upload a CSV under `incoming/<listId>/`, follow the upload to
 * its report, print progress with `io.progress`), then report with one `io.result(...)` and return
 * the exit code (0 ran to its end, 1 could not finish). Today it only reports the endpoints.
 */
export async function runStart(target: Target, io: Io): Promise<ExitCode> {
  requireLocalTarget(target);
  return withLocalStack(
    async (stack: LocalStack) => {
      io.progress(stack.source === 'running' ? 'using the running dev stack (.leadflow/dev.json)' : 'started a throwaway local stack');
      io.progress(`  AWS endpoint       ${stack.endpoints.aws}`);
      io.progress(`  ipSCAPE simulator  ${stack.endpoints.ipscape}`);
      // ▶ smoke flow goes here.
      io.result(
        { target: 'local', stack: stack.source, endpoints: stack.endpoints, resources: stack.resources },
        `local stack (${stack.source}): AWS ${stack.endpoints.aws}, ipSCAPE ${stack.endpoints.ipscape}`,
      );
      return ExitCode.Ok;
    },
    { handlers: localQueueHandlers, schedules: localSchedules, log: (line) => io.progress(`  ${line}`) },
  );
}
