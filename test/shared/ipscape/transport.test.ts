/**
 * Transport behaviour over a real node:http server on 127.0.0.1: retries, timeouts, resets, refused
 * connections, Retry-After, and what is never repeated. Backoff sleeps are injected (recorded, not
 * slept), so nothing here waits on a backoff timer.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createIpscapeClient, type IpscapeClientOptions } from '../../../shared/ipscape/client';
import {
  AbortedError,
  AuthError,
  NetworkError,
  NotFoundError,
  OutcomeUnknownError,
  RateLimitedError,
  ResponseShapeError,
  ServerError,
  TimeoutError,
  UnexpectedStatusError,
  ValidationError,
} from '../../../shared/ipscape/errors';
import { createTenantLimiter } from '../../../shared/ipscape/limiter';
import { parseTenantConfig, type TenantConfig, type TenantConfigInput } from '../../../shared/ipscape/tenant-config';
import { BASE_PATH, closedPort, startTestServer, type Behaviour, type TestServer } from './test-server';

const API_KEY = 'sk_test_Zq7-SECRET-do-not-log';
const LEAD = { leadId: 999, campaignId: 2, listId: 100 };
const BULK_BODY = { leads: [{ listId: 100, phone1: '+61412345678' }] };
const CREATE_BODY = { listId: 100, phone1: '+61412345678' };

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(script: Behaviour[] | ((req: never, i: number) => Behaviour)): Promise<TestServer> {
  const server = await startTestServer(script as TestServer['script']);
  servers.push(server);
  return server;
}

function tenantFor(baseUrl: string, limits: Partial<TenantConfig['limits']> = {}, extra: Partial<TenantConfigInput> = {}): TenantConfig {
  return parseTenantConfig({
    baseUrl,
    limits: { requestsPerSecond: 1000, burst: 1000, maxConcurrency: 10, timeoutMs: 5_000, maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 100, ...limits },
    ...extra,
  });
}

interface Harness {
  client: ReturnType<typeof createIpscapeClient>;
  sleeps: number[];
  logs: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
}

function clientFor(baseUrl: string, limits: Partial<TenantConfig['limits']> = {}, options: Partial<IpscapeClientOptions> = {}): Harness {
  const sleeps: number[] = [];
  const logs: Harness['logs'] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => void logs.push({ level, message, ...(fields ? { fields } : {}) });
  const client = createIpscapeClient({
    tenant: tenantFor(baseUrl, limits),
    apiKey: API_KEY,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn') },
    ...options,
  });
  return { client, sleeps, logs };
}

const requestIds = (server: TestServer) => server.requests.map((r) => r.headers['x-request-id']);

describe('idempotent operations are retried', () => {
  it('on 500, with the same request id on every attempt', async () => {
    const server = await serve([{ status: 500, body: { error: 'boom' } }, { status: 500 }, { status: 200, body: LEAD }]);
    const { client, sleeps, logs } = clientFor(server.baseUrl);
    await expect(client.getLead(999)).resolves.toMatchObject(LEAD);
    expect(server.requests).toHaveLength(3);
    const ids = requestIds(server);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(1);
    expect(sleeps).toEqual([5, 10]); // 0.5 * min(100, 10 * 2^retry)
    expect(logs.filter((l) => l.message === 'ipscape retry').map((l) => l.fields)).toEqual([
      expect.objectContaining({ operation: 'getLead', attempt: 1, status: 500, delayMs: 5 }),
      expect.objectContaining({ operation: 'getLead', attempt: 2, status: 500, delayMs: 10 }),
    ]);
  });

  it('on 429, waiting at least Retry-After (seconds)', async () => {
    const server = await serve([{ status: 429, headers: { 'retry-after': '2' } }, { status: 200, body: LEAD }]);
    const { client, sleeps } = clientFor(server.baseUrl);
    await client.getLead(999);
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([2_000]);
  });

  it('on 503 with an HTTP-date Retry-After', async () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const server = await serve([{ status: 503, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' } }, { status: 200, body: LEAD }]);
    const { client, sleeps } = clientFor(server.baseUrl, {}, { now: () => now });
    await client.getLead(999);
    expect(sleeps).toEqual([3_000]);
  });

  it('on a connection reset', async () => {
    const server = await serve(['reset', { status: 200, body: LEAD }]);
    const { client, logs } = clientFor(server.baseUrl);
    await expect(client.getLead(999)).resolves.toMatchObject(LEAD);
    expect(server.requests).toHaveLength(2);
    expect(new Set(requestIds(server)).size).toBe(1);
    const firstAttempt = logs.find((l) => l.message === 'ipscape attempt')!;
    expect(firstAttempt.fields).toMatchObject({ attempt: 1, networkCode: expect.stringMatching(/ECONNRESET|UND_ERR_SOCKET/) });
  });

  it('on a request that hangs: it times out and is retried', async () => {
    const server = await serve(['hang', { status: 200, body: LEAD }]);
    const { client } = clientFor(server.baseUrl, { timeoutMs: 300 });
    await expect(client.getLead(999)).resolves.toMatchObject(LEAD);
    expect(server.requests).toHaveLength(2);
    expect(new Set(requestIds(server)).size).toBe(1);
  });

  it('updateLead (PATCH, idempotent by default) is retried on 502', async () => {
    const server = await serve([{ status: 502 }, { status: 200, body: '' }]);
    const { client } = clientFor(server.baseUrl);
    await expect(client.updateLead(999, { statusCode: 3 })).resolves.toBeUndefined();
    expect(server.requests.map((r) => r.method)).toEqual(['PATCH', 'PATCH']);
  });
});

describe('when retries run out', () => {
  it('5xx every time: ServerError after maxAttempts', async () => {
    const server = await serve([{ status: 500, body: { error: 'down' } }]);
    const { client, logs } = clientFor(server.baseUrl, { maxAttempts: 3 });
    const err = await client.getLead(999).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect(err).toMatchObject({ kind: 'server', status: 500, attempts: 3, operation: 'getLead', bodyExcerpt: '{"error":"down"}' });
    expect(server.requests).toHaveLength(3);
    expect(logs.at(-1)).toMatchObject({ level: 'warn', message: 'ipscape call failed', fields: { kind: 'server', attempts: 3 } });
  });

  it('429 every time: RateLimitedError with the last Retry-After', async () => {
    const server = await serve([{ status: 429, headers: { 'retry-after': '1' } }]);
    const { client } = clientFor(server.baseUrl, { maxAttempts: 2 });
    const err = await client.getLead(999).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ status: 429, attempts: 2, retryAfterMs: 1_000 });
  });

  it('hangs every time: TimeoutError', async () => {
    const server = await serve(['hang']);
    const { client } = clientFor(server.baseUrl, { timeoutMs: 200, maxAttempts: 2 });
    const err = await client.listLeads({ listId: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ attempts: 2 });
    expect(server.requests).toHaveLength(2);
  });

  it('refused every time: NetworkError naming ECONNREFUSED', async () => {
    const port = await closedPort();
    const { client } = clientFor(`http://127.0.0.1:${port}${BASE_PATH}`, { maxAttempts: 3 });
    const err = await client.getLead(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ attempts: 3, networkCode: 'ECONNREFUSED' });
  });
});

describe('non-idempotent operations', () => {
  it('bulkCreateLeads answered 500 is NOT retried: OutcomeUnknownError', async () => {
    const server = await serve([{ status: 500, body: { error: 'internal' } }, { status: 200, body: { uuid: 'u', status: 'queued' } }]);
    const { client, sleeps } = clientFor(server.baseUrl);
    const err = await client.bulkCreateLeads(BULK_BODY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err).toMatchObject({ kind: 'outcome-unknown', reason: 'server-error', status: 500, attempts: 1, operation: 'bulkCreateLeads' });
    expect((err as Error).message).toContain('outcome unknown');
    expect(server.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('createLead that times out is NOT retried: OutcomeUnknownError', async () => {
    const server = await serve(['hang', { status: 200, body: { leadId: 1 } }]);
    const { client } = clientFor(server.baseUrl, { timeoutMs: 200 });
    const err = await client.createLead(CREATE_BODY).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err).toMatchObject({ reason: 'timeout', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('createLeadList whose connection is reset is NOT retried: OutcomeUnknownError', async () => {
    const server = await serve(['reset', { status: 200, body: { listId: 1 } }]);
    const { client } = clientFor(server.baseUrl);
    const err = await client.createLeadList({ listName: 'L', campaignId: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OutcomeUnknownError);
    expect(err).toMatchObject({ reason: 'network', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('is retried on 429, with the same request id', async () => {
    const server = await serve([{ status: 429 }, { status: 429, headers: { 'retry-after': '1' } }, { status: 200, body: { uuid: 'job-1', status: 'queued' } }]);
    const { client, sleeps } = clientFor(server.baseUrl);
    await expect(client.bulkCreateLeads(BULK_BODY)).resolves.toMatchObject({ uuid: 'job-1' });
    expect(server.requests).toHaveLength(3);
    expect(new Set(requestIds(server)).size).toBe(1);
    expect(sleeps).toEqual([5, 1_000]);
    expect(server.requests.every((r) => r.body === JSON.stringify(BULK_BODY))).toBe(true);
  });

  it('is retried when the connection was refused (nothing was sent)', async () => {
    const port = await closedPort();
    let server: TestServer | undefined;
    const { client } = clientFor(`http://127.0.0.1:${port}${BASE_PATH}`, {}, {
      // The server comes up during the backoff, on the port that refused the first attempt.
      sleep: async () => {
        server ??= await startTestServer([{ status: 201, body: { leadId: 42, inDialler: true } }], port);
        servers.push(server);
      },
    });
    await expect(client.createLead(CREATE_BODY)).resolves.toEqual({ leadId: 42, inDialler: true });
    expect(server!.requests).toHaveLength(1);
  });

  it('privacyErasure answered 503 is NOT retried', async () => {
    const server = await serve([{ status: 503 }]);
    const { client } = clientFor(server.baseUrl);
    await expect(client.privacyErasure({ phoneNumber: '+61412345678' })).rejects.toBeInstanceOf(OutcomeUnknownError);
    expect(server.requests).toHaveLength(1);
  });

  it('a tenant that declares an operation idempotent gets retries for it', async () => {
    const server = await serve([{ status: 500 }, { status: 200, body: { callData: {}, emailData: {}, leadData: {} } }]);
    const client = createIpscapeClient({
      tenant: tenantFor(server.baseUrl, {}, { routes: { privacyErasure: { idempotent: true } } }),
      apiKey: API_KEY,
      sleep: async () => {},
    });
    await expect(client.privacyErasure({ emailAddress: 'jo@example.com' })).resolves.toBeDefined();
    expect(server.requests).toHaveLength(2);
  });
});

describe('no repeat after success', () => {
  it('each successful call is exactly one request, with its own request id', async () => {
    const server = await serve((_req, i) =>
      i === 0 ? { status: 201, body: { leadId: 1, inDialler: true } } : i === 1 ? { status: 200, body: { uuid: 'j', status: 'queued' } } : { status: 200, body: LEAD },
    );
    const { client, sleeps } = clientFor(server.baseUrl);
    await client.createLead(CREATE_BODY);
    await client.bulkCreateLeads(BULK_BODY);
    await client.getLead(999);
    expect(server.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `POST ${BASE_PATH}/leads`,
      `POST ${BASE_PATH}/leads/bulk`,
      `GET ${BASE_PATH}/leads/999`,
    ]);
    expect(new Set(requestIds(server)).size).toBe(3);
    expect(sleeps).toEqual([]);
  });
});

describe('statuses that are never retried', () => {
  it.each([
    [401, AuthError],
    [403, AuthError],
    [404, NotFoundError],
    [400, ValidationError],
    [422, ValidationError],
    [409, UnexpectedStatusError],
    [501, ServerError],
  ] as const)('%i → %s, one request', async (status, type) => {
    const server = await serve([{ status, body: { message: 'no' } }]);
    const { client } = clientFor(server.baseUrl);
    const err = await client.getLead(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(type);
    expect(err).toMatchObject({ status, attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('a redirect is not followed (a custom auth header must not travel to another host)', async () => {
    const server = await serve([{ status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }]);
    const { client } = clientFor(server.baseUrl);
    await expect(client.getLead(1)).rejects.toBeInstanceOf(UnexpectedStatusError);
    expect(server.requests).toHaveLength(1);
  });
});

describe('answers that do not parse', () => {
  it('a 2xx that is not JSON is a ResponseShapeError, not retried', async () => {
    const server = await serve([{ status: 200, body: '<html>gateway 0412 345 678</html>' }]);
    const { client } = clientFor(server.baseUrl);
    const err = await client.getLead(1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect((err as ResponseShapeError).bodyExcerpt).toBe('<html>gateway [phone]</html>');
    expect(server.requests).toHaveLength(1);
  });

  it('a 2xx of the wrong shape names the fields, not the values', async () => {
    const server = await serve([{ status: 200, body: { leadId: 'abc', phones: [{ phone: 61412345678 }] } }]);
    const { client } = clientFor(server.baseUrl);
    const err = (await client.getLead(1).catch((e: unknown) => e)) as ResponseShapeError;
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect(err.problems.map((p) => p.field)).toEqual(['leadId', 'phones.0.phone', 'phones.0.phoneIndex']);
    expect(`${err.message} ${err.bodyExcerpt}`).not.toContain('61412345678');
  });
});

describe('headers', () => {
  it('sends the auth header from the tenant format, JSON content type and a request id', async () => {
    const server = await serve([{ status: 200, body: { agentId: 5, available: true } }]);
    const client = createIpscapeClient({
      tenant: tenantFor(server.baseUrl, {}, { auth: { header: 'X-Api-Key', format: 'key={key};v=3' } }),
      apiKey: 'a$&b',
      requestIdHeader: 'X-Client-Request-Id',
      newRequestId: () => 'req-fixed',
    });
    await client.updateAgentPresence({ agentId: 5, available: true });
    const [request] = server.requests;
    expect(request!.method).toBe('PUT');
    expect(request!.url).toBe(`${BASE_PATH}/agents/presence`);
    expect(request!.headers['x-api-key']).toBe('key=a$&b;v=3');
    expect(request!.headers['authorization']).toBeUndefined();
    expect(request!.headers['x-client-request-id']).toBe('req-fixed');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ agentId: 5, available: true });
  });

  it('default: Authorization: Bearer <key>, X-Request-Id, no body on GET', async () => {
    const server = await serve([{ status: 200, body: LEAD }]);
    const { client } = clientFor(server.baseUrl);
    await client.getLead(999);
    expect(server.requests[0]!.headers['authorization']).toBe(`Bearer ${API_KEY}`);
    expect(server.requests[0]!.headers['x-request-id']).toBeTruthy();
    expect(server.requests[0]!.body).toBe('');
  });

  it('refuses a key that could not be a header value, without quoting it', () => {
    const tenant = tenantFor('http://127.0.0.1:1');
    expect(() => createIpscapeClient({ tenant, apiKey: 'abc\r\nX-Evil: 1' })).toThrow(/not allowed in an HTTP header/);
    expect(() => createIpscapeClient({ tenant, apiKey: '  ' })).toThrow(/empty/);
    try {
      createIpscapeClient({ tenant, apiKey: 'abc\r\nX-Evil: 1' });
    } catch (err) {
      expect((err as Error).message).not.toContain('Evil');
    }
  });
});

describe('cancellation', () => {
  it('an abort during an idempotent request in flight is an AbortedError, not retried', async () => {
    const server = await serve(['hang']);
    const { client } = clientFor(server.baseUrl);
    const controller = new AbortController();
    const pending = client.getLead(1, { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(1);
  });

  it('an abort during a create in flight leaves the outcome unknown', async () => {
    const server = await serve(['hang']);
    const { client } = clientFor(server.baseUrl);
    const controller = new AbortController();
    const pending = client.createLead(CREATE_BODY, { signal: controller.signal });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ kind: 'outcome-unknown', reason: 'aborted' });
  });

  it('an already aborted signal sends nothing', async () => {
    const server = await serve([{ status: 200, body: LEAD }]);
    const { client } = clientFor(server.baseUrl);
    await expect(client.getLead(1, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortedError);
    expect(server.requests).toHaveLength(0);
  });
});

describe('limits as the server sees them', () => {
  it('never more than maxConcurrency requests in flight, even across clients sharing a limiter', async () => {
    const server = await serve([{ status: 200, body: LEAD, delayMs: 30 }]);
    const tenant = tenantFor(server.baseUrl, { maxConcurrency: 3 });
    const limiter = createTenantLimiter(tenant.limits);
    const a = createIpscapeClient({ tenant, apiKey: API_KEY, limiter });
    const b = createIpscapeClient({ tenant, apiKey: API_KEY, limiter });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).getLead(i + 1)));
    expect(server.requests).toHaveLength(20);
    expect(server.maxInFlight).toBeLessThanOrEqual(3);
    expect(server.maxInFlight).toBeGreaterThan(1);
  });

  it('paces requests to the token bucket (every attempt, retries included, takes a token)', async () => {
    // 40 requests at 50/s with burst 5: the last cannot arrive before (40 - 5) / 50 s = 700 ms.
    const server = await serve((_req, i) => (i % 4 === 0 ? { status: 500 } : { status: 200, body: LEAD }));
    const { client } = clientFor(server.baseUrl, { requestsPerSecond: 50, burst: 5, maxConcurrency: 8 });
    const started = performance.now();
    await Promise.all(Array.from({ length: 30 }, (_, i) => client.getLead(i + 1)));
    const elapsed = performance.now() - started;
    const requests = server.requests.length; // 30 calls, 10 of their attempts answered 500 and retried
    expect(requests).toBe(40);
    expect(elapsed).toBeGreaterThanOrEqual(((requests - 5) / 50) * 1000 - 20);
    const span = server.requests.at(-1)!.at - server.requests[0]!.at;
    // Generous: the server shares the event loop, so a stall can delay its record of the first arrival.
    expect(span).toBeGreaterThanOrEqual(((requests - 5) / 50) * 1000 - 150);
  });
});
