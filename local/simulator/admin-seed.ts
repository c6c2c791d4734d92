/**
 * `POST /__admin/seed`: puts campaigns, lists and leads into the tenant with whatever history a
 * test needs (any creation time, attempts, last outcome, completed phones). Seeded values are not
 * checked against the API's rules (a phone need not be E.164), so tests can stage legacy data.
 */
import { z } from 'zod';
import { parseIpscapeTimestamp } from '../../shared/ipscape/schemas/common';
import { validationError, type FieldError } from './http-errors';
import { DEFAULT_LEAD_TIMEZONE } from './lead-records';
import type { LeadRecord, PhoneRecord, SimulatorState } from './state';

const instant = z.string().refine((t) => parseIpscapeTimestamp(t) !== undefined, {
  message: 'must be an ISO-8601 timestamp with an offset',
});
const id = z.number().int().positive();

const seedCampaign = z.strictObject({
  campaignId: id.optional(),
  campaignTitle: z.string().min(1),
  campaignType: z.string().default('Outbound'),
  campaignDescription: z.string().default(''),
  campaignGroupName: z.string().default('Seeded'),
  isRunning: z.boolean().default(true),
  isActive: z.boolean().default(true),
  created: instant.optional(),
});

const seedList = z.strictObject({
  /** A name leads in the same body use to point at this list (`listRef`). */
  ref: z.string().optional(),
  listId: id.optional(),
  listName: z.string().min(1),
  campaignId: id,
  inDialler: z.boolean().default(true),
  weight: z.number().nonnegative().default(1),
  created: instant.optional(),
});

const seedPhone = z.union([
  z.string().min(1),
  z.strictObject({ phone: z.string().min(1), phoneIndex: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(), completed: z.boolean().optional() }),
]);

const seedLead = z.strictObject({
  listId: id.optional(),
  listRef: z.string().optional(),
  /** Without a list: the campaign's first list (one is made if it has none). */
  campaignId: id.optional(),
  customerKey: z.string().nullish(),
  timezone: z.string().optional(),
  phones: z.array(seedPhone).max(3).default([]),
  dataFields: z.record(z.string(), z.unknown()).default({}),
  completed: z.boolean().default(false),
  created: instant.optional(),
  modified: instant.optional(),
  nextAttempt: instant.nullish(),
  totalAttempts: z.number().int().nonnegative().default(0),
  lastStatusCode: z.number().int().nullish(),
  lastStatusDescription: z.string().nullish(),
  agentId: id.nullish(),
  outcomeType: z.string().default('preview'),
});

/** Body of `POST /__admin/seed`. */
export const seedRequestSchema = z.strictObject({
  campaigns: z.array(seedCampaign).default([]),
  lists: z.array(seedList).default([]),
  leads: z.array(seedLead).default([]),
});
export type SeedRequest = z.input<typeof seedRequestSchema>;

/** Ids created by a seed request, in the order given. */
export interface SeedResult {
  readonly campaignIds: number[];
  readonly listIds: number[];
  readonly leadIds: number[];
}

const ms = (text: string | undefined | null, fallback: number) => (text ? parseIpscapeTimestamp(text)!.getTime() : fallback);

/**
 * Applies a validated seed request; all-or-nothing (references are checked before anything is stored).
 *
 * @throws HttpError 400 naming fields with unknown references or ids already taken.
 */
export function applySeed(state: SimulatorState, request: z.output<typeof seedRequestSchema>, nowMs: number): SeedResult {
  const problems: FieldError[] = [];
  const newCampaignIds = new Set<number>();
  request.campaigns.forEach((c, i) => {
    if (c.campaignId !== undefined && (state.campaigns.has(c.campaignId) || newCampaignIds.has(c.campaignId))) {
      problems.push({ field: `campaigns.${i}.campaignId`, message: 'is already taken' });
    }
    if (c.campaignId !== undefined) newCampaignIds.add(c.campaignId);
  });
  const campaignExists = (cid: number) => state.campaigns.has(cid) || newCampaignIds.has(cid);
  const refs = new Set<string>();
  const newListIds = new Set<number>();
  request.lists.forEach((l, i) => {
    if (!campaignExists(l.campaignId)) problems.push({ field: `lists.${i}.campaignId`, message: 'no campaign with this id' });
    if (l.listId !== undefined && (state.lists.has(l.listId) || newListIds.has(l.listId))) {
      problems.push({ field: `lists.${i}.listId`, message: 'is already taken' });
    }
    if (l.listId !== undefined) newListIds.add(l.listId);
    if (l.ref !== undefined) refs.add(l.ref);
  });
  request.leads.forEach((lead, i) => {
    const given = [lead.listId, lead.listRef, lead.campaignId].filter((v) => v !== undefined).length;
    if (given !== 1) problems.push({ field: `leads.${i}.listId`, message: 'give exactly one of listId, listRef, campaignId' });
    if (lead.listId !== undefined && !state.lists.has(lead.listId) && !newListIds.has(lead.listId)) {
      problems.push({ field: `leads.${i}.listId`, message: 'no lead list with this id' });
    }
    if (lead.listRef !== undefined && !refs.has(lead.listRef)) problems.push({ field: `leads.${i}.listRef`, message: 'no list with this ref in the request' });
    if (lead.campaignId !== undefined && !campaignExists(lead.campaignId)) {
      problems.push({ field: `leads.${i}.campaignId`, message: 'no campaign with this id' });
    }
    if (lead.agentId != null && state.users.get(lead.agentId)?.userType !== 'agent') {
      problems.push({ field: `leads.${i}.agentId`, message: 'no agent with this id' });
    }
    const indexes = lead.phones.map((p, k) => (typeof p === 'string' ? k + 1 : (p.phoneIndex ?? k + 1)));
    if (new Set(indexes).size !== indexes.length) problems.push({ field: `leads.${i}.phones`, message: 'phone indexes must differ' });
  });
  if (problems.length) throw validationError(problems);
  // Explicit ids first, so ids handed out meanwhile never collide with one named later in the body.
  for (const cid of newCampaignIds) state.reserveId('campaign', cid);
  for (const lid of newListIds) state.reserveId('list', lid);

  const result: SeedResult = { campaignIds: [], listIds: [], leadIds: [] };
  for (const c of request.campaigns) {
    const campaignId = c.campaignId ?? state.nextId('campaign');
    const created = ms(c.created, nowMs);
    state.campaigns.set(campaignId, {
      campaignId,
      title: c.campaignTitle,
      description: c.campaignDescription,
      campaignType: c.campaignType,
      groupName: c.campaignGroupName,
      isRunning: c.isRunning,
      isActive: c.isActive,
      allowTransferToAnyPhone: false,
      payDetails: null,
      createdMs: created,
      updatedMs: created,
    });
    result.campaignIds.push(campaignId);
  }
  const listByRef = new Map<string, number>();
  for (const l of request.lists) {
    const listId = l.listId ?? state.nextId('list');
    state.lists.set(listId, {
      id: listId,
      name: l.listName,
      campaignId: l.campaignId,
      inDialler: l.inDialler,
      weight: l.weight,
      createdMs: ms(l.created, nowMs),
    });
    if (l.ref !== undefined) listByRef.set(l.ref, listId);
    result.listIds.push(listId);
  }
  const listOfCampaign = (campaignId: number): number => {
    const existing = [...state.lists.values()].filter((l) => l.campaignId === campaignId).sort((a, b) => a.id - b.id)[0];
    if (existing) return existing.id;
    const listId = state.nextId('list');
    state.lists.set(listId, { id: listId, name: 'Seeded leads', campaignId, inDialler: true, weight: 1, createdMs: nowMs });
    result.listIds.push(listId);
    return listId;
  };
  for (const l of request.leads) {
    const listId = l.listId ?? (l.listRef !== undefined ? listByRef.get(l.listRef)! : listOfCampaign(l.campaignId!));
    const phones: PhoneRecord[] = l.phones
      .map((p, k) => {
        const phone = typeof p === 'string' ? { phone: p } : p;
        return {
          phone: phone.phone,
          phoneIndex: (typeof p === 'string' ? k + 1 : (p.phoneIndex ?? k + 1)) as 1 | 2 | 3,
          completed: ('completed' in phone ? phone.completed : undefined) ?? l.completed,
        };
      })
      .sort((a, b) => a.phoneIndex - b.phoneIndex);
    const created = ms(l.created, nowMs);
    const lead: LeadRecord = {
      leadId: state.nextId('lead'),
      listId,
      timezone: l.timezone ?? DEFAULT_LEAD_TIMEZONE,
      completed: l.completed,
      customerKey: l.customerKey ?? null,
      agentId: l.agentId ?? null,
      dataFields: { ...l.dataFields },
      lastStatusCode: l.lastStatusCode ?? null,
      lastStatusDescription: l.lastStatusDescription ?? null,
      phones,
      outcomeType: l.outcomeType,
      totalAttempts: l.totalAttempts,
      createdMs: created,
      modifiedMs: ms(l.modified, created),
      nextAttemptMs: l.nextAttempt ? ms(l.nextAttempt, created) : null,
      bulkJobUuid: null,
    };
    state.leads.set(lead.leadId, lead);
    result.leadIds.push(lead.leadId);
  }
  return result;
}
