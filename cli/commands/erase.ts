/**
 * `leadflow erase --phone P --email E [--jurisdiction AU|GDPR|CCPA] [--external-id X] [--wait] (--local | --stack NAME) [--json]`
 * and `leadflow erasure-status <requestId> (--local | --stack NAME) [--json]`.
 *
 * `erase` submits a request through the erasure HTTP API and prints it (id, status, due date); with
 * `--wait` (always on a throwaway local stack, whose worker stops with the command) it follows the
 * request to its end and prints the receipt. Exit 0 when accepted or completed, 1 when it failed or
 * was cancelled, 2 for a request the API refuses (fields named, values never printed).
 */
import type { Command } from 'commander';
import type { RequestView } from '../../shared/erasure/http-api';
import { erasureApiRoutes } from '../erasure-routes';
import { withErasureApi, type ErasureApiClient } from '../erasure-api-client';
import { ExitCode, failure, usageError } from '../exit-codes';
import type { Io } from '../output';
import type { RunCommand } from '../program';
import { addTargetOptions, resolveTarget, type Target, type TargetOptions } from '../target';

export interface EraseOptions extends TargetOptions {
  phone?: string;
  email?: string;
  jurisdiction?: string;
  externalId?: string;
  wait?: boolean;
  json?: boolean;
}

const FINAL = ['completed', 'failed', 'cancelled'];

/** Registers `erase` and `erasure-status`. */
export function registerErase(program: Command, run: RunCommand): void {
  addTargetOptions(
    program
      .command('erase')
      .description('ask for a person to be erased (ipSCAPE, our stored rows) and suppressed, by phone and/or email')
      .option('--phone <phone>', 'phone number, any common writing (normalised to E.164)')
      .option('--email <email>', 'email address')
      .option('--jurisdiction <law>', 'AU (30 days), GDPR (one month) or CCPA (45 days); AU by default')
      .option('--external-id <id>', "the privacy team's reference (ticket id); the same id returns the same request"),
  )
    .option('--wait', 'follow the request until it ends and print its receipt')
    .option('--json', 'print the request (with its receipt once completed) as JSON')
    .action(async (options: EraseOptions) => run((io) => runErase(resolveTarget(options), options, io), Boolean(options.json)));

  addTargetOptions(program.command('erasure-status').description('show where an erasure request stands, with its receipt once completed').argument('<requestId>', 'the request id (er…)'))
    .option('--json', 'print the request as JSON')
    .action(async (requestId: string, options: TargetOptions & { json?: boolean }) =>
      run((io) => runErasureStatus(requestId, resolveTarget(options), io), Boolean(options.json)),
    );
}

/** One line about a request, and its receipt in short once completed. */
export function describeRequest(r: RequestView): string {
  const lines = [`erasure request ${r.requestId}: ${r.status} (${r.kinds.join(' and ')}, ${r.jurisdiction}, due ${r.dueAt.slice(0, 10)})`];
  if (r.waiting) lines.push(`  waiting for ingestion in flight: ${r.waiting.uploads} upload(s) parsing, ${r.waiting.chunks} chunk(s) not ended`);
  if (r.lastError) lines.push(`  last error: ${r.lastError.kind}: ${r.lastError.message}`);
  for (const id of r.receipt?.identifiers ?? []) {
    const c = id.counts;
    lines.push(
      `  ${id.kind}: ${id.nothingHeld ? 'nothing held by ipSCAPE' : `${c.leadData.leadsDeleted ?? 0} lead(s) deleted, ${c.callData.activitiesOverwritten ?? 0} call(s) and ${(c.emailData.inboundEmailsOverwritten ?? 0) + (c.emailData.outboundEmailsOverwritten ?? 0)} email(s) overwritten, ${c.callData.voiceRecordingsDeleted ?? 0} recording(s) deleted`} (${id.calls.length} call(s))`,
    );
  }
  if (r.receipt?.ourData) {
    const objects = r.receipt.ourData.objects;
    lines.push(`  our data: ${objects.length} object(s) rewritten or deleted, ${objects.reduce((n, o) => n + o.versionsDeleted, 0)} version(s) deleted`);
  }
  return lines.join('\n');
}

async function follow(api: ErasureApiClient, requestId: string, io: Io, timeoutMs = 600_000): Promise<RequestView> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const view = await api.call<RequestView>('GET', erasureApiRoutes.request(requestId));
    if (view.status !== last) io.progress(`  ${requestId}: ${view.status}`);
    last = view.status;
    if (FINAL.includes(view.status)) return view;
    if (Date.now() > deadline) throw failure(`erasure request ${requestId} did not end within ${timeoutMs / 1000} s; it goes on: \`leadflow erasure-status ${requestId}\``);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Submits a request. */
export async function runErase(target: Target, options: EraseOptions, io: Io): Promise<ExitCode> {
  if (!options.phone && !options.email) throw usageError('give --phone, --email or both');
  const body = {
    ...(options.phone !== undefined && { phone: options.phone }),
    ...(options.email !== undefined && { email: options.email }),
    ...(options.jurisdiction !== undefined && { jurisdiction: options.jurisdiction.toUpperCase() }),
    ...(options.externalId !== undefined && { externalId: options.externalId }),
  };
  return withErasureApi(target, io, false, async (api) => {
    let view = await api.call<RequestView>('POST', erasureApiRoutes.requests, body);
    io.progress(`erasure request ${view.requestId} ${view.status === 'received' ? 'received' : `already known (${view.status})`}`);
    if (options.wait || api.source === 'throwaway') view = await follow(api, view.requestId, io);
    io.result(view, describeRequest(view));
    return view.status === 'failed' || view.status === 'cancelled' ? ExitCode.Failed : ExitCode.Ok;
  });
}

/** Shows a request. */
export async function runErasureStatus(requestId: string, target: Target, io: Io): Promise<ExitCode> {
  if (!/^er[0-9a-f]{20}$/.test(requestId)) throw usageError(`${requestId}: an erasure request id is "er" and 20 hex digits`);
  return withErasureApi(target, io, true, async (api) => {
    const view = await api.call<RequestView>('GET', erasureApiRoutes.request(requestId));
    io.result(view, describeRequest(view));
    return view.status === 'failed' ? ExitCode.Failed : ExitCode.Ok;
  });
}
