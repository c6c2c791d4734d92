import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './simulator-harness';

const rows = (n: number, listId = 1) => Array.from({ length: n }, (_, i) => ({ listId, phone1: `+6149157${String(1000 + i)}`, customerKey: `B-${i}` }));

describe('simulator bulk jobs', () => {
  let h: Harness;
  const leadsInList1 = async () => (await h.api('/leads?listId=1')).body.items.length as number;

  beforeAll(async () => {
    h = await startHarness({ bulkJobDurationMs: 2_000, startTime: '2026-07-06T03:00:00Z' });
  });
  beforeEach(() => h.admin('/reset', {}));
  afterAll(() => h.sim.close());

  it('moves queued → processing → completed on the simulator clock, creating the leads only at the end', async () => {
    const submitted = await h.api('/leads/bulk', { body: { leads: rows(3) } });
    expect(submitted.status).toBe(200);
    expect(submitted.body).toEqual({ uuid: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued' });
    const { uuid } = submitted.body;

    expect((await h.api(`/leads/bulk/${uuid}`)).body).toMatchObject({ uuid, status: 'queued', total: 3, processed: 0 });
    await h.admin('/clock', { advanceMs: 1_000 });
    expect((await h.api(`/leads/bulk/${uuid}`)).body).toMatchObject({ status: 'processing', total: 3 });
    expect(await leadsInList1()).toBe(2); // the seeded two only

    await h.admin('/clock', { advanceMs: 999 });
    expect((await h.api(`/leads/bulk/${uuid}`)).body.status).toBe('processing');
    await h.admin('/clock', { advanceMs: 1 });
    const done = (await h.api(`/leads/bulk/${uuid}`)).body;
    expect(done).toMatchObject({ status: 'completed', total: 3, processed: 3, succeeded: 3, failed: 0 });
    expect(done.timestamps).toEqual({ submitted: '2026-07-06T13:00:00+10:00', finished: '2026-07-06T13:00:02+10:00' });

    const leads = (await h.api('/leads?listId=1')).body.items;
    expect(leads).toHaveLength(5);
    expect(leads.slice(2).map((l: { customerKey: string }) => l.customerKey)).toEqual(['B-0', 'B-1', 'B-2']);
    expect(leads[2].timestamps.created).toBe('2026-07-06T13:00:02+10:00');
  });

  it('creates the leads of a finished job even when nobody polls its status', async () => {
    await h.api('/leads/bulk', { body: { leads: rows(2) } });
    await h.admin('/clock', { advanceMs: 5_000 });
    expect(await leadsInList1()).toBe(4);
  });

  it('fails with the tenant first failure value and creates no lead', async () => {
    await h.admin('/faults', { bulkJobs: 'fail' });
    const { uuid } = (await h.api('/leads/bulk', { body: { leads: rows(2) } })).body;
    await h.admin('/faults', { bulkJobs: 'normal' }); // the mode is fixed at submission
    await h.admin('/clock', { advanceMs: 10_000 });
    expect((await h.api(`/leads/bulk/${uuid}`)).body).toMatchObject({ status: 'failed', succeeded: 0, failed: 2 });
    expect(await leadsInList1()).toBe(2);
  });

  it('never finishes, or reports an unknown status, under those faults', async () => {
    await h.admin('/faults', { bulkJobs: 'never-finish' });
    const stuck = (await h.api('/leads/bulk', { body: { leads: rows(1) } })).body.uuid;
    await h.admin('/faults', { bulkJobs: 'unknown-status' });
    const weird = (await h.api('/leads/bulk', { body: { leads: rows(1) } })).body;
    expect(weird.status).toBe('weird-state');
    await h.admin('/clock', { advanceMs: 86_400_000 });
    expect((await h.api(`/leads/bulk/${stuck}`)).body.status).toBe('processing');
    expect((await h.api(`/leads/bulk/${weird.uuid}`)).body.status).toBe('weird-state');
    expect(await leadsInList1()).toBe(2);
  });

  it('uses the tenant override of the status values', async () => {
    const custom = await startHarness({ tenant: { bulkStatus: { success: ['DONE', 'completed'], failure: ['ERRORED'] } } });
    try {
      const ok = (await custom.api('/leads/bulk', { body: { leads: rows(1) } })).body.uuid;
      await custom.admin('/faults', { bulkJobs: 'fail' });
      const bad = (await custom.api('/leads/bulk', { body: { leads: rows(1) } })).body.uuid;
      await custom.admin('/clock', { advanceMs: 3_000 });
      expect((await custom.api(`/leads/bulk/${ok}`)).body.status).toBe('DONE');
      expect((await custom.api(`/leads/bulk/${bad}`)).body.status).toBe('ERRORED');
    } finally {
      await custom.sim.close();
    }
  });

  it('finishes on wall time when the clock runs (local runs)', async () => {
    const running = await startHarness({ freezeClock: false, bulkJobDurationMs: 80 });
    try {
      const { uuid } = (await running.api('/leads/bulk', { body: { leads: rows(1) } })).body;
      await new Promise((r) => setTimeout(r, 120));
      expect((await running.api(`/leads/bulk/${uuid}`)).body.status).toBe('completed');
    } finally {
      await running.sim.close();
    }
  });

  it('repeats job uuids for the same seed', async () => {
    const first = (await h.api('/leads/bulk', { body: { leads: rows(1) } })).body.uuid;
    await h.admin('/reset', {});
    expect((await h.api('/leads/bulk', { body: { leads: rows(1) } })).body.uuid).toBe(first);
  });
});
