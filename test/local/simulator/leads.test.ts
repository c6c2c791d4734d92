import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { operations } from '../../../shared/ipscape/operations';
import { startHarness, type Harness } from './simulator-harness';

const START = '2026-01-15T00:00:00Z'; // 11:00 in Sydney (daylight saving, +11:00)

describe('simulator leads and lists', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ startTime: START });
  });
  beforeEach(() => h.admin('/reset', {}));
  afterAll(() => h.sim.close());

  it('creates a lead and reads it back with dataFields, phones and local timestamps', async () => {
    const created = await h.api('/leads', {
      body: {
        listId: 1,
        customerKey: 'C-77',
        phone1: '+61491570158',
        phone3: '+61255501111',
        leadData: { state: 'NSW', email: 'someone@example.com' },
        statusCode: 3,
        agentId: 1001,
        nextAttemptTimestamp: '2026-01-16T09:00:00+1100',
      },
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ leadId: expect.any(Number), inDialler: true });

    const lead = (await h.api(`/leads/${created.body.leadId}`)).body;
    expect(operations.getLead.response.safeParse(lead).success).toBe(true);
    expect(lead).toMatchObject({
      leadId: created.body.leadId,
      campaignId: 1,
      campaignName: 'Sales Outbound',
      listId: 1,
      listName: 'List One',
      timezone: 'Australia/Sydney',
      completed: false,
      customerKey: 'C-77',
      agentId: 1001,
      agentFullName: 'John Doe',
      dataFields: { state: 'NSW', email: 'someone@example.com' },
      lastStatusCode: 3,
      lastStatusDescription: 'Abandoned',
      phones: [
        { phone: '+61491570158', phoneIndex: 1, completed: false },
        { phone: '+61255501111', phoneIndex: 3, completed: false },
      ],
      timestamps: { created: '2026-01-15T11:00:00+11:00', modified: '2026-01-15T11:00:00+11:00', nextAttempt: '2026-01-16T09:00:00+11:00' },
    });
    expect(lead).not.toHaveProperty('leadData');
  });

  it('takes inDialler from the list', async () => {
    expect((await h.api('/leads', { body: { listId: 2, phone1: '+61491570158' } })).body.inDialler).toBe(false);
  });

  it('updates partially and completes a lead with all its phones', async () => {
    await h.admin('/clock', { advanceMs: 60_000 });
    const updated = await h.api('/leads/10001', { method: 'PATCH', body: { leadData: { tier: 'gold' }, phone3: '+61491570159' } });
    expect(updated.status).toBe(200);
    expect(updated.body.dataFields).toEqual({ state: 'NSW', firstName: 'Pat', email: 'pat.lead@example.com', tier: 'gold' });
    expect(updated.body.phones.map((p: { phoneIndex: number }) => p.phoneIndex)).toEqual([1, 2, 3]);
    expect(updated.body.timestamps.modified).toBe('2026-01-15T11:01:00+11:00');

    const completed = await h.api('/leads/10001', { method: 'PATCH', body: { isCompleted: true } });
    expect(completed.body.completed).toBe(true);
    expect(completed.body.phones.every((p: { completed: boolean }) => p.completed)).toBe(true);
    expect((await h.api('/leads/10001')).body.completed).toBe(true);
    expect((await h.api('/leads/424242', { method: 'PATCH', body: { isCompleted: true } })).status).toBe(404);
  });

  it('creates a lead list in an existing campaign only', async () => {
    const created = await h.api('/leads/lists', { body: { listName: 'Imported 2026-01', campaignId: 3 } });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({ listName: 'Imported 2026-01', campaignId: 3, listId: expect.any(Number) });
    const list = (await h.api(`/leads/lists/${created.body.listId}`)).body;
    expect(list).toEqual({
      id: created.body.listId,
      name: 'Imported 2026-01',
      campaignId: 3,
      campaignName: 'Retention Outbound',
      inDialler: true,
      weight: 1,
      timestamps: { created: '2026-01-15T11:00:00+11:00' },
    });
    const refused = await h.api('/leads/lists', { body: { listName: 'x', campaignId: 99 } });
    expect(refused.status).toBe(400);
    expect(refused.body.fields[0].field).toBe('campaignId');
  });

  it('answers every read operation in the shape its schema describes', async () => {
    const reads: Array<[keyof typeof operations, string]> = [
      ['listActivities', '/activities'],
      ['getActivity', '/activities/100'],
      ['getActivity', '/activities/110'],
      ['listCampaigns', '/campaigns'],
      ['getCampaign', '/campaigns/1'],
      ['getCampaignStatistics', '/campaigns/2/statistics?period=day'],
      ['getMedia', '/media/105'],
      ['listLeads', '/leads'],
      ['listLeadLists', '/leads/lists'],
      ['getLeadList', '/leads/lists/1'],
      ['listUsers', '/users'],
      ['listDiallerCalls', '/calls/dialler'],
      ['getDiallerAttempt', '/calls/dialler/900'],
    ];
    for (const [id, path] of reads) {
      const res = await h.api(path);
      expect(res.status, path).toBe(200);
      const parsed = operations[id].response.safeParse(res.body);
      expect(parsed.success, `${path}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('writes activity timestamps as the reference does (+1100 inbound, +11:00 outbound in summer)', async () => {
    const inbound = (await h.api('/activities/100')).body;
    expect(inbound.data.timestamps.created).toMatch(/^2026-01-15T10:40:00\+1100$/);
    expect(inbound.data.recordingMetadata).toEqual({ mediaId: 100, mediaUri: '/v3.0/media/100', duration: 30, deleted: false });
    const outbound = (await h.api('/activities/110')).body;
    expect(outbound.type).toBe('call.outbound');
    expect(outbound.data.timestamps.created).toMatch(/\+11:00$/);
    expect((await h.api('/media/100')).body.mediaUri).toBe('/platform-api/v3.0/media/100');
  });

  it('lists campaigns page by page with pageNo and filters by type', async () => {
    const small = await startHarness({ pageSize: 2 });
    try {
      expect((await small.api('/campaigns')).body).toMatchObject({ pageNo: 0, inPage: 2, perPage: 2 });
      const second = (await small.api('/campaigns?pageNo=1')).body;
      expect(second).toMatchObject({ pageNo: 1, inPage: 1, perPage: 2, data: [{ campaignId: 3 }] });
      const outbound = (await small.api('/campaigns?campaignType=Outbound')).body;
      expect(outbound.data.map((c: { campaignId: number }) => c.campaignId)).toEqual([1, 3]);
    } finally {
      await small.sim.close();
    }
  });

  it('echoes agent presence and call recording for agents, 404 otherwise', async () => {
    expect((await h.api('/agents/presence', { method: 'PUT', body: { agentId: 1002, available: true } })).body).toEqual({
      agentId: 1002,
      available: true,
    });
    const stats = (await h.api('/campaigns/1/statistics')).body;
    expect(stats.agents).toEqual({ assigned: 2, available: 2, busy: 0, paused: 0 });
    expect((await h.api('/calls/recording', { method: 'PUT', body: { agentId: 1001, recording: true } })).body).toEqual({
      agentId: 1001,
      recording: true,
    });
    expect((await h.api('/agents/presence', { method: 'PUT', body: { agentId: 1004, available: true } })).status).toBe(404);
    expect((await h.api('/calls/recording', { method: 'PUT', body: { agentId: 5, recording: false } })).status).toBe(404);
  });
});
