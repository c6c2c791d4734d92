/** Dialler call attempts and call recording schemas. */
import { z } from 'zod';
import { cursorPage, timestamp } from './common';

export const diallerAttemptSchema = z.looseObject({
  attemptId: z.number().int(),
  dialStatusId: z.number().int().nullish(),
  dialStatusName: z.string().nullish(),
  phoneIndex: z.number().int().nullish(),
  phoneNumber: z.string().nullish(),
  leadId: z.number().int().nullish(),
  // A real tenant may send `"answered": null` for a step that did not happen (an unanswered call).
  timestamps: z.record(z.string(), timestamp.nullable()).nullish(),
  type: z.string().nullish(),
  campaignId: z.number().int().nullish(),
  campaignName: z.string().nullish(),
  activityId: z.number().int().nullish(),
  parentActivityId: z.number().int().nullish(),
  rootActivityId: z.number().int().nullish(),
});
export type DiallerAttempt = z.infer<typeof diallerAttemptSchema>;

export const listDiallerCallsResponseSchema = cursorPage(diallerAttemptSchema);

export const listDiallerCallsQuerySchema = z.strictObject({
  cursor: z.string().nullish(),
  campaignId: z.number().int().nullish(),
  leadId: z.number().int().nullish(),
  dialledTimestampFrom: z.string().nullish(),
  dialledTimestampTo: z.string().nullish(),
});
export type ListDiallerCallsQuery = z.infer<typeof listDiallerCallsQuerySchema>;

export const callRecordingSchema = z.strictObject({
  agentId: z.number().int(),
  recording: z.boolean(),
});
export type CallRecording = z.infer<typeof callRecordingSchema>;

export const callRecordingResponseSchema = callRecordingSchema.loose();
