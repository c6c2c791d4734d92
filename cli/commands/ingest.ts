/**
 * `leadflow ingest <file.csv...> [--list-id N] [--profile NAME] (--local | --stack NAME) [--json]`:
 * uploads files through the real pipeline, follows each to its end and prints its summary. With
 * `--json`, stdout holds one JSON array with one summary per file.
 */
import type { Command } from 'commander';
import { access } from 'node:fs/promises';
import { withLocalStack } from '../../local/dev-stack';
import { localQueueHandlers, localSchedules } from '../../local/function-handlers';
import { describeResult, fileFailed, ingestFile, type FileResult } from '../ingest-files';
import { describeDeployedStack, stackPipeline } from '../deployed-stack';
import { localPipeline, type PipelineAccess } from '../local-pipeline';
import { ExitCode, usageError } from '../exit-codes';
import type { Io } from '../output';
import { positiveInteger } from '../parse-options';
import type { RunCommand } from '../program';
import { addTargetOptions, resolveTarget, type Target, type TargetOptions } from '../target';

export interface IngestOptions extends TargetOptions {
  listId?: number;
  profile?: string;
  rerun?: boolean;
  json?: boolean;
}

/** Registers `ingest` on the program. */
export function registerIngest(program: Command, run: RunCommand): void {
  addTargetOptions(
    program
      .command('ingest')
      .description('upload CSV files of leads through the pipeline and wait for their reports')
      .argument('<files...>', 'CSV files to ingest'),
  )
    .option('--list-id <n>', 'the target list, for rows without a listId column', positiveInteger)
    .option('--profile <name>', 'the header mapping profile')
    .option('--rerun', 'ingest again even if the same content already went to the list')
    .option('--json', 'print one JSON array of summaries on stdout')
    .action(async (files: string[], options: IngestOptions) => run((io) => runIngest(files, resolveTarget(options), options, io), Boolean(options.json)));
}

/** Runs the ingest job on a target. */
export async function runIngest(files: readonly string[], target: Target, options: IngestOptions, io: Io): Promise<ExitCode> {
  for (const file of files) {
    await access(file).catch(() => {
      throw usageError(`${file}: no such file`);
    });
  }
  if (options.profile !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(options.profile)) {
    throw usageError('--profile: letters, digits, "-" and "_" (at most 64)');
  }
  const ingestAll = async (pipeline: PipelineAccess, timeoutMs?: number): Promise<ExitCode> => {
    try {
      const results: FileResult[] = [];
      for (const file of files) {
        results.push(
          await ingestFile(
            file,
            { ...(options.listId !== undefined && { listId: options.listId }), ...(options.profile && { profile: options.profile }), ...(options.rerun && { rerun: true }) },
            { ...pipeline, s3: pipeline.clients.s3, ...(timeoutMs !== undefined && { timeoutMs }) },
          ),
        );
      }
      io.result(
        results.map((r) => ('summary' in r ? r.summary : { file: r.file, uploadId: r.uploadId, error: r.error })),
        results.map(describeResult).join('\n\n'),
      );
      return results.some(fileFailed) ? ExitCode.Failed : ExitCode.Ok;
    } finally {
      pipeline.clients.destroy();
    }
  };
  if (target.kind === 'stack') {
    const stack = await describeDeployedStack(target.name);
    io.progress(`using stack ${stack.stackName} (${stack.region})`);
    // Deployed bulk jobs run at ipSCAPE's pace: wait up to the default job deadline.
    return ingestAll(stackPipeline(stack, io), 3_600_000);
  }
  return withLocalStack(
    async (stack) => {
      io.progress(stack.source === 'running' ? 'using the running dev stack' : 'started a local stack (moto + ipSCAPE simulator)');
      return ingestAll(localPipeline(stack, io));
    },
    { handlers: localQueueHandlers, schedules: localSchedules, log: (line) => io.progress(`  ${line}`) },
  );
}
