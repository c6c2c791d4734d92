/**
 * ipSCAPE's wire shapes for the simulator's records, following the reference's example bodies:
 * leads read with `dataFields`, phones as `[{phone, phoneIndex, completed}]`, timestamps local to
 * the tenant's zone (`+10:00`, and `+1000` where the reference writes it so).
 */
import { describeLeadStatus } from './status-codes';
import type {
  ActivityRecord,
  CampaignRecord,
  DiallerAttemptRecord,
  LeadListRecord,
  LeadRecord,
  MediaRecord,
  SimulatorState,
  UserRecord,
} from './state';
import { formatInZone } from './timestamps';

/** What rendering needs besides the record. */
export interface RenderContext {
  readonly state: SimulatorState;
  /** The tenant's IANA zone, e.g. `Australia/Sydney`. */
  readonly zone: string;
  /** Short URI prefix as in `nextUri`, e.g. `/v3.0`. */
  readonly uriPrefix: string;
  /** Full base path, e.g. `/platform-api/v3.0` (get media writes its own URI with it). */
  readonly basePath: string;
  readonly nowMs: number;
}

function agentName(ctx: RenderContext, agentId: number | null): string | null {
  const user = agentId === null ? undefined : ctx.state.users.get(agentId);
  return user ? `${user.firstName} ${user.lastName}` : null;
}

/** A lead list: `{id, name, campaignId, campaignName, inDialler, weight, timestamps: {created}}`. */
export function renderLeadList(ctx: RenderContext, list: LeadListRecord) {
  return {
    id: list.id,
    name: list.name,
    campaignId: list.campaignId,
    campaignName: ctx.state.campaigns.get(list.campaignId)?.title ?? null,
    inDialler: list.inDialler,
    weight: list.weight,
    timestamps: { created: formatInZone(list.createdMs, ctx.zone) },
  };
}

/** A lead as get lead and list leads return it. */
export function renderLead(ctx: RenderContext, lead: LeadRecord) {
  const list = ctx.state.lists.get(lead.listId);
  const campaign = list ? ctx.state.campaigns.get(list.campaignId) : undefined;
  const description = lead.lastStatusDescription ?? describeLeadStatus(lead.lastStatusCode);
  return {
    leadId: lead.leadId,
    campaignId: list?.campaignId ?? null,
    campaignName: campaign?.title ?? null,
    listId: lead.listId,
    listName: list?.name ?? null,
    timezone: lead.timezone,
    completed: lead.completed,
    customerKey: lead.customerKey,
    agentId: lead.agentId,
    agentFullName: agentName(ctx, lead.agentId),
    dataFields: { ...lead.dataFields },
    lastStatusCode: lead.lastStatusCode,
    lastStatusDescription: description,
    phones: lead.phones.map((p) => ({ phone: p.phone, phoneIndex: p.phoneIndex, completed: p.completed })),
    outcomeType: lead.outcomeType,
    outcomesInfo: {
      totalAttempts: lead.totalAttempts,
      outcomesByCode:
        lead.lastStatusCode === null
          ? null
          : { count: Math.max(1, lead.totalAttempts), statusCode: lead.lastStatusCode, description },
    },
    timestamps: {
      created: formatInZone(lead.createdMs, ctx.zone),
      modified: formatInZone(lead.modifiedMs, ctx.zone),
      nextAttempt: lead.nextAttemptMs === null ? null : formatInZone(lead.nextAttemptMs, ctx.zone),
    },
  };
}

/** A campaign as list campaigns returns it. */
export function renderCampaignSummary(campaign: CampaignRecord) {
  return {
    campaignId: campaign.campaignId,
    campaignTitle: campaign.title,
    campaignDescription: campaign.description,
    campaignType: campaign.campaignType,
    campaignGroupName: campaign.groupName,
    isRunning: campaign.isRunning,
    allowTransferToAnyPhone: campaign.allowTransferToAnyPhone,
    ipScapePayDetails: campaign.payDetails,
  };
}

/** Agent counts of a campaign, from the users assigned to it. */
export function campaignAgentCounts(ctx: RenderContext, campaignId: number) {
  const agents = [...ctx.state.users.values()].filter(
    (u) => u.userType === 'agent' && u.accountIsActive && u.assignedCampaigns.includes(campaignId),
  );
  const loggedIn = agents.filter((a) => a.isLoggedIn);
  return {
    assigned: agents.length,
    available: loggedIn.filter((a) => a.status === 'Available').length,
    busy: loggedIn.filter((a) => a.status === 'Busy').length,
    paused: loggedIn.filter((a) => a.status === 'Paused').length,
  };
}

/** A campaign as get campaign returns it, with its lists and agent counts. */
export function renderCampaign(ctx: RenderContext, campaign: CampaignRecord) {
  const lists = [...ctx.state.lists.values()]
    .filter((l) => l.campaignId === campaign.campaignId)
    .sort((a, b) => a.id - b.id)
    .map((l) => renderLeadList(ctx, l));
  return {
    campaignId: campaign.campaignId,
    campaignName: campaign.title,
    agents: campaignAgentCounts(ctx, campaign.campaignId),
    isActive: campaign.isActive,
    createdDate: formatInZone(campaign.createdMs, ctx.zone),
    lastUpdated: formatInZone(campaign.updatedMs, ctx.zone),
    lists,
    timestamp: formatInZone(ctx.nowMs, ctx.zone),
    timezone: ctx.zone,
  };
}

function mediaRef(ctx: RenderContext, mediaId: number) {
  const media = ctx.state.media.get(mediaId);
  return {
    mediaId,
    mediaUri: `${ctx.uriPrefix}/media/${mediaId}`,
    duration: media?.duration ?? 0,
    deleted: media?.deleted ?? true,
  };
}

/**
 * An activity `{type, data}`. Timestamps follow from the creation instant and the durations; the
 * offset style follows the reference, which writes `+1000` for inbound and `+10:00` for outbound calls.
 */
export function renderActivity(ctx: RenderContext, activity: ActivityRecord) {
  const style = activity.type === 'call.outbound' ? 'colon' : 'compact';
  const at = (ms: number) => formatInZone(ms, ctx.zone, style);
  const d = activity.durations;
  const t0 = activity.createdMs;
  let timestamps: Record<string, string>;
  if (activity.type === 'call.inbound') {
    const joinQueue = t0 + (d.ivr ?? 0) * 1000;
    const answered = joinQueue + (d.queue ?? 0) * 1000;
    const hangUp = answered + ((d.talk ?? 0) + (d.hold ?? 0)) * 1000;
    timestamps = { created: at(t0), joinQueue: at(joinQueue), answered: at(answered), hangUp: at(hangUp), wrapUp: at(hangUp + (d.wrap ?? 0) * 1000) };
  } else if (activity.type === 'call.outbound') {
    const answered = t0 + (d.dial ?? 0) * 1000;
    const hangUp = answered + (d.interaction ?? 0) * 1000;
    timestamps = { created: at(t0), answered: at(answered), hangUp: at(hangUp), wrapUp: at(hangUp + (d.wrap ?? 0) * 1000) };
  } else {
    timestamps = { created: at(t0) };
  }
  const data: Record<string, unknown> = {};
  if (activity.type === 'call.outbound' && activity.attemptId !== null) {
    const attempt = ctx.state.attempts.get(activity.attemptId);
    Object.assign(data, {
      attemptId: activity.attemptId,
      dialStatusId: attempt?.dialStatusId ?? null,
      dialStatusName: attempt?.dialStatusName ?? null,
      phoneIndex: activity.phoneIndex,
      phoneNumber: activity.destination,
      leadId: activity.leadId,
    });
  }
  Object.assign(data, {
    durations: { ...d },
    timestamps,
    activityId: activity.activityId,
    parentActivityId: activity.parentActivityId,
    rootActivityId: activity.rootActivityId,
    activityStatusId: activity.statusId,
    activityStatusName: activity.statusName,
    source: activity.source,
    destination: activity.destination,
    campaignId: activity.campaignId,
    campaignName: ctx.state.campaigns.get(activity.campaignId)?.title ?? null,
    agentInteractionId: activity.agentInteractionId,
    agentId: activity.agentId,
    agentFullName: agentName(ctx, activity.agentId),
  });
  if (activity.type === 'email.inbound' || activity.type === 'email.outbound') {
    data.attachmentCount = activity.attachmentCount;
    if (activity.leadId !== null) data.leadId = activity.leadId;
  } else {
    Object.assign(data, {
      wrapCode: activity.wrapCode,
      wrapDescription: activity.wrapDescription,
      recordingStatus: activity.recordingMediaId === null ? 'disabled' : 'enabled',
      recordingMetadata: activity.recordingMediaId === null ? null : mediaRef(ctx, activity.recordingMediaId),
      voicemailMetadata: activity.voicemailMediaIds.map((id) => {
        const { mediaId, mediaUri, duration } = mediaRef(ctx, id);
        return { mediaId, mediaUri, duration };
      }),
    });
    if (activity.callQualityScore !== null) data.callQualityScore = activity.callQualityScore;
  }
  return { type: activity.type, data };
}

/** A dialler attempt as list dialler calls and get dialler attempt return it. */
export function renderDiallerAttempt(ctx: RenderContext, attempt: DiallerAttemptRecord) {
  return {
    attemptId: attempt.attemptId,
    dialStatusId: attempt.dialStatusId,
    dialStatusName: attempt.dialStatusName,
    phoneIndex: attempt.phoneIndex,
    phoneNumber: attempt.phoneNumber,
    leadId: attempt.leadId,
    // An unanswered attempt has no `answered` key here; a real tenant may send `null` instead (the schema takes both).
    timestamps: {
      dialled: formatInZone(attempt.dialledMs, ctx.zone),
      ...(attempt.answeredMs === null ? {} : { answered: formatInZone(attempt.answeredMs, ctx.zone) }),
      hangUp: formatInZone(attempt.hangUpMs, ctx.zone),
    },
    type: 'call.outbound',
    campaignId: attempt.campaignId,
    campaignName: ctx.state.campaigns.get(attempt.campaignId)?.title ?? null,
    activityId: attempt.activityId,
    parentActivityId: attempt.parentActivityId,
    rootActivityId: attempt.rootActivityId,
  };
}

/** A media record; get media writes the URI with the full base path, as the reference shows. */
export function renderMedia(ctx: RenderContext, media: MediaRecord) {
  return {
    mediaId: media.mediaId,
    mediaUri: `${ctx.basePath}/media/${media.mediaId}`,
    duration: media.duration,
    deleted: media.deleted,
    deletedTimestamp: media.deletedMs === null ? null : formatInZone(media.deletedMs, ctx.zone),
    deletedBy: media.deletedBy,
    deletionReason: media.deletionReason,
  };
}

function hhmmss(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}

/** A user as list users returns it (teams and campaigns as comma-separated text, as the reference types them). */
export function renderUser(ctx: RenderContext, user: UserRecord) {
  return {
    userId: user.userId,
    userTimezone: user.timezone,
    firstName: user.firstName,
    lastName: user.lastName,
    username: user.username,
    isLoggedIn: user.isLoggedIn,
    userType: user.userType,
    email: user.email,
    teams: user.teams,
    assignedCampaigns: user.assignedCampaigns.join(','),
    status: user.status,
    timeInStatus: hhmmss(ctx.nowMs - user.statusSinceMs),
    accountIsActive: user.accountIsActive,
  };
}
