import { describe, expect, it } from 'vitest';
import { buildRequestUrl, serializeQuery } from '../../../shared/ipscape/request-url';

describe('serializeQuery', () => {
  it('leaves out null and undefined filters and encodes + in E.164', () => {
    expect(serializeQuery({ phone1: '+61412345678', listId: null, campaignId: undefined, accountActive: false, statusCode: 3 })).toBe(
      'phone1=%2B61412345678&accountActive=false&statusCode=3',
    );
    expect(serializeQuery(undefined)).toBe('');
  });
});

describe('buildRequestUrl', () => {
  const base = 'https://t.ipscape.com.au/platform-api/v3.0';

  it('joins base, path template with parameters, and query', () => {
    expect(buildRequestUrl(base, '/leads/{leadId}', { leadId: 7 })).toBe(`${base}/leads/7`);
    expect(buildRequestUrl(base, '/leads', {}, { listId: 1 })).toBe(`${base}/leads?listId=1`);
    expect(buildRequestUrl(`${base}/`, '/leads/bulk/{uuid}', { uuid: 'a/b' })).toBe(`${base}/leads/bulk/a%2Fb`);
  });
});
