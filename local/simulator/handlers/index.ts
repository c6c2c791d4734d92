/** The handler of every ipSCAPE operation. */
import type { OperationId } from '../../../shared/ipscape/routes';
import { getActivity, listActivities } from './activities';
import { listUsers, updateAgentPresence } from './agents';
import { bulkCreateLeads, getBulkJob } from './bulk-leads';
import { getDiallerAttempt, listDiallerCalls, setCallRecording } from './calls';
import { getCampaign, getCampaignStatistics, listCampaigns } from './campaigns';
import { createLeadList, getLeadList, listLeadLists } from './lead-lists';
import { createLead, getLead, listLeads, updateLead } from './leads';
import { getMedia } from './media';
import type { OperationHandler } from './operation-handler';
import { privacyErasure } from './privacy';

export const operationHandlers: Readonly<Record<OperationId, OperationHandler>> = {
  listActivities,
  getActivity,
  listCampaigns,
  getCampaign,
  getCampaignStatistics,
  getMedia,
  listLeads,
  getLead,
  createLead,
  updateLead,
  bulkCreateLeads,
  getBulkJob,
  listLeadLists,
  getLeadList,
  createLeadList,
  privacyErasure,
  listUsers,
  updateAgentPresence,
  listDiallerCalls,
  getDiallerAttempt,
  setCallRecording,
};
