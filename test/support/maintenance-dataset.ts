/**
 * Seeded lead lists for maintenance tests, with the plan each should produce computed here, from how
 * the leads were seeded, independently of the maintenance code: which leads are stale, exhausted,
 * finally resolved, suppressed, already completed, or have bad phones or zones.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mulberry32 } from '../../local/simulator/random';
import { LOCAL_DEDUPE_SECRET } from '../../local/function-handlers';
import { addSuppression } from '../../shared/aws/dynamo-suppression-list';
import { createFingerprinter } from '../../shared/dedupe/fingerprinter';
import { createLeadIdentifier } from '../../shared/ingest/lead-identity';
import type { IngestionStack } from './ingestion-stack';

const DAY = 86_400_000;

/** How one seeded lead was made. */
export interface SeededLead {
  leadId: number;
  list: string;
  completed: boolean;
  stale: boolean;
  attempts: number;
  statusCode: number | null;
  /** Phone position on the suppression list, if any. */
  suppressedIndex: 1 | 2 | null;
  badPhone: boolean;
  badZone: boolean;
  phones: string[];
  name: string;
}

export interface ListSpec {
  readonly key: string;
  readonly name: string;
  readonly campaign: 'A' | 'B';
  readonly inDialler?: boolean;
  /** Whether the test's policy scans it, and whether stale counts there. */
  readonly scanned: boolean;
  readonly staleRule: boolean;
}

export interface Dataset {
  readonly campaignIds: { A: number; B: number };
  readonly listIds: Record<string, number>;
  readonly leads: SeededLead[];
  /** leadId → rule, as the policy's rules say it should be planned. */
  readonly expected: Map<number, string>;
  /** Findings expected per kind. */
  readonly expectedFindings: { 'bad-phone': number; 'bad-time-zone': number };
  /** Every phone and name seeded, to check that no file or log holds one. */
  readonly personal: string[];
}

export interface DatasetOptions {
  readonly tag: string;
  readonly lists: readonly ListSpec[];
  readonly leads: number;
  readonly seed: number;
  /** Share of leads with each trait (defaults: the mix of a real, rotting list). */
  readonly mix?: Partial<Record<'completed' | 'stale' | 'exhausted' | 'final' | 'suppressed' | 'badPhone' | 'badZone', number>>;
}

let phoneCounter = 0;
/** A fresh fictional mobile from ACMA's 0491 570 000 - 0491 579 999 range, E.164. */
function nextPhone(): string {
  const n = phoneCounter++;
  if (n > 9_999) throw new Error('out of fictional phone numbers');
  return `+6149157${String(n).padStart(4, '0')}`;
}

/** The rule the test policy gives a lead: suppressed, then finalOutcome (26, 28), exhausted (8+), stale (180 days). */
export function expectedRule(lead: SeededLead, list: ListSpec): string | undefined {
  if (!list.scanned || lead.completed) return undefined;
  if (lead.suppressedIndex) return 'suppressed';
  if (lead.statusCode === 26 || lead.statusCode === 28) return 'finalOutcome';
  if (lead.attempts >= 8) return 'exhausted';
  if (lead.stale && list.staleRule) return 'stale';
  return undefined;
}

/** The rules of the test policies (the target for `staleRule: false` lists turns stale off). */
export const TEST_RULES = {
  stale: { olderThanDays: 180 },
  exhausted: { maxAttempts: 8 },
  finalOutcome: { statusCodes: [26, 28] },
  suppressed: { phones: 'any' },
  report: { badPhones: true, badTimeZones: true },
} as const;

/** Seeds campaigns A and B, the lists and the leads, and puts the suppressed phones on the suppression list. */
export async function seedDataset(stack: IngestionStack, options: DatasetOptions): Promise<Dataset> {
  const random = mulberry32(options.seed);
  const mix = { completed: 0.1, stale: 0.3, exhausted: 0.2, final: 0.15, suppressed: 0.1, badPhone: 0.08, badZone: 0.05, ...options.mix };
  const now = Date.now();
  const campaigns = await stack.admin<{ campaignIds: number[] }>('/seed', {
    campaigns: [{ campaignTitle: `${options.tag} A` }, { campaignTitle: `${options.tag} B` }],
  });
  const campaignIds = { A: campaigns.campaignIds[0]!, B: campaigns.campaignIds[1]! };
  const leads: SeededLead[] = [];
  const seedLeads: unknown[] = [];
  for (let i = 0; i < options.leads; i++) {
    const list = options.lists[Math.floor(random() * options.lists.length)]!;
    const suppressed = random() < mix.suppressed;
    const lead: SeededLead = {
      leadId: 0,
      list: list.key,
      completed: random() < mix.completed,
      stale: random() < mix.stale,
      attempts: random() < mix.exhausted ? 8 + Math.floor(random() * 5) : Math.floor(random() * 8),
      statusCode: random() < mix.final ? (random() < 0.5 ? 26 : 28) : random() < 0.5 ? 3 : null,
      suppressedIndex: suppressed ? (random() < 0.5 ? 1 : 2) : null,
      badPhone: random() < mix.badPhone,
      badZone: random() < mix.badZone,
      phones: [],
      name: `Zelda${options.tag}${i}`,
    };
    lead.phones.push(nextPhone());
    if (lead.suppressedIndex === 2 || random() < 0.3) lead.phones.push(nextPhone());
    const phones: string[] = [...lead.phones];
    // A phone that no longer normalises to a dialable number: a 1300 number in the third position.
    if (lead.badPhone) phones.push('1300 123 456');
    leads.push(lead);
    seedLeads.push({
      listRef: list.key,
      phones,
      completed: lead.completed,
      created: new Date(now - (lead.stale ? 200 : 20) * DAY).toISOString(),
      totalAttempts: lead.attempts,
      lastStatusCode: lead.statusCode,
      timezone: lead.badZone ? 'AEST' : 'Australia/Sydney',
      customerKey: `${options.tag}-${i}`,
      dataFields: { firstName: lead.name, email: `${lead.name.toLowerCase()}@example.com` },
    });
  }
  const seeded = await stack.admin<{ listIds: number[]; leadIds: number[] }>('/seed', {
    lists: options.lists.map((l) => ({ ref: l.key, listName: l.name, campaignId: campaignIds[l.campaign], inDialler: l.inDialler ?? true })),
    leads: seedLeads,
  });
  const listIds = Object.fromEntries(options.lists.map((l, i) => [l.key, seeded.listIds[i]!]));
  seeded.leadIds.forEach((id, i) => (leads[i]!.leadId = id));

  const doc = DynamoDBDocumentClient.from(stack.clients.dynamodb);
  const identity = createLeadIdentifier(LOCAL_DEDUPE_SECRET);
  const fingerprints = createFingerprinter(LOCAL_DEDUPE_SECRET, 'suppression/v1');
  for (const lead of leads) {
    if (!lead.suppressedIndex) continue;
    const phone = lead.phones[lead.suppressedIndex - 1]!;
    const hi = fingerprints.fingerprint(phone);
    await addSuppression(doc, stack.stack.resources.tables.state, { hash: identity.identifier(phone), hi, lo: fingerprints.lo, reason: 'test', at: new Date().toISOString() });
  }

  const byKey = new Map(options.lists.map((l) => [l.key, l]));
  const expected = new Map<number, string>();
  const expectedFindings = { 'bad-phone': 0, 'bad-time-zone': 0 };
  for (const lead of leads) {
    const list = byKey.get(lead.list)!;
    const rule = expectedRule(lead, list);
    if (rule) expected.set(lead.leadId, rule);
    if (list.scanned && lead.badPhone) expectedFindings['bad-phone']++;
    if (list.scanned && lead.badZone) expectedFindings['bad-time-zone']++;
  }
  // The nine national digits of each phone catch it in any spelling (+61..., 0..., spaced digits aside).
  const personal = leads.flatMap((l) => [...l.phones.map((p) => p.slice(3)), l.name]);
  return { campaignIds, listIds, leads, expected, expectedFindings, personal };
}
