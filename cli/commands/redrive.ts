/**
 * `leadflow redrive <queue> (--local | --stack NAME) [--max N] [--json]`: after the cause of the
 * failures is fixed, moves the queue's dead-letter messages back to it, where they get a fresh
 * `maxReceiveCount` of attempts.
 */
import type { Command } from 'commander';
import { findRunningDevStack } from '../../local/dev-stack';
import { localClients, type LocalClients } from '../../local/aws-clients';
import { queueNames, type QueueName } from '../../shared/resources/resources';
import { describeDeployedStack, stackClients } from '../deployed-stack';
import { redriveDlq } from '../dlq-redrive';
import { ExitCode, failure, usageError } from '../exit-codes';
import type { Io } from '../output';
import { positiveInteger } from '../parse-options';
import type { RunCommand } from '../program';
import { addTargetOptions, resolveTarget, type Target, type TargetOptions } from '../target';

export interface RedriveOptions extends TargetOptions {
  max?: number;
  json?: boolean;
}

/** Registers `redrive` on the program. */
export function registerRedrive(program: Command, run: RunCommand): void {
  addTargetOptions(
    program
      .command('redrive')
      .description("move a queue's dead-letter messages back to it (after fixing what made them fail)")
      .argument('<queue>', `the queue: ${queueNames.join(', ')}`),
  )
    .option('--max <n>', 'move at most this many messages', positiveInteger)
    .option('--json', 'print the result as JSON')
    .action(async (queue: string, options: RedriveOptions) => run((io) => runRedrive(queue, resolveTarget(options), options, io), Boolean(options.json)));
}

/** Redrives one queue's DLQ on a target. */
export async function runRedrive(queue: string, target: Target, options: RedriveOptions, io: Io): Promise<ExitCode> {
  if (!(queueNames as readonly string[]).includes(queue)) throw usageError(`redrive: no queue "${queue}"; one of ${queueNames.join(', ')}`);
  const name = queue as QueueName;
  let clients: LocalClients;
  let urls: { queue: string; dlq: string };
  if (target.kind === 'local') {
    const running = await findRunningDevStack();
    if (!running) throw failure('no local stack is running: start one with `leadflow dev` (its DLQs live there)');
    clients = localClients(running.endpoints.aws, running.resources.region);
    urls = { queue: running.resources.queues[name].url, dlq: running.resources.queues[name].dlq.url };
  } else {
    const stack = await describeDeployedStack(target.name);
    clients = stackClients(stack);
    urls = { queue: stack.queues[name].url, dlq: stack.queues[name].dlqUrl };
  }
  try {
    const result = await redriveDlq(clients.sqs, urls.dlq, urls.queue, { ...(options.max !== undefined && { max: options.max }), progress: (n) => io.progress(`  moved ${n}`) });
    io.result(
      { queue: name, ...result },
      `${name}: moved ${result.moved} message${result.moved === 1 ? '' : 's'} from its DLQ back to the queue` +
        (result.failed ? `; ${result.failed} could not be sent and stay in the DLQ` : '') +
        (result.remaining ? `; about ${result.remaining} still in the DLQ` : ''),
    );
    return result.failed ? ExitCode.Failed : ExitCode.Ok;
  } finally {
    clients.destroy();
  }
}
