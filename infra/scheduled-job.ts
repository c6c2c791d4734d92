/**
 * A function on a schedule that is off until someone turns it on, and that runs in dry-run mode
 * unless told otherwise: completing a lead in ipSCAPE cannot be undone, so a fresh deployment must not
 * start cleaning lists by itself. The rule passes `{ "dryRun": true|false }` as the event.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import { Construct } from 'constructs';
import type { LeadflowFunction } from './leadflow-function';

export interface ScheduledJobProps {
  readonly function: LeadflowFunction;
  /** EventBridge `cron(...)` or `rate(...)`, UTC. */
  readonly schedule: string;
  /** Default false: the rule exists, disabled. */
  readonly enabled?: boolean;
  /** Default true. */
  readonly dryRun?: boolean;
}

export class ScheduledJob extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      schedule: events.Schedule.expression(props.schedule),
      enabled: props.enabled ?? false,
      description: `leadflow ${props.function.entry}: ${props.dryRun === false ? 'LIVE run' : 'dry run'} on ${props.schedule}`,
      targets: [
        new targets.LambdaFunction(props.function.fn, {
          event: events.RuleTargetInput.fromObject({ dryRun: props.dryRun ?? true }),
          retryAttempts: 0,
        }),
      ],
    });
  }
}
