/**
 * What tells an operator something needs them: alarms on every queue, function and ingestion
 * metric that means work is stuck or lost, all sent to one SNS topic; and a dashboard with uploads,
 * rows by outcome, queue depths and ipSCAPE's answers.
 *
 * The product's own metrics are Powertools EMF metrics in the `Leadflow` namespace with a `service`
 * dimension (the function that emitted them); a metric several functions emit is summed across them.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { rowOutcomes } from '../shared/ingest/outcomes';
import { METRIC_NAMESPACE } from '../shared/lambda/sqs-handler';
import type { QueueName } from '../shared/resources/resources';
import type { LeadflowFunction } from './leadflow-function';
import type { QueueWithDlq } from './queue-with-dlq';

const PERIOD = Duration.minutes(5);

/**
 * Product metrics that mean an operator must look, and the services that emit them (maintenance's
 * are in ./maintenance.ts).
 */
export const productAlarms = [
  { metric: 'BulkJobsPastDeadline', services: ['poll'], why: 'a bulk job ran past its deadline: its chunk failed' },
  { metric: 'ChunksInDoubt', services: ['submit', 'poll'], why: 'a bulk create may or may not have run: reconcile follows' },
  { metric: 'LeadsInDoubt', services: ['poll'], why: 'reconcile could not tell whether leads reached ipSCAPE' },
  { metric: 'ChunksNotSent', services: ['submit'], why: 'ipSCAPE kept refusing a chunk; its rows failed as not sent' },
  { metric: 'RowConservationViolations', services: ['ingest', 'submit', 'poll', 'sweep'], why: "an upload's row counts do not add up" },
  { metric: 'UploadsAbandoned', services: ['sweep'], why: 'a parse stopped for good (its ingest message is in the DLQ): the upload ended failed, nothing sent' },
  { metric: 'ErasureRequestsNearDue', services: ['erasure-due'], why: 'an erasure request is close to its legal due date' },
  { metric: 'ErasureRequestsOverdue', services: ['erasure-due'], why: 'an erasure request is past its legal due date' },
  { metric: 'ErasureRequestsFailed', services: ['erasure'], why: 'an erasure request failed: the privacy team must retry or act' },
] as const;

/** ipSCAPE answers by status class, as the ingestion's ipSCAPE client counts them (shared/aws/ingestion-ports.ts). */
const IPSCAPE_CLASSES = ['2xx', '4xx', '429', '5xx', 'Timeout', 'NetworkError'] as const;

/** Share of ipSCAPE answers that were not 2xx (4xx, 429, 5xx, timeouts, network errors), in percent. */
function ipscapeErrorRate(): cloudwatch.IMetric {
  const services = ['submit', 'poll'];
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  const ids = (cls: string) =>
    services.map((service) => {
      const id = `a${cls.toLowerCase()}_${service}`;
      usingMetrics[id] = new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName: `IpscapeAnswers${cls}`, dimensionsMap: { service }, statistic: 'Sum', period: PERIOD });
      return id;
    });
  const errors = IPSCAPE_CLASSES.filter((c) => c !== '2xx').flatMap(ids);
  const all = [...ids('2xx'), ...errors];
  return new cloudwatch.MathExpression({
    expression: `100 * SUM([${errors.join(',')}]) / SUM([${all.join(',')}])`,
    usingMetrics,
    label: 'errors %',
    period: PERIOD,
  });
}

export interface MonitoringProps {
  readonly topic: sns.ITopic;
  readonly queues: Record<QueueName, QueueWithDlq>;
  readonly functions: readonly LeadflowFunction[];
  readonly oldestMessageAgeSeconds: number;
  readonly dashboardName: string;
}

/** A product metric summed over the services that emit it. */
function productMetric(metric: string, services: readonly string[], label = metric): cloudwatch.IMetric {
  // Ids are unique per graph: a widget holds several of these sums.
  const parts = Object.fromEntries(
    services.map((service) => [
      `${metric[0]!.toLowerCase()}${metric.slice(1)}_${service}`,
      new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName: metric, dimensionsMap: { service }, statistic: 'Sum', period: PERIOD }),
    ]),
  );
  if (services.length === 1) return Object.values(parts)[0]!;
  return new cloudwatch.MathExpression({ expression: `SUM([${Object.keys(parts).join(',')}])`, usingMetrics: parts, label, period: PERIOD });
}

export class Monitoring extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string, threshold = 1) => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      a.addAlarmAction(action);
      a.addOkAction(action);
      this.alarms.push(a);
      return a;
    };

    for (const [name, q] of Object.entries(props.queues) as [QueueName, QueueWithDlq][]) {
      alarm(
        `${name}DlqMessages`,
        q.dlq.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum' }),
        `${name} DLQ holds a message: it failed 5 times. Fix the cause, then: leadflow redrive ${name} --stack <stage>`,
      );
      alarm(
        `${name}OldestMessage`,
        q.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum' }),
        `${name} queue: a message has waited over ${props.oldestMessageAgeSeconds} s (the consumer is failing, throttled or too slow)`,
        props.oldestMessageAgeSeconds,
      );
    }
    for (const f of props.functions) {
      alarm(`${f.node.id}Errors`, f.fn.metricErrors({ period: PERIOD, statistic: 'Sum' }), `${f.entry} function: invocations failed`);
      alarm(`${f.node.id}Throttles`, f.fn.metricThrottles({ period: PERIOD, statistic: 'Sum' }), `${f.entry} function: invocations throttled`);
    }
    for (const p of productAlarms) alarm(p.metric, productMetric(p.metric, p.services), p.why);

    const ingestion = ['ingest', 'submit', 'poll'];
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.days(1),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Uploads',
            width: 8,
            left: [productMetric('UploadsFinished', ingestion, 'finished'), productMetric('UploadsRefused', ['ingest'], 'refused')],
          }),
          new cloudwatch.GraphWidget({
            title: 'Rows by outcome',
            width: 8,
            stacked: true,
            left: rowOutcomes.map((o) => productMetric(`Rows${o[0]!.toUpperCase()}${o.slice(1)}`, ingestion, o)),
          }),
          new cloudwatch.GraphWidget({
            title: 'ipSCAPE answers by status',
            width: 8,
            stacked: true,
            left: IPSCAPE_CLASSES.map((c) => productMetric(`IpscapeAnswers${c}`, ['submit', 'poll'], c)),
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Queue depth (visible)',
            width: 8,
            left: Object.entries(props.queues).map(([n, q]) => q.queue.metricApproximateNumberOfMessagesVisible({ label: n, period: PERIOD, statistic: 'Maximum' })),
          }),
          new cloudwatch.GraphWidget({
            title: 'Dead-letter queues',
            width: 8,
            left: Object.entries(props.queues).map(([n, q]) => q.dlq.metricApproximateNumberOfMessagesVisible({ label: `${n} DLQ`, period: PERIOD, statistic: 'Maximum' })),
          }),
          new cloudwatch.GraphWidget({
            title: 'Function errors and throttles',
            width: 8,
            left: props.functions.flatMap((f) => [
              f.fn.metricErrors({ label: `${f.entry} errors`, period: PERIOD }),
              f.fn.metricThrottles({ label: `${f.entry} throttles`, period: PERIOD }),
            ]),
          }),
        ],
        [
          new cloudwatch.GraphWidget({ title: 'ipSCAPE error rate (%)', width: 8, left: [ipscapeErrorRate()], leftYAxis: { min: 0, max: 100 } }),
          new cloudwatch.AlarmStatusWidget({ title: 'Alarms', width: 16, alarms: this.alarms }),
        ],
      ],
    });
  }
}
