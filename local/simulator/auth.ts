/** The tenant's API key check: header `tenant.auth.header` must equal `tenant.auth.format` with `{key}` filled in. */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { TenantConfig } from '../../shared/ipscape/tenant-config';

/** Whether the request carries the expected credential. Compared in constant time; never logged. */
export function isAuthorised(headers: IncomingHttpHeaders, auth: TenantConfig['auth'], apiKey: string): boolean {
  const raw = headers[auth.header.toLowerCase()];
  const given = Buffer.from(Array.isArray(raw) ? (raw[0] ?? '') : (raw ?? ''));
  // split/join as the client does: String.replace would read `$&`, `$$`... in the key as patterns,
  // and would fill only the first of several `{key}`.
  const expected = Buffer.from(auth.format.split('{key}').join(apiKey));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
