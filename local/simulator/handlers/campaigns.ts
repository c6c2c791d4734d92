/** Campaign operations: list (page-number style), get and statistics. */
import type { CampaignStatisticsQuery, ListCampaignsQuery } from '../../../shared/ipscape/schemas/campaigns';
import { notFound } from '../http-errors';
import { campaignAgentCounts, renderCampaign, renderCampaignSummary } from '../representations';
import { sortedById, type CampaignRecord } from '../state';
import { formatInZone } from '../timestamps';
import type { OperationHandler, OperationRequest } from './operation-handler';

function campaignOr404(request: OperationRequest): CampaignRecord {
  const id = request.params.campaignId as number;
  const campaign = request.sim.state.campaigns.get(id);
  if (!campaign) throw notFound('campaign', id);
  return campaign;
}

/**
 * GET /campaigns: `{pageNo, inPage, perPage, data}` with a zero-based `pageNo` query parameter.
 * The reference also names a `cursor` parameter for it; it is accepted and has no effect.
 */
export const listCampaigns: OperationHandler = (request) => {
  const q = request.query as ListCampaignsQuery;
  const type = q.campaignType?.toLowerCase();
  const all = sortedById(request.sim.state.campaigns).filter(
    (c) => (q.campaignId == null || c.campaignId === q.campaignId) && (type == null || c.campaignType.toLowerCase() === type),
  );
  const perPage = request.sim.pageSize;
  const pageNo = Math.max(0, q.pageNo ?? 0);
  const data = all.slice(pageNo * perPage, (pageNo + 1) * perPage).map(renderCampaignSummary);
  return { pageNo, inPage: data.length, perPage, data };
};

/** GET /campaigns/{campaignId}: the campaign with its lists and agent counts. */
export const getCampaign: OperationHandler = (request) => renderCampaign(request.render, campaignOr404(request));

const PERIOD_MS = { hour: 3_600_000, day: 86_400_000 } as const;

/**
 * GET /campaigns/{campaignId}/statistics: computed from the calls the simulator holds for the
 * campaign within the period (`hour` by default) before now. Nothing is ever waiting: no live calls.
 */
export const getCampaignStatistics: OperationHandler = (request) => {
  const campaign = campaignOr404(request);
  const period = (request.query as CampaignStatisticsQuery).period ?? 'hour';
  const since = request.nowMs - PERIOD_MS[period];
  const calls = [...request.sim.state.activities.values()].filter(
    (a) =>
      a.campaignId === campaign.campaignId &&
      a.type.startsWith('call.') &&
      a.createdMs >= since &&
      a.createdMs <= request.nowMs,
  );
  const waits = calls.filter((a) => a.type === 'call.inbound').map((a) => a.durations.queue ?? 0);
  const abandoned = calls.filter((a) => a.statusName === 'Abandoned');
  const average = waits.length ? Math.round(waits.reduce((s, w) => s + w, 0) / waits.length) : 0;
  return {
    campaignId: campaign.campaignId,
    campaignName: campaign.title,
    maxCallWaitingTime: waits.length ? Math.max(...waits) : 0,
    averageWaitingTime: average,
    estimatedCallWaitingTime: average,
    agents: campaignAgentCounts(request.render, campaign.campaignId),
    callsWaiting: 0,
    callsReceived: calls.length,
    callsAbandonedInWorkflow: abandoned.filter((a) => (a.durations.queue ?? 0) === 0).length,
    callsAbandonedInQueue: abandoned.filter((a) => (a.durations.queue ?? 0) > 0).length,
    timestamp: formatInZone(request.nowMs, request.sim.zone),
    timezone: request.sim.zone,
  };
};
