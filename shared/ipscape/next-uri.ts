/**
 * Resolving the `nextUri` of a cursor page into the URL to fetch.
 *
 * ipSCAPE answers `nextUri` as `/v3.0/leads?cursor=...` (without the `/platform-api` part of the
 * base) and some URIs as `/platform-api/v3.0/...`. The cursor is opaque: the URI is followed
 * verbatim, never rebuilt or re-encoded, only anchored to the tenant.
 */

/** A `nextUri` the client refuses to follow: it would send the API key to another origin. */
export class ForeignNextUriError extends Error {
  override readonly name = 'ForeignNextUriError';
  constructor() {
    // The URI itself is not quoted: it may carry the request's filters (a phone number).
    super('nextUri points outside the tenant origin; refusing to follow it');
  }
}

/**
 * The URL to fetch for a `nextUri`:
 * - `/v3.0/...` (starts with the base path's last segment): origin + base path prefix + URI;
 * - `/platform-api/v3.0/...` (starts with the full base path) or any other `/...`: origin + URI;
 * - an absolute URL: as is, if it has the base URL's origin (else {@link ForeignNextUriError});
 * - a relative reference (`?cursor=x`): resolved against the page it came from (RFC 3986).
 *
 * @param currentUrl - the URL of the page that carried the URI; defaults to the base URL.
 * @example resolveNextUri('https://t.ipscape.com.au/platform-api/v3.0', '/v3.0/leads?cursor=abc')
 * // 'https://t.ipscape.com.au/platform-api/v3.0/leads?cursor=abc'
 */
export function resolveNextUri(baseUrl: string, nextUri: string, currentUrl?: string): string {
  const base = new URL(baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(nextUri) || nextUri.startsWith('//')) {
    const absolute = new URL(nextUri, base);
    if (absolute.origin !== base.origin) throw new ForeignNextUriError();
    return nextUri.startsWith('//') ? `${base.protocol}${nextUri}` : nextUri;
  }
  if (nextUri.startsWith('/')) {
    if (basePath && startsWithSegment(nextUri, basePath)) return base.origin + nextUri;
    const lastSlash = basePath.lastIndexOf('/');
    const version = basePath.slice(lastSlash + 1);
    if (version && startsWithSegment(nextUri, `/${version}`)) return base.origin + basePath.slice(0, lastSlash) + nextUri;
    return base.origin + nextUri;
  }
  const resolved = new URL(nextUri, currentUrl ?? `${base.origin}${basePath}/`);
  if (resolved.origin !== base.origin) throw new ForeignNextUriError();
  return resolved.toString();
}

/** Whether `uri` starts with the whole path segment(s) `prefix` (so `/v3.0` does not match `/v3.05`). */
function startsWithSegment(uri: string, prefix: string): boolean {
  if (!uri.startsWith(prefix)) return false;
  const next = uri.charAt(prefix.length);
  return next === '' || next === '/' || next === '?' || next === '#';
}
