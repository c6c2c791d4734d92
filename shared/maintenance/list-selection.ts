/** Which lists a policy cleans, and under which rules. */
import { resolveRules, type MaintenancePolicy, type ResolvedRules } from './policy';

/** A lead list as planning sees it. */
export interface ListInfo {
  readonly listId: number;
  readonly listName: string;
  readonly campaignId: number | null;
  readonly inDialler: boolean;
}

export type ListSelection =
  | { readonly selected: true; readonly target: number; readonly targetName: string | null; readonly rules: ResolvedRules }
  | { readonly selected: false; readonly reason: 'not-selected' | 'not-in-dialler' };

/**
 * Picks the first target that selects a list. A target selects a list when every selector it gives
 * matches; a list out of the dialler is skipped unless that target includes such lists.
 *
 * @example selectList(policy, { listId: 3, listName: 'Retention Q3', campaignId: 3, inDialler: true })
 */
export function selectList(policy: MaintenancePolicy, list: ListInfo): ListSelection {
  let notInDialler = false;
  for (const [index, target] of policy.targets.entries()) {
    if (target.campaignIds && (list.campaignId === null || !target.campaignIds.includes(list.campaignId))) continue;
    if (target.listIds && !target.listIds.includes(list.listId)) continue;
    if (target.listNamePattern && !new RegExp(target.listNamePattern).test(list.listName)) continue;
    if (!list.inDialler && !target.includeNotInDialler) {
      notInDialler = true;
      continue;
    }
    return { selected: true, target: index, targetName: target.name ?? null, rules: resolveRules(policy.defaults.rules, target.rules) };
  }
  return { selected: false, reason: notInDialler ? 'not-in-dialler' : 'not-selected' };
}
