/**
 * Maintenance in the stack (the default catalog holds it, as `withMaintenance` does) and its alarms, checked on the synthesised
 * template: the queue consumer and the schedule's starter, least privilege for both, the schedule off
 * and dry-run by default, the alarms on the topic, and cdk-nag clean. Bundling is skipped.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDeploymentSettings } from '../../infra/deployment-settings';
import * as catalog from '../../infra/function-catalog';
import { LeadflowStack, PLACEHOLDER_TENANT_URL } from '../../infra/leadflow-stack';
import { maintenanceAlarmSpecs, withMaintenance } from '../../infra/maintenance';
import { physicalNames, resources } from '../../shared/resources/resources';

type Resource = { Type: string; Properties: Record<string, any> };
type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

let stack: LeadflowStack;
let template: Template;
let byId: Record<string, Resource>;
const names = physicalNames('mtest');

beforeAll(() => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  stack = new LeadflowStack(app, 'leadflow-mtest', {
    stage: 'mtest',
    settings: parseDeploymentSettings({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL } }),
    catalog: withMaintenance(catalog),
  });
  template = Template.fromStack(stack);
  byId = template.toJSON().Resources as Record<string, Resource>;
}, 60_000);

const asArray = <T>(x: T | T[]): T[] => (Array.isArray(x) ? x : [x]);

/** The logical id of the maintenance function whose construct id is `nodeId`. */
function functionId(nodeId: string): string {
  const fn = stack.functions.find((f) => f.entry === 'maintenance' && f.node.id === nodeId);
  expect(fn, nodeId).toBeDefined();
  return stack.getLogicalId(fn!.fn.node.defaultChild as never);
}

function statementsOf(nodeId: string): Statement[] {
  const roleId = (byId[functionId(nodeId)]!.Properties.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
  return Object.values(byId)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as { Ref: string }[]).some((x) => x.Ref === roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => asArray(s.Action)).sort();
const resourcesFor = (statements: Statement[], action: string) => statements.filter((s) => asArray(s.Action).includes(action)).flatMap((s) => asArray(s.Resource));

describe('maintenance in the stack', () => {
  it('the consumer reads the maintenance queue in batches of one, with partial batch responses, the resource description timeout and memory', () => {
    const fnId = functionId('maintenanceFunction');
    const queueId = Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { QueueName: names.queues.maintenance.queue } }))[0]!;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fnId },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: resources.queues.maintenance.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: Match.anyValue() },
    });
    expect(byId[fnId]!.Properties).toMatchObject({
      Timeout: resources.queues.maintenance.consumer.timeoutSeconds,
      MemorySize: resources.queues.maintenance.consumer.memoryMb,
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
    });
  });

  it.each(['maintenanceFunction', 'MaintenanceStarterFunction'])('%s: S3 only under maintenance/, SQS only to its own queue, no delete, no events', (nodeId) => {
    const statements = statementsOf(nodeId);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
    const json = (x: unknown) => JSON.stringify(x);
    for (const action of ['s3:GetObject', 's3:PutObject']) {
      const granted = resourcesFor(statements, action);
      expect(granted).toHaveLength(1);
      expect(json(granted[0])).toMatch(/\/maintenance\/\*"/);
    }
    const queueId = Object.keys(template.findResources('AWS::SQS::Queue', { Properties: { QueueName: names.queues.maintenance.queue } }))[0]!;
    expect(resourcesFor(statements, 'sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': [queueId, 'Arn'] }]);
    expect(actionsOf(statements)).not.toContain('s3:DeleteObject');
    expect(actionsOf(statements)).not.toContain('events:PutEvents');
    expect(actionsOf(statements).some((a) => a.endsWith('*'))).toBe(false);
    expect(resourcesFor(statements, 'secretsmanager:GetSecretValue')).toHaveLength(2);
  });

  it('the schedule targets the starter, disabled and dry-run by default', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      State: 'DISABLED',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [functionId('MaintenanceStarterFunction'), 'Arn'] }, Input: JSON.stringify({ dryRun: true }) })],
    });
  });

  it('the maintenance consumer and starter count against the tenant request budget', () => {
    // (submit + poll + erasure + maintenance) × 2 instances + the starter's 1, × the deployed 2 requests per second and 2 in flight.
    expect(stack.tenantLoad).toEqual({ requestsPerSecond: 18, inFlight: 18 });
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    expect(
      () =>
        new LeadflowStack(app, 'leadflow-mbudget', {
          stage: 'mbudget',
          settings: parseDeploymentSettings({ tenant: { baseUrl: PLACEHOLDER_TENANT_URL }, concurrency: { maintenance: 4 } }),
          catalog: withMaintenance(catalog),
        }),
    ).toThrow(/maintenance 4 \+ maintenance-starter 1\) × tenant.limits.requestsPerSecond 2 = 22 > tenantLimit.requestsPerSecond 20/);
  });

  it.each(maintenanceAlarmSpecs.map((s) => s.metric))('alarm on %s (service maintenance, Sum >= 1) notifies the alarm topic', (metric) => {
    const topicId = stack.getLogicalId(stack.alarmTopic.node.defaultChild as never);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Leadflow',
      MetricName: metric,
      Dimensions: [{ Name: 'service', Value: 'maintenance' }],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topicId }],
    });
  });

  it('cdk-nag AwsSolutions finds nothing unacknowledged', () => {
    const report = new AwsSolutionsChecks(undefined).validateScope(stack);
    expect(report.violations.map((v) => `${v.ruleName}: ${JSON.stringify(v.violatingResources ?? v)}`.slice(0, 300))).toEqual([]);
  });
});
