import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './simulator-harness';

const zeroCounts = {
  callData: { activitiesOverwritten: 0, callResultsOverwritten: 0, ivrActivitiesDeleted: 0, ivrLogsDeleted: 0, voiceRecordingsDeleted: 0 },
  emailData: { outboundEmailsOverwritten: 0, inboundEmailsOverwritten: 0, emailAttachmentsDeleted: 0, chatTranscriptsDeleted: 0, chatAttachmentsDeleted: 0 },
  leadData: { leadsDeleted: 0, leadsDeletedFromDialCurrent: 0, leadDetailsDeleted: 0, leadCaptureDetailsDeleted: 0 },
};

describe('simulator privacy erasure', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  beforeEach(() => h.admin('/reset', {}));
  afterAll(() => h.sim.close());

  it('answers all-zero counts when nothing matches', async () => {
    const res = await h.api('/privacy/erasure', { body: { phoneNumber: '+61491579999', emailAddress: 'nobody@example.com' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(zeroCounts);
  });

  it('erases leads by any of their phones, with their calls, attempts and recordings', async () => {
    const { leadIds } = await h.admin('/seed', {
      leads: [
        { listId: 2, phones: ['+61491570300', '+61491570156'], dataFields: { a: 1 } },
        { listId: 1, phones: ['+61491570156'], completed: true },
        { listId: 1, phones: ['+61491570301'] },
      ],
    });
    const res = await h.api('/privacy/erasure', { body: { phoneNumber: '+61491570156' } });
    expect(res.body).toEqual({
      callData: { ...zeroCounts.callData, activitiesOverwritten: 1, callResultsOverwritten: 1, voiceRecordingsDeleted: 1 },
      // Lead 10001 (matched by phone) has an email activity: erased with the lead.
      emailData: { ...zeroCounts.emailData, inboundEmailsOverwritten: 1, emailAttachmentsDeleted: 2 },
      leadData: {
        leadsDeleted: 3, // seeded 10001 and the first two seeded here
        leadsDeletedFromDialCurrent: 1, // 10001 only: one is in a list out of the dialler, one completed
        leadDetailsDeleted: 4,
        leadCaptureDetailsDeleted: 0,
      },
    });
    const remaining = (await h.admin('/leads')).leads.map((l: { leadId: number }) => l.leadId);
    expect(remaining).toEqual([10002, leadIds[2]]);
    expect((await h.api('/calls/dialler/900')).status).toBe(404);
    expect((await h.api('/activities/110')).status).toBe(404);
    expect((await h.api('/media/110')).body).toMatchObject({ deleted: true, deletionReason: 'Privacy erasure' });
    // Erasing again finds nothing.
    expect((await h.api('/privacy/erasure', { body: { phoneNumber: '+61491570156' } })).body).toEqual(zeroCounts);
  });

  it('erases by email case-insensitively, and inbound calls by their source number', async () => {
    const byEmail = await h.api('/privacy/erasure', { body: { emailAddress: 'PAT.Lead@Example.COM' } });
    expect(byEmail.body.leadData.leadsDeleted).toBe(1);
    expect(byEmail.body.emailData.inboundEmailsOverwritten).toBe(1);
    expect((await h.api('/leads/10001')).status).toBe(404);

    const byCaller = await h.api('/privacy/erasure', { body: { phoneNumber: '+61491570110' } });
    expect(byCaller.body.callData).toEqual({ ...zeroCounts.callData, activitiesOverwritten: 1, ivrActivitiesDeleted: 1, ivrLogsDeleted: 1, voiceRecordingsDeleted: 2 });
    expect(byCaller.body.leadData.leadsDeleted).toBe(0);
  });
});
