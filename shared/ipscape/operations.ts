/**
 * What each operation sends and receives: path parameters, query, body and response schemas.
 *
 * The client uses it to validate before sending and to read answers; the simulator uses the same
 * entries to validate what it receives, so both sides of the contract come from one table.
 */
import { z } from 'zod';
import type { OperationId } from './routes';
import * as s from './schemas/index';

export interface OperationSpec {
  /** Names of the path parameters, as in the route's `{placeholders}`. */
  readonly pathParams: readonly string[];
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
}

export const operations = {
  listActivities: { pathParams: [], query: s.listActivitiesQuerySchema, response: s.listActivitiesResponseSchema },
  getActivity: { pathParams: ['activityId'], response: s.activitySchema },
  listCampaigns: { pathParams: [], query: s.listCampaignsQuerySchema, response: s.listCampaignsResponseSchema },
  getCampaign: { pathParams: ['campaignId'], response: s.campaignSchema },
  getCampaignStatistics: {
    pathParams: ['campaignId'],
    query: s.campaignStatisticsQuerySchema,
    response: s.campaignStatisticsSchema,
  },
  getMedia: { pathParams: ['mediaId'], response: s.mediaSchema },
  listLeads: { pathParams: [], query: s.listLeadsQuerySchema, response: s.listLeadsResponseSchema },
  getLead: { pathParams: ['leadId'], response: s.leadSchema },
  createLead: { pathParams: [], body: s.createLeadRequestSchema, response: s.createLeadResponseSchema },
  updateLead: { pathParams: ['leadId'], body: s.updateLeadRequestSchema, response: s.updateLeadResponseSchema },
  bulkCreateLeads: { pathParams: [], body: s.bulkCreateLeadsRequestSchema, response: s.bulkJobSchema },
  getBulkJob: { pathParams: ['uuid'], response: s.bulkJobSchema },
  listLeadLists: { pathParams: [], query: s.listLeadListsQuerySchema, response: s.listLeadListsResponseSchema },
  getLeadList: { pathParams: ['listId'], response: s.leadListSchema },
  createLeadList: {
    pathParams: [],
    body: s.createLeadListRequestSchema,
    response: s.createLeadListResponseSchema,
  },
  privacyErasure: {
    pathParams: [],
    body: s.privacyErasureRequestSchema,
    response: s.privacyErasureResponseSchema,
  },
  listUsers: { pathParams: [], query: s.listUsersQuerySchema, response: s.listUsersResponseSchema },
  updateAgentPresence: { pathParams: [], body: s.agentPresenceSchema, response: s.agentPresenceResponseSchema },
  listDiallerCalls: {
    pathParams: [],
    query: s.listDiallerCallsQuerySchema,
    response: s.listDiallerCallsResponseSchema,
  },
  getDiallerAttempt: { pathParams: ['attemptId'], response: s.diallerAttemptSchema },
  setCallRecording: { pathParams: [], body: s.callRecordingSchema, response: s.callRecordingResponseSchema },
} as const satisfies Record<OperationId, OperationSpec>;

export type Operations = typeof operations;
