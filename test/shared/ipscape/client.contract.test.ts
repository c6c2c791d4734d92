/**
 * Contract test: the typed client against the ipSCAPE simulator over real HTTP, for every operation
 * of the route table. Answers are checked for shape and content, and state changes are checked
 * through later reads (create then get, complete then get, bulk create then list, erase then 404).
 * The last test reads what the simulator logged over the whole file and fails if any operation of
 * `operationIds` never got a 2xx answer: adding an operation without a contract test here fails.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededIds } from '../../../local/simulator/index';
import type { IpscapeClient } from '../../../shared/ipscape/client';
import { NotFoundError } from '../../../shared/ipscape/errors';
import { operationIds, type OperationId } from '../../../shared/ipscape/routes';
import { parseIpscapeTimestamp, TIMESTAMP_PATTERN } from '../../../shared/ipscape/schemas/common';
import { erasedNothing } from '../../../shared/ipscape/schemas/privacy';
import { classifyBulkStatus } from '../../../shared/ipscape/tenant-config';
import { collect, FAST_LIMITS, startSimulatorFixture, TENANT_BASE, type SimulatorFixture, type TenantDocument } from '../../support/simulator';

const API_KEY = 'contract-test-key';
/** Summer in Sydney: timestamps come back `+11:00`. */
const START = '2026-02-02T09:00:00+11:00';
/** Long enough that only the admin clock can finish a job; no test sleeps for it. */
const BULK_JOB_MS = 60_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** The path the simulator serves the tenant under (`/platform-api/v3.0`). */
const BASE_PATH = new URL(TENANT_BASE).pathname;

const { campaigns, lists, users, leads, activities, attempts, media } = seededIds;

/** Operations that got a 2xx answer from some simulator in this file, with how many. */
const exercised = new Map<string, number>();

async function harvest(fixture: SimulatorFixture): Promise<void> {
  for (const entry of await fixture.requests()) {
    if (entry.operationId && entry.status !== null && entry.status >= 200 && entry.status < 300) {
      exercised.set(entry.operationId, (exercised.get(entry.operationId) ?? 0) + 1);
    }
  }
}

function timestampMs(text: string | null | undefined): number {
  expect(text).toMatch(TIMESTAMP_PATTERN);
  return parseIpscapeTimestamp(text!)!.getTime();
}

let fx: SimulatorFixture;
let client: IpscapeClient;

beforeAll(async () => {
  fx = await startSimulatorFixture({
    apiKey: API_KEY,
    document: { limits: FAST_LIMITS },
    simulator: { freezeClock: true, startTime: START, bulkJobDurationMs: BULK_JOB_MS, seed: 11 },
  });
  client = fx.client();
});
// Every test starts from the seeded tenant; the log is read first, as reset empties it.
beforeEach(async () => {
  await fx.reset();
});
afterEach(async () => {
  await harvest(fx);
});
afterAll(async () => {
  await fx?.close();
});

describe('activities, media and dialler calls', () => {
  it('lists and gets activities, follows a call to its recording and its dialler attempt', async () => {
    const page = await client.listActivities({ campaignId: campaigns.supportInbound });
    expect(page.items.map((a) => [a.type, a.data.activityId])).toEqual([
      ['call.inbound', activities.inboundCall],
      ['email.inbound', activities.inboundEmail],
    ]);
    expect(page.items.every((a) => a.data.campaignId === campaigns.supportInbound)).toBe(true);
    expect(page.metadata?.nextUri ?? null).toBeNull();
    const inboundCalls = await client.listActivities({ activityType: 'call.inbound' });
    expect(inboundCalls.items.map((a) => a.data.activityId)).toEqual([activities.inboundCall]);

    const call = await client.getActivity(activities.outboundCall);
    expect(call).toMatchObject({
      type: 'call.outbound',
      data: { activityId: activities.outboundCall, leadId: leads.withHistory, campaignId: campaigns.salesOutbound, campaignName: 'Sales Outbound' },
    });
    const created = timestampMs(call.data.timestamps?.created);
    expect(created).toBeLessThan(Date.parse(START));

    const recordingId = call.data.recordingMetadata?.mediaId;
    expect(recordingId).toBe(media.outboundRecording);
    const recording = await client.getMedia(recordingId!);
    expect(recording).toMatchObject({ mediaId: media.outboundRecording, deleted: false, deletedTimestamp: null });
    // Media URIs carry the full base path, as the reference shows.
    expect(recording.mediaUri).toBe(`${BASE_PATH}/media/${media.outboundRecording}`);
    const removed = await client.getMedia(media.deletedRecording);
    expect(removed).toMatchObject({ mediaId: media.deletedRecording, deleted: true, deletedBy: users.alexAdmin });
    expect(timestampMs(removed.deletedTimestamp)).toBeLessThan(Date.parse(START));

    const dialled = await client.listDiallerCalls({ leadId: leads.withHistory });
    expect(dialled.items.map((a) => a.attemptId)).toEqual([attempts.answered]);
    const attempt = await client.getDiallerAttempt(attempts.answered);
    expect(attempt).toMatchObject({
      attemptId: attempts.answered,
      leadId: leads.withHistory,
      phoneIndex: 1,
      activityId: activities.outboundCall,
      campaignId: campaigns.salesOutbound,
    });
    const t = attempt.timestamps!;
    expect(timestampMs(t.dialled)).toBeLessThanOrEqual(timestampMs(t.answered));
    expect(timestampMs(t.answered)).toBeLessThanOrEqual(timestampMs(t.hangUp));
    // A campaign with no dialler attempts answers an empty page, not an error.
    expect((await client.listDiallerCalls({ campaignId: campaigns.supportInbound })).items).toEqual([]);
  });
});

describe('campaigns', () => {
  it('lists (numbered page), gets with lists and agents, and reports statistics', async () => {
    const page = await client.listCampaigns();
    expect(page).toMatchObject({ pageNo: 0, inPage: 3, perPage: 50 });
    expect(page.data.map((c) => [c.campaignId, c.campaignTitle])).toEqual([
      [campaigns.salesOutbound, 'Sales Outbound'],
      [campaigns.supportInbound, 'Support Inbound'],
      [campaigns.retentionOutbound, 'Retention Outbound'],
    ]);
    const outbound = await client.listCampaigns({ campaignType: 'Outbound' });
    expect(outbound.data.map((c) => c.campaignId)).toEqual([campaigns.salesOutbound, campaigns.retentionOutbound]);

    const sales = await client.getCampaign(campaigns.salesOutbound);
    expect(sales).toMatchObject({ campaignId: campaigns.salesOutbound, campaignName: 'Sales Outbound', isActive: true, timezone: 'Australia/Sydney' });
    expect(sales.lists?.map((l) => l.id)).toEqual([lists.listOne, lists.callbacks]);
    // Active agents assigned to the campaign: John Doe and Jane Roe (the inactive agent is not counted).
    expect(sales.agents).toMatchObject({ assigned: 2, available: 1, paused: 1 });
    expect(timestampMs(sales.timestamp)).toBe(Date.parse(START));

    const support = await client.getCampaignStatistics(campaigns.supportInbound, { period: 'hour' });
    // The seeded inbound call 20 minutes ago, 10 s in the queue.
    expect(support).toMatchObject({ campaignId: campaigns.supportInbound, callsReceived: 1, maxCallWaitingTime: 10, callsWaiting: 0 });
    const salesToday = await client.getCampaignStatistics(campaigns.salesOutbound, { period: 'day' });
    // The seeded outbound call was two days ago: outside a day.
    expect(salesToday).toMatchObject({ campaignId: campaigns.salesOutbound, callsReceived: 0 });
  });
});

describe('leads', () => {
  it('create then get; find by customer key and E.164 phone; complete then get shows it completed', async () => {
    const phone = '+61255500001';
    const created = await client.createLead({
      listId: lists.listOne,
      customerKey: 'CT-0001',
      timezone: 'Australia/Perth',
      phone1: phone,
      nextAttemptTimestamp: '2026-02-03T09:00:00+08:00',
      leadData: { state: 'WA' },
    });
    expect(created.leadId).toBeGreaterThan(leads.fresh);
    expect(created.inDialler).toBe(true);

    const lead = await client.getLead(created.leadId);
    expect(lead).toMatchObject({
      leadId: created.leadId,
      listId: lists.listOne,
      listName: 'List One',
      campaignId: campaigns.salesOutbound,
      customerKey: 'CT-0001',
      timezone: 'Australia/Perth',
      completed: false,
      dataFields: { state: 'WA' },
      phones: [{ phone, phoneIndex: 1, completed: false }],
    });
    expect(timestampMs(lead.timestamps?.nextAttempt)).toBe(Date.parse('2026-02-03T09:00:00+08:00'));
    expect(timestampMs(lead.timestamps?.created)).toBe(Date.parse(START));

    expect((await client.listLeads({ customerKey: 'CT-0001' })).items.map((l) => l.leadId)).toEqual([created.leadId]);
    // `+` must reach the server percent-encoded, or it reads as a space and matches nothing.
    expect((await client.listLeads({ phone1: phone })).items.map((l) => l.leadId)).toEqual([created.leadId]);
    expect((await client.listLeads({ listId: lists.listOne })).items.map((l) => l.leadId)).toEqual([
      leads.withHistory,
      leads.fresh,
      created.leadId,
    ]);

    await fx.advanceClock(60_000);
    await client.updateLead(created.leadId, { isCompleted: true, leadData: { outcome: 'sold' } });
    const completed = await client.getLead(created.leadId);
    expect(completed).toMatchObject({ completed: true, dataFields: { state: 'WA', outcome: 'sold' } });
    expect(completed.phones?.every((p) => p.completed === true)).toBe(true);
    expect(timestampMs(completed.timestamps?.modified)).toBe(Date.parse(START) + 60_000);
    // The other leads of the list are untouched.
    expect((await client.getLead(leads.fresh)).completed).toBe(false);
  });

  it('bulk create: queued, still running mid-way, terminal once the simulator clock passes; then its leads are listed', async () => {
    const target = await client.createLeadList({ listName: 'Bulk target', campaignId: campaigns.salesOutbound });
    const rows = [1, 2, 3].map((i) => ({ listId: target.listId, customerKey: `BULK-${i}`, phone1: `+6125550010${i}` }));
    const job = await client.bulkCreateLeads({ leads: rows });
    expect(job.uuid).toMatch(UUID);
    expect(classifyBulkStatus(fx.tenant, job.status)).toBe('running');

    const early = await client.getBulkJob(job.uuid);
    expect(early.uuid).toBe(job.uuid);
    expect(classifyBulkStatus(fx.tenant, early.status)).toBe('running');
    expect((await client.listLeads({ listId: target.listId })).items).toEqual([]);

    await fx.advanceClock(BULK_JOB_MS / 2);
    const midway = await client.getBulkJob(job.uuid);
    expect(classifyBulkStatus(fx.tenant, midway.status)).toBe('running');
    expect(midway.status).not.toBe(early.status); // queued, then processing

    await fx.advanceClock(BULK_JOB_MS / 2);
    const done = await client.getBulkJob(job.uuid);
    expect(classifyBulkStatus(fx.tenant, done.status)).toBe('succeeded');
    expect(done).toMatchObject({ uuid: job.uuid, total: 3, succeeded: 3, failed: 0 });

    const landed = await collect(client.paginate('listLeads', { listId: target.listId }));
    expect(landed.map((l) => l.customerKey)).toEqual(['BULK-1', 'BULK-2', 'BULK-3']);
    expect(landed.map((l) => l.phones?.[0]?.phone)).toEqual(rows.map((r) => r.phone1));
    expect(new Set(landed.map((l) => l.leadId)).size).toBe(3);
  });
});

describe('lead lists', () => {
  it('create then get; the new list is listed under its campaign and shown on the campaign', async () => {
    const created = await client.createLeadList({ listName: 'Spring promo', campaignId: campaigns.retentionOutbound });
    expect(created).toMatchObject({ listName: 'Spring promo', campaignId: campaigns.retentionOutbound });
    expect(created.listId).toBeGreaterThan(lists.retention);

    const list = await client.getLeadList(created.listId);
    expect(list).toMatchObject({
      id: created.listId,
      name: 'Spring promo',
      campaignId: campaigns.retentionOutbound,
      campaignName: 'Retention Outbound',
      inDialler: true,
      weight: 1,
    });
    expect(timestampMs(list.timestamps?.created)).toBe(Date.parse(START));

    const ofCampaign = await client.listLeadLists({ campaignId: campaigns.retentionOutbound });
    expect(ofCampaign.items.map((l) => l.id)).toEqual([lists.retention, created.listId]);
    const all = await collect(client.paginate('listLeadLists'));
    expect(all.map((l) => l.id)).toEqual([lists.listOne, lists.callbacks, lists.retention, created.listId]);
    expect((await client.getCampaign(campaigns.retentionOutbound)).lists?.map((l) => l.id)).toEqual([lists.retention, created.listId]);
  });
});

describe('privacy erasure', () => {
  it('answers the counts; afterwards the lead, its calls and its attempt are gone and the recording is deleted', async () => {
    // The seeded lead with history: phone1 +61491570156, one outbound call with a recording, one
    // dialler attempt and one inbound email (two attachments) linked to it.
    const erased = await client.privacyErasure({ phoneNumber: '+61491570156' });
    expect(erased.leadData).toMatchObject({ leadsDeleted: 1, leadsDeletedFromDialCurrent: 1, leadDetailsDeleted: 3 });
    expect(erased.callData).toMatchObject({ activitiesOverwritten: 1, callResultsOverwritten: 1, voiceRecordingsDeleted: 1 });
    expect(erased.emailData).toMatchObject({ inboundEmailsOverwritten: 1, outboundEmailsOverwritten: 0, emailAttachmentsDeleted: 2 });
    expect(erasedNothing(erased)).toBe(false);

    await expect(client.getLead(leads.withHistory)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.getActivity(activities.outboundCall)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.getActivity(activities.inboundEmail)).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.getDiallerAttempt(attempts.answered)).rejects.toBeInstanceOf(NotFoundError);
    expect(await client.getMedia(media.outboundRecording)).toMatchObject({ deleted: true, deletionReason: 'Privacy erasure' });
    expect((await client.listLeads({ listId: lists.listOne })).items.map((l) => l.leadId)).toEqual([leads.fresh]);
    // The unrelated inbound call survives.
    expect((await client.getActivity(activities.inboundCall)).data.activityId).toBe(activities.inboundCall);

    // Nothing held for an address: every count zero, which is not a failure.
    const nothing = await client.privacyErasure({ emailAddress: 'nobody@example.com' });
    expect(erasedNothing(nothing)).toBe(true);
  });
});

describe('users, agent presence and call recording', () => {
  it('lists users by type and state; presence changes show in later reads; recording echoes and refuses non-agents', async () => {
    const agents = await collect(client.paginate('listUsers', { userType: 'agent' }));
    expect(agents.map((u) => u.userId)).toEqual([users.johnDoe, users.janeRoe, users.samPoe, users.inactiveAgent]);
    expect(agents.every((u) => u.userType === 'agent')).toBe(true);
    const inactive = await client.listUsers({ accountActive: false });
    expect(inactive.items.map((u) => u.userId)).toEqual([users.inactiveAgent]);

    expect((await client.getCampaign(campaigns.salesOutbound)).agents).toMatchObject({ available: 1, paused: 1 });
    expect(await client.updateAgentPresence({ agentId: users.janeRoe, available: true })).toEqual({ agentId: users.janeRoe, available: true });
    const jane = (await client.listUsers({ userType: 'agent' })).items.find((u) => u.userId === users.janeRoe);
    expect(jane?.status).toBe('Available');
    expect((await client.getCampaign(campaigns.salesOutbound)).agents).toMatchObject({ available: 2, paused: 0 });

    expect(await client.setCallRecording({ agentId: users.johnDoe, recording: true })).toEqual({ agentId: users.johnDoe, recording: true });
    await expect(client.setCallRecording({ agentId: users.alexAdmin, recording: true })).rejects.toBeInstanceOf(NotFoundError);
    await expect(client.updateAgentPresence({ agentId: 999_999, available: false })).rejects.toMatchObject({ kind: 'not-found', status: 404 });
  });
});

describe('pagination over real HTTP', () => {
  it('walks 230 leads over 5 cursor pages, each exactly once, following nextUri under the /platform-api prefix', async () => {
    const seeded = await fx.seed({
      lists: [{ ref: 'big', listName: 'Big list', campaignId: campaigns.salesOutbound }],
      leads: Array.from({ length: 230 }, (_, i) => ({
        listRef: 'big',
        customerKey: `P-${i}`,
        // 02 5550 xxxx: ACMA's range for fiction.
        phones: [`+6125550${String(2000 + i)}`],
      })),
    });
    const listId = seeded.listIds[0]!;
    await fx.clearRequests();

    const walked = await collect(client.paginate('listLeads', { listId }));
    expect(walked).toHaveLength(230);
    expect(walked.map((l) => l.leadId)).toEqual(seeded.leadIds);
    expect(new Set(walked.map((l) => l.leadId)).size).toBe(230);
    expect(walked.every((l) => l.listId === listId)).toBe(true);

    const log = (await fx.requests()).filter((r) => r.operationId === 'listLeads');
    expect(log.length).toBeGreaterThan(3);
    expect(log).toHaveLength(5); // 50 + 50 + 50 + 50 + 30
    expect(log.every((r) => r.status === 200 && r.method === 'GET')).toBe(true);
    // The server writes nextUri as `/v3.0/leads?...` (no /platform-api); every page still reached the
    // tenant's base path, so the client put the prefix back.
    expect(log.every((r) => r.path === `${BASE_PATH}/leads`)).toBe(true);
    expect(log[0]!.queryKeys).toEqual(['listId']);
    for (const entry of log.slice(1)) expect([...entry.queryKeys].sort()).toEqual(['cursor', 'listId']);
    // Each page is its own call with its own request id.
    expect(new Set(log.map((r) => r.requestId)).size).toBe(5);

    // The raw nextUri values, and resuming a walk from a saved one.
    await fx.clearRequests();
    const pages = await collect(client.pages('listLeads', { listId }));
    expect(pages.map((p) => p.items.length)).toEqual([50, 50, 50, 50, 30]);
    for (const page of pages.slice(0, -1)) expect(page.nextUri).toMatch(/^\/v3\.0\/leads\?(.+&)?cursor=/);
    expect(pages.at(-1)!.nextUri ?? null).toBeNull();
    const followed = (await fx.requests()).filter((r) => r.operationId === 'listLeads');
    pages.slice(0, -1).forEach((page, i) => {
      const next = new URL(page.nextUri!, 'http://nextUri.invalid');
      expect(followed[i + 1]!.path).toBe(`/platform-api${next.pathname}`);
      expect([...followed[i + 1]!.queryKeys].sort()).toEqual([...new Set(next.searchParams.keys())].sort());
    });
    const resumed = await collect(client.paginate('listLeads', undefined, { startUri: pages[2]!.nextUri! }));
    expect(resumed.map((l) => l.leadId)).toEqual(seeded.leadIds.slice(150));
  });

  it('walks list campaigns by page number until a short page', async () => {
    const seeded = await fx.seed({
      campaigns: Array.from({ length: 107 }, (_, i) => ({ campaignTitle: `Seeded campaign ${i}` })),
    });
    await fx.clearRequests();
    const all = await collect(client.paginate('listCampaigns'));
    const expected = [campaigns.salesOutbound, campaigns.supportInbound, campaigns.retentionOutbound, ...seeded.campaignIds];
    expect(all.map((c) => c.campaignId)).toEqual(expected);
    expect(new Set(all.map((c) => c.campaignId)).size).toBe(110);

    const log = (await fx.requests()).filter((r) => r.operationId === 'listCampaigns');
    expect(log).toHaveLength(3); // 50 + 50 + 10
    expect(log.every((r) => r.status === 200 && r.path === `${BASE_PATH}/campaigns` && r.queryKeys.includes('pageNo'))).toBe(true);
    const pages = await collect(client.pages('listCampaigns'));
    expect(pages.map((p) => [p.pageNo, p.items.length])).toEqual([
      [0, 50],
      [1, 50],
      [2, 10],
    ]);
  });
});

describe('tenant route overrides', () => {
  const overridden: TenantDocument = {
    limits: FAST_LIMITS,
    routes: { getBulkJob: { path: '/leads/bulk/status/{uuid}' }, listLeadLists: { path: '/lists' } },
  };

  it('simulator and client from the same overridden tenant: calls succeed and go to the new paths', async () => {
    const ofx = await startSimulatorFixture({
      apiKey: API_KEY,
      document: overridden,
      simulator: { freezeClock: true, startTime: START, bulkJobDurationMs: BULK_JOB_MS },
    });
    try {
      const c = ofx.client();
      const seeded = await ofx.seed({
        lists: Array.from({ length: 60 }, (_, i) => ({ listName: `Override list ${i}`, campaignId: campaigns.supportInbound })),
      });
      const allLists = await collect(c.pages('listLeadLists'));
      expect(allLists).toHaveLength(2); // 63 lists, 50 a page
      expect(allLists[0]!.nextUri).toMatch(/^\/v3\.0\/lists\?cursor=/);
      expect(allLists.flatMap((p) => p.items.map((l) => l.id))).toEqual([lists.listOne, lists.callbacks, lists.retention, ...seeded.listIds]);

      const job = await c.bulkCreateLeads({ leads: [{ listId: lists.listOne, phone1: '+61255500300' }] });
      expect(classifyBulkStatus(ofx.tenant, (await c.getBulkJob(job.uuid)).status)).toBe('running');
      await ofx.advanceClock(BULK_JOB_MS);
      expect(classifyBulkStatus(ofx.tenant, (await c.getBulkJob(job.uuid)).status)).toBe('succeeded');

      const log = await ofx.requests();
      const listCalls = log.filter((r) => r.operationId === 'listLeadLists');
      expect(listCalls).toHaveLength(2);
      expect(listCalls.every((r) => r.status === 200 && r.path === `${BASE_PATH}/lists`)).toBe(true);
      const jobCalls = log.filter((r) => r.operationId === 'getBulkJob');
      expect(jobCalls).toHaveLength(2);
      expect(jobCalls.every((r) => r.status === 200 && r.path === `${BASE_PATH}/leads/bulk/status/${job.uuid}`)).toBe(true);
      expect(log.some((r) => r.path.startsWith(`${BASE_PATH}/leads/lists`))).toBe(false);
    } finally {
      await harvest(ofx);
      await ofx.close();
    }
  });

  it('a mismatch (one side on the default routes, the other overridden) gets NotFoundError, both ways', async () => {
    const ofx = await startSimulatorFixture({
      apiKey: API_KEY,
      document: overridden,
      simulator: { freezeClock: true, startTime: START, bulkJobDurationMs: BULK_JOB_MS },
    });
    try {
      // Default-route client, overridden simulator: bulk create shares its path, the status path differs.
      const defaults = ofx.client({ document: { limits: FAST_LIMITS } });
      const job = await defaults.bulkCreateLeads({ leads: [{ listId: lists.listOne, phone1: '+61255500301' }] });
      const error = await defaults.getBulkJob(job.uuid).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 404, attempts: 1, pathTemplate: '/leads/bulk/{uuid}' });
      const miss = (await ofx.requests()).filter((r) => r.status === 404);
      expect(miss).toHaveLength(1);
      expect(miss[0]).toMatchObject({ path: `${BASE_PATH}/leads/bulk/${job.uuid}`, operationId: null });
    } finally {
      await harvest(ofx);
      await ofx.close();
    }

    // Overridden client, default simulator (the file's own).
    const overriddenClient = fx.client({ document: overridden });
    const job = await client.bulkCreateLeads({ leads: [{ listId: lists.listOne, phone1: '+61255500302' }] });
    await expect(overriddenClient.getBulkJob(job.uuid)).rejects.toMatchObject({ kind: 'not-found', pathTemplate: '/leads/bulk/status/{uuid}' });
  });
});

describe('auth as the tenant configures it', () => {
  it('a custom header and format, and a key holding characters special to String.replace, authenticate; a wrong key is an AuthError', async () => {
    const key = 'k$&$$$1-{x}';
    const afx = await startSimulatorFixture({
      apiKey: key,
      document: { limits: FAST_LIMITS, auth: { header: 'X-Api-Key', format: 'Key {key}' } },
      simulator: { freezeClock: true, startTime: START },
    });
    try {
      expect((await afx.client().getLead(leads.fresh)).leadId).toBe(leads.fresh);
      await expect(afx.client({ apiKey: 'k$&$$$1-{y}' }).getLead(leads.fresh)).rejects.toMatchObject({ kind: 'auth', status: 401, attempts: 1 });
      // The default header carries nothing this tenant reads.
      await expect(afx.client({ document: { limits: FAST_LIMITS } }).getLead(leads.fresh)).rejects.toMatchObject({ kind: 'auth' });
    } finally {
      await harvest(afx);
      await afx.close();
    }
  });
});

describe('coverage of the route table', () => {
  it('every operation in operationIds got a 2xx answer from the simulator in this file', () => {
    const missing = operationIds.filter((id: OperationId) => !exercised.has(id));
    expect(missing).toEqual([]);
    expect(exercised.size).toBe(operationIds.length);
  });
});
