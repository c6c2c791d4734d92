/**
 * The URL of an operation's first request: base URL, route path with its parameters filled in,
 * and the query. (Follow-up pages use `nextUri` instead; see `./next-uri`.)
 */
import { expandPath } from './routes';

/** Query values as the schemas allow them; `null`/`undefined` mean "no filter" and are left out. */
export type QueryValues = Readonly<Record<string, string | number | boolean | null | undefined>>;

/**
 * Serialises a query, leaving out empty filters. `+` in an E.164 number is percent-encoded, so
 * the server does not read it as a space.
 *
 * @example serializeQuery({ phone1: '+61412345678', listId: null }) // 'phone1=%2B61412345678'
 */
export function serializeQuery(query: QueryValues | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined) continue;
    params.append(key, String(value));
  }
  return params.toString();
}

/**
 * Joins the tenant base URL, a route path template with its parameters, and the query.
 *
 * @example buildRequestUrl('https://t.ipscape.com.au/platform-api/v3.0', '/leads/{leadId}', { leadId: 7 })
 * // 'https://t.ipscape.com.au/platform-api/v3.0/leads/7'
 */
export function buildRequestUrl(
  baseUrl: string,
  pathTemplate: string,
  pathParams: Readonly<Record<string, string | number>> = {},
  query?: QueryValues,
): string {
  const qs = serializeQuery(query);
  return `${baseUrl.replace(/\/+$/, '')}${expandPath(pathTemplate, pathParams)}${qs ? `?${qs}` : ''}`;
}
