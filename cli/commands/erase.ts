/**
 * `leadflow erase --phone P --email E [--jurisdiction AU|GDPR|CCPA] [--external-id X] [--wait] (--local | --stack NAME) [--json]`,
 * `leadflow erase --file requests.csv (--local | --stack NAME) [--json]` (one request per row, a report line per row)
 * and `leadflow erasure-status <requestId> (--local | --stack NAME) [--json]`.
 *
 * `erase` submits a request through the erasure HTTP API and prints it (id, status, due date); with
 * `--wait` (always on a throwaway local stack, whose worker stops with the command) it follows the
 * request to its end and prints the receipt. Exit 0 when accepted or completed, 1 when it failed or
 * was cancelled, 2 for a request the API refuses (fields named, values never printed).
 */
import type { Command } from 'commander';
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { readRequestFile, RequestFileError } from '../../shared/erasure/request-file';
import type { RequestView } from '../../shared/erasure/http-api';
import { erasureApiRoutes } from '../erasure-routes';
import { withErasureApi, type ErasureApiClient } from '../erasure-api-client';
import { CliError, ExitCode, failure, usageError } from '../exit-codes';
import type { Io } from '../output';
import type { RunCommand } from '../program';
import { addTargetOptions, resolveTarget, type Target, type TargetOptions } from '../target';

export interface EraseOptions extends TargetOptions {
  file?: string;
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
      .option('--external-id <id>', "the privacy team's reference (ticket id); the same id returns the same request")
      .option('--file <requests.csv>', 'many requests, one a row (columns phone, email, jurisdiction, external id); a report line per row'),
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

/** One row of a request file, as reported. */
export interface FileRowResult {
  readonly line: number;
  readonly outcome: 'created' | 'existing' | 'refused';
  readonly requestId?: string;
  readonly status?: string;
  readonly problem?: string;
}

/** Submits every request of a CSV file, each on its own; the report says what became of each row. */
async function runEraseFile(file: string, target: Target, io: Io): Promise<ExitCode> {
  await access(file).catch(() => {
    throw usageError(`${file}: no such file`);
  });
  return withErasureApi(target, io, false, async (api) => {
    const results: FileRowResult[] = [];
    try {
      for await (const row of readRequestFile(createReadStream(file))) {
        try {
          const { status, body: view } = await api.send<RequestView>('POST', erasureApiRoutes.requests, row.body);
          results.push({ line: row.line, outcome: status === 201 ? 'created' : 'existing', requestId: view.requestId, status: view.status });
        } catch (error) {
          // A refused row (exit 2 from the API) is reported, not fatal; anything else stops the file.
          if (!(error instanceof CliError) || error.exitCode !== ExitCode.Usage) throw error;
          results.push({ line: row.line, outcome: 'refused', problem: error.message });
        }
      }
    } catch (error) {
      if (error instanceof RequestFileError) throw usageError(`${file}: ${error.message}`);
      throw error;
    }
    const count = (o: FileRowResult['outcome']) => results.filter((r) => r.outcome === o).length;
    const human = [
      `${file}: ${results.length} request row(s): ${count('created')} created, ${count('existing')} already known, ${count('refused')} refused`,
      ...results.map((r) => `  line ${r.line}: ${r.outcome}${r.requestId ? ` ${r.requestId} (${r.status})` : ''}${r.problem ? `: ${r.problem}` : ''}`),
    ].join('\n');
    io.result(results, human);
    return ExitCode.Ok;
  });
}

/** Submits a request. */
export async function runErase(target: Target, options: EraseOptions, io: Io): Promise<ExitCode> {
  if (options.file !== undefined) {
    if (options.phone || options.email || options.externalId) throw usageError('--file takes its requests from the file: no --phone, --email or --external-id with it');
    return runEraseFile(options.file, target, io);
  }
  if (!options.phone && !options.email) throw usageError('give --phone, --email or both (or --file)');
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
