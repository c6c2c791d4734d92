/** Turning create and update requests into stored leads, shared by create, bulk create and update. */
import { parseIpscapeTimestamp } from '../../shared/ipscape/schemas/common';
import type { CreateLeadRequest, UpdateLeadRequest } from '../../shared/ipscape/schemas/leads';
import type { LeadRecord, PhoneRecord, SimulatorState } from './state';

/** The zone a lead gets when the request names none. */
export const DEFAULT_LEAD_TIMEZONE = 'Australia/Sydney';

function phonesOf(body: Pick<CreateLeadRequest, 'phone1' | 'phone2' | 'phone3'>): PhoneRecord[] {
  const phones: PhoneRecord[] = [];
  ([1, 2, 3] as const).forEach((index) => {
    const phone = body[`phone${index}`];
    if (phone != null) phones.push({ phone, phoneIndex: index, completed: false });
  });
  return phones;
}

function instantOf(text: string | null | undefined): number | null {
  return text == null ? null : (parseIpscapeTimestamp(text)?.getTime() ?? null);
}

/**
 * Stores a new lead from a validated create-lead body.
 *
 * @param createdMs - the lead's creation instant (a bulk job's completion time for bulk leads).
 */
export function insertLead(
  state: SimulatorState,
  body: CreateLeadRequest,
  createdMs: number,
  bulkJobUuid: string | null = null,
): LeadRecord {
  const lead: LeadRecord = {
    leadId: state.nextId('lead'),
    listId: body.listId,
    timezone: body.timezone ?? DEFAULT_LEAD_TIMEZONE,
    completed: false,
    customerKey: body.customerKey ?? null,
    agentId: body.agentId ?? null,
    dataFields: { ...(body.leadData ?? {}) },
    lastStatusCode: body.statusCode ?? null,
    lastStatusDescription: null,
    phones: phonesOf(body),
    outcomeType: 'preview',
    totalAttempts: 0,
    createdMs,
    modifiedMs: createdMs,
    nextAttemptMs: instantOf(body.nextAttemptTimestamp),
    bulkJobUuid,
  };
  state.leads.set(lead.leadId, lead);
  return lead;
}

/**
 * Applies a validated partial update. Null fields mean "not given" (the reference types every field
 * "or null"); `leadData` merges into the stored fields; `isCompleted: true` completes every phone too.
 */
export function applyLeadUpdate(lead: LeadRecord, body: UpdateLeadRequest, nowMs: number): void {
  if (body.listId != null) lead.listId = body.listId;
  if (body.customerKey != null) lead.customerKey = body.customerKey;
  if (body.timezone != null) lead.timezone = body.timezone;
  ([1, 2, 3] as const).forEach((index) => {
    const phone = body[`phone${index}`];
    if (phone == null) return;
    const existing = lead.phones.find((p) => p.phoneIndex === index);
    if (existing) existing.phone = phone;
    else lead.phones.push({ phone, phoneIndex: index, completed: lead.completed });
  });
  lead.phones.sort((a, b) => a.phoneIndex - b.phoneIndex);
  if (body.leadData != null) Object.assign(lead.dataFields, body.leadData);
  if (body.statusCode != null) {
    lead.lastStatusCode = body.statusCode;
    lead.lastStatusDescription = null;
  }
  if (body.agentId != null) lead.agentId = body.agentId;
  const nextAttempt = instantOf(body.nextAttemptTimestamp);
  if (nextAttempt !== null) lead.nextAttemptMs = nextAttempt;
  if (body.isCompleted === true) {
    lead.completed = true;
    for (const phone of lead.phones) phone.completed = true;
  }
  lead.modifiedMs = nowMs;
}
