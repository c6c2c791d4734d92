/**
 * "No test or log output contains the API key": the client against the simulator over real HTTP,
 * driven through success and every failure it can meet (401 with a wrong key, 404, 400, 500, 429,
 * timeouts, a refused connection, an abort, a server echoing the key), with everything an operator
 * or a test run could see collected and searched for the key (and the wrong key, which is just as
 * secret): client and simulator log lines, every error as message, stack, String, JSON and
 * util.inspect, the client itself, the simulator's admin views, and every write to stdout, stderr
 * and console during the run.
 */
import { randomUUID } from 'node:crypto';
import { format, inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { seededIds } from '../../../local/simulator/index';
import { createIpscapeClient, type IpscapeClient, type IpscapeLogger } from '../../../shared/ipscape/client';
import { isIpscapeError, type IpscapeErrorKind } from '../../../shared/ipscape/errors';
import { parseTenantConfig } from '../../../shared/ipscape/tenant-config';
import { collect, FAST_LIMITS, startSimulatorFixture, type SimulatorFixture, type TenantDocument } from '../../support/simulator';
import { closedPort, startTestServer } from './test-server';

const KEY = `sk-TEST-${randomUUID()}`;
const WRONG_KEY = `sk-WRONG-${randomUUID()}`;
/** The keys, and their random parts alone: a leak that cut or masked the prefix is still a leak. */
const SECRETS = [KEY, WRONG_KEY, KEY.slice('sk-TEST-'.length), WRONG_KEY.slice('sk-WRONG-'.length)];

const { leads, lists, campaigns } = seededIds;

/** Everything seen during the run, labelled by where it came from (the label is what a failure shows). */
const seen: Array<{ readonly where: string; readonly text: string }> = [];
const see = (where: string, text: string) => seen.push({ where, text });
const kinds = new Set<IpscapeErrorKind>();

const clientLog: string[] = [];
const simulatorLog: string[] = [];
const capturingLogger: IpscapeLogger = {
  debug: (message, fields) => void clientLog.push(JSON.stringify({ level: 'debug', message, fields })),
  info: (message, fields) => void clientLog.push(JSON.stringify({ level: 'info', message, fields })),
  warn: (message, fields) => void clientLog.push(JSON.stringify({ level: 'warn', message, fields })),
};

/** Records every view of an error; fails the test if the call unexpectedly succeeded. */
function seeError(where: string, err: unknown): unknown {
  if (!isIpscapeError(err)) throw new Error(`${where}: expected an ipSCAPE error, got ${String(err)}`);
  kinds.add(err.kind);
  see(`${where}: message`, err.message);
  see(`${where}: stack`, err.stack ?? '');
  see(`${where}: String`, String(err));
  see(`${where}: JSON`, JSON.stringify(err));
  see(`${where}: inspect`, inspect(err, { depth: 10 }));
  see(`${where}: inspect hidden`, inspect(err, { depth: 10, showHidden: true }));
  see(`${where}: format %o`, format('%o', err));
  return err;
}

async function failing(where: string, call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => {
      throw new Error(`${where}: expected the call to fail`);
    },
    (err: unknown) => seeError(where, err),
  );
}

function seeClient(where: string, client: IpscapeClient): void {
  see(`${where}: inspect client`, inspect(client, { depth: 10 }));
  see(`${where}: inspect client hidden`, inspect(client, { depth: 10, showHidden: true }));
  see(`${where}: JSON client`, JSON.stringify(client));
  see(`${where}: String client`, String(client));
  see(`${where}: client keys`, Object.getOwnPropertyNames(client).join(','));
}

let fx: SimulatorFixture;
const spies: MockInstance[] = [];
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

beforeAll(async () => {
  // Pass-through spies: output still goes where it went, and every write is also kept.
  spies.push(vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write'));
  for (const method of consoleMethods) spies.push(vi.spyOn(console, method));
  fx = await startSimulatorFixture({
    apiKey: KEY,
    document: { limits: FAST_LIMITS },
    simulator: { freezeClock: true, bulkJobDurationMs: 1_000, logger: (line) => void simulatorLog.push(line) },
  });
});
beforeEach(async () => {
  await fx.reset();
});
afterAll(async () => {
  await fx?.close();
  for (const spy of spies) spy.mockRestore();
});

/** A client of the simulator's tenant with the capturing logger. */
function clientWith(key: string, limits: TenantDocument['limits'] = {}, retryAfterCapMs?: number): IpscapeClient {
  const client = fx.client({ apiKey: key, logger: capturingLogger, limits, ...(retryAfterCapMs === undefined ? {} : { retryAfterCapMs }) });
  seeClient(`client(${key === KEY ? 'key' : 'wrong key'})`, client);
  return client;
}

describe('the API key never appears in any output', () => {
  it('success: reads, creates, pages and a bulk job', async () => {
    const client = clientWith(KEY);
    const results: unknown[] = [];
    results.push(await client.getLead(leads.withHistory));
    results.push(await client.createLead({ listId: lists.listOne, phone1: '+61255500700', customerKey: 'SECRET-TEST-1' }));
    results.push(await collect(client.paginate('listLeads', { listId: lists.listOne })));
    results.push(await collect(client.paginate('listCampaigns')));
    const job = await client.bulkCreateLeads({ leads: [{ listId: lists.listOne, phone1: '+61255500701' }] });
    await fx.advanceClock(1_000);
    results.push(job, await client.getBulkJob(job.uuid));
    results.push(await client.privacyErasure({ phoneNumber: '+61255500701' }));
    see('success: results', JSON.stringify(results));
    expect(clientLog.some((line) => line.includes('ipscape attempt'))).toBe(true);
  });

  it('401: a client with the wrong key (which must not leak either)', async () => {
    const wrong = clientWith(WRONG_KEY);
    expect(await failing('401 getLead', wrong.getLead(leads.withHistory))).toMatchObject({ kind: 'auth', status: 401 });
    expect(await failing('401 createLead', wrong.createLead({ listId: lists.listOne, phone1: '+61255500702' }))).toMatchObject({ kind: 'auth' });
    expect(await failing('401 paginate', collect(wrong.paginate('listLeads', { listId: lists.listOne })))).toMatchObject({ kind: 'auth' });
  });

  it('404 and 400 (from the server and refused locally)', async () => {
    const client = clientWith(KEY);
    expect(await failing('404 getLead', client.getLead(999_999))).toMatchObject({ kind: 'not-found', status: 404 });
    // Passes local checks; the simulator refuses the unknown list with a 400 naming the field.
    expect(await failing('400 createLead', client.createLead({ listId: 999_999, phone1: '+61255500703' }))).toMatchObject({
      kind: 'validation',
      status: 400,
    });
    expect(await failing('local validation', client.createLead({ listId: lists.listOne, phone1: '0412 345 678' }))).toMatchObject({
      kind: 'validation',
      attempts: 0,
    });
  });

  it('500 on an idempotent and on a non-idempotent call', async () => {
    await fx.faults({ errorRate: 1 });
    // A short cap on the wait: a 503 carries Retry-After 1 s, which this test need not sit through.
    const client = clientWith(KEY, { maxAttempts: 2 }, 20);
    expect(await failing('5xx getLead', client.getLead(leads.withHistory))).toMatchObject({ kind: 'server', attempts: 2 });
    expect(await failing('5xx createLead', client.createLead({ listId: lists.listOne, phone1: '+61255500704' }))).toMatchObject({
      kind: 'outcome-unknown',
    });
    expect(clientLog.some((line) => line.includes('ipscape retry'))).toBe(true);
  });

  it('429 until the attempts run out', async () => {
    await fx.faults({ rateLimitPerSecond: 0.001, rateLimitBurst: 1 });
    const client = clientWith(KEY, { maxAttempts: 2 }, 20);
    await client.getCampaign(campaigns.salesOutbound); // takes the only token
    expect(await failing('429 getCampaign', client.getCampaign(campaigns.salesOutbound))).toMatchObject({ kind: 'rate-limited', status: 429 });
    expect(await failing('429 bulk', client.bulkCreateLeads({ leads: [{ listId: lists.listOne, phone1: '+61255500705' }] }))).toMatchObject({
      kind: 'rate-limited',
    });
  });

  it('timeouts on a hanging server', async () => {
    await fx.faults({ hangRate: 1 });
    const client = clientWith(KEY, { timeoutMs: 200, maxAttempts: 2 });
    expect(await failing('timeout getLead', client.getLead(leads.withHistory))).toMatchObject({ kind: 'timeout', attempts: 2 });
    expect(await failing('timeout createLead', client.createLead({ listId: lists.listOne, phone1: '+61255500706' }))).toMatchObject({
      kind: 'outcome-unknown',
      reason: 'timeout',
    });
  });

  it('a refused connection, and an abort', async () => {
    const port = await closedPort();
    const refused = createIpscapeClient({
      tenant: parseTenantConfig({ baseUrl: `http://127.0.0.1:${port}/platform-api/v3.0`, limits: { ...FAST_LIMITS, maxAttempts: 2 } }),
      apiKey: KEY,
      logger: capturingLogger,
    });
    seeClient('refused client', refused);
    expect(await failing('refused getLead', refused.getLead(leads.withHistory))).toMatchObject({ kind: 'network', networkCode: 'ECONNREFUSED' });
    expect(await failing('refused createLead', refused.createLead({ listId: lists.listOne, phone1: '+61255500707' }))).toMatchObject({
      kind: 'network',
    });

    const client = clientWith(KEY);
    const controller = new AbortController();
    controller.abort();
    expect(await failing('aborted', client.getLead(leads.withHistory, { signal: controller.signal }))).toMatchObject({ kind: 'aborted' });
  });

  it('a server that echoes the auth header back (error body and a 200 of the wrong shape)', async () => {
    const server = await startTestServer((req) => ({
      status: req.url.includes('/leads/') ? 400 : 200,
      body: { echoed: req.headers['authorization'], headers: req.headers },
    }));
    try {
      const client = createIpscapeClient({
        tenant: parseTenantConfig({ baseUrl: server.baseUrl, limits: FAST_LIMITS }),
        apiKey: KEY,
        logger: capturingLogger,
      });
      seeClient('echo client', client);
      const rejected = await failing('echo 400', client.getLead(leads.withHistory));
      expect(rejected).toMatchObject({ kind: 'validation', status: 400 });
      expect((rejected as { bodyExcerpt?: string }).bodyExcerpt).toContain('[secret]');
      const misshapen = await failing('echo 200', client.getCampaign(campaigns.salesOutbound));
      expect(misshapen).toMatchObject({ kind: 'response-shape' });
      // The server really did receive (and echo) the key: the check above is not vacuous.
      expect(server.requests.every((r) => r.headers['authorization'] === `Bearer ${KEY}`)).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('nothing seen anywhere holds either key', async () => {
    // Every scenario ran and failed the way it should have.
    expect([...kinds].sort()).toEqual(
      ['aborted', 'auth', 'network', 'not-found', 'outcome-unknown', 'rate-limited', 'response-shape', 'server', 'timeout', 'validation'].sort(),
    );
    expect(clientLog.length).toBeGreaterThan(20);
    expect(simulatorLog.length).toBeGreaterThan(20);

    clientLog.forEach((line, i) => see(`client log line ${i}`, line));
    simulatorLog.forEach((line, i) => see(`simulator log line ${i}`, line));
    see('admin requests', JSON.stringify(await fx.requests()));
    see('admin state', JSON.stringify(await fx.admin('/state')));
    see('admin leads', JSON.stringify(await fx.admin('/leads')));
    see('admin faults', JSON.stringify(await fx.admin('/faults')));
    see('inspect simulator handle', inspect(fx.sim, { depth: 10 }));

    // What went to the terminal: stdout, stderr and console, as written.
    const [stdout, stderr, ...consoles] = spies;
    stdout!.mock.calls.forEach((args, i) => see(`stdout write ${i}`, String(args[0])));
    stderr!.mock.calls.forEach((args, i) => see(`stderr write ${i}`, String(args[0])));
    consoles.forEach((spy, m) => spy.mock.calls.forEach((args, i) => see(`console.${consoleMethods[m]} ${i}`, format(...(args as unknown[])))));

    // The output spies were in place for the whole run.
    expect(vi.isMockFunction(process.stdout.write) && vi.isMockFunction(process.stderr.write) && vi.isMockFunction(console.error)).toBe(true);
    // The search itself works: a planted key is found.
    expect(SECRETS.some((secret) => `x${KEY}x`.includes(secret))).toBe(true);
    const leaks = seen.filter(({ text }) => SECRETS.some((secret) => text.includes(secret))).map(({ where }) => where);
    // Only labels are printed on failure, never the text that holds the key.
    expect(leaks).toEqual([]);
    expect(seen.length).toBeGreaterThan(100);
  });
});
