/** The caps a plan must stay within to be applied at all. */
import type { Caps } from './policy';

/** One cap a plan exceeds. */
export type CapBreach =
  | { readonly cap: 'maxLeadsPerPlan'; readonly limit: number; readonly planned: number }
  | {
      readonly cap: 'maxShareOfList';
      readonly limit: number;
      readonly listId: number;
      readonly planned: number;
      /** The list's open leads when planned. */
      readonly active: number;
      /** planned / active, rounded to 4 places. */
      readonly share: number;
    };

/** What the caps are checked against: the plan's size and each list's planned and open leads. */
export interface PlanCounts {
  readonly planned: number;
  readonly lists: readonly { readonly listId: number; readonly planned: number; readonly active: number }[];
}

/**
 * Every cap the plan exceeds (none: the plan is within its caps). A list's share is its planned leads
 * over its open leads; a list with planned leads and no open ones cannot happen, and counts as over.
 *
 * @example capBreaches({ planned: 3, lists: [{ listId: 1, planned: 3, active: 10 }] }, { maxLeadsPerPlan: 200, maxShareOfList: 0.1 })
 * // [{ cap: 'maxShareOfList', limit: 0.1, listId: 1, planned: 3, active: 10, share: 0.3 }]
 */
export function capBreaches(counts: PlanCounts, caps: Caps): CapBreach[] {
  const breaches: CapBreach[] = [];
  if (counts.planned > caps.maxLeadsPerPlan) breaches.push({ cap: 'maxLeadsPerPlan', limit: caps.maxLeadsPerPlan, planned: counts.planned });
  for (const list of counts.lists) {
    if (list.planned === 0) continue;
    // Compared in whole leads (planned > limit × active) so 0.1 × 30 allows exactly 3, float error aside.
    const allowed = Math.floor(caps.maxShareOfList * list.active + 1e-9);
    if (list.planned > allowed) {
      breaches.push({
        cap: 'maxShareOfList',
        limit: caps.maxShareOfList,
        listId: list.listId,
        planned: list.planned,
        active: list.active,
        share: list.active === 0 ? 1 : Math.round((list.planned / list.active) * 10_000) / 10_000,
      });
    }
  }
  return breaches;
}

/** One line naming a breach, for the CLI and logs. */
export function describeBreach(breach: CapBreach): string {
  return breach.cap === 'maxLeadsPerPlan'
    ? `maxLeadsPerPlan: ${breach.planned} leads planned, the cap is ${breach.limit}`
    : `maxShareOfList: list ${breach.listId} would lose ${breach.planned} of its ${breach.active} open leads (${(breach.share * 100).toFixed(1)} %), the cap is ${(breach.limit * 100).toFixed(1)} %`;
}
