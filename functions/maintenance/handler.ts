/**
 * maintenance: applies reviewed plans from its queue (a start message, or a run's continuation) and,
 * on the schedule (disabled and dry-run by default in the stack), makes a plan under the configured
 * policy, queueing its start only when the schedule is live, the policy allows `autoApply` and the
 * plan is within its caps.
 *
 * Thin: parse the event, call the domain (`shared/maintenance/`), map the result. Refusals (over a
 * cap, expired, locked) are outcomes, not failures: the message is consumed and never retried into
 * the DLQ. An error (ipSCAPE or AWS down) fails the record, and its retry continues from the checkpoint.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, ScheduledEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { deployedClients } from '../../shared/lambda/deployed-clients';
import { parseQueueMessage } from '../../shared/lambda/queue-message';
import { METRIC_NAMESPACE } from '../../shared/lambda/sqs-handler';
import { startApply, continueApply, type ApplyOutcome } from '../../shared/maintenance/apply-plan';
import { createMaintenancePorts } from '../../shared/maintenance/aws-maintenance-ports';
import type { MaintenancePorts } from '../../shared/maintenance/maintenance-ports';
import { maintenanceMessageSchema } from '../../shared/maintenance/messages';
import { continuePlanning, startPlanning, type PlanOutcome, type PlanResult } from '../../shared/maintenance/plan-maintenance';
import { sha256Hex } from '../../shared/maintenance/plan-files';
import type { MaintenancePolicy } from '../../shared/maintenance/policy';
import { powertoolsTelemetry } from '../../shared/observability/powertools-telemetry';
import type { Telemetry } from '../../shared/observability/telemetry';

/** What the function works with: its ports and the policy the schedule plans with (if configured). */
export interface MaintenanceRuntime {
  readonly ports: MaintenancePorts;
  readonly policy?: MaintenancePolicy;
}

/** The deployed runtime: configuration from the environment (the policy document by its SSM pointer), default AWS clients. */
export async function deployedMaintenance(telemetry: Telemetry): Promise<MaintenanceRuntime> {
  const { config, clients } = await deployedClients();
  const ports = await createMaintenancePorts(config, clients, telemetry);
  return { ports, ...(config.maintenancePolicy && { policy: config.maintenancePolicy }) };
}

/** The outcome of one queue message. */
export type MaintenanceMessageOutcome = ApplyOutcome | PlanOutcome;

/** Handles one queue message: start or continue applying a plan, or continue a planning walk. Throws to have it retried. */
export async function maintenanceMessage(body: string, runtime: MaintenanceRuntime, remainingMs: () => number): Promise<MaintenanceMessageOutcome> {
  const message = parseQueueMessage(maintenanceMessageSchema, body);
  const { ports } = runtime;
  if (message.kind === 'maintenance-plan') {
    const outcome = await continuePlanning(ports, message.planId, message.step, { handOver: 'queue', budget: { maxPages: ports.settings.maxPagesPerInvocation, remainingMs } });
    if (outcome.outcome === 'planned') await queueIfLive(ports, outcome.result);
    return outcome;
  }
  const options = { handOver: 'queue' as const, budget: { maxLeads: ports.settings.maxLeadsPerInvocation, remainingMs } };
  return message.runId && message.step
    ? continueApply(ports, message.planId, message.runId, message.step, options)
    : startApply(ports, message.planId, options);
}

/** What the schedule sends: `{ "dryRun": false }` lets a plan be applied; anything else is a dry run. */
export interface ScheduleInput {
  readonly dryRun?: unknown;
}

/** A finished plan goes to the queue for applying only when the run was live, the policy says autoApply and it is within its caps. */
async function queueIfLive(ports: MaintenancePorts, plan: PlanResult): Promise<boolean> {
  const queued = plan.live && plan.summary.autoApply && plan.withinCaps && plan.summary.totals.planned > 0;
  if (queued) await ports.queue.send({ kind: 'maintenance-apply', planId: plan.planId });
  ports.telemetry.info(queued ? 'maintenance plan queued for applying (autoApply)' : 'maintenance plan awaits review', { planId: plan.planId });
  return queued;
}

/**
 * The scheduled run: a plan under the configured policy, queued for applying only when the schedule
 * is live (`dryRun: false`), the policy allows `autoApply` and the plan is within its caps. A walk
 * longer than the invocation continues through the queue (and is queued for applying at its end).
 */
export async function scheduledMaintenance(
  runtime: MaintenanceRuntime,
  input: ScheduleInput = {},
  remainingMs?: () => number,
): Promise<{ planId: string | null; queued: boolean; continuing: boolean }> {
  const { ports, policy } = runtime;
  if (!policy) {
    ports.telemetry.warn('maintenance schedule fired without MAINTENANCE_POLICIES: nothing planned');
    return { planId: null, queued: false, continuing: false };
  }
  // Only an explicit false makes the schedule live: a missing or odd value stays a dry run.
  const live = input.dryRun === false;
  const outcome = await startPlanning(
    ports,
    policy,
    { trigger: 'schedule', policySha256: sha256Hex(JSON.stringify(policy)), live },
    { handOver: 'queue', budget: { maxPages: ports.settings.maxPagesPerInvocation, ...(remainingMs && { remainingMs }) } },
  );
  if (outcome.outcome !== 'planned') return { planId: outcome.planId, queued: false, continuing: outcome.outcome === 'continuing' };
  return { planId: outcome.result.planId, queued: await queueIfLive(ports, outcome.result), continuing: false };
}

function isSqsEvent(event: unknown): event is SQSEvent {
  return Array.isArray((event as SQSEvent | undefined)?.Records);
}

/** Builds the handler around a runtime (deployed by default; the local runtime passes its own). */
export function createMaintenanceHandler(
  runtime: (telemetry: Telemetry) => Promise<MaintenanceRuntime> = deployedMaintenance,
  powertools: { logger?: Logger; metrics?: Metrics } = {},
) {
  const logger = powertools.logger ?? new Logger({ serviceName: 'maintenance' });
  const metrics = powertools.metrics ?? new Metrics({ namespace: METRIC_NAMESPACE, serviceName: 'maintenance' });
  const telemetry = powertoolsTelemetry(logger, metrics);
  let built: Promise<MaintenanceRuntime> | undefined;
  const base = async (event: SQSEvent | ScheduledEvent | ScheduleInput, context: Context): Promise<SQSBatchResponse | { planId: string | null; queued: boolean; continuing: boolean }> => {
    built ??= runtime(telemetry).catch((error) => {
      built = undefined;
      throw error;
    });
    const rt = await built;
    if (!isSqsEvent(event)) return scheduledMaintenance(rt, event as ScheduleInput, () => context.getRemainingTimeInMillis());
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      try {
        const outcome = await maintenanceMessage(record.body, rt, () => context.getRemainingTimeInMillis());
        const planId = 'planId' in outcome ? outcome.planId : outcome.result.planId;
        telemetry.info(`maintenance: ${outcome.outcome}`, { planId, ...('reason' in outcome && { reason: outcome.reason }) });
      } catch (error) {
        telemetry.error('maintenance message failed; it will be retried', { error: error instanceof Error ? error.name : 'unknown' });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
  return middy(base).use(injectLambdaContext(logger)).use(logMetrics(metrics));
}

export const handler = createMaintenanceHandler();
