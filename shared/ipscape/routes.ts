/**
 * The ipSCAPE route table: one entry per operation of the Platform API v3.0.
 *
 * Methods and most paths are not in the public reference (see `docs/architecture.md`, "ipSCAPE
 * contract"), so these are defaults that a tenant document overrides without a code change. The
 * client and the simulator both read the resolved table, so an override changes both.
 */

/** Every operation the client offers, named for what it does. */
export const operationIds = [
  'listActivities',
  'getActivity',
  'listCampaigns',
  'getCampaign',
  'getCampaignStatistics',
  'getMedia',
  'listLeads',
  'getLead',
  'createLead',
  'updateLead',
  'bulkCreateLeads',
  'getBulkJob',
  'listLeadLists',
  'getLeadList',
  'createLeadList',
  'privacyErasure',
  'listUsers',
  'updateAgentPresence',
  'listDiallerCalls',
  'getDiallerAttempt',
  'setCallRecording',
] as const;

export type OperationId = (typeof operationIds)[number];

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** How one operation is reached. `path` is relative to the base URL; `{name}` marks a path parameter. */
export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  /**
   * Whether repeating the request is harmless. Non-idempotent operations are retried only when the
   * request certainly was not processed (connection refused, 429).
   */
  readonly idempotent: boolean;
}

export type RouteTable = Readonly<Record<OperationId, Route>>;

/** The documented defaults (INFERRED where the reference is silent; see the contract notes). */
export const defaultRoutes: RouteTable = {
  listActivities: { method: 'GET', path: '/activities', idempotent: true },
  getActivity: { method: 'GET', path: '/activities/{activityId}', idempotent: true },
  listCampaigns: { method: 'GET', path: '/campaigns', idempotent: true },
  getCampaign: { method: 'GET', path: '/campaigns/{campaignId}', idempotent: true },
  getCampaignStatistics: { method: 'GET', path: '/campaigns/{campaignId}/statistics', idempotent: true },
  getMedia: { method: 'GET', path: '/media/{mediaId}', idempotent: true },
  listLeads: { method: 'GET', path: '/leads', idempotent: true },
  getLead: { method: 'GET', path: '/leads/{leadId}', idempotent: true },
  createLead: { method: 'POST', path: '/leads', idempotent: false },
  // PATCH with the same body twice leaves the same lead: safe to repeat.
  updateLead: { method: 'PATCH', path: '/leads/{leadId}', idempotent: true },
  bulkCreateLeads: { method: 'POST', path: '/leads/bulk', idempotent: false },
  getBulkJob: { method: 'GET', path: '/leads/bulk/{uuid}', idempotent: true },
  listLeadLists: { method: 'GET', path: '/leads/lists', idempotent: true },
  getLeadList: { method: 'GET', path: '/leads/lists/{listId}', idempotent: true },
  createLeadList: { method: 'POST', path: '/leads/lists', idempotent: false },
  // Erasing twice deletes nothing more, but the second answer's counts would be zero and mislead a receipt.
  privacyErasure: { method: 'POST', path: '/privacy/erasure', idempotent: false },
  listUsers: { method: 'GET', path: '/users', idempotent: true },
  updateAgentPresence: { method: 'PUT', path: '/agents/presence', idempotent: true },
  listDiallerCalls: { method: 'GET', path: '/calls/dialler', idempotent: true },
  getDiallerAttempt: { method: 'GET', path: '/calls/dialler/{attemptId}', idempotent: true },
  setCallRecording: { method: 'PUT', path: '/calls/recording', idempotent: true },
};

/**
 * Fills a route's `{name}` placeholders, URL-encoding each value.
 *
 * @example expandPath('/leads/{leadId}', { leadId: 42 }) // '/leads/42'
 * @throws Error when a placeholder has no value (a programming error, not bad input).
 */
export function expandPath(path: string, params: Readonly<Record<string, string | number>> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`path parameter "${name}" is missing for ${path}`);
    return encodeURIComponent(String(value));
  });
}

/** Names of the `{placeholders}` in a path, in order. */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
}
