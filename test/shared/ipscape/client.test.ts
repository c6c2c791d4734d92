/**
 * The client's surface: one method per operation (method, path, query, body as the route table
 * says; answers parsed from the reference's own examples), local validation, pagination, and the
 * promise that the API key and personal data never leave in errors, logs or the client itself.
 */
import { inspect } from 'node:util';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createIpscapeClient, type IpscapeClient } from '../../../shared/ipscape/client';
import { createTenantLimiter } from '../../../shared/ipscape/limiter';
import { isIpscapeError, ResponseShapeError, ValidationError } from '../../../shared/ipscape/errors';
import { operationIds, type OperationId } from '../../../shared/ipscape/routes';
import type { Lead } from '../../../shared/ipscape/schemas/leads';
import type { CampaignSummary } from '../../../shared/ipscape/schemas/campaigns';
import { parseTenantConfig, type TenantConfigInput } from '../../../shared/ipscape/tenant-config';
import { referenceBodies } from './reference-bodies';
import { BASE_PATH, startTestServer, type Behaviour, type RecordedRequest, type TestServer } from './test-server';

const API_KEY = 'sk_test_Zq7-SECRET-do-not-log';
const examples = referenceBodies();

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(script: Behaviour[] | ((req: RecordedRequest, i: number) => Behaviour)): Promise<TestServer> {
  const server = await startTestServer(script);
  servers.push(server);
  return server;
}

function clientFor(baseUrl: string, extra: Partial<TenantConfigInput> = {}, logs?: unknown[]): IpscapeClient {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs?.push({ level, message, fields });
  return createIpscapeClient({
    tenant: parseTenantConfig({
      baseUrl,
      limits: { requestsPerSecond: 1000, burst: 1000, maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      ...extra,
    }),
    apiKey: API_KEY,
    sleep: async () => {},
    logger: { debug: log('debug'), info: log('info'), warn: log('warn') },
  });
}

interface OperationCase {
  readonly call: (c: IpscapeClient) => Promise<unknown>;
  readonly method: string;
  /** Path and query after the base path. */
  readonly target: string;
  readonly body?: unknown;
  /** Index of the reference example the server answers with; `undefined` answers an empty body. */
  readonly example?: number;
}

const createLeadBody = {
  listId: 100,
  customerKey: '10000001',
  timezone: 'Australia/Sydney',
  phone1: '+61410000000',
  nextAttemptTimestamp: '2026-01-31T09:00:00+10:00',
  leadData: { state: 'NSW' },
};

const cases: Record<OperationId, OperationCase> = {
  listActivities: {
    call: (c) => c.listActivities({ campaignId: 1, activityType: 'call.inbound' }),
    method: 'GET',
    target: '/activities?campaignId=1&activityType=call.inbound',
    example: 0,
  },
  getActivity: { call: (c) => c.getActivity(100), method: 'GET', target: '/activities/100', example: 1 },
  listCampaigns: { call: (c) => c.listCampaigns({ campaignType: 'Outbound' }), method: 'GET', target: '/campaigns?campaignType=Outbound', example: 2 },
  getCampaign: { call: (c) => c.getCampaign(1), method: 'GET', target: '/campaigns/1', example: 3 },
  getCampaignStatistics: { call: (c) => c.getCampaignStatistics(1, { period: 'day' }), method: 'GET', target: '/campaigns/1/statistics?period=day', example: 4 },
  getMedia: { call: (c) => c.getMedia(5364), method: 'GET', target: '/media/5364', example: 5 },
  listLeads: {
    call: (c) => c.listLeads({ listId: 100, phone1: '+61410000000', uploadedTimestampFrom: null }),
    method: 'GET',
    target: '/leads?listId=100&phone1=%2B61410000000',
    example: 14,
  },
  getLead: { call: (c) => c.getLead(999), method: 'GET', target: '/leads/999', example: 6 },
  createLead: { call: (c) => c.createLead(createLeadBody), method: 'POST', target: '/leads', body: createLeadBody, example: 16 },
  updateLead: {
    call: (c) => c.updateLead(999, { isCompleted: true, statusCode: 3 }),
    method: 'PATCH',
    target: '/leads/999',
    body: { isCompleted: true, statusCode: 3 },
  },
  bulkCreateLeads: {
    call: (c) => c.bulkCreateLeads({ leads: [createLeadBody, { listId: 100, phone2: '+61299990000' }] }),
    method: 'POST',
    target: '/leads/bulk',
    body: { leads: [createLeadBody, { listId: 100, phone2: '+61299990000' }] },
    example: 9,
  },
  getBulkJob: {
    call: (c) => c.getBulkJob('3fa85f64-5717-4562-b3fc-2c963f66afa6'),
    method: 'GET',
    target: '/leads/bulk/3fa85f64-5717-4562-b3fc-2c963f66afa6',
    example: 9,
  },
  listLeadLists: { call: (c) => c.listLeadLists({ campaignId: 99 }), method: 'GET', target: '/leads/lists?campaignId=99', example: 10 },
  getLeadList: { call: (c) => c.getLeadList(1), method: 'GET', target: '/leads/lists/1', example: 13 },
  createLeadList: {
    call: (c) => c.createLeadList({ listName: 'List One', campaignId: 99 }),
    method: 'POST',
    target: '/leads/lists',
    body: { listName: 'List One', campaignId: 99 },
    example: 12,
  },
  privacyErasure: {
    call: (c) => c.privacyErasure({ phoneNumber: '+61412345678', emailAddress: 'jo@example.com' }),
    method: 'POST',
    target: '/privacy/erasure',
    body: { phoneNumber: '+61412345678', emailAddress: 'jo@example.com' },
    example: 17,
  },
  listUsers: { call: (c) => c.listUsers({ userType: 'agent', accountActive: true }), method: 'GET', target: '/users?userType=agent&accountActive=true', example: 18 },
  updateAgentPresence: {
    call: (c) => c.updateAgentPresence({ agentId: 1002, available: true }),
    method: 'PUT',
    target: '/agents/presence',
    body: { agentId: 1002, available: true },
    example: 20,
  },
  listDiallerCalls: { call: (c) => c.listDiallerCalls({ leadId: 9999 }), method: 'GET', target: '/calls/dialler?leadId=9999', example: 21 },
  getDiallerAttempt: { call: (c) => c.getDiallerAttempt(999), method: 'GET', target: '/calls/dialler/999', example: 22 },
  setCallRecording: {
    call: (c) => c.setCallRecording({ agentId: 1002, recording: false }),
    method: 'PUT',
    target: '/calls/recording',
    body: { agentId: 1002, recording: false },
    example: 24,
  },
};

describe('one method per operation', () => {
  it('covers all 21 operations', () => {
    expect(Object.keys(cases).sort()).toEqual([...operationIds].sort());
    expect(operationIds).toHaveLength(21);
  });

  it.each(operationIds.map((id) => [id, cases[id]] as const))('%s sends what the route table says and returns the parsed answer', async (_id, c) => {
    const answer = c.example === undefined ? '' : examples[c.example];
    const server = await serve([{ status: 200, body: answer }]);
    const result = await c.call(clientFor(server.baseUrl));
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(`${request!.method} ${request!.url}`).toBe(`${c.method} ${BASE_PATH}${c.target}`);
    if (c.body === undefined) expect(request!.body).toBe('');
    else expect(JSON.parse(request!.body)).toEqual(c.body);
    // Loose schemas: the answer comes back whole, fields the schema does not name included.
    expect(result).toEqual(c.example === undefined ? undefined : answer);
  });

  it('follows route overrides from the tenant configuration', async () => {
    const server = await serve([{ status: 200, body: { uuid: 'j', status: 'done' } }]);
    const client = clientFor(server.baseUrl, { routes: { getBulkJob: { method: 'POST', path: '/leads/bulk/status/{uuid}' } } });
    await client.getBulkJob('j 1');
    expect(`${server.requests[0]!.method} ${server.requests[0]!.url}`).toBe(`POST ${BASE_PATH}/leads/bulk/status/j%201`);
  });

  it('is typed from the schemas', () => {
    expectTypeOf<Awaited<ReturnType<IpscapeClient['getLead']>>>().toEqualTypeOf<Lead>();
    expectTypeOf<IpscapeClient['getLead']>().parameter(0).toEqualTypeOf<number>();
    expectTypeOf<IpscapeClient['getBulkJob']>().parameter(0).toEqualTypeOf<string>();
    expectTypeOf<Awaited<ReturnType<IpscapeClient['createLead']>>>().toHaveProperty('leadId').toEqualTypeOf<number>();
    expectTypeOf<Parameters<IpscapeClient['paginate']>[0]>().toEqualTypeOf<'listActivities' | 'listLeads' | 'listLeadLists' | 'listUsers' | 'listDiallerCalls' | 'listCampaigns'>();
    const typed = (c: IpscapeClient) => ({ leads: c.paginate('listLeads'), campaigns: c.paginate('listCampaigns') });
    expectTypeOf<ReturnType<typeof typed>['leads']>().toEqualTypeOf<AsyncIterable<Lead>>();
    expectTypeOf<ReturnType<typeof typed>['campaigns']>().toEqualTypeOf<AsyncIterable<CampaignSummary>>();
  });
});

describe('local validation', () => {
  it.each([
    ['createLead without a phone', (c: IpscapeClient) => c.createLead({ listId: 1 }), ['phone1']],
    ['createLead with a national number', (c: IpscapeClient) => c.createLead({ listId: 1, phone1: '0412 345 678' }), ['phone1']],
    ['bulk with one bad lead', (c: IpscapeClient) => c.bulkCreateLeads({ leads: [createLeadBody, { listId: 1, timezone: 'Mars/Base' }] }), ['leads.1.timezone', 'leads.1.phone1']],
    ['updateLead reopening', (c: IpscapeClient) => c.updateLead(5, { isCompleted: false }), ['isCompleted']],
    ['erasure with nothing', (c: IpscapeClient) => c.privacyErasure({}), ['phoneNumber']],
    ['listLeads by a national number', (c: IpscapeClient) => c.listLeads({ phone1: '0412345678' }), ['phone1']],
    ['getLead with a bad id', (c: IpscapeClient) => c.getLead(-1), ['leadId']],
    ['an unknown query field', (c: IpscapeClient) => c.listUsers({ userType: 'agent', nope: 1 } as never), ['query.nope']],
  ] as const)('%s throws ValidationError naming the fields, without a network call', async (_name, call, fields) => {
    const server = await serve([{ status: 200, body: {} }]);
    const err = await call(clientFor(server.baseUrl)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems.map((p) => p.field)).toEqual(fields);
    expect(err).toMatchObject({ attempts: 0, status: undefined });
    expect(server.requests).toHaveLength(0);
  });
});

describe('priority', () => {
  it('a high-priority call overtakes normal ones waiting for the same tenant limiter', async () => {
    const uuids = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000003', '00000000-0000-4000-8000-000000000004'];
    // The first answer is slow, so the others queue for the one slot.
    const server = await serve((req, i) => ({ status: 200, body: { uuid: req.url.split('/').pop(), status: 'done' }, ...(i === 0 && { delayMs: 50 }) }));
    const tenant = parseTenantConfig({ baseUrl: server.baseUrl, limits: { requestsPerSecond: 1000, burst: 1000, maxConcurrency: 1 } });
    const client = createIpscapeClient({ tenant, apiKey: API_KEY, limiter: createTenantLimiter(tenant.limits) });
    await Promise.all([client.getBulkJob(uuids[0]!), client.getBulkJob(uuids[1]!), client.getBulkJob(uuids[2]!), client.getBulkJob(uuids[3]!, { priority: 'high' })]);
    expect(server.requests.map((r) => r.url.split('/').pop())).toEqual([uuids[0], uuids[3], uuids[1], uuids[2]]);
  });
});

describe('pagination', () => {
  const lead = (leadId: number) => ({ leadId });

  it('follows nextUri verbatim under the base path prefix, one call (and request id) per page', async () => {
    const server = await serve((req) => {
      switch (req.url) {
        case `${BASE_PATH}/leads?listId=100`:
          return { status: 200, body: { metadata: { nextUri: '/v3.0/leads?cursor=p2%2B%3D&listId=100' }, items: [lead(1), lead(2)] } };
        case `${BASE_PATH}/leads?cursor=p2%2B%3D&listId=100`:
          return { status: 200, body: { metadata: { nextUri: `${BASE_PATH}/leads?cursor=p3`, previousUri: '/v3.0/leads?cursor=x' }, items: [lead(3)] } };
        case `${BASE_PATH}/leads?cursor=p3`:
          return { status: 200, body: { metadata: { nextUri: null }, items: [lead(4)] } };
        default:
          return { status: 404 };
      }
    });
    const client = clientFor(server.baseUrl);
    const ids: number[] = [];
    for await (const item of client.paginate('listLeads', { listId: 100 })) ids.push(item.leadId);
    expect(ids).toEqual([1, 2, 3, 4]);
    expect(server.requests.map((r) => r.url)).toEqual([
      `${BASE_PATH}/leads?listId=100`,
      `${BASE_PATH}/leads?cursor=p2%2B%3D&listId=100`,
      `${BASE_PATH}/leads?cursor=p3`,
    ]);
    expect(new Set(server.requests.map((r) => r.headers['x-request-id'])).size).toBe(3);
  });

  it('stops on an empty page and on an absent metadata', async () => {
    const server = await serve((req) =>
      req.url.includes('cursor=2')
        ? { status: 200, body: { metadata: { nextUri: '/v3.0/users?cursor=3' }, items: [] } }
        : req.url.includes('cursor=')
          ? { status: 500 }
          : { status: 200, body: { metadata: { nextUri: '/v3.0/users?cursor=2' }, items: [{ userId: 1 }] } },
    );
    const users = [];
    for await (const user of clientFor(server.baseUrl).paginate('listUsers')) users.push(user.userId);
    expect(users).toEqual([1]);
    expect(server.requests).toHaveLength(2);

    const server2 = await serve([{ status: 200, body: { items: [{ attemptId: 1 }] } }]);
    const attempts = [];
    for await (const attempt of clientFor(server2.baseUrl).paginate('listDiallerCalls', { campaignId: 2 })) attempts.push(attempt.attemptId);
    expect(attempts).toEqual([1]);
  });

  it('pages() exposes nextUri, and startUri resumes a walk', async () => {
    const server = await serve((req) =>
      req.url === `${BASE_PATH}/leads/lists?cursor=B`
        ? { status: 200, body: { metadata: { nextUri: '' }, items: [{ id: 2 }] } }
        : { status: 200, body: { metadata: { nextUri: '/v3.0/leads/lists?cursor=B' }, items: [{ id: 1 }] } },
    );
    const client = clientFor(server.baseUrl);
    const pages = [];
    for await (const page of client.pages('listLeadLists', { campaignId: 9 })) pages.push(page);
    expect(pages.map((p) => [p.items.map((i) => i.id), p.nextUri])).toEqual([
      [[1], '/v3.0/leads/lists?cursor=B'],
      [[2], ''],
    ]);
    const resumed = [];
    for await (const list of client.paginate('listLeadLists', undefined, { startUri: '/v3.0/leads/lists?cursor=B' })) resumed.push(list.id);
    expect(resumed).toEqual([2]);
    expect(server.requests.at(-1)!.url).toBe(`${BASE_PATH}/leads/lists?cursor=B`);
  });

  it('refuses a nextUri to another origin (the key would go with it)', async () => {
    const server = await serve([{ status: 200, body: { metadata: { nextUri: 'https://elsewhere.example/v3.0/activities?cursor=2' }, items: [{ type: 'x', data: {} }] } }]);
    const seen: unknown[] = [];
    const walk = async () => {
      for await (const activity of clientFor(server.baseUrl).paginate('listActivities')) seen.push(activity);
    };
    await expect(walk()).rejects.toBeInstanceOf(ResponseShapeError);
    expect(seen).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it('walks list campaigns by page number until a short page', async () => {
    const server = await serve((req) => {
      const pageNo = Number(new URL(req.url, 'http://x').searchParams.get('pageNo'));
      const count = pageNo < 2 ? 2 : 1;
      return {
        status: 200,
        body: { pageNo, inPage: count, perPage: 2, data: Array.from({ length: count }, (_, i) => ({ campaignId: pageNo * 10 + i })) },
      };
    });
    const ids: number[] = [];
    for await (const campaign of clientFor(server.baseUrl).paginate('listCampaigns', { campaignType: 'Outbound' })) ids.push(campaign.campaignId);
    expect(ids).toEqual([0, 1, 10, 11, 20]);
    expect(server.requests.map((r) => r.url)).toEqual([0, 1, 2].map((n) => `${BASE_PATH}/campaigns?campaignType=Outbound&pageNo=${n}`));
  });

  it('validates the first query before any page is fetched', async () => {
    const server = await serve([{ status: 200, body: { items: [] } }]);
    const walk = async () => {
      for await (const _ of clientFor(server.baseUrl).paginate('listLeads', { phone1: '0412 345 678' })) void _;
    };
    await expect(walk()).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('the API key and personal data never leave', () => {
  /** Everything an operator could ever see of an error. */
  const exposed = (err: unknown) => [String(err), (err as Error).stack ?? '', inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err)].join('\n');

  it('not in errors, even when the server echoes the key and personal data back', async () => {
    const server = await serve((req) => ({
      status: req.url.endsWith('/leads') ? 500 : 401,
      body: { echo: req.headers, sent: req.body, note: `key was ${String(req.headers['authorization'])}`, phone: '+61412345678' },
    }));
    const logs: unknown[] = [];
    const client = clientFor(server.baseUrl, {}, logs);
    const errors = await Promise.all([
      client.getLead(1).catch((e: unknown) => e),
      client.createLead({ listId: 1, phone1: '+61412345678', customerKey: 'jo@example.com', leadData: { name: 'Jo Bloggs' } }).catch((e: unknown) => e),
      client.listLeads({ phone1: '+61412345678' }).catch((e: unknown) => e),
    ]);
    expect(errors.every((e) => isIpscapeError(e))).toBe(true);
    for (const err of errors) {
      const text = exposed(err);
      expect(text).not.toContain(API_KEY);
      expect(text).not.toMatch(/412345678|jo@example\.com|Bloggs/);
    }
    expect((errors[0] as { bodyExcerpt: string }).bodyExcerpt).toContain('[secret]');
    expect((errors[0] as Error).message).toContain('getLead (GET /leads/{leadId})');
    const logText = JSON.stringify(logs);
    expect(logText).not.toContain(API_KEY);
    expect(logText).not.toMatch(/412345678|jo@example|Bloggs|phone1|cursor/);
  });

  it('not in JSON.stringify or util.inspect of the client', () => {
    const client = clientFor('https://acme.ipscape.com.au/platform-api/v3.0');
    for (const text of [
      JSON.stringify(client),
      inspect(client, { depth: Infinity, showHidden: true }),
      inspect(client, { depth: Infinity, showHidden: true, customInspect: false }),
      String(client),
      JSON.stringify(Object.getOwnPropertyDescriptors(client)),
    ]) {
      expect(text).not.toContain(API_KEY);
    }
    expect(JSON.stringify(client)).toBe('{"ipscapeClient":"https://acme.ipscape.com.au/platform-api/v3.0"}');
  });

  it('logs carry only operation, method, attempt, status, delay, duration and ids', async () => {
    const server = await serve([{ status: 503 }, { status: 200, body: { metadata: {}, items: [] } }]);
    const logs: Array<{ fields: Record<string, unknown> }> = [];
    await clientFor(server.baseUrl, {}, logs).listLeads({ phone1: '+61412345678', customerKey: 'jo@example.com' });
    const allowed = new Set(['operation', 'method', 'attempt', 'attempts', 'status', 'delayMs', 'durationMs', 'requestId', 'networkCode', 'timedOut', 'reason', 'kind']);
    expect(logs.length).toBeGreaterThanOrEqual(3);
    for (const entry of logs) for (const key of Object.keys(entry.fields)) expect(allowed).toContain(key);
    expect(JSON.stringify(logs)).not.toMatch(/412345678|example\.com/);
  });
});
