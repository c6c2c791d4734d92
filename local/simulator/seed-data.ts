/**
 * The small tenant every simulator starts with (and returns to on reset). Instants are relative to
 * the simulator clock at that moment, so ages look the same whenever the simulator starts.
 *
 * Phone numbers come from ACMA's ranges reserved for fiction (0491 570 xxx mobiles, 02 5550 xxxx);
 * emails use example.com. None of them reaches a person.
 */
import type { SimulatorState } from './state';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Ids of the seeded tenant, for tests and documentation. */
export const seededIds = {
  campaigns: { salesOutbound: 1, supportInbound: 2, retentionOutbound: 3 },
  lists: { listOne: 1, callbacks: 2, retention: 3 },
  users: { johnDoe: 1001, janeRoe: 1002, samPoe: 1003, alexAdmin: 1004, inactiveAgent: 1005 },
  leads: { withHistory: 10001, fresh: 10002 },
  activities: { inboundCall: 100, outboundCall: 110, inboundEmail: 120 },
  attempts: { answered: 900 },
  media: { inboundRecording: 100, inboundVoicemail: 101, deletedRecording: 105, outboundRecording: 110 },
} as const;

/** Fills an empty state with the seeded tenant. */
export function seedTenant(state: SimulatorState, nowMs: number): void {
  const c = seededIds.campaigns;
  const campaigns = [
    { campaignId: c.salesOutbound, title: 'Sales Outbound', description: 'Outbound sales calls', campaignType: 'Outbound', groupName: 'Sales', isRunning: true, isActive: true },
    { campaignId: c.supportInbound, title: 'Support Inbound', description: 'Customer support line', campaignType: 'Inbound', groupName: 'Service', isRunning: true, isActive: true },
    { campaignId: c.retentionOutbound, title: 'Retention Outbound', description: 'Win-back calls', campaignType: 'Outbound', groupName: 'Sales', isRunning: false, isActive: true },
  ];
  for (const campaign of campaigns) {
    state.campaigns.set(campaign.campaignId, {
      ...campaign,
      allowTransferToAnyPhone: campaign.campaignType === 'Inbound',
      payDetails: campaign.campaignId === c.salesOutbound ? { paySettingsId: 1, merchantAlias: 'Example merchant' } : null,
      createdMs: nowMs - 400 * DAY,
      updatedMs: nowMs - 10 * DAY,
    });
    state.reserveId('campaign', campaign.campaignId);
  }

  const l = seededIds.lists;
  for (const list of [
    { id: l.listOne, name: 'List One', campaignId: c.salesOutbound, inDialler: true, weight: 1 },
    { id: l.callbacks, name: 'Callbacks', campaignId: c.salesOutbound, inDialler: false, weight: 2 },
    { id: l.retention, name: 'Retention Q3', campaignId: c.retentionOutbound, inDialler: true, weight: 1 },
  ]) {
    state.lists.set(list.id, { ...list, createdMs: nowMs - 30 * DAY });
    state.reserveId('list', list.id);
  }

  const u = seededIds.users;
  const users = [
    { userId: u.johnDoe, firstName: 'John', lastName: 'Doe', userType: 'agent' as const, isLoggedIn: true, status: 'Available', assignedCampaigns: [c.salesOutbound, c.supportInbound], teams: 'Sales,Support', accountIsActive: true },
    { userId: u.janeRoe, firstName: 'Jane', lastName: 'Roe', userType: 'agent' as const, isLoggedIn: true, status: 'Paused', assignedCampaigns: [c.salesOutbound], teams: 'Sales', accountIsActive: true },
    { userId: u.samPoe, firstName: 'Sam', lastName: 'Poe', userType: 'agent' as const, isLoggedIn: false, status: 'Logged Out', assignedCampaigns: [c.supportInbound, c.retentionOutbound], teams: 'Support', accountIsActive: true },
    { userId: u.alexAdmin, firstName: 'Alex', lastName: 'Admin', userType: 'user' as const, isLoggedIn: true, status: 'Available', assignedCampaigns: [], teams: 'Supervisors', accountIsActive: true },
    { userId: u.inactiveAgent, firstName: 'Former', lastName: 'Agent', userType: 'agent' as const, isLoggedIn: false, status: 'Logged Out', assignedCampaigns: [c.salesOutbound], teams: 'Sales', accountIsActive: false },
  ];
  for (const user of users) {
    state.users.set(user.userId, {
      ...user,
      timezone: 'Australia/Sydney',
      username: `${user.firstName}.${user.lastName}`.toLowerCase(),
      email: `${user.firstName}.${user.lastName}@example.com`.toLowerCase(),
      statusSinceMs: nowMs - 12 * MINUTE,
      recording: false,
    });
    state.reserveId('user', user.userId);
  }

  const leadPhone = '+61491570156';
  state.leads.set(seededIds.leads.withHistory, {
    leadId: seededIds.leads.withHistory,
    listId: l.listOne,
    timezone: 'Australia/Sydney',
    completed: false,
    customerKey: 'CUST-0001',
    agentId: u.johnDoe,
    dataFields: { state: 'NSW', firstName: 'Pat', email: 'pat.lead@example.com' },
    lastStatusCode: 3,
    lastStatusDescription: null,
    phones: [
      { phone: leadPhone, phoneIndex: 1, completed: false },
      { phone: '+61255501234', phoneIndex: 2, completed: false },
    ],
    outcomeType: 'preview',
    totalAttempts: 1,
    createdMs: nowMs - 3 * DAY,
    modifiedMs: nowMs - 2 * DAY,
    nextAttemptMs: nowMs + DAY,
    bulkJobUuid: null,
  });
  state.leads.set(seededIds.leads.fresh, {
    leadId: seededIds.leads.fresh,
    listId: l.listOne,
    timezone: 'Australia/Melbourne',
    completed: false,
    customerKey: 'CUST-0002',
    agentId: null,
    dataFields: { state: 'VIC' },
    lastStatusCode: null,
    lastStatusDescription: null,
    phones: [{ phone: '+61491570157', phoneIndex: 1, completed: false }],
    outcomeType: 'preview',
    totalAttempts: 0,
    createdMs: nowMs - 3 * DAY,
    modifiedMs: nowMs - 3 * DAY,
    nextAttemptMs: null,
    bulkJobUuid: null,
  });
  state.reserveId('lead', seededIds.leads.fresh);

  const m = seededIds.media;
  for (const media of [
    { mediaId: m.inboundRecording, duration: 30 },
    { mediaId: m.inboundVoicemail, duration: 19 },
    { mediaId: m.outboundRecording, duration: 38 },
  ]) {
    state.media.set(media.mediaId, { ...media, deleted: false, deletedMs: null, deletedBy: null, deletionReason: null });
  }
  state.media.set(m.deletedRecording, {
    mediaId: m.deletedRecording,
    duration: 9,
    deleted: true,
    deletedMs: nowMs - 5 * DAY,
    deletedBy: u.alexAdmin,
    deletionReason: 'Removal reason',
  });
  state.reserveId('media', m.outboundRecording);

  const a = seededIds.activities;
  const common = { parentActivityId: null, rootActivityId: null, attachmentCount: 0, callQualityScore: null };
  state.activities.set(a.inboundCall, {
    ...common,
    activityId: a.inboundCall,
    type: 'call.inbound',
    campaignId: c.supportInbound,
    agentId: u.johnDoe,
    leadId: null,
    attemptId: null,
    phoneIndex: null,
    source: '+61491570110',
    destination: '+61255509000',
    createdMs: nowMs - 20 * MINUTE,
    durations: { ivr: 5, queue: 10, hold: 5, interaction: 30, wrap: 20, talk: 10 },
    statusId: 3,
    statusName: 'Answered',
    wrapCode: 26,
    wrapDescription: 'Sale',
    agentInteractionId: 10,
    recordingMediaId: m.inboundRecording,
    voicemailMediaIds: [m.inboundVoicemail],
    callQualityScore: 5,
  });
  state.activities.set(a.outboundCall, {
    ...common,
    activityId: a.outboundCall,
    type: 'call.outbound',
    campaignId: c.salesOutbound,
    agentId: u.johnDoe,
    leadId: seededIds.leads.withHistory,
    attemptId: seededIds.attempts.answered,
    phoneIndex: 1,
    source: '+61255509001',
    destination: leadPhone,
    createdMs: nowMs - 2 * DAY,
    durations: { dial: 5, interaction: 30, wrap: 15 },
    statusId: 3,
    statusName: 'Answered',
    wrapCode: 28,
    wrapDescription: 'Contact',
    agentInteractionId: 20,
    recordingMediaId: m.outboundRecording,
    voicemailMediaIds: [],
  });
  state.activities.set(a.inboundEmail, {
    ...common,
    activityId: a.inboundEmail,
    type: 'email.inbound',
    campaignId: c.supportInbound,
    agentId: u.janeRoe,
    leadId: seededIds.leads.withHistory,
    attemptId: null,
    phoneIndex: null,
    source: 'pat.lead@example.com',
    destination: 'support@example.com',
    createdMs: nowMs - DAY,
    durations: { interaction: 240 },
    statusId: 5,
    statusName: 'Replied',
    wrapCode: null,
    wrapDescription: null,
    agentInteractionId: 30,
    recordingMediaId: null,
    voicemailMediaIds: [],
    attachmentCount: 2,
  });
  state.reserveId('activity', a.inboundEmail);

  state.attempts.set(seededIds.attempts.answered, {
    attemptId: seededIds.attempts.answered,
    dialStatusId: 1,
    dialStatusName: 'Answered',
    phoneIndex: 1,
    phoneNumber: leadPhone,
    leadId: seededIds.leads.withHistory,
    campaignId: c.salesOutbound,
    activityId: a.outboundCall,
    parentActivityId: null,
    rootActivityId: null,
    dialledMs: nowMs - 2 * DAY,
    answeredMs: nowMs - 2 * DAY + 5_000,
    hangUpMs: nowMs - 2 * DAY + 35_000,
  });
  state.reserveId('attempt', seededIds.attempts.answered);
}
