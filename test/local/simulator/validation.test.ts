import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './simulator-harness';

describe('simulator validation', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.close());

  it('names each bad field of a create lead body and never echoes the value', async () => {
    const res = await h.api('/leads', {
      body: { listId: 1, phone1: '0412 345 678', timezone: 'Mars/Olympus', nextAttemptTimestamp: 'tomorrow' },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('validation');
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['nextAttemptTimestamp', 'phone1', 'timezone']);
    expect(JSON.stringify(res.body)).not.toContain('0412');
    expect(JSON.stringify(res.body)).not.toContain('Olympus');
  });

  it('reports structural problems and unknown fields', async () => {
    const res = await h.api('/leads', { body: { listId: 'one', phone1: '+61491570158', colour: 'blue' } });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'listId']);
    expect(JSON.stringify(res.body)).not.toContain('blue');
  });

  it('refuses a lead with no phone, an unknown list or an unknown agent (400, naming the field)', async () => {
    expect((await h.api('/leads', { body: { listId: 1 } })).body.fields).toEqual([{ field: 'phone1', message: expect.any(String) }]);
    const unknownList = await h.api('/leads', { body: { listId: 4242, phone1: '+61491570158' } });
    expect(unknownList.status).toBe(400);
    expect(unknownList.body.fields).toEqual([{ field: 'listId', message: 'no lead list with this id' }]);
    const unknownAgent = await h.api('/leads', { body: { listId: 1, phone1: '+61491570158', agentId: 1004 } });
    expect(unknownAgent.body.fields).toEqual([{ field: 'agentId', message: 'no agent with this id' }]);
  });

  it('prefixes bulk element problems with leads.<index>.', async () => {
    const leads = Array.from({ length: 5 }, (_, i) => ({ listId: 1, phone1: `+6149157016${i}` }));
    leads[3] = { listId: 1, phone1: '0491570163' };
    leads[4] = { listId: 77, phone1: '+61491570164' };
    const res = await h.api('/leads/bulk', { body: { leads } });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(['leads.3.phone1', 'leads.4.listId']);
    expect((await h.api('/leads/bulk', { body: { leads: [] } })).body.fields[0].field).toBe('leads');
    expect((await h.api('/leads/bulk', { body: { leads: [{ listId: 1, phone1: '+61491570158', extra: 1 }] } })).body.fields[0].field).toBe(
      'leads.0.extra',
    );
  });

  it('refuses isCompleted: false and unknown references on update', async () => {
    const res = await h.api('/leads/10002', { method: 'PATCH', body: { isCompleted: false } });
    expect(res.status).toBe(400);
    expect(res.body.fields).toEqual([{ field: 'isCompleted', message: expect.any(String) }]);
    expect((await h.api('/leads/10002', { method: 'PATCH', body: { listId: 999 } })).body.fields[0].field).toBe('listId');
  });

  it('checks the erasure body semantically', async () => {
    expect((await h.api('/privacy/erasure', { body: {} })).body.fields[0].field).toBe('phoneNumber');
    const bad = await h.api('/privacy/erasure', { body: { phoneNumber: '0412345678', emailAddress: 'nope' } });
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['phoneNumber', 'emailAddress']);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await fetch(`${h.sim.baseUrl}/leads`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sim-test-key', 'content-type': 'application/json' },
      body: '{"listId": 1,',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'validation', fields: [{ field: '(body)' }] });
  });

  it('coerces query numbers and booleans, and names bad or unknown query parameters', async () => {
    expect((await h.api('/leads?listId=1&statusCode=3')).body.items.map((l: { leadId: number }) => l.leadId)).toEqual([10001]);
    expect((await h.api('/users?accountActive=false')).body.items.map((u: { userId: number }) => u.userId)).toEqual([1005]);
    const bad = await h.api('/leads?listId=abc&sort=asc');
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['listId', 'sort']);
    expect((await h.api('/campaigns/1/statistics?period=week')).body.fields[0].field).toBe('period');
    expect((await h.api('/leads?uploadedTimestampFrom=yesterday')).body.fields[0].field).toBe('uploadedTimestampFrom');
    expect((await h.api('/leads?listId=1&listId=2')).body.fields[0]).toEqual({ field: 'listId', message: 'must be given once' });
  });

  it('requires phone1 filters in E.164 and matches them exactly', async () => {
    const bad = await h.api('/leads?phone1=0491570156');
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].field).toBe('phone1');
    const good = await h.api(`/leads?phone1=${encodeURIComponent('+61491570156')}`);
    expect(good.body.items.map((l: { leadId: number }) => l.leadId)).toEqual([10001]);
    // phone2 of lead 10001 is not searchable.
    expect((await h.api(`/leads?phone1=${encodeURIComponent('+61255501234')}`)).body.items).toEqual([]);
  });
});
