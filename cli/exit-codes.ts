/**
 * Exit codes of every `leadflow` command, and the errors that carry them.
 *
 * 0: the job ran to its end (even with rejected rows: those are in the report, not a failure).
 * 1: it could not finish: failed or in-doubt work, an unreachable service.
 * 2: bad usage or configuration: nothing was attempted.
 */
import { MotoNotFoundError } from '../local/moto';
import { ConfigError } from '../shared/config/config';
import { TenantConfigError } from '../shared/ipscape/tenant-config';

export const ExitCode = { Ok: 0, Failed: 1, Usage: 2 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error the CLI reports as its message alone (no stack), with its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/** Bad usage or configuration: exit 2. */
export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.Usage);
}

/** The job could not finish: exit 1. */
export function failure(message: string): CliError {
  return new CliError(message, ExitCode.Failed);
}

/** The exit code for an error escaping a command: configuration problems are 2, everything else 1. */
export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  // A machine without moto or a bad tenant document is a configuration problem, not a failed job.
  if (error instanceof MotoNotFoundError || error instanceof TenantConfigError || error instanceof ConfigError) return ExitCode.Usage;
  return ExitCode.Failed;
}
