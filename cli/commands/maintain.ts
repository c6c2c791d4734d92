/**
 * `leadflow maintain --policy FILE (--local | --stack NAME) [--json]`: plans list maintenance under a
 * policy and prints the plan's summary; exit 1 when the plan is over a cap (it can never be applied).
 * `leadflow maintain --apply <planId> (--local | --stack NAME) [--json]`: applies that reviewed plan,
 * re-checking each lead before completing it; exit 1 when the plan is refused (over a cap, expired,
 * already applied, changed, or another run holds the lock).
 *
 * Planning on a throwaway local stack is a dry run against the seeded simulator; applying needs the
 * running `leadflow dev` stack, where plans live. On a deployed stack (`--stack NAME`) `--apply` hands
 * the plan to the maintenance function through its queue and follows it to its end; planning there is
 * the schedule's (the CLI holds no ipSCAPE key).
 */
import type { Command } from 'commander';
import { createWriteStream, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { findRunningDevStack, LOCAL_DEV_API_KEY, withLocalStack, type LocalStack } from '../../local/dev-stack';
import { stackNameOf } from '../../infra/stack-outputs';
import { createDynamoMaintenanceStore } from '../../shared/maintenance/dynamo-maintenance-store';
import type { MaintenanceMessage } from '../../shared/maintenance/messages';
import { planKeys, type ApplySummary } from '../../shared/maintenance/plan-files';
import { resources } from '../../shared/resources/resources';
import { createS3ObjectStore } from '../../shared/aws/s3-object-store';
import { describeDeployedStack, stackClients } from '../deployed-stack';
import { localClients } from '../../local/aws-clients';
import { localConfig, localFunctionLogFile, localPowertools, localQueueHandlers, localSchedules } from '../../local/function-handlers';
import { parseTenantConfig } from '../../shared/ipscape/tenant-config';
import { startApply, type ApplyOutcome } from '../../shared/maintenance/apply-plan';
import { createMaintenancePorts } from '../../shared/maintenance/aws-maintenance-ports';
import { describeBreach } from '../../shared/maintenance/caps';
import type { MaintenancePorts } from '../../shared/maintenance/maintenance-ports';
import { isPlanId } from '../../shared/maintenance/plan-id';
import { planMaintenance } from '../../shared/maintenance/plan-maintenance';
import { sha256Hex, type MaintenanceSummary } from '../../shared/maintenance/plan-files';
import type { PlanRecord } from '../../shared/maintenance/maintenance-store';
import { MaintenancePolicyError, parseMaintenancePolicyText } from '../../shared/maintenance/policy';
import { powertoolsTelemetry } from '../../shared/observability/powertools-telemetry';
import type { Telemetry } from '../../shared/observability/telemetry';
import { ExitCode, failure, usageError } from '../exit-codes';
import type { Io } from '../output';
import type { RunCommand } from '../program';
import { addTargetOptions, requireLocalTarget, resolveTarget, type Target, type TargetOptions } from '../target';

export interface MaintainOptions extends TargetOptions {
  policy?: string;
  apply?: string;
  json?: boolean;
}

/** Registers `maintain` on the program. */
export function registerMaintain(program: Command, run: RunCommand): void {
  addTargetOptions(program.command('maintain').description('plan list maintenance under a policy (a dry run with a report), or apply a reviewed plan'))
    .option('--policy <file>', 'the maintenance policy (JSON) to plan with')
    .option('--apply <planId>', 'apply this reviewed plan (each lead is re-checked before it is completed)')
    .option('--json', 'print the plan summary (or the apply result) as one JSON document')
    .action(async (options: MaintainOptions) => run((io) => runMaintain(resolveTarget(options), options, io), Boolean(options.json)));
}

/** Runs `maintain` on a target. */
export async function runMaintain(target: Target, options: MaintainOptions & FollowOptions, io: Io): Promise<ExitCode> {
  if (options.policy !== undefined && options.apply !== undefined) {
    throw usageError('choose one: --policy FILE to make a plan, or --apply PLAN_ID to apply a reviewed one');
  }
  if (options.policy === undefined && options.apply === undefined) throw usageError('nothing to do: pass --policy FILE to make a plan, or --apply PLAN_ID');
  if (options.apply !== undefined && !isPlanId(options.apply)) throw usageError(`--apply: "${options.apply}" is not a plan id (mp-<time>-<8 hex digits>)`);
  if (options.apply !== undefined && target.kind === 'stack') return applyOnStack(options.apply, target.name, io, options);
  if (target.kind === 'stack') {
    throw usageError(`--stack ${target.name}: plans are made by the stack's maintenance schedule (the CLI holds no ipSCAPE key); review one and apply it with --apply PLAN_ID --stack ${target.name}`);
  }
  requireLocalTarget(target);
  if (options.apply !== undefined) return applyLocally(options.apply, io);

  const file = options.policy!;
  const text = await readFile(file, 'utf8').catch(() => {
    throw usageError(`${file}: cannot read the policy file`);
  });
  let policy;
  try {
    policy = parseMaintenancePolicyText(text, file);
  } catch (error) {
    if (error instanceof MaintenancePolicyError) throw usageError(error.message);
    throw error;
  }
  return withLocalStack(
    async (stack) => {
      io.progress(stack.source === 'running' ? 'using the running dev stack' : 'started a throwaway local stack: this plan is a dry run against the seeded simulator');
      return withPorts(stack, io, async (ports) => {
        const plan = await planMaintenance(ports, policy, { trigger: 'cli', policySha256: sha256Hex(text) });
        io.result(plan.summary, describePlan(plan.summary, stack.resources.bucket, stack.source === 'running'));
        return plan.withinCaps ? ExitCode.Ok : ExitCode.Failed;
      });
    },
    { handlers: localQueueHandlers, schedules: localSchedules, log: (line) => io.progress(`  ${line}`) },
  );
}

async function applyLocally(planId: string, io: Io): Promise<ExitCode> {
  // Plans live in the running stack; a throwaway one would hold none.
  const running = await findRunningDevStack();
  if (!running) throw failure('no local stack is running: plans live in the `leadflow dev` stack (start it, plan there, then apply)');
  const stack: LocalStack = { source: 'running', endpoints: running.endpoints, resources: running.resources, apiKey: LOCAL_DEV_API_KEY };
  return withPorts(stack, io, async (ports) => {
    const outcome = await startApply(ports, planId, { handOver: 'none' });
    io.result(outcome, describeApply(outcome, stack.resources.bucket));
    return outcome.outcome === 'applied' ? ExitCode.Ok : ExitCode.Failed;
  });
}

/** How often `--apply --stack` reads the plan's progress, and for how long at most. */
export interface FollowOptions {
  readonly pollMs?: number;
  readonly timeoutMs?: number;
}

/**
 * Hands a reviewed plan to the deployed maintenance function (a start message on its queue) and
 * follows the plan record until the run ends. Refuses at once, sending nothing, a plan the function
 * would refuse (missing, over a cap, expired, applied, being applied); the function checks it all again.
 */
async function applyOnStack(planId: string, stage: string, io: Io, options: FollowOptions = {}): Promise<ExitCode> {
  const stack = await describeDeployedStack(stage);
  io.progress(`using stack ${stackNameOf(stage)} (${stack.region})`);
  const clients = stackClients(stack);
  try {
    const store = createDynamoMaintenanceStore({ client: clients.dynamodb, tableName: stack.stateTable });
    const objects = createS3ObjectStore(clients.s3, stack.bucket);
    const keys = planKeys(resources.bucket.prefixes.maintenance, planId);
    const refuse = (reason: string, message: string): ExitCode => {
      io.result({ outcome: 'refused', planId, reason, message }, `plan ${planId} refused (${reason}): ${message}`);
      return ExitCode.Failed;
    };
    const record = await store.getPlan(planId);
    if (!record) return refuse('not-found', `no maintenance plan ${planId} in stack ${stackNameOf(stage)}`);
    if (record.status === 'over-cap' || !record.withinCaps) return refuse('over-cap', `plan ${planId} is over its caps (see s3://${stack.bucket}/${keys.summary}): nothing is applied`);
    if (record.status === 'applying') {
      return refuse(
        'in-progress',
        `plan ${planId} is being applied (${record.position}/${record.leadCount}); if its run died, its message is in the maintenance DLQ: \`leadflow redrive maintenance --stack ${stage}\` continues it from its checkpoint`,
      );
    }
    if (record.status !== 'planned') return refuse(record.status, `plan ${planId} is ${record.status}`);
    if (Date.now() > Date.parse(record.applyBy)) return refuse('expired', `plan ${planId} expired at ${record.applyBy}: make a new plan`);

    const message: MaintenanceMessage = { kind: 'maintenance-apply', planId };
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: stack.queues.maintenance.url, MessageBody: JSON.stringify(message) }));
    io.progress(`plan ${planId}: sent to the maintenance function (${record.leadCount} leads at most ${record.completionsPerSecond}/s); following it (Ctrl-C stops following, not the run)`);

    const pollMs = options.pollMs ?? 2_000;
    const deadline = Date.now() + (options.timeoutMs ?? 6 * 3_600_000);
    let last: PlanRecord = record;
    let shown = -1;
    // A plan still `planned` well after the message was sent was refused by the function (the lock, most often).
    const startBy = Date.now() + 5 * 60_000;
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      last = (await store.getPlan(planId)) ?? last;
      if (last.status === 'applying' && last.position !== shown) {
        shown = last.position;
        io.progress(`  ${last.position}/${last.leadCount}`);
      }
      if (last.status === 'applied' || last.status === 'expired') break;
      if (last.status === 'planned' && Date.now() > startBy) {
        return refuse('not-started', `the maintenance function has not started plan ${planId} (another run may hold the lock): see its logs`);
      }
      if (Date.now() > deadline) throw failure(`plan ${planId} is still ${last.status} at ${last.position}/${last.leadCount}; follow it with its plan record or apply.json`);
    }
    const text = await objects.readText(keys.apply);
    const summary = text ? (JSON.parse(text) as ApplySummary) : undefined;
    if (!summary) throw failure(`plan ${planId} is ${last.status} but has no apply.json yet`);
    const outcome: ApplyOutcome = { outcome: last.status === 'applied' ? 'applied' : 'expired-while-applying', planId, runId: summary.runId, summary };
    io.result(outcome, describeApply(outcome, stack.bucket));
    return last.status === 'applied' ? ExitCode.Ok : ExitCode.Failed;
  } finally {
    clients.destroy();
  }
}

/** The maintenance ports on a local stack; logs and EMF metrics go to the local functions' log file, warnings also to stderr. */
async function withPorts<T>(stack: LocalStack, io: Io, fn: (ports: MaintenancePorts) => Promise<T>): Promise<T> {
  const tenant = parseTenantConfig({ baseUrl: stack.endpoints.ipscape }, 'local tenant');
  const config = localConfig({ endpoints: stack.endpoints, resources: stack.resources, tenant, apiKey: stack.apiKey });
  const clients = localClients(stack.endpoints.aws, stack.resources.region);
  const file = localFunctionLogFile();
  mkdirSync(dirname(file), { recursive: true });
  const stream: Writable = createWriteStream(file, { flags: 'a' });
  const { logger, metrics } = localPowertools('maintenance', stream);
  const logged = powertoolsTelemetry(logger, metrics);
  const telemetry: Telemetry = {
    ...logged,
    // Domain lines carry ids, counts and codes only, so warnings can be shown as they are.
    warn: (message, fields) => {
      logged.warn(message, fields);
      io.progress(`warning: ${message}`);
    },
    error: (message, fields) => {
      logged.error(message, fields);
      io.progress(`error: ${message}`);
    },
  };
  try {
    return await fn(await createMaintenancePorts(config, clients, telemetry));
  } finally {
    metrics.publishStoredMetrics();
    clients.destroy();
    await new Promise<void>((resolve) => stream.end(resolve));
  }
}

const counts = (record: Readonly<Record<string, number | undefined>>) =>
  Object.entries(record)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

/** The plan summary for people. */
export function describePlan(summary: MaintenanceSummary, bucket: string, applicable: boolean): string {
  const skipped: Record<string, number> = {};
  for (const l of summary.lists) if (l.skipped) skipped[l.skipped] = (skipped[l.skipped] ?? 0) + 1;
  const lines = [
    `plan ${summary.planId} → ${summary.withinCaps ? 'within its caps' : 'OVER A CAP: it will not be applied'}`,
    `  lists: ${summary.totals.listsScanned} scanned of ${summary.totals.listsSeen} (${counts(skipped)} skipped)`,
    `  leads: ${summary.totals.leadsScanned} scanned, ${summary.totals.activeLeads} open, ${summary.totals.planned} to complete (${counts(summary.totals.byRule)})`,
    `  findings, reported only: ${counts(summary.totals.findings)}`,
    `  caps: at most ${summary.caps.maxLeadsPerPlan} leads, ${(summary.caps.maxShareOfList * 100).toFixed(1)} % of any list`,
    ...summary.capBreaches.map((b) => `  over: ${describeBreach(b)}`),
    `  apply by: ${summary.applyBy}`,
    `  plan:    s3://${bucket}/${summary.files.plan}`,
    `  summary: s3://${bucket}/${summary.files.summary}`,
  ];
  if (summary.withinCaps && summary.totals.planned > 0) {
    lines.push(applicable ? `  review plan.csv, then: leadflow maintain --apply ${summary.planId} --local` : '  (a dry run: run `leadflow dev` to make a plan you can apply)');
  }
  return lines.join('\n');
}

/** The apply result for people. */
export function describeApply(outcome: ApplyOutcome, bucket: string): string {
  switch (outcome.outcome) {
    case 'applied':
    case 'expired-while-applying': {
      const s = outcome.summary;
      return [
        `plan ${s.planId} → ${s.status}: ${s.completed} completed, ${s.skipped} skipped, ${s.notReached} not reached, of ${s.planned}`,
        `  completed by rule: ${counts(s.completedByRule)}`,
        `  skipped: ${counts(s.skippedByReason)}`,
        `  applied: s3://${bucket}/${s.files.applied}`,
      ].join('\n');
    }
    case 'refused':
      return `plan ${outcome.planId} refused (${outcome.reason}): ${outcome.message}`;
    case 'continuing':
      return `plan ${outcome.planId}: continuing at ${outcome.position} of ${outcome.planned}`;
    case 'stale-message':
      return `plan ${outcome.planId}: this run no longer applies it`;
  }
}
