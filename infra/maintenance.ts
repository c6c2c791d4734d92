/**
 * List maintenance in the stack: the two functions (both `functions/maintenance/handler.ts`), what
 * each may touch, and the alarms that say a plan needs an operator.
 *
 * - The consumer applies reviewed plans from the maintenance queue and hands a long run over to its
 *   next invocation through the same queue.
 * - The starter is what the maintenance schedule invokes (the stack's ScheduledJob: disabled and
 *   dry-run by default): it plans under the `MAINTENANCE_POLICIES` document and queues the plan's
 *   start only when the schedule is live, the policy allows `autoApply` and the plan is within its caps.
 *
 * Both write only under `maintenance/` and send only to the maintenance queue; neither deletes
 * anything, publishes events or reads uploads. The stack plugs them in with {@link withMaintenance}
 * (or by adding the two entries to its function catalog) and adds {@link MaintenanceAlarms}.
 */
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Duration } from 'aws-cdk-lib';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { METRIC_NAMESPACE } from '../shared/lambda/sqs-handler';
import type { FunctionNeeds } from './function-catalog';
import type { FunctionCatalog } from './leadflow-stack';

/** The Powertools service name both maintenance functions log and count under. */
export const MAINTENANCE_SERVICE = 'maintenance';

const common = {
  entry: 'maintenance',
  reads: ['maintenance'],
  writes: ['maintenance'],
  deletes: [],
  sendsTo: ['maintenance'],
  // The ipSCAPE key for the calls, the keyed-hash secret for the suppression look-ups.
  secrets: ['apiKey', 'dedupe'],
  documents: ['IPSCAPE_TENANT_CONFIG', 'MAINTENANCE_POLICIES'],
  publishesEvents: false,
  callsIpscape: true,
} as const satisfies Omit<FunctionNeeds, 'description'>;

/** The maintenance queue's consumer: applies reviewed plans, continuing long runs through the queue. */
export const maintenanceConsumer: FunctionNeeds = {
  ...common,
  description: 'leadflow maintenance: applies a reviewed plan (re-check, then complete each lead), paced, continuing from its checkpoint',
};

/** What the maintenance schedule invokes: plans (walks every selected list), so it gets the queue consumer's timeout. */
export const maintenanceStarter: FunctionNeeds & { readonly timeoutSeconds: number } = {
  ...common,
  description: 'leadflow maintenance schedule: plans under the maintenance policy; queues the plan only when live, autoApply and within its caps',
  timeoutSeconds: 300,
};

/**
 * A function catalog with maintenance plugged in: the queue consumer and the schedule's starter.
 *
 * @example new LeadflowStack(app, 'leadflow-prod', { stage: 'prod', catalog: withMaintenance(catalog) })
 */
export function withMaintenance(catalog: FunctionCatalog): FunctionCatalog {
  return { ...catalog, queueConsumers: { ...catalog.queueConsumers, maintenance: maintenanceConsumer }, maintenanceStarter };
}

/** Maintenance metrics that mean an operator must look (each emitted 0 or more per run; alarm at 1). */
export const maintenanceAlarmSpecs = [
  { metric: 'MaintenancePlanOverCap', why: 'a maintenance plan exceeds a cap: it will not be applied; review its summary.json' },
  { metric: 'MaintenanceApplyRefused', why: 'applying a maintenance plan was refused (over a cap, expired, plan file changed, or another run holds the lock)' },
  { metric: 'MaintenancePlanExpired', why: 'a maintenance plan expired before it was (fully) applied' },
] as const;

export interface MaintenanceAlarmsProps {
  /** Where alarms (and their return to OK) are sent: the stack's alarm topic. */
  readonly topic: sns.ITopic;
  /** Default 5 minutes. */
  readonly period?: Duration;
}

/** The maintenance alarms, on the product's EMF metrics (`Leadflow` namespace, service `maintenance`). */
export class MaintenanceAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: MaintenanceAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    for (const spec of maintenanceAlarmSpecs) {
      const alarm = new cloudwatch.Alarm(this, spec.metric, {
        metric: new cloudwatch.Metric({
          namespace: METRIC_NAMESPACE,
          metricName: spec.metric,
          dimensionsMap: { service: MAINTENANCE_SERVICE },
          statistic: 'Sum',
          period: props.period ?? Duration.minutes(5),
        }),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        // No run, no data: that is fine.
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: spec.why,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms.push(alarm);
    }
  }
}
