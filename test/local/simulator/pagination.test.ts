import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TENANT_BASE, startHarness, type Harness } from './simulator-harness';

/** The client's rule: a `/v3.0/...` URI gets the base path's prefix (`/platform-api`) put back. */
function resolve(nextUri: string): string {
  const basePath = new URL(TENANT_BASE).pathname;
  const prefix = basePath.slice(0, basePath.lastIndexOf('/'));
  expect(nextUri.startsWith('/v3.0/')).toBe(true);
  return `${prefix}${nextUri}`;
}

describe('simulator cursor pagination', () => {
  let h: Harness;
  let listId: number;
  let leadIds: number[];
  beforeAll(async () => {
    h = await startHarness({ pageSize: 20 });
    const seeded = await h.admin('/seed', {
      lists: [{ ref: 'big', listName: 'Big list', campaignId: 1 }],
      leads: Array.from({ length: 75 }, (_, i) => ({
        listRef: 'big',
        phones: [`+614915${String(70000 + i).padStart(5, '0')}`],
        lastStatusCode: i % 3 === 0 ? 2 : 1,
      })),
    });
    listId = seeded.listIds[0];
    leadIds = seeded.leadIds;
  });
  afterAll(() => h.sim.close());

  it('walks more than three pages through nextUri, carrying the filters', async () => {
    let page = await h.api(`/leads?listId=${listId}`);
    const seen: number[] = [];
    let pages = 0;
    for (;;) {
      expect(page.status).toBe(200);
      pages += 1;
      seen.push(...page.body.items.map((l: { leadId: number }) => l.leadId));
      const next: string | null = page.body.metadata.nextUri;
      if (next === null) break;
      expect(next).toMatch(new RegExp(`^/v3\\.0/leads\\?listId=${listId}&cursor=eyJpZCI6`));
      page = await h.raw(resolve(next));
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(leadIds);
  });

  it('answers previousUri back to the earlier page, null on the first', async () => {
    const first = await h.api(`/leads?listId=${listId}`);
    expect(first.body.metadata.previousUri).toBeNull();
    const second = await h.raw(resolve(first.body.metadata.nextUri));
    const back = await h.raw(resolve(second.body.metadata.previousUri));
    expect(back.body.items).toEqual(first.body.items);
  });

  it('applies filters before paging', async () => {
    let page = await h.api(`/leads?listId=${listId}&statusCode=2`);
    const seen: number[] = [];
    for (;;) {
      seen.push(...page.body.items.map((l: { leadId: number; lastStatusCode: number }) => l.leadId));
      if (!page.body.metadata.nextUri) break;
      expect(page.body.metadata.nextUri).toContain('statusCode=2');
      page = await h.raw(resolve(page.body.metadata.nextUri));
    }
    expect(seen).toEqual(leadIds.filter((_, i) => i % 3 === 0));
  });

  it('pages the other cursor lists the same way', async () => {
    const users = await startHarness({ pageSize: 2 });
    try {
      const first = await users.api('/users?userType=agent');
      expect(first.body.items).toHaveLength(2);
      expect(first.body.metadata.nextUri).toMatch(/^\/v3\.0\/users\?userType=agent&cursor=/);
      const second = await users.raw(resolve(first.body.metadata.nextUri));
      expect(second.body.items.map((u: { userId: number }) => u.userId)).toEqual([1003, 1005]);
      expect(second.body.metadata.nextUri).toBeNull();
      expect((await users.api('/leads/lists')).body.metadata.nextUri).toMatch(/^\/v3\.0\/leads\/lists\?cursor=/);
      expect((await users.api('/activities')).body.metadata.nextUri).toMatch(/^\/v3\.0\/activities\?cursor=/);
    } finally {
      await users.sim.close();
    }
  });

  it('refuses a cursor it did not issue', async () => {
    const res = await h.api('/leads?cursor=not-a-cursor');
    expect(res.status).toBe(400);
    expect(res.body.fields[0].field).toBe('cursor');
  });
});
