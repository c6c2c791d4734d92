import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, startHarness, type Harness } from './simulator-harness';

describe('simulator auth', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.close());

  it('answers 401 with a JSON body when the key is missing or wrong, without echoing the key', async () => {
    const missing = await fetch(`${h.sim.baseUrl}/leads`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: 'unauthorized' });

    const wrong = await h.api('/leads', { headers: { Authorization: 'Bearer not-the-key' } });
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).not.toContain('not-the-key');
    expect(JSON.stringify(wrong.body)).not.toContain(API_KEY);
  });

  it('accepts the configured header and format', async () => {
    const custom = await startHarness({ tenant: { auth: { header: 'X-Api-Key', format: 'Key {key}' } } });
    try {
      expect((await custom.api('/campaigns')).status).toBe(200);
      const bearer = await fetch(`${custom.sim.baseUrl}/campaigns`, { headers: { Authorization: `Bearer ${API_KEY}` } });
      expect(bearer.status).toBe(401);
    } finally {
      await custom.sim.close();
    }
  });
});

describe('simulator route matching', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.sim.close());

  it('serves the base path of the tenant URL', () => {
    expect(h.sim.baseUrl).toBe(`${h.sim.url}/platform-api/v3.0`);
  });

  it('takes literal segments before {param} segments', async () => {
    const lists = await h.api('/leads/lists');
    expect(lists.status).toBe(200);
    expect(lists.body.items[0]).toHaveProperty('name');

    const list = await h.api('/leads/lists/1');
    expect(list.body).toMatchObject({ id: 1, campaignId: 1 });

    const lead = await h.api('/leads/10001');
    expect(lead.body).toMatchObject({ leadId: 10001 });

    const job = await h.api('/leads/bulk/0b8f4f8e-0000-4000-8000-000000000000');
    expect(job.status).toBe(404);
    expect(job.body.message).toContain('bulk job');
  });

  it('answers 405 with Allow for a known path and wrong method, 404 for unknown paths', async () => {
    const wrongMethod = await h.api('/leads/lists', { method: 'PATCH', body: {} });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');

    expect((await h.api('/leads/bulk', { method: 'GET' })).status).toBe(405);
    expect((await h.api('/nothing-here')).status).toBe(404);
    expect((await h.api('/leads/1/extra/segments')).status).toBe(404);
    expect((await h.raw('/v3.0/leads')).status).toBe(404);
  });

  it('requires integer ids in paths', async () => {
    const bad = await h.api('/leads/abc');
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ error: 'validation', fields: [{ field: 'leadId', message: expect.any(String) }] });
    expect((await h.api('/campaigns/0')).status).toBe(400);
  });

  it('answers 404 for unknown ids', async () => {
    for (const path of ['/leads/999999', '/leads/lists/999', '/campaigns/99', '/activities/1', '/media/1', '/calls/dialler/1']) {
      expect((await h.api(path)).status, path).toBe(404);
    }
  });
});

describe('simulator tenant route overrides', () => {
  it('serves an overridden path and method instead of the default', async () => {
    const h = await startHarness({
      tenant: {
        baseUrl: 'https://other.ipscape.com.au/api/v3.0',
        routes: { getBulkJob: { path: '/leads/bulk/status/{uuid}' }, updateLead: { method: 'PUT' } },
      },
    });
    try {
      expect(h.sim.baseUrl).toBe(`${h.sim.url}/api/v3.0`);
      const submitted = await h.api('/leads/bulk', { body: { leads: [{ listId: 1, phone1: '+61491570158' }] } });
      expect(submitted.status).toBe(200);
      const { uuid } = submitted.body;

      expect((await h.api(`/leads/bulk/status/${uuid}`)).body).toMatchObject({ uuid });
      // The default path is no longer served at all.
      expect((await h.api(`/leads/bulk/${uuid}`)).status).toBe(404);

      expect((await h.api('/leads/10001', { method: 'PUT', body: { customerKey: 'K-1' } })).status).toBe(200);
      expect((await h.api('/leads/10001', { method: 'PATCH', body: { customerKey: 'K-2' } })).status).toBe(405);

      // nextUri keeps the last base path segment only, whatever the base path.
      const page = await startHarness({ tenant: { baseUrl: 'https://other.ipscape.com.au/api/v3.0' }, pageSize: 2 });
      try {
        expect((await page.api('/users')).body.metadata.nextUri).toMatch(/^\/v3\.0\/users\?cursor=/);
      } finally {
        await page.sim.close();
      }
    } finally {
      await h.sim.close();
    }
  });
});
