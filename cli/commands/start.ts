/**
 * `leadflow start`: the main job end to end (what `npm start` runs with `--local`): every example
 * file under `examples/` goes through the real pipeline (S3 notification, ingest, submit and poll
 * functions, the ipSCAPE simulator), with progress on stderr and each upload's summary at the end.
 */
import type { Command } from 'commander';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, usageError } from '../exit-codes';
import type { Io } from '../output';
import type { RunCommand } from '../program';
import { resolveTarget, addTargetOptions, requireLocalTarget, type Target, type TargetOptions } from '../target';
import { runIngest } from './ingest';

export interface StartOptions extends TargetOptions {
  json?: boolean;
}

/** The example files `start` ingests. */
export const EXAMPLES_DIR = fileURLToPath(new URL('../../examples', import.meta.url));

/** Registers `start` on the program. */
export function registerStart(program: Command, run: RunCommand): void {
  addTargetOptions(program.command('start').description('run the main job end to end: ingest the example files'))
    .option('--json', 'print one JSON array of summaries on stdout')
    .action(async (options: StartOptions) => run((io) => runStart(resolveTarget(options), io, Boolean(options.json)), Boolean(options.json)));
}

/**
 * The main job: ingests `examples/*.csv` into list 1 of the target.
 *
 * @returns 0 when every file ran to its end (rejected rows included), 1 when a file has failed or in-doubt rows.
 */
export async function runStart(target: Target, io: Io, json = false): Promise<ExitCode> {
  // The example leads are fictional: they never go to a customer's tenant (`ingest --stack` does, on purpose).
  requireLocalTarget(target);
  const files = (await readdir(EXAMPLES_DIR)).filter((f) => f.endsWith('.csv')).sort().map((f) => join(EXAMPLES_DIR, f));
  if (files.length === 0) throw usageError(`no example CSV files in ${EXAMPLES_DIR}`);
  io.progress(`ingesting ${files.length} example file${files.length === 1 ? '' : 's'} into list 1`);
  return runIngest(files, target, { listId: 1, json }, io);
}
