/**
 * `leadflow maintain --apply PLAN_ID --stack NAME` against a "deployed" stack on moto: the maintenance
 * function is pumped from its queue as Lambda would run it, and a CloudFormation stack in moto carries
 * the outputs the CLI finds it by. The CLI sends the start message and follows the plan to its end.
 */
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackNameOf, stackOutputKeys } from '../../infra/stack-outputs';
import { localConfig } from '../../local/function-handlers';
import { createMaintenancePorts } from '../../shared/maintenance/aws-maintenance-ports';
import { planMaintenance } from '../../shared/maintenance/plan-maintenance';
import { parseMaintenancePolicy } from '../../shared/maintenance/policy';
import { capturingTelemetry } from '../../shared/observability/telemetry';
import { queueNames } from '../../shared/resources/resources';
import { runCliCaptured, tempStateDir } from '../support/cli';
import { useIngestionStack } from '../support/ingestion-stack';
import { seedDataset, TEST_RULES, type Dataset } from '../support/maintenance-dataset';
import { rmSync } from 'node:fs';

const s = useIngestionStack({ simulator: { tenant: { limits: { requestsPerSecond: 400, burst: 100, maxConcurrency: 8 } } } });
let cfn: CloudFormationClient;
let home: string;
const previousHome = process.env.LEADFLOW_HOME;

beforeAll(async () => {
  cfn = new CloudFormationClient({ endpoint: s.stack.endpoints.aws, region: s.stack.resources.region, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  home = tempStateDir();
  process.env.LEADFLOW_HOME = home;
  const r = s.stack.resources;
  const k = stackOutputKeys;
  const outputs = {
    [k.region]: r.region,
    [k.uploadsBucket]: r.bucket,
    [k.privacyBucket]: r.privacyBucket,
    [k.stateTable]: r.tables.state,
    ...Object.fromEntries(queueNames.flatMap((q) => [[k.queueUrl(q), r.queues[q].url], [k.dlqUrl(q), r.queues[q].dlq.url]])),
  };
  const template = {
    Resources: { Placeholder: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `cfn-placeholder-${r.stage}` } } },
    Outputs: Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { Value: value }])),
  };
  await cfn.send(new CreateStackCommand({ StackName: stackNameOf(r.stage), TemplateBody: JSON.stringify(template) }));
}, 60_000);

afterAll(() => {
  cfn?.destroy();
  if (previousHome === undefined) delete process.env.LEADFLOW_HOME;
  else process.env.LEADFLOW_HOME = previousHome;
  rmSync(home, { recursive: true, force: true });
});

async function plan(data: Dataset, caps: { maxLeadsPerPlan: number; maxShareOfList: number }) {
  const ports = await createMaintenancePorts(localConfig(s.stack), s.clients, capturingTelemetry());
  const policy = parseMaintenancePolicy({ version: 1, defaults: { rules: TEST_RULES }, targets: [{ campaignIds: [data.campaignIds.A] }], caps, completionsPerSecond: 50 }, 'test');
  return planMaintenance(ports, policy, { trigger: 'cli', policySha256: 'test' });
}

const updatedLeadIds = async () => (await s.requests()).filter((r) => r.operationId === 'updateLead' && r.status === 200).map((r) => Number(r.path.split('/').pop()));

describe('leadflow maintain --stack NAME', () => {
  const stage = () => s.stack.resources.stage;

  it('--apply hands the reviewed plan to the maintenance function through its queue and follows it to its end (exit 0)', async () => {
    const data = await seedDataset(s, { tag: 'D', lists: [{ key: 'one', name: 'Deployed', campaign: 'A', scanned: true, staleRule: true }], leads: 12, seed: 31, mix: { stale: 1, completed: 0, suppressed: 0 } });
    const planned = await plan(data, { maxLeadsPerPlan: 100, maxShareOfList: 1 });
    await s.admin('/requests', undefined, 'DELETE');
    const { code, stdout, stderr } = await runCliCaptured(['maintain', '--apply', planned.planId, '--stack', stage(), '--json']);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain(`using stack ${stackNameOf(stage())}`);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'applied', planId: planned.planId, summary: { completed: 12, skipped: 0, planned: 12 } });
    expect((await updatedLeadIds()).sort((a, b) => a - b)).toEqual([...data.expected.keys()].sort((a, b) => a - b));
    expect(stdout + stderr).not.toMatch(/491570|Zelda/);
  }, 90_000);

  it("--apply refuses a plan over a cap without sending anything (exit 1); planning on a stack is the schedule's (exit 2)", async () => {
    const data = await seedDataset(s, { tag: 'O', lists: [{ key: 'one', name: 'Deployed Over', campaign: 'A', scanned: true, staleRule: true }], leads: 10, seed: 32, mix: { stale: 1, completed: 0 } });
    const over = await plan(data, { maxLeadsPerPlan: 3, maxShareOfList: 1 });
    expect(over.withinCaps).toBe(false);
    await s.admin('/requests', undefined, 'DELETE');
    const refused = await runCliCaptured(['maintain', '--apply', over.planId, '--stack', stage()]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`plan ${over.planId} refused (over-cap)`);
    expect(await s.requests()).toEqual([]);
    const missing = await runCliCaptured(['maintain', '--apply', 'mp-20261126T130000Z-0123abcd', '--stack', stage(), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout)).toMatchObject({ outcome: 'refused', reason: 'not-found' });

    const planning = await runCliCaptured(['maintain', '--policy', 'examples/maintenance-policy.json', '--stack', stage()]);
    expect(planning.code).toBe(2);
    expect(planning.stderr).toMatch(/plans are made by the stack's maintenance schedule/);
  }, 60_000);
});
