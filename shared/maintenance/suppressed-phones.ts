/** The suppression check of a page of leads: one batched look-up, answered per lead as phone positions. */
import type { Lead } from '../ipscape/schemas/leads';
import { phonesForSuppression, suppressionKeyOf } from './lead-rules';
import type { MaintenancePorts } from './maintenance-ports';

/**
 * The phone positions of each lead that are on the suppression list, by lead id. Leads without a
 * suppression rule (`scope` undefined) are not looked up.
 */
export async function suppressedPhoneIndexes(
  leads: readonly { readonly lead: Lead; readonly scope: 'phone1' | 'any' | undefined }[],
  ports: Pick<MaintenancePorts, 'suppression' | 'identifier'>,
): Promise<Map<number, Set<number>>> {
  const wanted: { leadId: number; phoneIndex: number; hash: string }[] = [];
  for (const { lead, scope } of leads) {
    if (!scope) continue;
    for (const p of phonesForSuppression(lead, scope)) wanted.push({ leadId: lead.leadId, phoneIndex: p.phoneIndex, hash: ports.identifier(suppressionKeyOf(p.phone)) });
  }
  const result = new Map<number, Set<number>>();
  if (wanted.length === 0) return result;
  const found = await ports.suppression.suppressed(wanted.map((w) => w.hash));
  for (const w of wanted) {
    if (!found.has(w.hash)) continue;
    let set = result.get(w.leadId);
    if (!set) result.set(w.leadId, (set = new Set()));
    set.add(w.phoneIndex);
  }
  return result;
}
