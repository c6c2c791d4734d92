/**
 * A function on a schedule, off unless `enabled`. The maintenance schedule uses it disabled and dry-run
 * by default: completing a lead in ipSCAPE cannot be undone, so a fresh deployment must not start
 * cleaning lists by itself (the rule passes `{ "dryRun": true|false }` as the event). Read-only checks
 * (erasure-due) are enabled.
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
  /** The event the function receives; the rule's own event when absent. */
  readonly input?: Record<string, unknown>;
}

export class ScheduledJob extends Construct {
  readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: ScheduledJobProps) {
    super(scope, id);
    this.rule = new events.Rule(this, 'Rule', {
      schedule: events.Schedule.expression(props.schedule),
      enabled: props.enabled ?? false,
      description: `leadflow ${props.function.entry} on ${props.schedule}${props.input ? ` with ${JSON.stringify(props.input)}` : ''}`,
      targets: [
        new targets.LambdaFunction(props.function.fn, {
          ...(props.input && { event: events.RuleTargetInput.fromObject(props.input) }),
          // A missed run is caught by the next one; retries could overlap it.
          retryAttempts: 0,
        }),
      ],
    });
  }
}
