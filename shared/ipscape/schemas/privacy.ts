/** Privacy erasure schemas: the request and the deletion counts ipSCAPE answers with. */
import { z } from 'zod';

export const privacyErasureRequestSchema = z.strictObject({
  phoneNumber: z.string().nullish(),
  emailAddress: z.string().nullish(),
});
export type PrivacyErasureRequest = z.infer<typeof privacyErasureRequestSchema>;

const count = z.number().int().nonnegative();

export const privacyErasureResponseSchema = z.looseObject({
  callData: z.looseObject({
    activitiesOverwritten: count.nullish(),
    callResultsOverwritten: count.nullish(),
    ivrActivitiesDeleted: count.nullish(),
    ivrLogsDeleted: count.nullish(),
    voiceRecordingsDeleted: count.nullish(),
  }),
  emailData: z.looseObject({
    outboundEmailsOverwritten: count.nullish(),
    inboundEmailsOverwritten: count.nullish(),
    emailAttachmentsDeleted: count.nullish(),
    chatTranscriptsDeleted: count.nullish(),
    chatAttachmentsDeleted: count.nullish(),
  }),
  leadData: z.looseObject({
    leadsDeleted: count.nullish(),
    leadsDeletedFromDialCurrent: count.nullish(),
    leadDetailsDeleted: count.nullish(),
    leadCaptureDetailsDeleted: count.nullish(),
  }),
});
export type PrivacyErasureResponse = z.infer<typeof privacyErasureResponseSchema>;

/** True when every count is zero: ipSCAPE held nothing for the identifier (not a failure). */
export function erasedNothing(response: PrivacyErasureResponse): boolean {
  return [response.callData, response.emailData, response.leadData].every((group) =>
    Object.values(group).every((v) => typeof v !== 'number' || v === 0),
  );
}
