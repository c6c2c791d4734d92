/**
 * The maintenance store over moto's DynamoDB: the lock (one holder, renewable, free once expired or
 * released by its owner only) and the conditions that keep a stale or taken-over run from moving a plan.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createDynamoMaintenanceStore } from '../../../shared/maintenance/dynamo-maintenance-store';
import type { MaintenanceStore, PlanRecord } from '../../../shared/maintenance/maintenance-store';
import { provisionTestStack, startTestMoto } from '../../support/moto';

const moto = startTestMoto();
let store: MaintenanceStore;

beforeAll(async () => {
  const stack = await provisionTestStack('mstore');
  store = createDynamoMaintenanceStore({ client: moto.clients.dynamodb, tableName: stack.tables.state });
});

const T0 = Date.parse('2026-11-26T00:00:00Z');

function plan(planId: string): PlanRecord {
  return {
    planId,
    status: 'planned',
    createdAt: new Date(T0).toISOString(),
    applyBy: new Date(T0 + 86_400_000).toISOString(),
    leadCount: 2,
    withinCaps: true,
    planSha256: 'ab'.repeat(32),
    rulesByList: { '7': { stale: { olderThanDays: 30 } } },
    completionsPerSecond: 2,
    autoApply: false,
    position: 0,
    invocations: 0,
    updatedAt: new Date(T0).toISOString(),
  };
}

describe('the maintenance lock', () => {
  it('has one holder at a time, who may renew it; others get the holder back', async () => {
    expect(await store.acquireLock('run-a', 'mp-a', T0, 60_000)).toEqual({ acquired: true });
    expect(await store.acquireLock('run-a', 'mp-a', T0 + 10_000, 60_000)).toEqual({ acquired: true });
    const refused = await store.acquireLock('run-b', 'mp-b', T0 + 20_000, 60_000);
    expect(refused).toEqual({ acquired: false, holder: { owner: 'run-a', planId: 'mp-a', acquiredAt: new Date(T0 + 10_000).toISOString(), expiresAtMs: T0 + 70_000 } });
    // Only the owner releases it.
    await store.releaseLock('run-b');
    expect((await store.acquireLock('run-b', 'mp-b', T0 + 30_000, 60_000)).acquired).toBe(false);
    await store.releaseLock('run-a');
    expect(await store.acquireLock('run-b', 'mp-b', T0 + 30_000, 60_000)).toEqual({ acquired: true });
  });

  it('is free once expired, so a dead run does not block maintenance for ever', async () => {
    // run-b holds it until T0 + 90 s.
    expect((await store.acquireLock('run-c', 'mp-c', T0 + 90_000, 60_000)).acquired).toBe(false);
    expect(await store.acquireLock('run-c', 'mp-c', T0 + 90_001, 60_000)).toEqual({ acquired: true });
    await store.releaseLock('run-c');
  });
});

describe('plan records', () => {
  it('are created once and start one run; only that run moves them, and only while applying', async () => {
    expect(await store.createPlan(plan('mp-1'))).toBe(true);
    expect(await store.createPlan(plan('mp-1'))).toBe(false);
    expect(await store.getPlan('mp-1')).toEqual(plan('mp-1'));

    expect(await store.startRun('mp-1', { status: 'planned' }, 'run-1', 'now')).toBe(true);
    expect(await store.startRun('mp-1', { status: 'planned' }, 'run-2', 'now')).toBe(false);
    expect(await store.savePosition('mp-1', 'run-2', 1, 'now')).toBe(false);
    expect(await store.savePosition('mp-1', 'run-1', 1, 'now')).toBe(true);
    expect(await store.countInvocation('mp-1', 'run-1', 'now')).toBe(true);

    // Taken over from run-1: run-1 can no longer move it.
    expect(await store.startRun('mp-1', { status: 'applying', previousRunId: 'run-1' }, 'run-2', 'later')).toBe(true);
    expect(await store.savePosition('mp-1', 'run-1', 2, 'later')).toBe(false);
    expect(await store.finishRun('mp-1', 'run-1', 'applied', 2, 'later')).toBe(false);
    expect(await store.finishRun('mp-1', 'run-2', 'applied', 2, 'later')).toBe(true);
    expect(await store.getPlan('mp-1')).toMatchObject({ status: 'applied', runId: 'run-2', position: 2, invocations: 1, finishedAt: 'later' });
    expect(await store.savePosition('mp-1', 'run-2', 0, 'after')).toBe(false);
    expect(await store.expirePlan('mp-1', 'after')).toBe(false);
  });

  it('keep each lead outcome by position, in order', async () => {
    await store.createPlan(plan('mp-2'));
    const base = { leadId: 10, listId: 7, rule: 'stale' as const, at: 'now' };
    await store.putLeadOutcome('mp-2', { ...base, position: 1, state: 'skipped', reason: 'already-completed' });
    await store.putLeadOutcome('mp-2', { ...base, position: 0, state: 'completing' });
    await store.putLeadOutcome('mp-2', { ...base, position: 0, state: 'completed' });
    expect((await store.leadOutcomes('mp-2')).map((o) => [o.position, o.state])).toEqual([
      [0, 'completed'],
      [1, 'skipped'],
    ]);
    expect(await store.getLeadOutcome('mp-2', 1)).toEqual({ ...base, position: 1, state: 'skipped', reason: 'already-completed' });
    expect(await store.getLeadOutcome('mp-2', 2)).toBeUndefined();
  });
});
