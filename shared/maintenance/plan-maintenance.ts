/**
 * Planning: walks the lists a policy selects and their leads (cursor pagination), evaluates every
 * open lead, and writes the plan (plan.csv, findings.csv, summary.json) and its record. Planning
 * never changes a lead: the only ipSCAPE operations it calls are list lead lists and list leads.
 *
 * The plan record is written last, so a planning run that dies leaves at most files no one can apply.
 * A plan over a cap is written as `over-cap` (reviewable, never applicable) and fires the
 * `MaintenancePlanOverCap` metric.
 */
import { capBreaches, describeBreach, type CapBreach } from './caps';
import { evaluateLead, type ActionRule, type FindingKind } from './lead-rules';
import { selectList, type ListInfo } from './list-selection';
import { MaintenanceLockedError, type MaintenancePorts } from './maintenance-ports';
import type { PlanRecord } from './maintenance-store';
import { newPlanId } from './plan-id';
import {
  formatFindingsCsv,
  formatPlanCsv,
  planKeys,
  sha256Hex,
  type FindingRow,
  type ListSummary,
  type MaintenanceSummary,
  type PlanRow,
} from './plan-files';
import type { MaintenancePolicy, ResolvedRules } from './policy';
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
}

function add<K extends string>(counts: Partial<Record<K, number>>, key: K, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/**
 * Makes a plan under `policy`.
 *
 * @throws MaintenanceLockedError when another run holds the lock (nothing is written then).
 */
export async function planMaintenance(ports: MaintenancePorts, policy: MaintenancePolicy, options: PlanOptions): Promise<PlanResult> {
  const { ipscape, store, telemetry } = ports;
  const startedMs = ports.now();
  const planId = newPlanId(startedMs);
  const owner = `plan:${planId}`;
  const lock = await store.acquireLock(owner, planId, startedMs, ports.settings.lockSeconds * 1000);
  if (!lock.acquired) {
    telemetry.metric('MaintenanceRunRefused', 1);
    telemetry.warn('maintenance planning refused: another run holds the lock', { planId, heldByPlan: lock.holder?.planId ?? null });
    throw new MaintenanceLockedError(lock.holder && { planId: lock.holder.planId, expiresAt: new Date(lock.holder.expiresAtMs).toISOString() });
  }
  const lockTtlMs = ports.settings.lockSeconds * 1000;
  let lockRenewedMs = startedMs;
  /** Renews the lock every third of its lifetime, so a long walk never runs unlocked. */
  const keepLock = async (): Promise<void> => {
    if (ports.now() - lockRenewedMs <= lockTtlMs / 3) return;
    const renewed = await store.acquireLock(owner, planId, ports.now(), lockTtlMs);
    if (!renewed.acquired) throw new MaintenanceLockedError(renewed.holder && { planId: renewed.holder.planId, expiresAt: new Date(renewed.holder.expiresAtMs).toISOString() });
    lockRenewedMs = ports.now();
  };
  try {
    const rows: PlanRow[] = [];
    const findingRows: FindingRow[] = [];
    const lists: ListSummary[] = [];
    const rulesByList: Record<string, ResolvedRules> = {};

    for await (const raw of ipscape.paginate('listLeadLists')) {
      const info: ListInfo = {
        listId: raw.id,
        listName: raw.name ?? '',
        campaignId: raw.campaignId ?? null,
        // A list whose dialler state is not given is treated as out of the dialler: skipped unless asked.
        inDialler: raw.inDialler === true,
      };
      const selection = selectList(policy, info);
      if (!selection.selected) {
        lists.push({ ...info, skipped: selection.reason, target: null, targetName: null, rules: null, leadsScanned: 0, activeLeads: 0, planned: 0, byRule: {}, findings: {} });
        continue;
      }
      const rules = selection.rules;
      rulesByList[String(info.listId)] = rules;
      let leadsScanned = 0;
      let activeLeads = 0;
      let planned = 0;
      const byRule: Partial<Record<ActionRule, number>> = {};
      const findings: Partial<Record<FindingKind, number>> = {};
      for await (const page of ipscape.pages('listLeads', { listId: info.listId })) {
        await keepLock();
        // A lead the answer places in another list is not this list's to clean.
        const leads = page.items.filter((lead) => lead.listId == null || lead.listId === info.listId);
        const suppressed = await suppressedPhoneIndexes(
          leads.map((lead) => ({ lead, scope: lead.completed === false ? rules.suppressed?.phones : undefined })),
          ports,
        );
        const nowMs = ports.now();
        for (const lead of leads) {
          leadsScanned++;
          if (lead.completed === false) activeLeads++;
          const evaluation = evaluateLead(lead, rules, { nowMs, suppressedPhoneIndexes: suppressed.get(lead.leadId) ?? new Set() });
          const campaignId = lead.campaignId ?? info.campaignId;
          if (evaluation.action) {
            planned++;
            add(byRule, evaluation.action.rule);
            rows.push({
              leadId: lead.leadId,
              listId: info.listId,
              campaignId,
              rule: evaluation.action.rule,
              reason: evaluation.action.reason,
              leadModified: lead.timestamps?.modified ?? '',
            });
          }
          for (const f of evaluation.findings) {
            add(findings, f.finding);
            findingRows.push({ leadId: lead.leadId, listId: info.listId, campaignId, finding: f.finding, reason: f.reason });
          }
        }
      }
      lists.push({ ...info, skipped: null, target: selection.target, targetName: selection.targetName, rules, leadsScanned, activeLeads, planned, byRule, findings });
      telemetry.debug('maintenance list planned', { planId, listId: info.listId, leadsScanned, planned });
    }

    const breaches = capBreaches(
      { planned: rows.length, lists: lists.filter((l) => l.skipped === null).map((l) => ({ listId: l.listId, planned: l.planned, active: l.activeLeads })) },
      policy.caps,
    );
    const withinCaps = breaches.length === 0;
    const keys = planKeys(ports.prefix, planId);
    const planCsv = formatPlanCsv(rows);
    const planSha256 = sha256Hex(planCsv);
    const createdAt = new Date(startedMs).toISOString();
    const applyBy = new Date(startedMs + policy.planExpiryHours * 3_600_000).toISOString();
    const scanned = lists.filter((l) => l.skipped === null);
    const totals = {
      listsSeen: lists.length,
      listsScanned: scanned.length,
      leadsScanned: scanned.reduce((n, l) => n + l.leadsScanned, 0),
      activeLeads: scanned.reduce((n, l) => n + l.activeLeads, 0),
      planned: rows.length,
      byRule: {} as Partial<Record<ActionRule, number>>,
      findings: {} as Partial<Record<FindingKind, number>>,
    };
    for (const l of scanned) {
      for (const [k, v] of Object.entries(l.byRule)) add(totals.byRule, k as ActionRule, v);
      for (const [k, v] of Object.entries(l.findings)) add(totals.findings, k as FindingKind, v);
    }
    const summary: MaintenanceSummary = {
      schemaVersion: 1,
      planId,
      status: withinCaps ? 'planned' : 'over-cap',
      createdAt,
      applyBy,
      trigger: options.trigger,
      policySha256: options.policySha256,
      autoApply: policy.autoApply,
      completionsPerSecond: policy.completionsPerSecond,
      caps: policy.caps,
      withinCaps,
      capBreaches: breaches,
      totals,
      lists,
      files: { plan: keys.plan, findings: keys.findings, summary: keys.summary },
      planSha256,
    };
    await ports.objects.write(keys.plan, planCsv, 'text/csv; charset=utf-8');
    await ports.objects.write(keys.findings, formatFindingsCsv(findingRows), 'text/csv; charset=utf-8');
    await ports.objects.write(keys.summary, `${JSON.stringify(summary, null, 2)}\n`, 'application/json');
    const record: PlanRecord = {
      planId,
      status: summary.status,
      createdAt,
      applyBy,
      leadCount: rows.length,
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

    telemetry.metric('MaintenancePlans', 1);
    telemetry.metric('MaintenanceLeadsPlanned', rows.length);
    // Always emitted (0 or 1), so an alarm on it sees data on every planning run.
    telemetry.metric('MaintenancePlanOverCap', withinCaps ? 0 : 1);
    telemetry.info('maintenance plan written', {
      planId,
      status: summary.status,
      listsScanned: totals.listsScanned,
      leadsScanned: totals.leadsScanned,
      planned: rows.length,
      findings: findingRows.length,
    });
    for (const breach of breaches) telemetry.warn(`maintenance plan over a cap: ${describeBreach(breach)}`, { planId, cap: breach.cap });
    return { planId, summary, withinCaps, breaches };
  } finally {
    await store.releaseLock(owner);
  }
}
