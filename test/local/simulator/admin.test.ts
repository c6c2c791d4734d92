import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './simulator-harness';

describe('simulator admin API', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ startTime: '2026-03-01T00:00:00Z' });
  });
  beforeEach(() => h.admin('/reset', {}));
  afterAll(() => h.sim.close());

  it('seeds campaigns, lists and leads with any history and returns their ids', async () => {
    const seeded = await h.admin('/seed', {
      campaigns: [{ campaignId: 4, campaignTitle: 'Seeded campaign', campaignType: 'Outbound' }],
      lists: [{ ref: 'old', listName: 'Old leads', campaignId: 1, inDialler: false, created: '2025-01-01T09:00:00+11:00' }],
      leads: [
        {
          listRef: 'old',
          phones: ['+61491570170', { phone: '0491 570 171', phoneIndex: 3, completed: true }],
          dataFields: { email: 'old@example.com' },
          created: '2025-01-02T09:00:00+11:00',
          totalAttempts: 7,
          lastStatusCode: 2,
          lastStatusDescription: 'No Answer',
          customerKey: 'OLD-1',
        },
        { listId: 1, phones: ['+61491570172'], completed: true },
        { campaignId: 4, phones: ['+61491570173'] },
      ],
    });
    expect(seeded.campaignIds).toEqual([4]);
    expect(seeded.listIds).toHaveLength(2); // 'old' and the list made for campaign 4
    expect(seeded.leadIds).toHaveLength(3);

    const old = (await h.api(`/leads/${seeded.leadIds[0]}`)).body;
    expect(old).toMatchObject({
      listId: seeded.listIds[0],
      campaignId: 1,
      completed: false,
      customerKey: 'OLD-1',
      dataFields: { email: 'old@example.com' },
      lastStatusCode: 2,
      lastStatusDescription: 'No Answer',
      phones: [
        { phone: '+61491570170', phoneIndex: 1, completed: false },
        { phone: '0491 570 171', phoneIndex: 3, completed: true },
      ],
      outcomesInfo: { totalAttempts: 7, outcomesByCode: { count: 7, statusCode: 2, description: 'No Answer' } },
      timestamps: { created: '2025-01-02T09:00:00+11:00', modified: '2025-01-02T09:00:00+11:00', nextAttempt: null },
    });
    const completed = (await h.api(`/leads/${seeded.leadIds[1]}`)).body;
    expect(completed.completed).toBe(true);
    expect(completed.phones[0].completed).toBe(true);
    expect((await h.api(`/leads/${seeded.leadIds[2]}`)).body.campaignId).toBe(4);
    expect((await h.api('/leads?uploadedTimestampTo=2025-12-31T00:00:00Z')).body.items.map((l: { leadId: number }) => l.leadId)).toEqual([
      seeded.leadIds[0],
    ]);
  });

  it('refuses a seed with unknown references, storing nothing', async () => {
    const res = await fetch(`${h.sim.url}/__admin/seed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lists: [{ listName: 'x', campaignId: 1 }], leads: [{ listId: 999 }, { listRef: 'nope' }] }),
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { fields: Array<{ field: string }> };
    expect(body.fields.map((f) => f.field)).toEqual(['leads.0.listId', 'leads.1.listRef']);
    expect((await h.admin('/state')).leadLists).toBe(3);
  });

  it('resets to the seeded tenant, the start clock and the start faults', async () => {
    await h.api('/leads', { body: { listId: 1, phone1: '+61491570174' } });
    await h.admin('/clock', { advanceMs: 3_600_000 });
    await h.admin('/faults', { latencyMs: 5 });
    await h.admin('/reset', {});
    const state = await h.admin('/state');
    expect(state).toMatchObject({ campaigns: 3, leadLists: 3, leads: { total: 2, completed: 0, open: 2 }, users: 5, activities: 3, diallerAttempts: 1, requests: 0 });
    expect((await h.admin('/clock')).now).toBe('2026-03-01T00:00:00.000Z');
    expect((await h.admin('/faults')).latencyMs).toBe(0);
    // Ids start again where the seeded tenant leaves them.
    expect((await h.api('/leads', { body: { listId: 1, phone1: '+61491570174' } })).body.leadId).toBe(10003);
  });

  it('moves the clock by advanceMs or to nowIso, and freezes it on request', async () => {
    expect(await h.admin('/clock')).toMatchObject({ now: '2026-03-01T00:00:00.000Z', frozen: true });
    expect((await h.admin('/clock', { advanceMs: 90_000 })).now).toBe('2026-03-01T00:01:30.000Z');
    expect((await h.admin('/clock', { nowIso: '2026-04-05T12:00:00+10:00' })).now).toBe('2026-04-05T02:00:00.000Z');
    const running = await h.admin('/clock', { frozen: false });
    expect(running.frozen).toBe(false);
    const res = await fetch(`${h.sim.url}/__admin/clock`, { method: 'POST', body: JSON.stringify({ advanceMs: 1, nowIso: '2026-01-01T00:00:00Z' }) });
    expect(res.status).toBe(400);
  });

  it('records every ipSCAPE request with its request id, and clears the log', async () => {
    await h.api('/leads/10001', { headers: { 'X-Request-Id': 'req-1' } });
    await h.api('/leads/lists', { method: 'DELETE', headers: { 'X-Request-Id': 'req-2' } });
    await h.api(`/leads?phone1=${encodeURIComponent('+61491570156')}`, { headers: { 'X-Request-Id': 'req-3' } });
    await fetch(`${h.sim.baseUrl}/users`, { headers: { 'X-Request-Id': 'req-4' } });
    const { requests } = await h.admin('/requests');
    expect(requests.map((r: Record<string, unknown>) => [r.requestId, r.method, r.path, r.operationId, r.status, r.faulted])).toEqual([
      ['req-1', 'GET', '/platform-api/v3.0/leads/10001', 'getLead', 200, false],
      ['req-2', 'DELETE', '/platform-api/v3.0/leads/lists', null, 405, false],
      ['req-3', 'GET', '/platform-api/v3.0/leads', 'listLeads', 200, false],
      ['req-4', 'GET', '/platform-api/v3.0/users', 'listUsers', 401, false],
    ]);
    expect(requests[2].queryKeys).toEqual(['phone1']);
    // The log holds no query value, body or credential.
    expect(JSON.stringify(requests)).not.toMatch(/61491570156|Bearer|sim-test-key/);
    expect(requests[0].time).toBe('2026-03-01T00:00:00.000Z');

    await h.admin('/requests', undefined, 'DELETE');
    expect((await h.admin('/requests')).requests).toEqual([]);
  });

  it('logs one line per request through the logger option, naming the route, never a phone or key', async () => {
    const lines: string[] = [];
    const logged = await startHarness({ logger: (line) => lines.push(line) });
    try {
      await logged.api(`/leads?phone1=${encodeURIComponent('+61491570156')}`);
      await logged.api('/leads/+61491570156');
      await logged.api('/nowhere/0491570156');
      await logged.api('/leads', { body: { listId: 1, phone1: '+61491570157', leadData: { email: 'x@example.com' } } });
    } finally {
      await logged.sim.close();
    }
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^GET \/platform-api\/v3\.0\/leads 200 listLeads \d+ms$/);
    expect(lines[1]).toMatch(/^GET \/platform-api\/v3\.0\/leads\/\{leadId\} 400 getLead/);
    expect(lines[2]).toMatch(/^GET \(unmatched path\) 404/);
    expect(lines.join('\n')).not.toMatch(/0491570156|61491570156|61491570157|example\.com|sim-test-key/);
  });

  it('echoes the request id header', async () => {
    const res = await h.api('/campaigns', { headers: { 'X-Request-Id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
  });

  it('lists all leads, completed included, and summarises bulk jobs', async () => {
    await h.api('/leads/10002', { method: 'PATCH', body: { isCompleted: true } });
    const { leads } = await h.admin('/leads');
    expect(leads.map((l: { leadId: number; completed: boolean }) => [l.leadId, l.completed])).toEqual([
      [10001, false],
      [10002, true],
    ]);
    const { uuid } = (await h.api('/leads/bulk', { body: { leads: [{ listId: 1, phone1: '+61491570175' }] } })).body;
    await h.admin('/clock', { advanceMs: 2_000 });
    expect((await h.admin('/bulk-jobs')).jobs).toEqual([
      expect.objectContaining({ uuid, status: 'completed', mode: 'normal', total: 1, leadIds: [10003] }),
    ]);
  });

  it('answers 404 for unknown admin routes and 400 for bad fault settings', async () => {
    expect((await fetch(`${h.sim.url}/__admin/nothing`)).status).toBe(404);
    const bad = await fetch(`${h.sim.url}/__admin/faults`, { method: 'POST', body: JSON.stringify({ errorRate: 2 }) });
    expect(bad.status).toBe(400);
  });
});
