/** Lead operations: list, get, create and update. */
import { checkPhoneFilter } from '../../../shared/ipscape/semantic';
import type { CreateLeadRequest, ListLeadsQuery, UpdateLeadRequest } from '../../../shared/ipscape/schemas/leads';
import { notFound, validationError } from '../http-errors';
import { applyLeadUpdate, insertLead } from '../lead-records';
import { renderLead } from '../representations';
import { sortedById, type LeadRecord } from '../state';
import { createLeadProblems, updateLeadProblems } from './lead-checks';
import type { OperationHandler, OperationRequest } from './operation-handler';
import { cursorPage } from './paging';
import { inRange, timeRange } from './time-range';

function leadOr404(request: OperationRequest): LeadRecord {
  const id = request.params.leadId as number;
  const lead = request.sim.state.leads.get(id);
  if (!lead) throw notFound('lead', id);
  return lead;
}

/** GET /leads: filters by campaign, list, status, upload time, customer key and E.164 phone1. */
export const listLeads: OperationHandler = (request) => {
  const q = request.query as ListLeadsQuery;
  const phoneProblems = checkPhoneFilter(q.phone1);
  if (phoneProblems.length) throw validationError(phoneProblems);
  const uploaded = timeRange(request.query, 'uploadedTimestampFrom', 'uploadedTimestampTo');
  const { state } = request.sim;
  const matches = (lead: LeadRecord): boolean => {
    if (q.listId != null && lead.listId !== q.listId) return false;
    if (q.campaignId != null && state.lists.get(lead.listId)?.campaignId !== q.campaignId) return false;
    if (q.statusCode != null && lead.lastStatusCode !== q.statusCode) return false;
    if (q.customerKey != null && lead.customerKey !== q.customerKey) return false;
    if (q.phone1 != null && lead.phones.find((p) => p.phoneIndex === 1)?.phone !== q.phone1) return false;
    return inRange(uploaded, lead.createdMs);
  };
  return cursorPage(request, sortedById(state.leads), (l) => l.leadId, (l) => renderLead(request.render, l), matches);
};

/** GET /leads/{leadId}. */
export const getLead: OperationHandler = (request) => renderLead(request.render, leadOr404(request));

/** POST /leads: `{leadId, inDialler}`, inDialler being the list's. */
export const createLead: OperationHandler = (request) => {
  const body = request.body as CreateLeadRequest;
  const { state } = request.sim;
  const problems = createLeadProblems(state, body);
  if (problems.length) throw validationError(problems);
  const lead = insertLead(state, body, request.nowMs);
  return { leadId: lead.leadId, inDialler: state.lists.get(lead.listId)?.inDialler ?? false };
};

/**
 * PATCH /leads/{leadId}: a partial update; `isCompleted: true` completes the lead and its phones.
 * The reference shows no answer: the simulator answers with the updated lead.
 */
export const updateLead: OperationHandler = (request) => {
  const lead = leadOr404(request);
  const body = request.body as UpdateLeadRequest;
  const problems = updateLeadProblems(request.sim.state, body);
  if (problems.length) throw validationError(problems);
  applyLeadUpdate(lead, body, request.nowMs);
  return renderLead(request.render, lead);
};
