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
  const lock = (mode: 'start' | 'continue' | 'renew', owner: string, holder: string, step: number, nowMs: number) =>
    store.acquireLock({ mode, owner, holder, step, planId: `mp-${owner}`, nowMs, ttlMs: 60_000 });

  it('has one holder at a time, who may renew it; others get the holder back', async () => {
    expect(await lock('start', 'run-a', 'h1', 1, T0)).toEqual({ acquired: true });
    expect(await lock('renew', 'run-a', 'h1', 1, T0 + 10_000)).toEqual({ acquired: true });
    // A second run, and the same run's owner from another invocation, cannot start or renew it.
    const refused = await lock('start', 'run-b', 'h2', 1, T0 + 20_000);
    expect(refused).toEqual({ acquired: false, holder: { owner: 'run-a', planId: 'mp-run-a', acquiredAt: new Date(T0 + 10_000).toISOString(), expiresAtMs: T0 + 70_000, step: 1 } });
    expect((await lock('start', 'run-a', 'h3', 1, T0 + 20_000)).acquired).toBe(false);
    expect((await lock('renew', 'run-a', 'h3', 1, T0 + 20_000)).acquired).toBe(false);
    // Only the holding invocation releases it.
    await store.releaseLock('run-a', 'h3');
    await store.releaseLock('run-b', 'h1');
    expect((await lock('start', 'run-b', 'h2', 1, T0 + 30_000)).acquired).toBe(false);
    await store.releaseLock('run-a', 'h1');
    expect(await lock('start', 'run-b', 'h2', 1, T0 + 30_000)).toEqual({ acquired: true });
  });

  it('passes to the run\'s next step once, so a duplicate of the same hand-over is refused', async () => {
    // run-b (step 1, holder h2) hands over to step 2.
    expect(await lock('continue', 'run-b', 'h4', 2, T0 + 40_000)).toEqual({ acquired: true });
    expect((await lock('continue', 'run-b', 'h5', 2, T0 + 41_000)).acquired).toBe(false);
    // Nor can another run continue into it, or a step skip ahead.
    expect((await lock('continue', 'run-x', 'h6', 2, T0 + 41_000)).acquired).toBe(false);
    expect((await lock('continue', 'run-b', 'h6', 4, T0 + 41_000)).acquired).toBe(false);
    expect(await lock('continue', 'run-b', 'h7', 3, T0 + 42_000)).toEqual({ acquired: true });
  });

  it('is free once expired, so a dead run does not block maintenance for ever', async () => {
    // run-b's step 3 holds it until T0 + 102 s.
    expect((await lock('start', 'run-c', 'h8', 1, T0 + 102_000)).acquired).toBe(false);
    expect(await lock('start', 'run-c', 'h8', 1, T0 + 102_001)).toEqual({ acquired: true });
    await store.releaseLock('run-c', 'h8');
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
