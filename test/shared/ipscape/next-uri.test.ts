import { describe, expect, it } from 'vitest';
import { ForeignNextUriError, resolveNextUri } from '../../../shared/ipscape/next-uri';

const base = 'https://t.ipscape.com.au/platform-api/v3.0';

describe('resolveNextUri', () => {
  it.each([
    ['/v3.0/leads?cursor=abc', 'https://t.ipscape.com.au/platform-api/v3.0/leads?cursor=abc'],
    ['/v3.0/leads/lists?cursor=eyJpZCI6', 'https://t.ipscape.com.au/platform-api/v3.0/leads/lists?cursor=eyJpZCI6'],
    ['/platform-api/v3.0/leads?cursor=abc', 'https://t.ipscape.com.au/platform-api/v3.0/leads?cursor=abc'],
    ['/v3.0?cursor=x', 'https://t.ipscape.com.au/platform-api/v3.0?cursor=x'],
    ['/other/thing?cursor=x', 'https://t.ipscape.com.au/other/thing?cursor=x'],
    ['https://t.ipscape.com.au/platform-api/v3.0/leads?cursor=abc', 'https://t.ipscape.com.au/platform-api/v3.0/leads?cursor=abc'],
    ['//t.ipscape.com.au/platform-api/v3.0/leads?cursor=abc', 'https://t.ipscape.com.au/platform-api/v3.0/leads?cursor=abc'],
  ])('%s → %s', (nextUri, url) => {
    expect(resolveNextUri(base, nextUri)).toBe(url);
  });

  it('keeps the cursor verbatim, encoding untouched', () => {
    const uri = '/v3.0/leads?cursor=a%2Bb%3D%3D&listId=1&x=%7E';
    expect(resolveNextUri(base, uri)).toBe(`https://t.ipscape.com.au/platform-api${uri}`);
  });

  it('does not mistake a longer segment for the version', () => {
    expect(resolveNextUri(base, '/v3.05/leads')).toBe('https://t.ipscape.com.au/v3.05/leads');
  });

  it('works with a base URL that has a trailing slash, or only a version path', () => {
    expect(resolveNextUri(`${base}/`, '/v3.0/leads?cursor=1')).toBe('https://t.ipscape.com.au/platform-api/v3.0/leads?cursor=1');
    expect(resolveNextUri('http://127.0.0.1:4000/v3.0', '/v3.0/leads?cursor=1')).toBe('http://127.0.0.1:4000/v3.0/leads?cursor=1');
    expect(resolveNextUri('http://127.0.0.1:4000', '/v3.0/leads?cursor=1')).toBe('http://127.0.0.1:4000/v3.0/leads?cursor=1');
  });

  it('resolves a relative reference against the page it came from', () => {
    expect(resolveNextUri(base, '?cursor=2', `${base}/leads?listId=1`)).toBe(`${base}/leads?cursor=2`);
    expect(resolveNextUri(base, 'leads?cursor=2')).toBe(`${base}/leads?cursor=2`);
  });

  it('refuses to send the key to another origin, without quoting the URI', () => {
    expect(() => resolveNextUri(base, 'https://evil.example/v3.0/leads?phone1=%2B61412345678')).toThrow(ForeignNextUriError);
    expect(() => resolveNextUri(base, '//evil.example/v3.0/leads')).toThrow(ForeignNextUriError);
    expect(() => resolveNextUri(base, 'http://t.ipscape.com.au/platform-api/v3.0/leads')).toThrow(ForeignNextUriError);
    try {
      resolveNextUri(base, 'https://evil.example/?phone1=%2B61412345678');
    } catch (err) {
      expect((err as Error).message).not.toMatch(/evil|412345678/);
    }
  });
});
