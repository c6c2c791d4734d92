/**
 * List maintenance end to end over moto (S3, SQS, DynamoDB) and the ipSCAPE simulator, with seeded
 * lists of hundreds of leads (stale, exhausted, finally resolved, suppressed, bad phones and zones,
 * some already completed, lists out of the dialler and lists no target selects).
 *
 * What is checked against the simulator's own state and request log, not against what maintenance
 * says about itself: the plan equals the one computed here from how the leads were seeded; planning
 * changes nothing; applying completes exactly the planned leads (minus those changed since), each once;
 * a plan that expired or is over a cap completes nothing; a run forced across three invocations
 * (through the real queue and the deployed handler) completes the same set; a second run is refused
 * while one holds the lock; and no file or log line holds a phone number or a name.
 */
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { scheduledMaintenance } from '../../functions/maintenance/handler';
import { localConfig } from '../../local/function-handlers';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { continueApply, startApply } from '../../shared/maintenance/apply-plan';
import { createMaintenancePorts } from '../../shared/maintenance/aws-maintenance-ports';
import { MaintenanceLockedError, type MaintenancePorts } from '../../shared/maintenance/maintenance-ports';
import { createDynamoMaintenanceStore } from '../../shared/maintenance/dynamo-maintenance-store';
import { planMaintenance } from '../../shared/maintenance/plan-maintenance';
import { parsePlanCsv, planKeys, type ApplySummary, type MaintenanceSummary } from '../../shared/maintenance/plan-files';
import { parseMaintenancePolicy, type MaintenancePolicyInput } from '../../shared/maintenance/policy';
import { capturingTelemetry } from '../../shared/observability/telemetry';
import { resources } from '../../shared/resources/resources';
import { useIngestionStack } from '../support/ingestion-stack';
import { seedDataset, TEST_RULES, type Dataset, type ListSpec } from '../support/maintenance-dataset';
import { waitFor } from '../support/wait';

/** Ten plan rows per applying invocation, so a run of 30 leads takes exactly three; two lead pages per planning invocation. */
const env = { MAINTENANCE_SETTINGS: JSON.stringify({ maxLeadsPerInvocation: 10, maxPagesPerInvocation: 2 }) };
const stack = useIngestionStack({
  env,
  // Lead pages of 25 (several pages per list); a tenant budget that does not make the test wait.
  simulator: { seed: 6, pageSize: 25, tenant: { limits: { requestsPerSecond: 400, burst: 100, maxConcurrency: 8, maxAttempts: 3 } } },
});
const TIMEOUT = 120_000;
const PREFIX = resources.bucket.prefixes.maintenance;

async function ports(telemetry = capturingTelemetry(), now?: () => number): Promise<MaintenancePorts> {
  return createMaintenancePorts(localConfig(stack.stack, env), stack.clients, telemetry, now ? { now } : {});
}

function policyFor(data: Dataset, extra: Partial<MaintenancePolicyInput> = {}) {
  return parseMaintenancePolicy(
    {
      version: 1,
      defaults: { rules: TEST_RULES },
      targets: [
        { name: 'archive', campaignIds: [data.campaignIds.B], listNamePattern: '^Archive', rules: { stale: null } },
        { name: 'sales', campaignIds: [data.campaignIds.A] },
      ],
      caps: { maxLeadsPerPlan: 1000, maxShareOfList: 1 },
      completionsPerSecond: 50,
      ...extra,
    },
    'test policy',
  );
}

const LISTS: ListSpec[] = [
  { key: 'north', name: 'Sales North', campaign: 'A', scanned: true, staleRule: true },
  { key: 'south', name: 'Sales South', campaign: 'A', scanned: true, staleRule: true },
  { key: 'archive', name: 'Archive 2025', campaign: 'B', scanned: true, staleRule: false },
  { key: 'paused', name: 'Sales Paused', campaign: 'A', inDialler: false, scanned: false, staleRule: true },
  { key: 'other', name: 'Other B', campaign: 'B', scanned: false, staleRule: true },
];
const ONE_LIST: ListSpec[] = [{ key: 'only', name: 'Sales Single', campaign: 'A', scanned: true, staleRule: true }];

interface SimLead {
  readonly leadId: number;
  readonly completed: boolean;
}
const simLeads = async () => new Map((await stack.admin<{ leads: SimLead[] }>('/leads')).leads.map((l) => [l.leadId, l]));
const clearRequests = () => stack.admin('/requests', undefined, 'DELETE');
/** Lead ids of the update-lead requests the simulator answered since the log was cleared. */
async function updatedLeadIds(): Promise<number[]> {
  return (await stack.requests()).filter((r) => r.operationId === 'updateLead' && r.status === 200).map((r) => Number(r.path.split('/').pop()));
}
async function json<T>(key: string): Promise<T> {
  const text = await stack.readText(key);
  if (text === undefined) throw new Error(`${key} is missing`);
  return JSON.parse(text) as T;
}
function expectNoPersonalData(text: string, data: Dataset): void {
  for (const value of data.personal) expect(text.includes(value), `a phone or name found`).toBe(false);
  expect(text).not.toMatch(/@example\.com|1300 123 456/);
}
const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

describe('list maintenance (moto + ipSCAPE simulator)', () => {
  let main: Dataset;
  let mainPlanId: string;

  it('plans exactly what the seeded lists call for, changes nothing, and writes no phone or name', { timeout: TIMEOUT }, async () => {
    main = await seedDataset(stack, { tag: 'M', lists: LISTS, leads: 320, seed: 42 });
    expect(main.expected.size).toBeGreaterThan(60);
    const before = await simLeads();
    await clearRequests();
    const telemetry = capturingTelemetry();
    const plan = await planMaintenance(await ports(telemetry), policyFor(main), { trigger: 'cli', policySha256: 'test' });
    mainPlanId = plan.planId;

    const keys = planKeys(PREFIX, plan.planId);
    const planText = (await stack.readText(keys.plan))!;
    const rows = parsePlanCsv(planText, keys.plan);
    expect(new Map(rows.map((r) => [r.leadId, r.rule]))).toEqual(main.expected);
    expect(rows).toHaveLength(main.expected.size);
    for (const row of rows) expect(row.listId).toBe(main.listIds[main.leads.find((l) => l.leadId === row.leadId)!.list]);

    const summary = await json<MaintenanceSummary>(keys.summary);
    expect(summary).toMatchObject({ planId: plan.planId, status: 'planned', withinCaps: true, capBreaches: [] });
    expect(summary.totals.planned).toBe(main.expected.size);
    const byRule: Record<string, number> = {};
    for (const rule of main.expected.values()) byRule[rule] = (byRule[rule] ?? 0) + 1;
    expect(summary.totals.byRule).toEqual(byRule);
    expect(summary.totals.findings).toEqual(main.expectedFindings);
    const listOf = (key: string) => summary.lists.find((l) => l.listId === main.listIds[key])!;
    expect(listOf('paused').skipped).toBe('not-in-dialler');
    expect(listOf('other').skipped).toBe('not-selected');
    expect(listOf('archive')).toMatchObject({ skipped: null, targetName: 'archive', rules: { exhausted: { maxAttempts: 8 } } });
    expect(listOf('archive').rules).not.toHaveProperty('stale');
    expect(listOf('archive').byRule.stale).toBeUndefined();
    for (const key of ['north', 'south', 'archive']) {
      const seeded = main.leads.filter((l) => l.list === key);
      expect(listOf(key).leadsScanned).toBe(seeded.length);
      expect(listOf(key).activeLeads).toBe(seeded.filter((l) => !l.completed).length);
    }

    // Planning only reads: list lead lists and list leads, nothing else, and every lead is as it was.
    const operations = new Set((await stack.requests()).map((r) => r.operationId));
    expect([...operations].sort()).toEqual(['listLeadLists', 'listLeads']);
    expect(await simLeads()).toEqual(before);

    const findings = (await stack.readText(keys.findings))!;
    expect(findings.split('\r\n').filter(Boolean)).toHaveLength(1 + main.expectedFindings['bad-phone'] + main.expectedFindings['bad-time-zone']);
    for (const text of [planText, findings, JSON.stringify(summary), JSON.stringify(telemetry.lines)]) expectNoPersonalData(text, main);
    expect(telemetry.metrics).toEqual(expect.arrayContaining([{ name: 'MaintenancePlanOverCap', value: 0, unit: 'Count' }]));
  });

  it('applies exactly the planned leads, each once, skipping those changed since planning', { timeout: TIMEOUT }, async () => {
    const planned = [...main.expected.keys()];
    const client = (await ports()).ipscape;
    // Between plan and apply: an agent edits one lead, another completes one, a third is recoded.
    const recoded = [...main.expected].find(([, r]) => r === 'finalOutcome')![0];
    const [edited, completedMeanwhile] = planned.filter((id) => id !== recoded);
    await client.updateLead(edited!, { leadData: { note: 'called back' } });
    await client.updateLead(completedMeanwhile!, { isCompleted: true });
    await client.updateLead(recoded, { statusCode: 3 });
    const before = await simLeads();
    await clearRequests();

    const telemetry = capturingTelemetry();
    const outcome = await startApply(await ports(telemetry), mainPlanId, { handOver: 'none' });
    expect(outcome.outcome).toBe('applied');

    const changed = new Set([edited!, completedMeanwhile!, recoded]);
    expect(changed.size).toBe(3);
    const expectedCompleted = planned.filter((id) => !changed.has(id));
    const updated = await updatedLeadIds();
    expect(sorted(updated)).toEqual(sorted(expectedCompleted));
    expect(new Set(updated).size).toBe(updated.length);
    // Nothing else moved: the completed leads now are those before plus exactly the applied ones.
    const after = await simLeads();
    const newlyCompleted = [...after.values()].filter((l) => l.completed && !before.get(l.leadId)!.completed).map((l) => l.leadId);
    expect(sorted(newlyCompleted)).toEqual(sorted(expectedCompleted));

    const keys = planKeys(PREFIX, mainPlanId);
    const applied = await json<ApplySummary>(keys.apply);
    expect(applied).toMatchObject({ status: 'applied', planned: planned.length, completed: updated.length, skipped: 3, notReached: 0, invocations: 1 });
    expect(applied.skippedByReason).toEqual({ 'changed-since-plan': 2, 'already-completed': 1 });
    const appliedCsv = (await stack.readText(keys.applied))!;
    expect(appliedCsv).toMatch(new RegExp(`,${completedMeanwhile},\\d+,\\w+,skipped,already-completed\\r\\n`));
    for (const text of [appliedCsv, JSON.stringify(applied), JSON.stringify(telemetry.lines)]) expectNoPersonalData(text, main);

    // Applied once: a second apply is refused and sends nothing.
    await clearRequests();
    expect(await startApply(await ports(), mainPlanId, { handOver: 'none' })).toMatchObject({ outcome: 'refused', reason: 'already-applied' });
    expect(await stack.requests()).toEqual([]);
  });

  it('refuses an expired plan and completes nothing', { timeout: TIMEOUT }, async () => {
    const data = await seedDataset(stack, { tag: 'E', lists: ONE_LIST, leads: 20, seed: 7, mix: { stale: 0.3, completed: 0 } });
    const plan = await planMaintenance(await ports(), policyFor(data, { planExpiryHours: 1 }), { trigger: 'cli', policySha256: 'test' });
    expect(plan.summary.totals.planned).toBeGreaterThan(0);
    await clearRequests();
    const telemetry = capturingTelemetry();
    const later = await ports(telemetry, () => Date.now() + 61 * 60_000);
    const outcome = await startApply(later, plan.planId, { handOver: 'none' });
    expect(outcome).toMatchObject({ outcome: 'refused', reason: 'expired' });
    expect(await stack.requests()).toEqual([]);
    expect((await later.store.getPlan(plan.planId))!.status).toBe('expired');
    expect(telemetry.metrics.map((m) => m.name)).toContain('MaintenancePlanExpired');
  });

  it('writes a plan over a cap as over-cap, names the cap, fires the metric, and applies none of it', { timeout: TIMEOUT }, async () => {
    const data = await seedDataset(stack, { tag: 'C', lists: ONE_LIST, leads: 30, seed: 9, mix: { stale: 0.5, completed: 0 } });
    // The default caps: at most 10 % of a list.
    const policy = policyFor(data);
    const telemetry = capturingTelemetry();
    const plan = await planMaintenance(await ports(telemetry), parseMaintenancePolicy({ ...policy, caps: undefined }, 'defaults'), {
      trigger: 'cli',
      policySha256: 'test',
    });
    expect(plan.withinCaps).toBe(false);
    const summary = await json<MaintenanceSummary>(planKeys(PREFIX, plan.planId).summary);
    expect(summary.status).toBe('over-cap');
    expect(summary.capBreaches).toEqual([
      expect.objectContaining({ cap: 'maxShareOfList', limit: 0.1, listId: data.listIds.only, planned: data.expected.size, active: 30 }),
    ]);
    expect(telemetry.metrics).toContainEqual({ name: 'MaintenancePlanOverCap', value: 1, unit: 'Count' });

    const small = await planMaintenance(await ports(), policyFor(data, { caps: { maxLeadsPerPlan: 3, maxShareOfList: 1 } }), { trigger: 'cli', policySha256: 'test' });
    expect(small.breaches).toEqual([{ cap: 'maxLeadsPerPlan', limit: 3, planned: data.expected.size }]);

    await clearRequests();
    for (const planId of [plan.planId, small.planId]) {
      const refusal = capturingTelemetry();
      expect(await startApply(await ports(refusal), planId, { handOver: 'none' })).toMatchObject({ outcome: 'refused', reason: 'over-cap' });
      expect(refusal.metrics).toContainEqual({ name: 'MaintenancePlanOverCap', value: 1, unit: 'Count' });
    }
    expect(await stack.requests()).toEqual([]);
  });

  it('continues a run across three invocations through the queue and completes the same set', { timeout: TIMEOUT }, async () => {
    const data = await seedDataset(stack, { tag: 'Q', lists: ONE_LIST, leads: 30, seed: 3, mix: { stale: 1, completed: 0, suppressed: 0, badPhone: 0.2 } });
    expect(data.expected.size).toBe(30);
    const plan = await planMaintenance(await ports(), policyFor(data), { trigger: 'cli', policySha256: 'test' });
    await clearRequests();
    const logsBefore = stack.logs().length;
    await stack.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.stack.resources.queues.maintenance.url, MessageBody: JSON.stringify({ kind: 'maintenance-apply', planId: plan.planId }) }),
    );
    const store = createDynamoMaintenanceStore({ client: stack.clients.dynamodb, tableName: stack.stack.resources.tables.state });
    const record = await waitFor(async () => {
      const r = await store.getPlan(plan.planId);
      return r?.status === 'applied' ? r : undefined;
    }, { timeoutMs: 60_000, what: 'the plan to be applied through the queue' });
    expect(record.invocations).toBe(3);
    expect(record.position).toBe(30);
    const updated = await updatedLeadIds();
    expect(sorted(updated)).toEqual(sorted(data.expected.keys()));
    expect(new Set(updated).size).toBe(30);
    const applied = await json<ApplySummary>(planKeys(PREFIX, plan.planId).apply);
    expect(applied).toMatchObject({ completed: 30, skipped: 0, invocations: 3 });
    const logs = stack.logs().slice(logsBefore);
    expect(logs.match(/maintenance run continues in the next invocation/g)).toHaveLength(2);
    expectNoPersonalData(logs, data);
  });

  it('refuses a second run while one holds the lock, across its invocations', { timeout: TIMEOUT }, async () => {
    const first = await seedDataset(stack, { tag: 'L', lists: ONE_LIST, leads: 20, seed: 5, mix: { stale: 1, completed: 0, suppressed: 0 } });
    const second = await seedDataset(stack, { tag: 'K', lists: ONE_LIST, leads: 5, seed: 8, mix: { stale: 1, completed: 0, suppressed: 0 } });
    // Four completions a second: the first run takes about five seconds over two invocations.
    const slow = await planMaintenance(await ports(), policyFor(first, { completionsPerSecond: 4 }), { trigger: 'cli', policySha256: 'test' });
    const other = await planMaintenance(await ports(), policyFor(second), { trigger: 'cli', policySha256: 'test' });
    await stack.clients.sqs.send(
      new SendMessageCommand({ QueueUrl: stack.stack.resources.queues.maintenance.url, MessageBody: JSON.stringify({ kind: 'maintenance-apply', planId: slow.planId }) }),
    );
    const store = createDynamoMaintenanceStore({ client: stack.clients.dynamodb, tableName: stack.stack.resources.tables.state });
    await waitFor(async () => ((await store.getPlan(slow.planId))?.position ?? 0) >= 2, { timeoutMs: 30_000, what: 'the first run to be under way' });

    await clearRequests();
    expect(await startApply(await ports(), other.planId, { handOver: 'none' })).toMatchObject({ outcome: 'refused', reason: 'locked' });
    expect(await startApply(await ports(), slow.planId, { handOver: 'none' })).toMatchObject({ outcome: 'refused', reason: 'locked' });
    await expect(planMaintenance(await ports(), policyFor(second), { trigger: 'cli', policySha256: 'test' })).rejects.toBeInstanceOf(MaintenanceLockedError);
    // Refused runs sent nothing that changes a lead (the first run's own completions go on).
    const secondIds = new Set(second.expected.keys());
    expect((await updatedLeadIds()).filter((id) => secondIds.has(id))).toEqual([]);
    expect((await store.getPlan(other.planId))!.status).toBe('planned');

    // Held between invocations too: refused again until the first run ends.
    await waitFor(async () => ((await store.getPlan(slow.planId))?.invocations ?? 0) >= 2, { timeoutMs: 30_000, what: 'the second invocation' });
    expect(await startApply(await ports(), other.planId, { handOver: 'none' })).toMatchObject({ outcome: 'refused', reason: 'locked' });
    await waitFor(async () => (await store.getPlan(slow.planId))?.status === 'applied', { timeoutMs: 30_000, what: 'the first run to end' });
    expect(await startApply(await ports(), other.planId, { handOver: 'none' })).toMatchObject({ outcome: 'applied' });
  });

  it('the schedule plans under its policy; only a live schedule with autoApply queues a plan within its caps', { timeout: TIMEOUT }, async () => {
    const data = await seedDataset(stack, { tag: 'S', lists: ONE_LIST, leads: 8, seed: 13, mix: { stale: 1, completed: 0, suppressed: 0 } });
    const store = createDynamoMaintenanceStore({ client: stack.clients.dynamodb, tableName: stack.stack.resources.tables.state });
    const runtime = { ports: await ports(), policy: policyFor(data, { autoApply: true }) };
    await clearRequests();
    // The stack's default event is { dryRun: true }; a missing flag is a dry run too.
    for (const input of [{ dryRun: true }, {}, { dryRun: 'false' }]) {
      const dry = await scheduledMaintenance(runtime, input);
      expect(dry.queued).toBe(false);
      expect((await store.getPlan(dry.planId!))!.status).toBe('planned');
    }
    const notAuto = await scheduledMaintenance({ ...runtime, policy: policyFor(data) }, { dryRun: false });
    expect(notAuto.queued).toBe(false);
    expect(await updatedLeadIds()).toEqual([]);

    const live = await scheduledMaintenance(runtime, { dryRun: false });
    expect(live.queued).toBe(true);
    await waitFor(async () => (await store.getPlan(live.planId!))?.status === 'applied', { timeoutMs: 30_000, what: 'the scheduled plan to be applied' });
    expect(sorted(await updatedLeadIds())).toEqual(sorted(data.expected.keys()));
  });

  it('a run that dies right after a completion is taken over from its checkpoint, counting that lead once as completed', { timeout: TIMEOUT }, async () => {
    const data = await seedDataset(stack, { tag: 'X', lists: ONE_LIST, leads: 12, seed: 21, mix: { stale: 1, completed: 0, suppressed: 0 } });
    const plan = await planMaintenance(await ports(), policyFor(data), { trigger: 'cli', policySha256: 'test' });
    const rows = parsePlanCsv((await stack.readText(planKeys(PREFIX, plan.planId).plan))!, 'plan.csv');
    const victim = rows[4]!.leadId;
    await clearRequests();
    const dying = await ports();
    const real = dying.ipscape;
    // The update reaches ipSCAPE, then the process dies before it can record it.
    const crashing = Object.assign(Object.create(null) as typeof real, real, {
      updateLead: async (...args: Parameters<typeof real.updateLead>) => {
        const answer = await real.updateLead(...args);
        if (args[0] === victim) throw new Error('the process died');
        return answer;
      },
    });
    await expect(startApply({ ...dying, ipscape: crashing }, plan.planId, { handOver: 'none' })).rejects.toThrow('the process died');
    const store = dying.store;
    const stuck = (await store.getPlan(plan.planId))!;
    expect(stuck).toMatchObject({ status: 'applying', position: 4 });
    expect((await store.getLeadOutcome(plan.planId, 4))!.state).toBe('completing');

    const resumed = await startApply(await ports(), plan.planId, { handOver: 'none' });
    expect(resumed).toMatchObject({ outcome: 'applied', summary: { completed: 12, skipped: 0 } });
    const updated = await updatedLeadIds();
    expect(sorted(updated)).toEqual(sorted(data.expected.keys()));
    expect(updated.filter((id) => id === victim)).toHaveLength(1);
    // The dead run's continuation, if one were still queued, no longer moves the plan.
    expect(await continueApply(await ports(), plan.planId, stuck.runId!, 2, { handOver: 'queue' })).toMatchObject({ outcome: 'stale-message' });
  });

  it('refuses a plan whose plan.csv was changed after planning, sending nothing', { timeout: TIMEOUT }, async () => {
    const data = await seedDataset(stack, { tag: 'T', lists: ONE_LIST, leads: 6, seed: 17, mix: { stale: 1, completed: 0 } });
    const plan = await planMaintenance(await ports(), policyFor(data), { trigger: 'cli', policySha256: 'test' });
    const key = planKeys(PREFIX, plan.planId).plan;
    const text = (await stack.readText(key))!;
    // Someone adds a lead to the reviewed plan.
    await stack.clients.s3.send(new PutObjectCommand({ Bucket: stack.bucket, Key: key, Body: `${text}10001,1,1,stale,added by hand,\r\n` }));
    await clearRequests();
    expect(await startApply(await ports(), plan.planId, { handOver: 'none' })).toMatchObject({ outcome: 'refused', reason: 'plan-file-changed' });
    expect(await stack.requests()).toEqual([]);
  });

  it('a planning walk handed over across invocations through the queue plans what one invocation plans', { timeout: TIMEOUT }, async () => {
    const data = await seedDataset(stack, { tag: 'P', lists: LISTS, leads: 200, seed: 77 });
    const policy = policyFor(data);
    const once = await planMaintenance(await ports(), policy, { trigger: 'cli', policySha256: 'test' });
    expect(once.summary.planningInvocations).toBe(1);

    const logsBefore = stack.logs().length;
    // Two lead pages (of 25) per invocation: the scheduled walk hands over through the maintenance queue.
    const first = capturingTelemetry();
    const started = await scheduledMaintenance({ ports: await ports(first), policy }, { dryRun: true });
    expect(started).toMatchObject({ queued: false, continuing: true });
    const store = createDynamoMaintenanceStore({ client: stack.clients.dynamodb, tableName: stack.stack.resources.tables.state });
    await waitFor(async () => (await store.getPlan(started.planId!))?.status === 'planned', { timeoutMs: 60_000, what: 'the handed-over walk to finish' });

    const read = async (planId: string) => parsePlanCsv((await stack.readText(planKeys(PREFIX, planId).plan))!, 'plan.csv');
    const walked = await read(started.planId!);
    expect(new Map(walked.map((r) => [r.leadId, r.rule]))).toEqual(data.expected);
    expect(walked.map((r) => [r.leadId, r.rule, r.reason.replace(/[\d.]+ days/, 'N days')])).toEqual(
      (await read(once.planId)).map((r) => [r.leadId, r.rule, r.reason.replace(/[\d.]+ days/, 'N days')]),
    );
    const summary = await json<MaintenanceSummary>(planKeys(PREFIX, started.planId!).summary);
    expect(summary.planningInvocations).toBeGreaterThanOrEqual(3);
    expect(summary.totals).toEqual(once.summary.totals);
    expect(summary.lists.map((l) => [l.listId, l.leadsScanned, l.activeLeads, l.planned])).toEqual(once.summary.lists.map((l) => [l.listId, l.leadsScanned, l.activeLeads, l.planned]));
    const logs = stack.logs().slice(logsBefore);
    // The first invocation (here) and the pumped ones each handed over, but the last.
    const handOvers = first.lines.filter((l) => l.message === 'maintenance planning continues in the next invocation').length + (logs.match(/maintenance planning continues in the next invocation/g)?.length ?? 0);
    expect(handOvers).toBe(summary.planningInvocations - 1);
    expectNoPersonalData(logs + JSON.stringify(first.lines), data);
  });
});
