/** Lead schemas: read shape, create, update, bulk create and the bulk job. */
import { z } from 'zod';
import { cursorPage, timestamp } from './common';

/** Custom lead fields: `leadData` on create/update, `dataFields` on read. Values are scalars in practice. */
export const leadDataSchema = z.record(z.string(), z.unknown());

/** A lead as returned by get lead and list leads. */
export const leadSchema = z.looseObject({
  leadId: z.number().int(),
  campaignId: z.number().int().nullish(),
  campaignName: z.string().nullish(),
  listId: z.number().int().nullish(),
  listName: z.string().nullish(),
  timezone: z.string().nullish(),
  completed: z.boolean().nullish(),
  customerKey: z.string().nullish(),
  agentId: z.number().int().nullish(),
  agentFullName: z.string().nullish(),
  dataFields: leadDataSchema.nullish(),
  lastStatusCode: z.number().int().nullish(),
  lastStatusDescription: z.string().nullish(),
  phones: z
    .array(
      z.looseObject({
        phone: z.string(),
        phoneIndex: z.number().int(),
        completed: z.boolean().nullish(),
      }),
    )
    .nullish(),
  outcomeType: z.string().nullish(),
  outcomesInfo: z
    .looseObject({
      totalAttempts: z.number().int().nullish(),
      // The reference shows one object; a real tenant may send a list per code. Accept both.
      outcomesByCode: z.union([z.looseObject({}), z.array(z.looseObject({}))]).nullish(),
    })
    .nullish(),
  timestamps: z
    .looseObject({
      created: timestamp.nullish(),
      modified: timestamp.nullish(),
      nextAttempt: timestamp.nullish(),
    })
    .nullish(),
});
export type Lead = z.infer<typeof leadSchema>;

export const listLeadsResponseSchema = cursorPage(leadSchema);

/** Query of list leads. `phone1` must be E.164 (checked semantically). */
export const listLeadsQuerySchema = z.strictObject({
  cursor: z.string().nullish(),
  campaignId: z.number().int().nullish(),
  listId: z.number().int().nullish(),
  statusCode: z.number().int().nullish(),
  uploadedTimestampFrom: z.string().nullish(),
  uploadedTimestampTo: z.string().nullish(),
  customerKey: z.string().nullish(),
  phone1: z.string().nullish(),
});
export type ListLeadsQuery = z.infer<typeof listLeadsQuerySchema>;

/** Body of create lead, and of each element of bulk create. */
export const createLeadRequestSchema = z.strictObject({
  listId: z.number().int(),
  customerKey: z.string().nullish(),
  timezone: z.string().nullish(),
  phone1: z.string().nullish(),
  phone2: z.string().nullish(),
  phone3: z.string().nullish(),
  nextAttemptTimestamp: z.string().nullish(),
  leadData: leadDataSchema.nullish(),
  statusCode: z.number().int().nullish(),
  agentId: z.number().int().nullish(),
});
export type CreateLeadRequest = z.infer<typeof createLeadRequestSchema>;

export const createLeadResponseSchema = z.looseObject({
  leadId: z.number().int(),
  inDialler: z.boolean().nullish(),
});
export type CreateLeadResponse = z.infer<typeof createLeadResponseSchema>;

/** Body of update lead. `isCompleted` can only be set to true: completing a lead is irreversible. */
export const updateLeadRequestSchema = z.strictObject({
  listId: z.number().int().nullish(),
  customerKey: z.string().nullish(),
  timezone: z.string().nullish(),
  phone1: z.string().nullish(),
  phone2: z.string().nullish(),
  phone3: z.string().nullish(),
  isCompleted: z.boolean().nullish(),
  leadData: leadDataSchema.nullish(),
  statusCode: z.number().int().nullish(),
  agentId: z.number().int().nullish(),
  nextAttemptTimestamp: z.string().nullish(),
});
export type UpdateLeadRequest = z.infer<typeof updateLeadRequestSchema>;

/** The reference shows no update response; read whatever comes back. */
export const updateLeadResponseSchema = z.unknown();

export const bulkCreateLeadsRequestSchema = z.strictObject({
  leads: z.array(createLeadRequestSchema).nullish(),
});
export type BulkCreateLeadsRequest = z.infer<typeof bulkCreateLeadsRequestSchema>;

/** Bulk create answers at once with a job id; the status string is opaque (see tenant config). */
export const bulkJobSchema = z.looseObject({
  uuid: z.string(),
  status: z.string(),
});
export type BulkJob = z.infer<typeof bulkJobSchema>;
