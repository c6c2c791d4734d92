/**
 * Applying a reviewed plan: the rows of its plan.csv (checked against the hash taken when it was
 * written), never a recomputed plan. Each lead is read again just before it is completed and skipped
 * with a reason unless it is still open, still in its list, unchanged since planning and still
 * matching its rule. Completions are paced (`completionsPerSecond`); each is recorded against the
 * plan (`completing` before the update, `completed` after, so a crash in between is recognised).
 *
 * A run takes the one maintenance lock and keeps it across invocations; when an invocation's budget
 * runs out it saves its position on the plan record and hands over through the queue, and the next
 * invocation continues from there. A plan that is over a cap, expired, already applied, or whose file
 * changed is refused without a single request that changes a lead.
 */
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../ipscape/errors';
import type { Lead } from '../ipscape/schemas/leads';
import type { ActionRule } from './lead-rules';
import { matchRule } from './lead-rules';
import type { MaintenancePorts } from './maintenance-ports';
import type { LeadOutcome, PlanRecord } from './maintenance-store';
import { APPLIED_HEADER, parsePlanCsv, PlanFileError, planKeys, sha256Hex, type ApplySummary, type PlanRow } from './plan-files';
import { formatCsvRow } from '../csv/csv-writer';
import { runLock, type RunLock } from './run-lock';
import { suppressedPhoneIndexes } from './suppressed-phones';

/** Why a plan was not applied. */
export type ApplyRefusal = 'not-found' | 'over-cap' | 'expired' | 'already-applied' | 'locked' | 'in-progress' | 'plan-file-changed';

export type ApplyOutcome =
  | { readonly outcome: 'applied' | 'expired-while-applying'; readonly planId: string; readonly runId: string; readonly summary: ApplySummary }
  | { readonly outcome: 'continuing'; readonly planId: string; readonly runId: string; readonly position: number; readonly planned: number }
  | { readonly outcome: 'refused'; readonly planId: string; readonly reason: ApplyRefusal; readonly message: string }
  /** A continuation for a run that no longer owns the plan (a duplicate message, a run taken over): dropped. */
  | { readonly outcome: 'stale-message'; readonly planId: string; readonly runId: string };

/** How much one invocation may do before handing over. */
export interface ApplyBudget {
  /** Plan rows this invocation handles at most. */
  readonly maxLeads?: number;
  /** Milliseconds left in the invocation (Lambda's `getRemainingTimeInMillis`). */
  readonly remainingMs?: () => number;
}

export interface ApplyOptions {
  readonly budget?: ApplyBudget;
  /**
   * `queue`: when the budget runs out, the run continues in the next invocation through the queue
   * (the functions). `none`: no budget; the run goes to its end here (the CLI), and a failure
   * releases the lock so the operator can run `--apply` again, continuing from the checkpoint.
   */
  readonly handOver: 'queue' | 'none';
}

const refused = (planId: string, reason: ApplyRefusal, message: string): ApplyOutcome => ({ outcome: 'refused', planId, reason, message });

/** Reads plan.csv and checks it is the file planning wrote. */
async function readPlanRows(ports: MaintenancePorts, record: PlanRecord): Promise<PlanRow[] | undefined> {
  const key = planKeys(ports.prefix, record.planId).plan;
  const text = await ports.objects.readText(key);
  if (text === undefined || sha256Hex(text) !== record.planSha256) return undefined;
  try {
    const rows = parsePlanCsv(text, key);
    return rows.length === record.leadCount ? rows : undefined;
  } catch (error) {
    if (error instanceof PlanFileError) return undefined;
    throw error;
  }
}

/**
 * Starts applying a plan (an operator's `--apply`, or a start message from the schedule). A plan left
 * `applying` by a run that died (its lock expired or released) is taken over from its checkpoint.
 */
export async function startApply(ports: MaintenancePorts, planId: string, options: ApplyOptions): Promise<ApplyOutcome> {
  const { store, telemetry } = ports;
  const refuse = (reason: ApplyRefusal, message: string): ApplyOutcome => {
    telemetry.metric('MaintenanceApplyRefused', 1);
    telemetry.warn(`maintenance apply refused: ${reason}`, { planId, reason });
    return refused(planId, reason, message);
  };
  const record = await store.getPlan(planId);
  if (!record) return refuse('not-found', `no maintenance plan ${planId}`);
  if (record.status === 'over-cap' || !record.withinCaps) {
    telemetry.metric('MaintenancePlanOverCap', 1);
    return refuse('over-cap', `plan ${planId} is over its caps (see its summary.json): nothing is applied`);
  }
  if (record.status === 'applied') return refuse('already-applied', `plan ${planId} was applied at ${record.finishedAt ?? '?'}`);
  if (record.status === 'expired') return refuse('expired', `plan ${planId} expired at ${record.applyBy}: make a new plan`);
  const nowMs = ports.now();
  if (nowMs > Date.parse(record.applyBy)) {
    if (record.status === 'planned') await store.expirePlan(planId, new Date(nowMs).toISOString());
    telemetry.metric('MaintenancePlanExpired', 1);
    return refuse('expired', `plan ${planId} expired at ${record.applyBy}: make a new plan`);
  }
  const rows = await readPlanRows(ports, record);
  if (!rows) return refuse('plan-file-changed', `plan ${planId}: plan.csv is missing or is not the file planning wrote; nothing is applied`);

  const runId = randomUUID();
  const lock = runLock(ports, runId, planId, 1);
  const taken = await lock.acquire('start');
  if (!taken.acquired) {
    telemetry.metric('MaintenanceRunRefused', 1);
    const holder = taken.holder ? ` (plan ${taken.holder.planId}, until ${new Date(taken.holder.expiresAtMs).toISOString()})` : '';
    return refuse('locked', `another maintenance run holds the lock${holder}; refused`);
  }
  const from = record.status === 'applying' ? ({ status: 'applying', previousRunId: record.runId ?? '' } as const) : ({ status: 'planned' } as const);
  if (!(await store.startRun(planId, from, runId, new Date(nowMs).toISOString()))) {
    await lock.release();
    return refuse('in-progress', `plan ${planId} changed state while starting; try again`);
  }
  telemetry.info(record.status === 'applying' ? 'maintenance apply taken over from its checkpoint' : 'maintenance apply started', {
    planId,
    runId,
    position: record.position,
    planned: rows.length,
  });
  return runSegment(ports, { ...record, status: 'applying', runId }, rows, lock, options);
}

/** Continues a run from its checkpoint (a continuation message handing over `step`). */
export async function continueApply(ports: MaintenancePorts, planId: string, runId: string, step: number, options: ApplyOptions): Promise<ApplyOutcome> {
  const { store, telemetry } = ports;
  const record = await store.getPlan(planId);
  if (!record || record.status !== 'applying' || record.runId !== runId) {
    telemetry.warn('maintenance continuation dropped: the run no longer applies this plan', { planId, runId, status: record?.status ?? null });
    return { outcome: 'stale-message', planId, runId };
  }
  const lock = runLock(ports, runId, planId, step);
  const taken = await lock.acquire('continue');
  if (!taken.acquired) {
    // Either a duplicate delivery of this hand-over (the first is working) or another run took the lock.
    telemetry.warn('maintenance continuation dropped: the lock is held (a duplicate message, or another run)', { planId, runId, step, heldAtStep: taken.holder?.step ?? null });
    return { outcome: 'stale-message', planId, runId };
  }
  const rows = await readPlanRows(ports, record);
  if (!rows) {
    await lock.release();
    telemetry.metric('MaintenanceApplyRefused', 1);
    return refused(planId, 'plan-file-changed', `plan ${planId}: plan.csv is missing or is not the file planning wrote; the run stops at its checkpoint`);
  }
  return runSegment(ports, record, rows, lock, options);
}

/** Why a re-checked lead is not completed; undefined when it still is to be. */
async function recheck(ports: MaintenancePorts, record: PlanRecord, row: PlanRow, lead: Lead | undefined, nowMs: number): Promise<string | undefined> {
  if (!lead) return 'not-found';
  if (lead.completed === true) return 'already-completed';
  if (lead.completed !== false) return 'completion-state-unknown';
  // A lead whose list is not given cannot be shown to be where it was planned: not completed.
  if (lead.listId !== row.listId) return lead.listId == null ? 'list-unknown' : 'moved-to-another-list';
  if ((lead.timestamps?.modified ?? '') !== row.leadModified) return 'changed-since-plan';
  const rules = record.rulesByList[String(row.listId)];
  if (!rules) return 'no-rules-for-list';
  const suppressed = row.rule === 'suppressed' ? await suppressedPhoneIndexes([{ lead, scope: rules.suppressed?.phones }], ports) : new Map<number, Set<number>>();
  const still = matchRule(row.rule, lead, rules, { nowMs, suppressedPhoneIndexes: suppressed.get(lead.leadId) ?? new Set() });
  return still ? undefined : 'no-longer-matches';
}

async function getLeadOrUndefined(ports: MaintenancePorts, leadId: number): Promise<Lead | undefined> {
  try {
    return await ports.ipscape.getLead(leadId);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/** One invocation's share of a run: from the checkpoint until the end, the budget, or the plan's expiry. */
async function runSegment(ports: MaintenancePorts, record: PlanRecord, rows: readonly PlanRow[], lock: RunLock, options: ApplyOptions): Promise<ApplyOutcome> {
  const runId = lock.owner;
  const { store, telemetry } = ports;
  const { planId } = record;
  const sleep = ports.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const iso = () => new Date(ports.now()).toISOString();
  const budget = options.handOver === 'queue' ? (options.budget ?? {}) : {};
  const maxLeads = budget.maxLeads ?? Number.POSITIVE_INFINITY;
  const applyByMs = Date.parse(record.applyBy);
  const spacingMs = 1000 / record.completionsPerSecond;
  let lastCompletionMs = Number.NEGATIVE_INFINITY;
  let position = record.position;
  let handled = 0;
  let completedHere = 0;
  let skippedHere = 0;

  const lost = (): ApplyOutcome => {
    telemetry.warn('maintenance run lost its plan (taken over); stopping', { planId, runId, position });
    return { outcome: 'stale-message', planId, runId };
  };
  if (!(await store.countInvocation(planId, runId, iso()))) return lost();

  const completeOne = async (row: PlanRow, at: number): Promise<'completed' | 'skipped'> => {
    const existing = await store.getLeadOutcome(planId, at);
    if (existing && existing.state !== 'completing') return existing.state;
    const base = { position: at, leadId: row.leadId, listId: row.listId, rule: row.rule };
    const lead = await getLeadOrUndefined(ports, row.leadId);
    // Our update may have gone through just before a crash: the lead is completed and the record says we were completing it.
    if (existing?.state === 'completing' && lead?.completed === true) {
      await store.putLeadOutcome(planId, { ...base, state: 'completed', at: iso() });
      return 'completed';
    }
    const skip = await recheck(ports, record, row, lead, ports.now());
    if (skip) {
      await store.putLeadOutcome(planId, { ...base, state: 'skipped', reason: skip, at: iso() });
      telemetry.info('maintenance lead skipped', { planId, leadId: row.leadId, listId: row.listId, rule: row.rule, reason: skip });
      return 'skipped';
    }
    const wait = lastCompletionMs + spacingMs - ports.now();
    if (wait > 0) await sleep(wait);
    await store.putLeadOutcome(planId, { ...base, state: 'completing', at: iso() });
    lastCompletionMs = ports.now();
    await ports.ipscape.updateLead(row.leadId, { isCompleted: true });
    await store.putLeadOutcome(planId, { ...base, state: 'completed', at: iso() });
    telemetry.debug('maintenance lead completed', { planId, leadId: row.leadId, listId: row.listId, rule: row.rule });
    return 'completed';
  };

  try {
    while (position < rows.length) {
      if (ports.now() > applyByMs) return await finish('expired');
      // At least one row per invocation, so a run always moves forward however little time is left.
      const outOfTime = handled > 0 && budget.remainingMs !== undefined && budget.remainingMs() < ports.settings.reserveMs;
      if (handled >= maxLeads || outOfTime) {
        await ports.queue.send({ kind: 'maintenance-apply', planId, runId, step: lock.step + 1 });
        telemetry.info('maintenance run continues in the next invocation', { planId, runId, position, planned: rows.length, completedHere, skippedHere });
        telemetry.metric('MaintenanceLeadsCompleted', completedHere);
        telemetry.metric('MaintenanceLeadsSkipped', skippedHere);
        return { outcome: 'continuing', planId, runId, position, planned: rows.length };
      }
      if (!(await lock.keep())) return lost();
      const result = await completeOne(rows[position]!, position);
      if (result === 'completed') completedHere++;
      else skippedHere++;
      position++;
      handled++;
      if (!(await store.savePosition(planId, runId, position, iso()))) return lost();
    }
    return await finish('applied');
  } catch (error) {
    telemetry.error('maintenance run failed; it continues from its checkpoint on retry', {
      planId,
      runId,
      position,
      error: error instanceof Error ? error.name : 'unknown',
    });
    // The CLI gives the lock back so the operator can retry at once; a function keeps it for the message's retry.
    if (options.handOver === 'none') await lock.release().catch(() => undefined);
    throw error;
  }

  async function finish(status: 'applied' | 'expired'): Promise<ApplyOutcome> {
    const outcomes = await store.leadOutcomes(planId);
    const keys = planKeys(ports.prefix, planId);
    const byPosition = new Map<number, LeadOutcome>(outcomes.map((o) => [o.position, o]));
    let applied = formatCsvRow(APPLIED_HEADER, { escapeFormulas: false });
    const completedByRule: Partial<Record<ActionRule, number>> = {};
    const skippedByReason: Record<string, number> = {};
    let completed = 0;
    let skipped = 0;
    rows.forEach((row, i) => {
      const o = byPosition.get(i);
      const outcome = o?.state === 'completed' ? 'completed' : o?.state === 'skipped' ? 'skipped' : i < position ? 'unknown' : 'not-reached';
      if (outcome === 'completed') {
        completed++;
        completedByRule[row.rule] = (completedByRule[row.rule] ?? 0) + 1;
      } else if (outcome === 'skipped') {
        skipped++;
        const reason = o?.reason ?? 'unknown';
        skippedByReason[reason] = (skippedByReason[reason] ?? 0) + 1;
      }
      applied += formatCsvRow([i, row.leadId, row.listId, row.rule, outcome, o?.reason ?? ''], { escapeFormulas: false });
    });
    const current = await store.getPlan(planId);
    const summary: ApplySummary = {
      schemaVersion: 1,
      planId,
      runId,
      status,
      startedAt: current?.startedAt ?? record.startedAt ?? iso(),
      finishedAt: iso(),
      invocations: current?.invocations ?? 1,
      planned: rows.length,
      completed,
      skipped,
      notReached: rows.length - completed - skipped,
      completedByRule,
      skippedByReason,
      files: { applied: keys.applied, apply: keys.apply },
    };
    await ports.objects.write(keys.applied, applied, 'text/csv; charset=utf-8');
    await ports.objects.write(keys.apply, `${JSON.stringify(summary, null, 2)}\n`, 'application/json');
    if (!(await store.finishRun(planId, runId, status, position, summary.finishedAt))) return lost();
    await lock.release();
    telemetry.metric('MaintenanceLeadsCompleted', completedHere);
    telemetry.metric('MaintenanceLeadsSkipped', skippedHere);
    if (status === 'expired') telemetry.metric('MaintenancePlanExpired', 1);
    telemetry.info(status === 'applied' ? 'maintenance plan applied' : 'maintenance plan expired while applying', {
      planId,
      runId,
      planned: rows.length,
      completed,
      skipped,
      notReached: summary.notReached,
    });
    return { outcome: status === 'applied' ? 'applied' : 'expired-while-applying', planId, runId, summary };
  }
}
