/**
 * What maintenance keeps in the state table: plan records (status, checkpoint, the rules per list a
 * re-check needs), each planned lead's outcome, and the run lock. The DynamoDB implementation is
 * `dynamo-maintenance-store.ts`; the item layout is in docs/architecture.md (State model).
 */
import type { ActionRule } from './lead-rules';
import type { ResolvedRules } from './policy';

export type PlanStatus = 'planned' | 'over-cap' | 'applying' | 'applied' | 'expired';

/** A plan as the state table holds it. */
export interface PlanRecord {
  readonly planId: string;
  readonly status: PlanStatus;
  readonly createdAt: string;
  /** After this instant the plan is refused (and a run in progress stops). */
  readonly applyBy: string;
  readonly leadCount: number;
  readonly withinCaps: boolean;
  /** SHA-256 of plan.csv as written: apply refuses a file that differs. */
  readonly planSha256: string;
  /** The rules in force per list id when planned, for the re-check before each completion. */
  readonly rulesByList: Readonly<Record<string, ResolvedRules>>;
  readonly completionsPerSecond: number;
  readonly autoApply: boolean;
  /** The run applying it (status applying or applied). */
  readonly runId?: string;
  /** Plan rows done by the run (the checkpoint). */
  readonly position: number;
  /** Invocations the run has taken so far. */
  readonly invocations: number;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly updatedAt: string;
}

/** Where one planned lead ended. `completing` is written before the update, so a crash is seen as one. */
export interface LeadOutcome {
  /** The row's index in plan.csv (0-based, after the header). */
  readonly position: number;
  readonly leadId: number;
  readonly listId: number;
  readonly rule: ActionRule;
  readonly state: 'completing' | 'completed' | 'skipped';
  /** Why it was skipped. */
  readonly reason?: string;
  readonly at: string;
}

/** Who holds the run lock. */
export interface LockHolder {
  readonly owner: string;
  readonly planId: string;
  readonly acquiredAt: string;
  readonly expiresAtMs: number;
  /** The run's invocation count when it took or last handed over the lock. */
  readonly step: number;
}

export type LockResult = { readonly acquired: true } | { readonly acquired: false; readonly holder: LockHolder | undefined };

/**
 * A request for the one maintenance lock:
 * - `start`: a new run (or one taking over a dead run); granted only when the lock is free or expired;
 * - `continue`: the run's next invocation, carrying the step it was handed; granted when the lock is
 *   free, expired, or held by the same run at the previous step (so a duplicate delivery of the same
 *   hand-over, arriving while the first is working, is refused);
 * - `renew`: the invocation holding it extends it; granted only to the same owner and holder.
 */
export interface LockRequest {
  readonly mode: 'start' | 'continue' | 'renew';
  /** The run: its run id, or `plan:<planId>` while planning. */
  readonly owner: string;
  /** This invocation (random per invocation). */
  readonly holder: string;
  /** 1 for a run's first invocation, then one more per hand-over. */
  readonly step: number;
  readonly planId: string;
  readonly nowMs: number;
  readonly ttlMs: number;
}

export interface MaintenanceStore {
  /** Stores a new plan; false when the id exists already. */
  createPlan(record: PlanRecord): Promise<boolean>;
  getPlan(planId: string): Promise<PlanRecord | undefined>;
  /**
   * Moves a plan to `applying` under a new run: from `planned`, or from `applying` under `previousRunId`
   * (a run that died). False when the plan is no longer in that state.
   */
  startRun(planId: string, from: { status: 'planned' } | { status: 'applying'; previousRunId: string }, runId: string, at: string): Promise<boolean>;
  /** Counts an invocation of the run; false when the plan is not being applied by `runId`. */
  countInvocation(planId: string, runId: string, at: string): Promise<boolean>;
  /** Saves the checkpoint; false when the plan is not being applied by `runId`. */
  savePosition(planId: string, runId: string, position: number, at: string): Promise<boolean>;
  /** Ends the run (`applied`, or `expired` when the plan ran out of time); false when `runId` no longer runs it. */
  finishRun(planId: string, runId: string, status: 'applied' | 'expired', position: number, at: string): Promise<boolean>;
  /** Marks a plan that was never started as expired; false when it is not `planned`. */
  expirePlan(planId: string, at: string): Promise<boolean>;
  getLeadOutcome(planId: string, position: number): Promise<LeadOutcome | undefined>;
  putLeadOutcome(planId: string, outcome: LeadOutcome): Promise<void>;
  /** Every recorded outcome of the plan, in position order. */
  leadOutcomes(planId: string): Promise<LeadOutcome[]>;
  /** Takes, continues or renews the one maintenance lock (see {@link LockRequest}). */
  acquireLock(request: LockRequest): Promise<LockResult>;
  /** Releases the lock if this owner's invocation `holder` holds it. */
  releaseLock(owner: string, holder: string): Promise<void>;
}
