/**
 * Privacy erasure. Removes every lead whose phone1..3 equals the phone number or whose `email`
 * field equals the address (case-insensitively), every call and dialler attempt on that number or on
 * those leads, every email activity from or to that address or on those leads; recordings of the
 * erased calls are marked deleted. Answers synchronously with the counts, all zero when nothing matched.
 *
 * Leads of a bulk job still running are not erased: they do not exist yet, as on a real tenant.
 */
import { checkPrivacyErasure } from '../../../shared/ipscape/semantic';
import type { PrivacyErasureRequest } from '../../../shared/ipscape/schemas/privacy';
import { validationError } from '../http-errors';
import type { ActivityRecord, LeadRecord } from '../state';
import type { OperationHandler } from './operation-handler';

const ERASURE_REASON = 'Privacy erasure';

/** POST /privacy/erasure. */
export const privacyErasure: OperationHandler = (request) => {
  const body = request.body as PrivacyErasureRequest;
  const problems = checkPrivacyErasure(body);
  if (problems.length) throw validationError(problems);
  const { state } = request.sim;
  const phone = body.phoneNumber || null;
  const email = body.emailAddress ? body.emailAddress.toLowerCase() : null;
  const sameEmail = (value: unknown) => email !== null && typeof value === 'string' && value.toLowerCase() === email;

  const leads: LeadRecord[] = [...state.leads.values()].filter(
    (lead) => (phone !== null && lead.phones.some((p) => p.phone === phone)) || sameEmail(lead.dataFields.email),
  );
  const leadIds = new Set(leads.map((l) => l.leadId));
  const onErasedLead = (leadId: number | null) => leadId !== null && leadIds.has(leadId);

  const calls: ActivityRecord[] = [];
  const emails: ActivityRecord[] = [];
  for (const activity of state.activities.values()) {
    if (activity.type.startsWith('call.')) {
      if ((phone !== null && (activity.source === phone || activity.destination === phone)) || onErasedLead(activity.leadId)) {
        calls.push(activity);
      }
    } else if (sameEmail(activity.source) || sameEmail(activity.destination) || onErasedLead(activity.leadId)) {
      emails.push(activity);
    }
  }
  const attempts = [...state.attempts.values()].filter((a) => (phone !== null && a.phoneNumber === phone) || onErasedLead(a.leadId));

  let recordingsDeleted = 0;
  for (const call of calls) {
    for (const mediaId of [call.recordingMediaId, ...call.voicemailMediaIds]) {
      const media = mediaId === null ? undefined : state.media.get(mediaId);
      if (!media || media.deleted) continue;
      Object.assign(media, { deleted: true, deletedMs: request.nowMs, deletedBy: null, deletionReason: ERASURE_REASON });
      recordingsDeleted += 1;
    }
  }
  const answer = {
    callData: {
      activitiesOverwritten: calls.length,
      callResultsOverwritten: attempts.length,
      ivrActivitiesDeleted: calls.filter((c) => (c.durations.ivr ?? 0) > 0).length,
      ivrLogsDeleted: calls.filter((c) => (c.durations.ivr ?? 0) > 0).length,
      voiceRecordingsDeleted: recordingsDeleted,
    },
    emailData: {
      outboundEmailsOverwritten: emails.filter((e) => e.type === 'email.outbound').length,
      inboundEmailsOverwritten: emails.filter((e) => e.type === 'email.inbound').length,
      emailAttachmentsDeleted: emails.reduce((sum, e) => sum + e.attachmentCount, 0),
      chatTranscriptsDeleted: 0,
      chatAttachmentsDeleted: 0,
    },
    leadData: {
      leadsDeleted: leads.length,
      leadsDeletedFromDialCurrent: leads.filter((l) => !l.completed && state.lists.get(l.listId)?.inDialler === true).length,
      leadDetailsDeleted: leads.reduce((sum, l) => sum + Object.keys(l.dataFields).length, 0),
      // Lead capture (web forms) is not simulated.
      leadCaptureDetailsDeleted: 0,
    },
  };
  for (const id of leadIds) state.leads.delete(id);
  for (const a of [...calls, ...emails]) state.activities.delete(a.activityId);
  for (const a of attempts) state.attempts.delete(a.attemptId);
  return answer;
};
