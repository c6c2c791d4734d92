/**
 * The `leadflow` program: commands, and the rules every command shares (exit codes, `--json`,
 * usage errors). `runCli` never exits the process, so tests can run it in-process.
 */
import { Command, CommanderError } from 'commander';
import { registerDev } from './commands/dev';
import { registerErase } from './commands/erase';
import { registerErasureAdmin } from './commands/erasure-admin';
import { registerIngest } from './commands/ingest';
import { registerMaintain } from './commands/maintain';
import { registerRedrive } from './commands/redrive';
import { registerStatus } from './commands/status';
import { registerSimulator } from './commands/simulator';
import { registerStart } from './commands/start';
import { ExitCode, exitCodeFor } from './exit-codes';
import { createIo, errorDocument, type Io, type OutputStreams } from './output';

/** Runs one command through the shared error and output rules; what each command registers as its action. */
export type RunCommand = (action: (io: Io) => Promise<ExitCode>, json: boolean) => Promise<void>;

/** Parses `argv` (arguments only, without node and the script) and runs the command; resolves with the exit code. */
export async function runCli(argv: readonly string[], streams: OutputStreams = process): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.Ok;
  const json = argv.includes('--json');

  const fail = (code: ExitCode, message: string, io?: Io): ExitCode => {
    streams.stderr.write(`leadflow: ${message}\n`);
    if (json && !io?.hasResult) streams.stdout.write(`${JSON.stringify(errorDocument(code, message), null, 2)}\n`);
    return code;
  };

  const run: RunCommand = async (action, jsonOption) => {
    const io = createIo(jsonOption, streams);
    try {
      exitCode = await action(io);
    } catch (error) {
      exitCode = fail(exitCodeFor(error), error instanceof Error ? error.message : String(error), io);
    }
  };

  const program = new Command('leadflow')
    .description('ipSCAPE lead pipeline: ingest lead files, follow uploads, run the local stack and simulator')
    .showHelpAfterError('(run `leadflow --help` for usage)')
    // Usage errors must not exit from inside commander: they become exit code 2 below.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
    });
  registerDev(program, run);
  registerSimulator(program, run);
  registerStart(program, run);
  registerIngest(program, run);
  registerStatus(program, run);
  registerRedrive(program, run);
  registerErase(program, run);
  registerErasureAdmin(program, run);
  registerMaintain(program, run);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.Ok;
      // Commander has already printed its message to stderr; add only the JSON document if asked for one.
      if (json) streams.stdout.write(`${JSON.stringify(errorDocument(ExitCode.Usage, error.message), null, 2)}\n`);
      return ExitCode.Usage;
    }
    return fail(exitCodeFor(error), error instanceof Error ? error.message : String(error));
  }
  return exitCode;
}
