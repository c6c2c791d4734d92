/**
 * The privacy officer's other commands, each a call to the erasure HTTP API of the running dev stack
 * (or a deployed stack, later):
 *
 * - `leadflow erasures [--status S] [--due-before ISO] (--local | --stack NAME) [--json]`: requests, oldest due first
 * - `leadflow erasure-cancel <id> --reason TEXT`: cancel an open request (its identifiers are deleted)
 * - `leadflow erasure-retry <id>`: send a failed request back to the worker
 * - `leadflow erasure-receipts [--format json|csv]`: completed requests' receipts on stdout
 * - `leadflow suppression-lift --phone P | --email E --reason TEXT`: take a person off the suppression list
 */
import type { Command } from 'commander';
import type { RequestView } from '../../shared/erasure/http-api';
import { withErasureApi } from '../erasure-api-client';
import { erasureApiRoutes } from '../erasure-routes';
import { ExitCode, usageError } from '../exit-codes';
import type { RunCommand } from '../program';
import { addTargetOptions, resolveTarget, type TargetOptions } from '../target';
import { describeRequest } from './erase';

interface JsonOption extends TargetOptions {
  json?: boolean;
}

const REQUEST_ID = /^er[0-9a-f]{20}$/;
function checkId(id: string): string {
  if (!REQUEST_ID.test(id)) throw usageError(`${id}: an erasure request id is "er" and 20 hex digits`);
  return id;
}

/** Registers the officer's commands. */
export function registerErasureAdmin(program: Command, run: RunCommand): void {
  addTargetOptions(program.command('erasures').description('list erasure requests by status and due date'))
    .option('--status <status>', 'received, processing, completed, failed or cancelled')
    .option('--due-before <instant>', 'only requests due before this ISO instant')
    .option('--json', 'print the requests as JSON')
    .action(async (options: JsonOption & { status?: string; dueBefore?: string }) =>
      run(
        (io) =>
          withErasureApi(resolveTarget(options), io, true, async (api) => {
            const query = new URLSearchParams({ ...(options.status && { status: options.status }), ...(options.dueBefore && { dueBefore: options.dueBefore }) });
            const { requests } = await api.call<{ requests: RequestView[] }>('GET', `${erasureApiRoutes.requests}${query.size ? `?${query}` : ''}`);
            io.result(requests, requests.length ? requests.map(describeRequest).join('\n') : 'no erasure requests');
            return ExitCode.Ok;
          }),
        Boolean(options.json),
      ),
    );

  addTargetOptions(program.command('erasure-cancel').description('cancel an open erasure request').argument('<requestId>'))
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .option('--json', 'print the request as JSON')
    .action(async (id: string, options: JsonOption & { reason: string }) =>
      run(
        (io) =>
          withErasureApi(resolveTarget(options), io, true, async (api) => {
            const view = await api.call<RequestView>('POST', erasureApiRoutes.cancel(checkId(id)), { reason: options.reason });
            io.result(view, describeRequest(view));
            return ExitCode.Ok;
          }),
        Boolean(options.json),
      ),
    );

  addTargetOptions(program.command('erasure-retry').description('retry a failed erasure request').argument('<requestId>'))
    .option('--json', 'print the request as JSON')
    .action(async (id: string, options: JsonOption) =>
      run(
        (io) =>
          withErasureApi(resolveTarget(options), io, true, async (api) => {
            const view = await api.call<RequestView>('POST', erasureApiRoutes.retry(checkId(id)));
            io.result(view, describeRequest(view));
            return ExitCode.Ok;
          }),
        Boolean(options.json),
      ),
    );

  addTargetOptions(program.command('erasure-receipts').description('export the receipts of completed erasure requests'))
    .option('--format <format>', 'json or csv', 'json')
    .option('--json', 'same as --format json')
    .action(async (options: JsonOption & { format: string }) =>
      run(
        (io) =>
          withErasureApi(resolveTarget(options), io, true, async (api) => {
            const format = options.json ? 'json' : options.format;
            if (format !== 'json' && format !== 'csv') throw usageError('--format: json or csv');
            const answer = await api.call<unknown>('GET', erasureApiRoutes.receipts(format));
            io.result(answer, typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2));
            return ExitCode.Ok;
          }),
        Boolean(options.json),
      ),
    );

  addTargetOptions(program.command('suppression-lift').description('take a person off the suppression list, with a recorded reason'))
    .option('--phone <phone>', 'phone number')
    .option('--email <email>', 'email address')
    .requiredOption('--reason <text>', 'why (at least 10 characters; kept for the audit)')
    .option('--json', 'print the outcome as JSON')
    .action(async (options: JsonOption & { phone?: string; email?: string; reason: string }) =>
      run(
        (io) =>
          withErasureApi(resolveTarget(options), io, true, async (api) => {
            const answer = await api.call<{ lifted: number; notSuppressed: number }>('POST', erasureApiRoutes.lift, {
              ...(options.phone && { phone: options.phone }),
              ...(options.email && { email: options.email }),
              reason: options.reason,
            });
            io.result(answer, `${answer.lifted} identifier(s) lifted, ${answer.notSuppressed} were not suppressed`);
            return ExitCode.Ok;
          }),
        Boolean(options.json),
      ),
    );
}
