/**
 * Where a command acts. There is no default: nothing ever reaches a real AWS account unless the user
 * names a deployed stack.
 */
import type { Command } from 'commander';
import { usageError } from './exit-codes';

/** The local stack (moto + simulator), or a deployed stack by name. */
export type Target = { readonly kind: 'local' } | { readonly kind: 'stack'; readonly name: string };

export interface TargetOptions {
  local?: boolean;
  stack?: string;
}

/** Adds `--local` and `--stack NAME` to a command. */
export function addTargetOptions(command: Command): Command {
  return command
    .option('--local', 'act on the local stack: the running `leadflow dev` stack, or a throwaway one')
    .option('--stack <name>', 'act on a deployed stack (its stage name)');
}

/** The target the options name; a usage error (exit 2) for neither or both. */
export function resolveTarget(options: TargetOptions): Target {
  if (options.local && options.stack !== undefined) throw usageError('choose one target: --local or --stack NAME, not both');
  if (options.local) return { kind: 'local' };
  if (options.stack !== undefined) {
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(options.stack)) {
      throw usageError(`--stack "${options.stack}": a stack name is 1-31 lower-case letters, digits or dashes`);
    }
    return { kind: 'stack', name: options.stack };
  }
  throw usageError(
    'no target: pass --local (moto and the ipSCAPE simulator on this machine) or --stack NAME (a deployed stack). ' +
      'Nothing runs against AWS by default.',
  );
}

/**
 * For commands that act on the local stack only: a usage error (exit 2) for `--stack`. `ingest`,
 * `status` and `redrive` take a deployed stack (its outputs through cli/deployed-stack.ts).
 */
export function requireLocalTarget(target: Target): asserts target is { kind: 'local' } {
  if (target.kind === 'stack') {
    throw usageError(`--stack ${target.name}: this command runs on the local stack only (--local); ingest, status and redrive take --stack`);
  }
}
