/**
 * The maintenance lock as one invocation of a run holds it: taken at the start of a run, continued by
 * each next invocation with the step it was handed (a duplicate delivery of that hand-over is
 * refused), renewed every third of its lifetime while the invocation works, released at the end.
 */
import { randomUUID } from 'node:crypto';
import type { MaintenancePorts } from './maintenance-ports';
import type { LockResult } from './maintenance-store';

export interface RunLock {
  /** The run (a run id, or `plan:<planId>`). */
  readonly owner: string;
  /** The step of this invocation (1 for the run's first). */
  readonly step: number;
  /** Takes the lock for this invocation. */
  acquire(mode: 'start' | 'continue'): Promise<LockResult>;
  /** Renews the lock when a third of its lifetime has passed; false when it is no longer this invocation's. */
  keep(): Promise<boolean>;
  /** Gives the lock back (only if this invocation still holds it). */
  release(): Promise<void>;
}

/** The lock for one invocation of a run. */
export function runLock(ports: Pick<MaintenancePorts, 'store' | 'settings' | 'now'>, owner: string, planId: string, step: number): RunLock {
  const holder = randomUUID();
  const ttlMs = ports.settings.lockSeconds * 1000;
  let renewedMs = ports.now();
  const request = (mode: 'start' | 'continue' | 'renew') => ports.store.acquireLock({ mode, owner, holder, step, planId, nowMs: ports.now(), ttlMs });
  return {
    owner,
    step,
    async acquire(mode) {
      renewedMs = ports.now();
      return request(mode);
    },
    async keep() {
      if (ports.now() - renewedMs <= ttlMs / 3) return true;
      const renewed = await request('renew');
      if (renewed.acquired) renewedMs = ports.now();
      return renewed.acquired;
    },
    release: () => ports.store.releaseLock(owner, holder),
  };
}
