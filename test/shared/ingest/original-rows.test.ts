import { describe, expect, it } from 'vitest';
import { createMemoryObjectStore } from '../../../shared/ingest/memory-object-store';
import { openOriginalRows } from '../../../shared/ingest/original-rows';
import { createProfileRegistry } from '../../../shared/leads/mapping-profile-registry';

const profiles = createProfileRegistry([]);
const FILE = 'Customer Key,Mobile,Email,Notes\r\nA-1,0491 570 156,a@example.com,"two\r\nlines"\r\nA-2,0491 570 157,,call 0491 570 158\r\nA-3,0491 570 159,c@example.com,ok\r\n';

describe('openOriginalRows', () => {
  it('yields the wanted lines, masked (phone and email columns whole, numbers in other text), in order', async () => {
    const objects = createMemoryObjectStore();
    objects.put('incoming/1/a.csv', FILE);
    const original = (await openOriginalRows({ key: 'incoming/1/a.csv' }, objects, profiles))!;
    expect(original.header).toEqual(['Customer Key', 'Mobile', 'Email', 'Notes']);
    const rows: (readonly [number, readonly string[]])[] = [];
    for await (const row of original.rows([4, 5, 99])) rows.push(row);
    expect(rows.map(([line]) => line)).toEqual([4, 5]);
    expect(rows[0]![1]).toEqual(['A-2', '[phone]', '', expect.not.stringContaining('0491')]);
    expect(rows[1]![1]).toEqual(['A-3', '[phone]', '[email]', 'ok']);
    expect(JSON.stringify(rows)).not.toMatch(/0491|example\.com/);
  });

  it('gives up (line numbers only) for an upload that is gone or larger than the limit', async () => {
    const objects = createMemoryObjectStore();
    objects.put('incoming/1/a.csv', FILE);
    expect(await openOriginalRows({ key: 'incoming/1/gone.csv' }, objects, profiles)).toBeUndefined();
    expect(await openOriginalRows({ key: 'incoming/1/a.csv' }, objects, profiles, 10)).toBeUndefined();
  });
});
