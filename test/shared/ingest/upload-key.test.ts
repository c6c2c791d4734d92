import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUploadKey, UploadKeyError, uploadKeyFor } from '../../../shared/ingest/upload-key';

describe('parseUploadKey', () => {
  it.each([
    ['incoming/leads.csv', { fileName: 'leads.csv' }],
    ['incoming/100/leads.csv', { listId: 100, fileName: 'leads.csv' }],
    ['incoming/100/profile=crm-export/2026-11/leads.csv', { listId: 100, profile: 'crm-export', fileName: 'leads.csv' }],
    ['incoming/profile=web/leads.csv', { profile: 'web', fileName: 'leads.csv' }],
    ['incoming/archive/100/leads.csv', { fileName: 'leads.csv' }],
    ['incoming/2026-11/batch 1.csv', { fileName: 'batch 1.csv' }],
  ])('%s', (key, expected) => {
    expect(parseUploadKey(key)).toEqual({ key, ...expected });
  });

  it.each([
    ['reports/x.csv', /is not under incoming\//],
    ['incoming/100/', /names a folder/],
    ['incoming/0/leads.csv', /list id 0/],
    ['incoming/profile=a/profile=b/leads.csv', /two profiles/],
    ['incoming/profile=../leads.csv', /profile names are/],
  ])('refuses %s', (key, reason) => {
    expect(() => parseUploadKey(key)).toThrow(UploadKeyError);
    expect(() => parseUploadKey(key)).toThrow(reason);
  });

  it('round-trips what uploadKeyFor builds', () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 10 ** 9 }), { nil: undefined }),
        fc.option(fc.stringMatching(/^[A-Za-z0-9_-]{1,20}$/), { nil: undefined }),
        fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !/[/\\]/.test(s)),
        (listId, profile, name) => {
          const key = uploadKeyFor(`${name}.csv`, { ...(listId && { listId }), ...(profile && { profile }) });
          const parsed = parseUploadKey(key);
          expect(parsed.listId).toBe(listId);
          expect(parsed.profile).toBe(profile);
          expect(parsed.fileName).toBe(`${name}.csv`);
        },
      ),
    );
  });
});
