/**
 * Planning: walks the lists a policy selects and their leads (cursor pagination), evaluates every
 * open lead, and writes the plan (plan.csv, findings.csv, summary.json) and its record. Planning
 * never changes a lead: the only ipSCAPE operations it calls are list lead lists and list leads.
 *
 * A walk that outlives its invocation (the functions give it a budget of lead pages and time) saves
 * its checkpoint in `maintenance/<planId>/planning.json` (the lists with their counts so far, the list
 * being walked and its cursor), the rows found so far as part files, and continues in the next
 * invocation through the queue, holding the maintenance lock throughout. The plan record is written
 * last, so a planning run that dies leaves at most files no one can apply. A plan over a cap is
 * written as `over-cap` (reviewable, never applicable) and fires the `MaintenancePlanOverCap` metric.
 */
import { capBreaches, describeBreach, type CapBreach } from './caps';
import { evaluateLead, type ActionRule, type FindingKind } from './lead-rules';
import { selectList, type ListInfo } from './list-selection';
import { MaintenanceLockedError, type MaintenancePorts } from './maintenance-ports';
import type { PlanRecord } from './maintenance-store';
import { newPlanId } from './plan-id';
import {
  FINDINGS_HEADER,
  formatFindingsCsv,
  formatPlanCsv,
  PLAN_HEADER,
  planKeys,
  sha256Hex,
  type FindingRow,
  type ListSummary,
  type MaintenanceSummary,
  type PlanRow,
} from './plan-files';
import { formatCsvRow } from '../csv/csv-writer';
import type { MaintenancePolicy, ResolvedRules } from './policy';
import { runLock, type RunLock } from './run-lock';
import { suppressedPhoneIndexes } from './suppressed-phones';

export interface PlanOptions {
  readonly trigger: 'cli' | 'schedule';
  /** The policy document's text hash (recorded so a plan names the policy it came from). */
  readonly policySha256: string;
}

export interface PlanResult {
  readonly planId: string;
  readonly summary: MaintenanceSummary;
  readonly withinCaps: boolean;
  readonly breaches: readonly CapBreach[];
  /** What the run was started with (a live schedule may queue the plan for applying). */
  readonly live: boolean;
}

/** How much of the walk one invocation may do before handing over. */
export interface PlanBudget {
  /** Lead pages this invocation reads at most. */
  readonly maxPages?: number;
  /** Milliseconds left in the invocation. */
  readonly remainingMs?: () => number;
}

export interface WalkOptions {
  /** `queue`: hand over to the next invocation when the budget runs out (the functions); `none`: walk to the end here (the CLI). */
  readonly handOver: 'queue' | 'none';
  readonly budget?: PlanBudget;
}

export type PlanOutcome =
  | { readonly outcome: 'planned'; readonly result: PlanResult }
  | { readonly outcome: 'continuing'; readonly planId: string; readonly listsDone: number; readonly listsToScan: number }
  /** A continuation for a walk that is gone (already finished, or its lock lost): dropped. */
  | { readonly outcome: 'stale-message'; readonly planId: string };

/** The walk's checkpoint: everything the next invocation needs (ids, counts, rules, a cursor; no lead data). */
interface PlanningState {
  readonly schemaVersion: 1;
  readonly planId: string;
  readonly startedMs: number;
  readonly trigger: 'cli' | 'schedule';
  readonly policySha256: string;
  readonly policy: MaintenancePolicy;
  readonly live: boolean;
  /** Every list seen, with its selection and its counts so far. */
  lists: ListSummary[];
  /** Index in `lists` of the list being walked. */
  listIndex: number;
  /** Where to resume in that list's leads (a `nextUri`); null: from its start. */
  leadsNextUri: string | null;
  /** Part files written so far. */
  parts: number;
  invocations: number;
  /** Set once the walk is complete and the plan written. */
  done: boolean;
}

function add<K extends string>(counts: Partial<Record<K, number>>, key: K, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

const stateKey = (ports: MaintenancePorts, planId: string) => `${ports.prefix}${planId}/planning.json`;
const partKeys = (ports: MaintenancePorts, planId: string, part: number) => {
  const n = String(part).padStart(5, '0');
  return { plan: `${ports.prefix}${planId}/parts/plan-${n}.csv`, findings: `${ports.prefix}${planId}/parts/findings-${n}.csv` };
};
const lockOwner = (planId: string) => `plan:${planId}`;

/**
 * Makes a plan under `policy` in this process, to the end (the CLI, and tests).
 *
 * @throws MaintenanceLockedError when another run holds the lock (nothing is written then).
 */
export async function planMaintenance(ports: MaintenancePorts, policy: MaintenancePolicy, options: PlanOptions): Promise<PlanResult> {
  const outcome = await startPlanning(ports, policy, { ...options, live: false }, { handOver: 'none' });
  if (outcome.outcome !== 'planned') throw new Error(`planning ${outcome.planId} did not finish: ${outcome.outcome}`);
  return outcome.result;
}

/**
 * Starts a plan: takes the lock, reads every lead list and selects the policy's, then walks their leads.
 *
 * @throws MaintenanceLockedError when another run holds the lock (nothing is written then).
 */
export async function startPlanning(
  ports: MaintenancePorts,
  policy: MaintenancePolicy,
  options: PlanOptions & { readonly live: boolean },
  walk: WalkOptions,
): Promise<PlanOutcome> {
  const { store, telemetry } = ports;
  const startedMs = ports.now();
  const planId = newPlanId(startedMs);
  const lock = runLock(ports, lockOwner(planId), planId, 1);
  const taken = await lock.acquire('start');
  if (!taken.acquired) {
    telemetry.metric('MaintenanceRunRefused', 1);
    telemetry.warn('maintenance planning refused: another run holds the lock', { planId, heldByPlan: taken.holder?.planId ?? null });
    throw new MaintenanceLockedError(taken.holder && { planId: taken.holder.planId, expiresAt: new Date(taken.holder.expiresAtMs).toISOString() });
  }
  try {
    const lists: ListSummary[] = [];
    for await (const raw of ports.ipscape.paginate('listLeadLists')) {
      const info: ListInfo = {
        listId: raw.id,
        listName: raw.name ?? '',
        campaignId: raw.campaignId ?? null,
        // A list whose dialler state is not given is treated as out of the dialler: skipped unless asked.
        inDialler: raw.inDialler === true,
      };
      const selection = selectList(policy, info);
      lists.push({
        ...info,
        skipped: selection.selected ? null : selection.reason,
        target: selection.selected ? selection.target : null,
        targetName: selection.selected ? selection.targetName : null,
        rules: selection.selected ? selection.rules : null,
        leadsScanned: 0,
        activeLeads: 0,
        planned: 0,
        byRule: {},
        findings: {},
      });
    }
    const state: PlanningState = {
      schemaVersion: 1,
      planId,
      startedMs,
      trigger: options.trigger,
      policySha256: options.policySha256,
      policy,
      live: options.live,
      lists,
      listIndex: 0,
      leadsNextUri: null,
      parts: 0,
      invocations: 0,
      done: false,
    };
    telemetry.info('maintenance planning started', { planId, listsSeen: lists.length, listsToScan: lists.filter((l) => !l.skipped).length });
    return await walkLeads(ports, state, lock, walk);
  } catch (error) {
    await lock.release().catch(() => undefined);
    throw error;
  }
}

/** Continues a walk from its checkpoint (a continuation message handing over `step`). */
export async function continuePlanning(ports: MaintenancePorts, planId: string, step: number, walk: WalkOptions): Promise<PlanOutcome> {
  const text = await ports.objects.readText(stateKey(ports, planId));
  const state = text === undefined ? undefined : (JSON.parse(text) as PlanningState);
  if (!state || state.done) {
    ports.telemetry.warn('maintenance planning continuation dropped: no walk in progress', { planId });
    return { outcome: 'stale-message', planId };
  }
  const lock = runLock(ports, lockOwner(planId), planId, step);
  const taken = await lock.acquire('continue');
  // The checkpoint is the previous step's, or this step's own when its hand-over message was lost after the save (the retry resumes from it).
  if (!taken.acquired || (state.invocations !== step - 1 && state.invocations !== step)) {
    // A duplicate delivery of this hand-over (the first is working, or has moved on), or another run took the lock.
    if (taken.acquired) await lock.release();
    ports.telemetry.warn('maintenance planning continuation dropped: not this walk\'s next step', { planId, step, heldAtStep: taken.acquired ? null : (taken.holder?.step ?? null) });
    return { outcome: 'stale-message', planId };
  }
  return walkLeads(ports, state, lock, walk);
}

/** Walks from the checkpoint until the end (then writes the plan) or the budget (then hands over). */
async function walkLeads(ports: MaintenancePorts, state: PlanningState, lock: RunLock, walk: WalkOptions): Promise<PlanOutcome> {
  const { telemetry } = ports;
  const { planId } = state;
  const budget = walk.handOver === 'queue' ? (walk.budget ?? {}) : {};
  const maxPages = budget.maxPages ?? Number.POSITIVE_INFINITY;
  state.invocations = lock.step;
  const rows: PlanRow[] = [];
  const findingRows: FindingRow[] = [];
  let pages = 0;

  /** Renews the lock every third of its lifetime, so a long walk never runs unlocked. */
  const keepLock = async (): Promise<void> => {
    if (!(await lock.keep())) throw new MaintenanceLockedError(undefined);
  };
  /** Writes the rows found in this invocation as the next part, then the checkpoint that counts it. */
  const saveCheckpoint = async (): Promise<void> => {
    const keys = partKeys(ports, planId, state.parts);
    await ports.objects.write(keys.plan, rows.map((r) => formatCsvRow([r.leadId, r.listId, r.campaignId, r.rule, r.reason, r.leadModified], { escapeFormulas: false })).join(''), 'text/csv; charset=utf-8');
    await ports.objects.write(keys.findings, findingRows.map((r) => formatCsvRow([r.leadId, r.listId, r.campaignId, r.finding, r.reason], { escapeFormulas: false })).join(''), 'text/csv; charset=utf-8');
    state.parts++;
    rows.length = 0;
    findingRows.length = 0;
    await ports.objects.write(stateKey(ports, planId), JSON.stringify(state), 'application/json');
  };

  try {
    for (; state.listIndex < state.lists.length; state.listIndex++, state.leadsNextUri = null) {
      const list = state.lists[state.listIndex]!;
      if (list.skipped || !list.rules) continue;
      const rules: ResolvedRules = list.rules;
      const byRule = list.byRule as Partial<Record<ActionRule, number>>;
      const findings = list.findings as Partial<Record<FindingKind, number>>;
      const walkPages = ports.ipscape.pages('listLeads', { listId: list.listId }, state.leadsNextUri ? { startUri: state.leadsNextUri } : {});
      for await (const page of walkPages) {
        await keepLock();
        // A lead the answer places in another list is not this list's to clean.
        const leads = page.items.filter((lead) => lead.listId == null || lead.listId === list.listId);
        const suppressed = await suppressedPhoneIndexes(
          leads.map((lead) => ({ lead, scope: lead.completed === false ? rules.suppressed?.phones : undefined })),
          ports,
        );
        const nowMs = ports.now();
        const counts = list as { leadsScanned: number; activeLeads: number; planned: number };
        for (const lead of leads) {
          counts.leadsScanned++;
          if (lead.completed === false) counts.activeLeads++;
          const evaluation = evaluateLead(lead, rules, { nowMs, suppressedPhoneIndexes: suppressed.get(lead.leadId) ?? new Set() });
          const campaignId = lead.campaignId ?? list.campaignId;
          if (evaluation.action) {
            counts.planned++;
            add(byRule, evaluation.action.rule);
            rows.push({
              leadId: lead.leadId,
              listId: list.listId,
              campaignId,
              rule: evaluation.action.rule,
              reason: evaluation.action.reason,
              leadModified: lead.timestamps?.modified ?? '',
            });
          }
          for (const f of evaluation.findings) {
            add(findings, f.finding);
            findingRows.push({ leadId: lead.leadId, listId: list.listId, campaignId, finding: f.finding, reason: f.reason });
          }
        }
        pages++;
        const more = Boolean(page.nextUri) && page.items.length > 0;
        state.leadsNextUri = more ? page.nextUri! : null;
        const lastList = !state.lists.slice(state.listIndex + 1).some((l) => !l.skipped);
        const outOfTime = budget.remainingMs !== undefined && budget.remainingMs() < ports.settings.reserveMs;
        if ((pages >= maxPages || outOfTime) && (more || !lastList)) {
          // Resume at the next page of this list, or at the start of the next list.
          if (!more) {
            state.listIndex++;
            state.leadsNextUri = null;
          }
          await saveCheckpoint();
          await ports.queue.send({ kind: 'maintenance-plan', planId, step: lock.step + 1 });
          const listsToScan = state.lists.filter((l) => !l.skipped).length;
          const listsDone = state.lists.slice(0, state.listIndex).filter((l) => !l.skipped).length;
          telemetry.info('maintenance planning continues in the next invocation', { planId, pages, listsDone, listsToScan });
          return { outcome: 'continuing', planId, listsDone, listsToScan };
        }
        if (!more) break;
      }
      telemetry.debug('maintenance list planned', { planId, listId: list.listId, leadsScanned: list.leadsScanned, planned: list.planned });
    }
    await saveCheckpoint();
    const result = await writePlan(ports, state);
    state.done = true;
    await ports.objects.write(stateKey(ports, planId), JSON.stringify(state), 'application/json');
    await lock.release();
    return { outcome: 'planned', result };
  } catch (error) {
    // The CLI gives the lock back at once; a function keeps it for the message's retry (it expires if the walk is abandoned).
    if (walk.handOver === 'none') await lock.release().catch(() => undefined);
    throw error;
  }
}

/** Joins the parts into plan.csv and findings.csv, writes the summary, then the plan record. */
async function writePlan(ports: MaintenancePorts, state: PlanningState): Promise<PlanResult> {
  const { store, telemetry } = ports;
  const { planId, policy, startedMs } = state;
  let planCsv = formatCsvRow(PLAN_HEADER, { escapeFormulas: false });
  let findingsCsv = formatCsvRow(FINDINGS_HEADER, { escapeFormulas: false });
  for (let part = 0; part < state.parts; part++) {
    const keys = partKeys(ports, planId, part);
    const [p, f] = await Promise.all([ports.objects.readText(keys.plan), ports.objects.readText(keys.findings)]);
    if (p === undefined || f === undefined) throw new Error(`plan ${planId}: part ${part} is missing`);
    planCsv += p;
    findingsCsv += f;
  }
  const scanned = state.lists.filter((l) => l.skipped === null);
  const planned = scanned.reduce((n, l) => n + l.planned, 0);
  const breaches = capBreaches({ planned, lists: scanned.map((l) => ({ listId: l.listId, planned: l.planned, active: l.activeLeads })) }, policy.caps);
  const withinCaps = breaches.length === 0;
  const keys = planKeys(ports.prefix, planId);
  const planSha256 = sha256Hex(planCsv);
  const createdAt = new Date(startedMs).toISOString();
  const applyBy = new Date(startedMs + policy.planExpiryHours * 3_600_000).toISOString();
  const totals = {
    listsSeen: state.lists.length,
    listsScanned: scanned.length,
    leadsScanned: scanned.reduce((n, l) => n + l.leadsScanned, 0),
    activeLeads: scanned.reduce((n, l) => n + l.activeLeads, 0),
    planned,
    byRule: {} as Partial<Record<ActionRule, number>>,
    findings: {} as Partial<Record<FindingKind, number>>,
  };
  for (const l of scanned) {
    for (const [k, v] of Object.entries(l.byRule)) add(totals.byRule, k as ActionRule, v);
    for (const [k, v] of Object.entries(l.findings)) add(totals.findings, k as FindingKind, v);
  }
  // Only the lists apply can meet: the record stays small however many lists the tenant has.
  const rulesByList: Record<string, ResolvedRules> = Object.fromEntries(scanned.filter((l) => l.planned > 0).map((l) => [String(l.listId), l.rules!]));
  const summary: MaintenanceSummary = {
    schemaVersion: 1,
    planId,
    status: withinCaps ? 'planned' : 'over-cap',
    createdAt,
    applyBy,
    trigger: state.trigger,
    policySha256: state.policySha256,
    autoApply: policy.autoApply,
    completionsPerSecond: policy.completionsPerSecond,
    caps: policy.caps,
    withinCaps,
    capBreaches: breaches,
    totals,
    lists: state.lists,
    planningInvocations: state.invocations,
    files: { plan: keys.plan, findings: keys.findings, summary: keys.summary },
    planSha256,
  };
  await ports.objects.write(keys.plan, planCsv, 'text/csv; charset=utf-8');
  await ports.objects.write(keys.findings, findingsCsv, 'text/csv; charset=utf-8');
  await ports.objects.write(keys.summary, `${JSON.stringify(summary, null, 2)}\n`, 'application/json');
  const record: PlanRecord = {
    planId,
    status: summary.status,
    createdAt,
    applyBy,
    leadCount: planned,
    withinCaps,
    planSha256,
    rulesByList,
    completionsPerSecond: policy.completionsPerSecond,
    autoApply: policy.autoApply,
    position: 0,
    invocations: 0,
    updatedAt: new Date(ports.now()).toISOString(),
  };
  if (!(await store.createPlan(record))) throw new Error(`plan ${planId} exists already`);

  const findingCount = Object.values(totals.findings).reduce((n, v) => n + (v ?? 0), 0);
  telemetry.metric('MaintenancePlans', 1);
  telemetry.metric('MaintenanceLeadsPlanned', planned);
  // Always emitted (0 or 1), so an alarm on it sees data on every planning run.
  telemetry.metric('MaintenancePlanOverCap', withinCaps ? 0 : 1);
  telemetry.info('maintenance plan written', {
    planId,
    status: summary.status,
    listsScanned: totals.listsScanned,
    leadsScanned: totals.leadsScanned,
    planned,
    findings: findingCount,
    invocations: state.invocations,
  });
  for (const breach of breaches) telemetry.warn(`maintenance plan over a cap: ${describeBreach(breach)}`, { planId, cap: breach.cap });
  return { planId, summary, withinCaps, breaches, live: state.live };
}

// Kept for callers that format whole files at once (tests, tools).
export { formatFindingsCsv, formatPlanCsv };
