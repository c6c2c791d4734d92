/** Lead list schemas. */
import { z } from 'zod';
import { cursorPage, timestamp } from './common';

export const leadListSchema = z.looseObject({
  id: z.number().int(),
  name: z.string().nullish(),
  campaignId: z.number().int().nullish(),
  campaignName: z.string().nullish(),
  inDialler: z.boolean().nullish(),
  weight: z.number().nullish(),
  timestamps: z.looseObject({ created: timestamp.nullish() }).nullish(),
});
export type LeadList = z.infer<typeof leadListSchema>;

export const listLeadListsResponseSchema = cursorPage(leadListSchema);

export const listLeadListsQuerySchema = z.strictObject({
  cursor: z.string().nullish(),
  campaignId: z.number().int().nullish(),
});
export type ListLeadListsQuery = z.infer<typeof listLeadListsQuerySchema>;

export const createLeadListRequestSchema = z.strictObject({
  listName: z.string(),
  campaignId: z.number().int(),
});
export type CreateLeadListRequest = z.infer<typeof createLeadListRequestSchema>;

export const createLeadListResponseSchema = z.looseObject({
  listName: z.string().nullish(),
  campaignId: z.number().int().nullish(),
  listId: z.number().int(),
});
export type CreateLeadListResponse = z.infer<typeof createLeadListResponseSchema>;
