/** Activity schemas (calls, emails, chats as the tenant records them). */
import { z } from 'zod';
import { cursorPage, mediaRef, timestamp } from './common';

/** One activity: `type` (e.g. `call.inbound`) and a type-specific `data` object, read loosely. */
export const activitySchema = z.looseObject({
  type: z.string(),
  data: z.looseObject({
    activityId: z.number().int().nullish(),
    parentActivityId: z.number().int().nullish(),
    rootActivityId: z.number().int().nullish(),
    activityStatusId: z.number().int().nullish(),
    activityStatusName: z.string().nullish(),
    campaignId: z.number().int().nullish(),
    campaignName: z.string().nullish(),
    agentId: z.number().int().nullish(),
    leadId: z.number().int().nullish(),
    // A real tenant may send `"answered": null` for a step that did not happen (an unanswered call).
    timestamps: z.record(z.string(), timestamp.nullable()).nullish(),
    durations: z.record(z.string(), z.number()).nullish(),
    recordingMetadata: mediaRef.nullish(),
    voicemailMetadata: z.array(mediaRef).nullish(),
  }),
});
export type Activity = z.infer<typeof activitySchema>;

export const listActivitiesResponseSchema = cursorPage(activitySchema);

export const listActivitiesQuerySchema = z.strictObject({
  cursor: z.string().nullish(),
  campaignId: z.number().int().nullish(),
  leadId: z.number().int().nullish(),
  createdTimestampFrom: z.string().nullish(),
  createdTimestampTo: z.string().nullish(),
  activityType: z.string().nullish(),
});
export type ListActivitiesQuery = z.infer<typeof listActivitiesQuerySchema>;
