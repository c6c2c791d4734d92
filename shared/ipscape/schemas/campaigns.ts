/** Campaign schemas, including the page-number style of list campaigns. */
import { z } from 'zod';
import { agentCounts, numberedPage, timestamp } from './common';
import { leadListSchema } from './lead-lists';

export const campaignSummarySchema = z.looseObject({
  campaignId: z.number().int(),
  campaignTitle: z.string().nullish(),
  campaignDescription: z.string().nullish(),
  campaignType: z.string().nullish(),
  campaignGroupName: z.string().nullish(),
  isRunning: z.boolean().nullish(),
  allowTransferToAnyPhone: z.boolean().nullish(),
  ipScapePayDetails: z.looseObject({}).nullish(),
});
export type CampaignSummary = z.infer<typeof campaignSummarySchema>;

export const listCampaignsResponseSchema = numberedPage(campaignSummarySchema);

export const listCampaignsQuerySchema = z.strictObject({
  cursor: z.string().nullish(),
  campaignId: z.number().int().nullish(),
  campaignType: z.string().nullish(),
  /** Page-style pagination; the reference names `cursor` but answers with `pageNo`. */
  pageNo: z.number().int().nullish(),
});
export type ListCampaignsQuery = z.infer<typeof listCampaignsQuerySchema>;

export const campaignSchema = z.looseObject({
  campaignId: z.number().int(),
  campaignName: z.string().nullish(),
  agents: agentCounts.nullish(),
  isActive: z.boolean().nullish(),
  createdDate: timestamp.nullish(),
  lastUpdated: timestamp.nullish(),
  lists: z.array(leadListSchema).nullish(),
  timestamp: timestamp.nullish(),
  timezone: z.string().nullish(),
});
export type Campaign = z.infer<typeof campaignSchema>;

export const campaignStatisticsSchema = z.looseObject({
  campaignId: z.number().int(),
  campaignName: z.string().nullish(),
  maxCallWaitingTime: z.number().nullish(),
  averageWaitingTime: z.number().nullish(),
  estimatedCallWaitingTime: z.number().nullish(),
  agents: agentCounts.nullish(),
  callsWaiting: z.number().nullish(),
  callsReceived: z.number().nullish(),
  callsAbandonedInWorkflow: z.number().nullish(),
  callsAbandonedInQueue: z.number().nullish(),
  timestamp: timestamp.nullish(),
  timezone: z.string().nullish(),
});
export type CampaignStatistics = z.infer<typeof campaignStatisticsSchema>;

export const campaignStatisticsQuerySchema = z.strictObject({
  period: z.enum(['hour', 'day']).nullish(),
});
export type CampaignStatisticsQuery = z.infer<typeof campaignStatisticsQuerySchema>;
